"""API keys: the OS keychain first, a key kept for this session only when there is none,
and the provider's environment variable last.

A key never touches a file or a log here: the keychain holds it, or memory does. A keychain
can be missing (a headless Linux box), switched off, locked, or vanish mid-session (the
Secret Service daemon dies): none of that may crash a caller. Reads then fall back quietly and
the store remembers why, in words, for Settings; writes raise KeychainError so the UI can offer
"keep for this session only".

`keyring` costs 50–100 ms to import and `keyring.get_keyring()` another 50–180 ms here, so
this module imports it only inside functions, and only on the keychain thread.

The public face is async (`aavailable`, `aget`, `aset`, …): each call runs its blocking
counterpart (private, `_check`, `_lookup`, `_save`, `_remove`) on the one keychain thread
(keychain_worker.py) with a timeout, so the app and the tests take the same path. When the
keychain does not answer in time, the calls answer from memory (session keys, environment
variables) at once, and Settings offers session-only keys. `available`, `unavailable_reason`
and `set_for_session` only touch memory: they never block.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from desktopchat.system.key_text import clean_key
from desktopchat.system.keychain_problems import (
    SESSION_ONLY,
    KeychainError,
    KeychainProblem,
    KeychainTrouble,
    backend_cause,
    describe_failure,
    keychain_failures,
)
from desktopchat.system.keychain_worker import KeychainWorker, NotAnswering

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
_T = TypeVar("_T")

DEFAULT_SERVICE = "desktopchat"
PROBE_ACCOUNT = "desktopchat-availability-probe"
"""An account that is never written: reading it tells whether the keychain answers."""

PROBE_TIMEOUT = 5.0
"""Seconds the first question to the keychain may take before it counts as not answering."""
CALL_TIMEOUT = 10.0
"""Seconds a read, save or removal may take (an unlock prompt can be behind it)."""


class KeySource(StrEnum):
    """Where the key in use comes from, for Settings to show next to each provider."""

    KEYCHAIN = "keychain"
    SESSION = "session"
    ENVIRONMENT = "environment"
    NONE = "none"


class _Sealed:
    """A key on its way back from a worker thread, with a repr that does not show it."""

    __slots__ = ("value",)

    def __init__(self, value: str | None) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<key hidden>" if self.value else "<no key>"


class KeyStore:
    """API keys by account (a provider id or a custom endpoint id), under one service name.

    Lookup order: a key set for this session, then the keychain, then the provider's
    environment variable. Thread-safe: every keychain call runs on the keychain thread,
    `probe_timeout` and `call_timeout` seconds at most.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        environ: Mapping[str, str] | None = None,
        service: str = DEFAULT_SERVICE,
        *,
        probe_timeout: float = PROBE_TIMEOUT,
        call_timeout: float = CALL_TIMEOUT,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self.service = service
        self._probe_timeout = probe_timeout
        self._call_timeout = call_timeout
        self._worker = KeychainWorker()
        self._session: dict[str, str] = {}
        self._state_lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._resolve_lock = threading.Lock()
        self._chosen: KeyringBackend | None = None
        self._cause: KeychainProblem | None = None
        self._checked = False
        if backend is not None:
            self._adopt(backend)

    def _adopt(self, backend: KeyringBackend) -> None:
        self._cause = backend_cause(backend)
        self._checked = self._cause is not None
        self._chosen = backend

    @property
    def _backend(self) -> KeyringBackend:
        """keyring's default backend, looked up on first use rather than at start-up: the
        import and the scan of backends take 50–150 ms, and the first use happens in a
        worker thread (the async methods) once the window is on screen."""
        if self._chosen is None:
            with self._resolve_lock:
                if self._chosen is None:
                    import keyring

                    self._adopt(keyring.get_keyring())
        assert self._chosen is not None
        return self._chosen

    # Availability -------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether the keychain answered and can store keys, as far as known: False until a
        call (`check`, `aavailable`, any lookup) has found out. Never blocks."""
        return self._checked and self._cause is None and not self._worker.silent

    @property
    def not_answering(self) -> bool:
        """Whether a keychain call outlived its timeout and has not returned yet."""
        return self._worker.silent

    @property
    def problem(self) -> KeychainProblem | None:
        """Why keys cannot be saved, for the UI to word; None while the keychain works or is
        not known yet. Never blocks."""
        if self._cause is not None:
            return self._cause
        if self._worker.silent:
            return KeychainProblem(KeychainTrouble.NOT_ANSWERING)
        return None

    @property
    def unavailable_reason(self) -> str:
        """`problem` in English, with what can be done (for logs and non-Qt callers); empty
        while the keychain works or is not known yet. Never blocks."""
        problem = self.problem
        return f"{problem} {SESSION_ONLY}" if problem is not None else ""

    def _check(self) -> bool:
        """Ask the keychain (once) whether it works: blocking, on the keychain thread."""
        self._check_once()
        return self._cause is None and not self._worker.silent

    def _check_once(self) -> None:
        backend = self._backend
        with self._probe_lock:
            if self._checked:
                return
            try:
                backend.get_password(self.service, PROBE_ACCOUNT)
            except Exception as exc:
                if not isinstance(exc, keychain_failures()):
                    raise
                self._mark_unavailable(exc, PROBE_ACCOUNT)
            self._checked = True

    def _mark_unavailable(self, exc: BaseException, account: str, *secrets: str) -> None:
        cause = describe_failure(exc, secrets)
        with self._state_lock:
            first = self._cause is None
            if first:
                self._cause = cause
        if first:
            log.warning("Keychain unusable (while handling account %s): %s", account, cause)

    # Lookup -------------------------------------------------------------------------------

    def _lookup(self, account: str, env_var: str | None) -> tuple[str | None, KeySource]:
        with self._state_lock:
            session_key = self._session.get(account)
        if session_key is not None:
            return session_key, KeySource.SESSION
        stored = self._read_keychain(account)
        if stored:
            return stored, KeySource.KEYCHAIN
        env_key = self._env_key(env_var)
        if env_key:
            return env_key, KeySource.ENVIRONMENT
        return None, KeySource.NONE

    def _read_keychain(self, account: str) -> str | None:
        if not self._check():
            return None
        try:
            value = self._backend.get_password(self.service, account)
        except Exception as exc:
            if not isinstance(exc, keychain_failures()):
                raise
            self._mark_unavailable(exc, account)
            return None
        return value.strip() if value else None

    def _env_key(self, env_var: str | None) -> str | None:
        if not env_var:
            return None
        return self._environ.get(env_var, "").strip() or None

    # Changes ------------------------------------------------------------------------------

    def _save(self, account: str, key: str) -> KeySource:
        """`aset` on the keychain thread (blocking); `key` is cleaned already."""
        if not self._check():
            self.set_for_session(account, key)
            return KeySource.SESSION
        try:
            self._backend.set_password(self.service, account, key)
        except Exception as exc:
            if not isinstance(exc, keychain_failures()):
                raise
            self._mark_unavailable(exc, account, key)
            raise KeychainError(
                f"The key could not be saved in the keychain. {self.unavailable_reason}",
                self.problem,
            ) from exc
        with self._state_lock:
            self._session.pop(account, None)
        log.info("Key for %s saved in the keychain", account)
        return KeySource.KEYCHAIN

    def set_for_session(self, account: str, key: str) -> None:
        """Keep the key in memory until the app quits; it wins over the keychain meanwhile."""
        key = clean_key(key)
        with self._state_lock:
            self._session[account] = key
        log.info("Key for %s kept for this session only", account)

    def _remove(self, account: str) -> None:
        """`adelete` on the keychain thread (blocking)."""
        import keyring.errors

        with self._state_lock:
            self._session.pop(account, None)
        if not self._check():
            return
        try:
            self._backend.delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            return
        except Exception as exc:
            if not isinstance(exc, keychain_failures()):
                raise
            self._mark_unavailable(exc, account)
            problem = describe_failure(exc)
            raise KeychainError(
                f"The key could not be removed from the keychain. {problem}", problem
            ) from exc
        log.info("Key for %s removed from the keychain", account)

    # Async methods: a Secret Service over D-Bus or a macOS prompt can block --------------
    # A key crosses to and from the keychain thread only inside a closure or a _Sealed, so no
    # debug output of a future or a task can show it.

    def _memory_lookup(self, account: str, env_var: str | None) -> tuple[str | None, KeySource]:
        """The lookup without the keychain, for when it does not answer."""
        with self._state_lock:
            session_key = self._session.get(account)
        if session_key is not None:
            return session_key, KeySource.SESSION
        env_key = self._env_key(env_var)
        if env_key:
            return env_key, KeySource.ENVIRONMENT
        return None, KeySource.NONE

    async def _ask(self, blocking: Callable[[], _T], timeout: float | None = None) -> _T:
        return await self._worker.call(blocking, timeout or self._call_timeout)

    def _not_answering_error(self, what: str) -> KeychainError:
        message = f"The key could not be {what}. {self.unavailable_reason}"
        return KeychainError(message, self.problem)

    async def aavailable(self) -> bool:
        """Whether keys can be saved in the keychain; False when it does not answer."""
        try:
            return await self._ask(self._check, self._probe_timeout)
        except NotAnswering:
            return False

    async def _alookup(self, account: str, env_var: str | None) -> tuple[_Sealed, KeySource]:
        if not self._checked:
            await self.aavailable()  # the first question has its own, shorter patience
        try:

            def lookup() -> tuple[_Sealed, KeySource]:
                key, source = self._lookup(account, env_var)
                return _Sealed(key), source

            return await self._ask(lookup)
        except NotAnswering:
            key, source = self._memory_lookup(account, env_var)
            return _Sealed(key), source

    async def aget(self, account: str, env_var: str | None = None) -> str | None:
        """The key to use for this account, or None when there is none anywhere."""
        return (await self._alookup(account, env_var))[0].value

    async def akey_source(self, account: str, env_var: str | None = None) -> KeySource:
        """Where the key in use comes from (Settings names it beside each provider)."""
        return (await self._alookup(account, env_var))[1]

    async def ahas(self, account: str, env_var: str | None = None) -> bool:
        return (await self._alookup(account, env_var))[1] is not KeySource.NONE

    async def aset(self, account: str, key: str) -> KeySource:
        """Save the key in the keychain, or for this session when there is no keychain or
        it is known not to answer. Returns where it went.

        Raises ValueError for an empty key, UnsendableKey (a ValueError) for one that cannot
        be sent, and KeychainError when the keychain fails or stops answering now: the
        caller can then offer `set_for_session`.
        """
        key = clean_key(key)
        if self._worker.silent:
            self.set_for_session(account, key)
            return KeySource.SESSION
        try:
            return await self._ask(lambda: self._save(account, key))
        except NotAnswering:
            raise self._not_answering_error("saved in the keychain") from None

    async def adelete(self, account: str) -> None:
        """Forget the key in the session and in the keychain; a missing key is fine. The
        session key is forgotten even when the keychain does not answer (KeychainError)."""
        with self._state_lock:
            self._session.pop(account, None)
        try:
            await self._ask(lambda: self._remove(account))
        except NotAnswering:
            raise self._not_answering_error("removed from the keychain") from None

    def __repr__(self) -> str:
        """Names the backend, the state and the session accounts; never a key, and never
        probes (a repr must not block)."""
        if self._worker.silent:
            state = "not answering"
        elif not self._checked:
            state = "unknown"
        elif self._cause is None:
            state = "yes"
        else:
            state = "no"
        with self._state_lock:
            accounts = sorted(self._session)
        return (
            f"KeyStore(service={self.service!r}, backend={type(self._chosen).__name__}, "
            f"available={state}, session_accounts={accounts})"
        )
