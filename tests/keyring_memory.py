"""Keyring backends for unit tests: one that keeps passwords in a dict, and one that fails
like a locked or vanished Secret Service. Neither touches the person's real keychain."""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict. Set `error` to make every later call raise it, as a keychain
    that gets locked or whose daemon dies mid-session does."""

    @properties.classproperty
    def priority(cls) -> float:
        # Below keyring's own null backend (-1): keyring.get_keyring() never picks this class
        # just because importing it registered it.
        return -10

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.error: Exception | None = None
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.error is not None:
            raise self.error

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


class FailingKeyring(MemoryKeyring):
    """A keychain that raises on every call: locked by default, or any KeyringError."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.error = error or keyring.errors.KeyringLocked("Failed to unlock the collection!")
