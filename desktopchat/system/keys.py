"""API keys: the OS keychain first, a key kept for this session only when there is none,
and the provider's environment variable last.

A key never touches a file or a log here: the keychain holds it, or memory does. A keychain
can be missing (a headless Linux box), switched off, locked, or vanish mid-session (the
Secret Service daemon dies): none of that may crash a caller. Reads then fall back quietly and
the store remembers why, in words, for Settings; writes raise KeychainError so the UI can offer
"keep for this session only".

`keyring` costs 50–100 ms to import and `keyring.get_keyring()` another 50–180 ms here, so
this module imports it only inside functions: the app builds its KeyStore in a worker thread
at startup, and the first keychain call (a probe) happens off the event-loop thread too.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

from desktopchat.domain.errors import redact

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

DEFAULT_SERVICE = "desktopchat"
PROBE_ACCOUNT = "desktopchat-availability-probe"
"""An account that is never written: reading it tells whether the keychain answers."""

SESSION_ONLY = "Keys can be kept for this session only."
_NO_SERVICE = (
    "No keychain service was found (no Secret Service such as GNOME Keyring or KWallet is "
    "running, and there is no macOS or Windows keychain)."
)
_SWITCHED_OFF = "The keychain is switched off (the keyring library is set to its null backend)."
_LOCKED = "The keychain is locked and was not unlocked."
_DETAIL_LIMIT = 200


class KeySource(StrEnum):
    """Where the key in use comes from, for Settings to show next to each provider."""

    KEYCHAIN = "keychain"
    SESSION = "session"
    ENVIRONMENT = "environment"
    NONE = "none"


class KeychainError(Exception):
    """The keychain could not save or remove a key; the message says why, in words."""


def _keychain_failures() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the keychain cannot be used right now", as opposed to bugs.

    The D-Bus libraries are only looked up if a backend already imported them: when they are
    not loaded, nothing can raise their exceptions.
    """
    import keyring.errors

    failures: list[type[BaseException]] = [keyring.errors.KeyringError, OSError, EOFError]
    secretstorage_errors = sys.modules.get("secretstorage.exceptions")
    if secretstorage_errors is not None:
        failures.append(secretstorage_errors.SecretStorageException)
    jeepney_wrappers = sys.modules.get("jeepney.wrappers")
    if jeepney_wrappers is not None:
        failures.append(jeepney_wrappers.DBusErrorResponse)
    dbus_module = sys.modules.get("dbus")
    if dbus_module is not None and hasattr(dbus_module, "DBusException"):
        failures.append(dbus_module.DBusException)
    return tuple(failures)


def _is_locked_error(exc: BaseException) -> bool:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return True
    secretstorage_errors = sys.modules.get("secretstorage.exceptions")
    return secretstorage_errors is not None and isinstance(
        exc, (secretstorage_errors.LockedException, secretstorage_errors.PromptDismissedException)
    )


