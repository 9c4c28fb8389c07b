"""Keyring backends for tests: one that keeps passwords in a dict, one that fails like a
locked or vanished Secret Service, and ones that are slow or never answer, as a stuck D-Bus
service. None touches the person's real keychain."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties

T = TypeVar("T")


def run_keys(call: Coroutine[Any, Any, T]) -> T:
    """Await a KeyStore coroutine from a test's synchronous code, as the app awaits it (the
    call goes through the keychain thread with its timeout). It runs on a loop of its own in
    a thread of its own, so it works whether or not the test's event loop is running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, call).result()


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


class StallingKeyring(MemoryKeyring):
    """A keychain that takes `delay` seconds over every call, or, with no delay, never
    answers until `release` is set: a Secret Service stuck on D-Bus, which keyring waits
    for with no timeout. Counts the calls in flight at once, to show none pile up."""

    delay: float | None = None

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    def _check(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self.release.wait(self.delay)
        finally:
            with self._lock:
                self.in_flight -= 1
        super()._check()


class HungKeyring(StallingKeyring):
    """Never answers (PYTHON_KEYRING_BACKEND=tests.keyring_memory.HungKeyring for a real
    process)."""


class SlowKeyring(StallingKeyring):
    """Answers every call after a second, as a slow Secret Service."""

    delay = 1.0
