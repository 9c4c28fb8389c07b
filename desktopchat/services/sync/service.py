"""Sync as the app would run it: the engine in a worker thread (never on the event loop),
one sync at a time, secrets from the keychain through the async KeyStore, the key derived
once per session, and the last result kept for a status line.

The window's Settings → Sync tab and status line are not built yet; this is what they will
call (and what a timer will call every few minutes).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from desktopchat.services.sync.engine import SyncEngine
from desktopchat.services.sync.report import SyncReport
from desktopchat.services.sync.target import (
    PASSPHRASE_ACCOUNT,
    PASSPHRASE_ENV,
    WEBDAV_PASSWORD_ENV,
    SyncTarget,
    remember,
    remembered,
)
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.sync_state import STATE_FILE, SyncState
from desktopchat.sync.crypto import KdfParameters, Keys, derive_keys
from desktopchat.sync.errors import SyncError
from desktopchat.system.keys import KeyStore

_T = TypeVar("_T")


class NeedsSecret(SyncError):
    """No passphrase (or WebDAV password) in the environment or the keychain: ask."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the {what} is needed")
        self.what = what


@dataclass(frozen=True)
class LastSync:
    finished: float
    report: SyncReport | None
    error: str | None = None


class SyncService:
    def __init__(
        self,
        store: ConversationStore,
        keys: KeyStore,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        database = store.writer.database.path
        self._store = store
        self._keys = keys
        self._environ = os.environ if environ is None else environ
        self.state_path = None if database is None else Path(database).with_name(STATE_FILE)
        self._running = asyncio.Lock()
        self._derived: dict[tuple[str, KdfParameters], Keys] = {}
        self.last: LastSync | None = None

    async def target(self) -> SyncTarget | None:
        return await asyncio.to_thread(self._with_state, remembered)

    async def set_target(self, target: SyncTarget) -> None:
        await asyncio.to_thread(self._with_state, lambda state: remember(state, target))

    async def sync_now(self, passphrase: str | None = None) -> SyncReport:
        """Sync with the remembered target; NeedsSecret when a secret must be asked for,
        SyncError (and SyncBusy) for what went wrong, in words."""
        async with self._running:
            target = await self.target()
            if target is None:
                raise SyncError("choose where to sync first")
            passphrase = passphrase or await self._secret(PASSPHRASE_ACCOUNT, PASSPHRASE_ENV)
            if not passphrase:
                raise NeedsSecret("sync passphrase")
            password = None
            if target.needs_password:
                password = await self._secret(target.password_account, WEBDAV_PASSWORD_ENV)
                if not password:
                    raise NeedsSecret("WebDAV password")
            try:
                report = await asyncio.to_thread(self._run, target, passphrase, password)
            except Exception as error:
                self.last = LastSync(time.time(), None, str(error))
                raise
            self.last = LastSync(time.time(), report)
            return report

    async def keep_passphrase(self, passphrase: str) -> None:
        """Keep the passphrase in the keychain (KeychainError when it cannot)."""
        await self._keys.aset(PASSPHRASE_ACCOUNT, passphrase)

    async def _secret(self, account: str, env_var: str) -> str | None:
        from_env = self._environ.get(env_var)
        if from_env:
            return from_env
        return await self._keys.aget(account)

    def _run(self, target: SyncTarget, passphrase: str, password: str | None) -> SyncReport:
        if self.state_path is None:
            raise SyncError("the history is not a file: nothing to sync")
        transport = target.transport(password)
        state = SyncState(self.state_path)
        try:
            return SyncEngine(self._store, state, transport, passphrase, derive=self._derive).run()
        finally:
            state.close()
            transport.close()

    def _derive(self, passphrase: str, parameters: KdfParameters) -> Keys:
        """scrypt once per session and folder (about 0.1–0.3 s of CPU each time)."""
        key = (passphrase, parameters)
        if key not in self._derived:
            self._derived.clear()
            self._derived[key] = derive_keys(passphrase, parameters)
        return self._derived[key]

    def _with_state(self, use: Callable[[SyncState], _T]) -> _T:
        if self.state_path is None:
            raise SyncError("the history is not a file: nothing to sync")
        state = SyncState(self.state_path)
        try:
            return use(state)
        finally:
            state.close()
