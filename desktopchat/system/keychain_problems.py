"""Why the keychain cannot keep keys: the kinds of trouble, their English words (marked for
translation), the problem a store reports and the error a save or removal raises, and which
of a backend's exceptions mean trouble rather than a bug.

Apart from the KeyStore (system/keys.py) because the UI words these (ui/support/translation.py)
without needing the store, and telling trouble from a bug means knowing each backend's
exceptions, which the store does not otherwise care about.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from desktopchat.domain.errors import QT_TRANSLATE_NOOP, redact

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SESSION_ONLY = QT_TRANSLATE_NOOP("Keychain", "Keys can be kept for this session only.")
_DETAIL_LIMIT = 200


class KeychainTrouble(StrEnum):
    """Why keys cannot be saved in a keychain."""

    NO_SERVICE = "no_service"
    SWITCHED_OFF = "switched_off"
    LOCKED = "locked"
    FAILED = "failed"
    NOT_ANSWERING = "not_answering"


TROUBLE_WORDS: dict[KeychainTrouble, str] = {
    KeychainTrouble.NO_SERVICE: QT_TRANSLATE_NOOP(
        "Keychain",
        "No keychain service was found (no Secret Service such as GNOME Keyring or KWallet "
        "is running, and there is no macOS or Windows keychain).",
    ),
    KeychainTrouble.SWITCHED_OFF: QT_TRANSLATE_NOOP(
        "Keychain",
        "The keychain is switched off (the keyring library is set to its null backend).",
    ),
    KeychainTrouble.LOCKED: QT_TRANSLATE_NOOP(
        "Keychain", "The keychain is locked and was not unlocked."
    ),
    KeychainTrouble.FAILED: QT_TRANSLATE_NOOP("Keychain", "The keychain could not be used"),
    KeychainTrouble.NOT_ANSWERING: QT_TRANSLATE_NOOP(
        "Keychain",
        "The keychain is not answering (its service may be stuck, or waiting for an unlock "
        "prompt).",
    ),
}
"""The English words of each trouble, marked for the translation tools: the UI words them in
the person's language (ui/support/translation.py), logs and ChatError details in English."""


@dataclass(frozen=True)
class KeychainProblem:
    """Why keys cannot be saved: a kind to word, and for FAILED the backend's own words (the
    exception's name and message, keys hidden)."""

    trouble: KeychainTrouble
    detail: str = ""

    def __str__(self) -> str:
        """In English: "<sentence>", or "<phrase>: <the backend's words>." for FAILED."""
        words = TROUBLE_WORDS[self.trouble]
        return f"{words}: {self.detail}." if self.detail else words


class KeychainError(Exception):
    """The keychain could not save or remove a key; the message says why, in English, and
    `problem` is why, for the UI to word."""

    def __init__(self, message: str, problem: KeychainProblem | None) -> None:
        super().__init__(message)
        self.problem = problem


def keychain_failures() -> tuple[type[BaseException], ...]:
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


def describe_failure(exc: BaseException, secrets: tuple[str, ...] = ()) -> KeychainProblem:
    """Why the keychain failed; `secrets` are hidden should a backend ever echo them."""
    if _is_locked_error(exc):
        return KeychainProblem(KeychainTrouble.LOCKED)
    detail = redact(str(exc), secrets).strip()
    if len(detail) > _DETAIL_LIMIT:
        detail = detail[: _DETAIL_LIMIT - 1] + "…"
    named = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return KeychainProblem(KeychainTrouble.FAILED, named)


def backend_cause(backend: KeyringBackend) -> KeychainProblem | None:
    """Why this backend can never store a key, or None if it might."""
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return KeychainProblem(KeychainTrouble.NO_SERVICE)
    if isinstance(backend, null.Keyring):
        return KeychainProblem(KeychainTrouble.SWITCHED_OFF)
    return None