def _describe_failure(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """Why the keychain failed, in one sentence a person can read; `secrets` are hidden
    should a backend ever echo them."""
    if _is_locked_error(exc):
        return _LOCKED
    detail = redact(str(exc), secrets).strip() or "no details"
    if len(detail) > _DETAIL_LIMIT:
        detail = detail[: _DETAIL_LIMIT - 1] + "…"
    return f"The keychain could not be used ({type(exc).__name__}: {detail})."


def _backend_cause(backend: KeyringBackend) -> str | None:
    """Why this backend can never store a key, or None if it might."""
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return _NO_SERVICE
    if isinstance(backend, null.Keyring):
        return _SWITCHED_OFF
    return None


def _clean_key(key: str) -> str:
    cleaned = key.strip()
    if not cleaned:
        raise ValueError("An API key cannot be empty.")
    return cleaned


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
    environment variable. Thread-safe, so the async wrappers can run calls in worker threads.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        environ: Mapping[str, str] | None = None,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self.service = service
        self._session: dict[str, str] = {}
        self._state_lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._resolve_lock = threading.Lock()
        self._chosen: KeyringBackend | None = None
        self._cause: str | None = None
        self._checked = False
        if backend is not None:
            self._adopt(backend)

    def _adopt(self, backend: KeyringBackend) -> None:
        self._cause = _backend_cause(backend)
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
        """Whether keys can be saved in the keychain now. The first call probes the backend
        (it may block on D-Bus or an unlock prompt): call it off the event-loop thread."""
        self._check_once()
        return self._cause is None

    @property
    def unavailable_reason(self) -> str:
        """Why keys cannot be saved, in words for Settings; empty while the keychain works."""
        self._check_once()
        return "" if self._cause is None else f"{self._cause} {SESSION_ONLY}"

    def _check_once(self) -> None:
        backend = self._backend
        with self._probe_lock:
            if self._checked:
                return
            try:
                backend.get_password(self.service, PROBE_ACCOUNT)
            except Exception as exc:
                if not isinstance(exc, _keychain_failures()):
                    raise
                self._mark_unavailable(exc, PROBE_ACCOUNT)
            self._checked = True

    def _mark_unavailable(self, exc: BaseException, account: str, *secrets: str) -> None:
        cause = _describe_failure(exc, secrets)
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
        if not self.available:
            return None
        try:
            value = self._backend.get_password(self.service, account)
        except Exception as exc:
            if not isinstance(exc, _keychain_failures()):
                raise
            self._mark_unavailable(exc, account)
            return None
        return value.strip() if value else None

    def _env_key(self, env_var: str | None) -> str | None:
        if not env_var:
            return None
        return self._environ.get(env_var, "").strip() or None

    def get(self, account: str, env_var: str | None = None) -> str | None:
        """The key to use for this account, or None when there is none anywhere."""
        return self._lookup(account, env_var)[0]

    def key_source(self, account: str, env_var: str | None = None) -> KeySource:
        return self._lookup(account, env_var)[1]

    def has(self, account: str, env_var: str | None = None) -> bool:
        return self._lookup(account, env_var)[1] is not KeySource.NONE

    # Changes ------------------------------------------------------------------------------

    def set(self, account: str, key: str) -> KeySource:
        """Save the key in the keychain, or for this session when there is no keychain.

        Returns where it went. Raises ValueError for an empty key and KeychainError when the
        keychain fails now: the caller can then offer `set_for_session`.
        """
        key = _clean_key(key)
        if not self.available:
            self.set_for_session(account, key)
            return KeySource.SESSION
        try:
            self._backend.set_password(self.service, account, key)
        except Exception as exc:
            if not isinstance(exc, _keychain_failures()):
                raise
            self._mark_unavailable(exc, account, key)
            raise KeychainError(
                f"The key could not be saved in the keychain. {self.unavailable_reason}"
            ) from exc
        with self._state_lock:
            self._session.pop(account, None)
        log.info("Key for %s saved in the keychain", account)
        return KeySource.KEYCHAIN

    def set_for_session(self, account: str, key: str) -> None:
        """Keep the key in memory until the app quits; it wins over the keychain meanwhile."""
        key = _clean_key(key)
        with self._state_lock:
            self._session[account] = key
        log.info("Key for %s kept for this session only", account)

    def delete(self, account: str) -> None:
        """Forget the key in the session and in the keychain; a missing key is fine."""
        import keyring.errors

        with self._state_lock:
            self._session.pop(account, None)
        if not self.available:
            return
        try:
            self._backend.delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            return
        except Exception as exc:
            if not isinstance(exc, _keychain_failures()):
                raise
            self._mark_unavailable(exc, account)
            raise KeychainError(
                f"The key could not be removed from the keychain. {_describe_failure(exc)}"
            ) from exc
        log.info("Key for %s removed from the keychain", account)

    def import_from_environment(self, account: str, env_var: str) -> bool:
        """Copy the key from the environment variable into the keychain, on the person's
        request. False when the variable holds no key; KeychainError when the keychain
        cannot take it (a session copy would add nothing: the variable is already read)."""
        env_key = self._env_key(env_var)
        if env_key is None:
            return False
        if not self.available:
            raise KeychainError(self.unavailable_reason)
        self.set(account, env_key)
        return True

    # Async wrappers: a Secret Service over D-Bus or a macOS prompt can block ---------------
    # A key crosses to and from the worker thread only inside a closure or a _Sealed:
    # executors log the arguments and results of what they run (qasync's does, at DEBUG, so
    # with --debug), and a key must not reach a log.

    async def aavailable(self) -> bool:
        return await asyncio.to_thread(lambda: self.available)

    async def aget(self, account: str, env_var: str | None = None) -> str | None:
        sealed = await asyncio.to_thread(lambda: _Sealed(self.get(account, env_var)))
        return sealed.value

    async def akey_source(self, account: str, env_var: str | None = None) -> KeySource:
        return await asyncio.to_thread(self.key_source, account, env_var)

    async def ahas(self, account: str, env_var: str | None = None) -> bool:
        return await asyncio.to_thread(self.has, account, env_var)

    async def aset(self, account: str, key: str) -> KeySource:
        return await asyncio.to_thread(lambda: self.set(account, key))

    async def adelete(self, account: str) -> None:
        await asyncio.to_thread(self.delete, account)

    async def aimport_from_environment(self, account: str, env_var: str) -> bool:
        return await asyncio.to_thread(self.import_from_environment, account, env_var)

    def __repr__(self) -> str:
        """Names the backend, the state and the session accounts; never a key, and never
        probes (a repr must not block)."""
        if not self._checked:
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
