"""Sync as the app runs it: the engine in a child process (services/sync/process.py,
never on the event loop nor under the window's GIL), one sync at a time, secrets from the
keychain through the async KeyStore, handed to the child on its stdin, and the last
result kept for the status line and Settings → Sync.

The app builds it only once sync is set up (`is_set_up`, a file beside the history): a
history that never syncs imports none of this (DESIGN.md P1, P6). Where to sync, when
(at start, every few minutes, at quit) and the last successful sync are in the sync state
file, shared with `desktopchat sync`; the passphrase and WebDAV password only in the
keychain.

A sync still waiting on a slow server when the app quits (after QUIT_LIMIT_S) is killed
with its awaiting task: what it applied is journaled, so the next sync goes on from there
(storage/sync_state.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from desktopchat.services.history_changes import EVERYTHING, Announce, nobody
from desktopchat.services.sync.process import SyncFailed, SyncProcess
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
from desktopchat.sync.errors import SyncError
from desktopchat.system.keys import KeyStore

_T = TypeVar("_T")

QUIT_LIMIT_S = 4.0
"""How long quitting waits for the sync at quit; each WebDAV request then also gives up
after this long."""


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


@dataclass(frozen=True)
class SyncOptions:
    """When the app syncs by itself (Settings → Sync)."""

    at_start: bool = True
    every_minutes: int = 5
    """0: not on a timer."""
    at_quit: bool = True


@dataclass(frozen=True)
class SyncSetup:
    """What Settings → Sync shows: where, when, and the last successful sync (its time and
    what it brought), read from the state file in one go."""

    target: SyncTarget | None
    options: SyncOptions
    last_success: LastSync | None


@dataclass
class SyncRun:
    """How one sync reports back while it runs: `files(done, total)` is called from a
    worker thread (the caller hands it to its own thread); `stop()` ends it at the next
    file, keeping what it read."""

    files: Callable[[int, int], None] | None = None
    quitting: bool = False
    stopped: bool = False
    process: SyncProcess | None = field(default=None, repr=False)

    def stop(self) -> None:
        self.stopped = True
        if self.process is not None:
            self.process.stop()

    def attach(self, process: SyncProcess) -> None:
        self.process = process
        if self.stopped:
            process.stop()


async def secret_from(
    keys: KeyStore, environ: Mapping[str, str], account: str, env_var: str
) -> str | None:
    """A sync secret: the environment first, then the keychain (the command line asks the
    terminal after this)."""
    from_env = environ.get(env_var)
    if from_env:
        return from_env
    return await keys.aget(account)


class SyncService:
    def __init__(
        self,
        store: ConversationStore,
        keys: KeyStore,
        *,
        environ: Mapping[str, str] | None = None,
        announce: Announce = nobody,
    ) -> None:
        """`announce`: told when a sync received changes (HistoryService.announce)."""
        database = store.writer.database.path
        self._announce = announce
        self._store = store
        self._keys = keys
        self._environ = os.environ if environ is None else environ
        self.state_path = None if database is None else Path(database).with_name(STATE_FILE)
        self._database = "" if database is None else str(database)
        self._running = asyncio.Lock()
        self.last: LastSync | None = None

    async def target(self) -> SyncTarget | None:
        return await asyncio.to_thread(self._with_state, remembered)

    async def set_target(self, target: SyncTarget, joining: bool | None = None) -> None:
        """Sync there from now on; `joining` (the folder must already hold a sync, or must
        not) holds until the first successful sync."""

        def put(state: SyncState) -> None:
            remember(state, target)
            if joining is None:
                state.drop("joining")
            else:
                state.put("joining", "1" if joining else "0")

        await asyncio.to_thread(self._with_state, put)

    async def stop_syncing(self) -> None:
        """Off: nothing is synced until a place is chosen again (what was synced stays)."""

        def drop(state: SyncState) -> None:
            state.drop("target")
            state.drop("joining")

        await asyncio.to_thread(self._with_state, drop)

    async def setup(self) -> SyncSetup:
        """Where and when to sync; nothing is made on disk while sync is not set up."""
        path = self.state_path
        if path is None or not await asyncio.to_thread(path.exists):
            return SyncSetup(None, SyncOptions(), None)
        return await asyncio.to_thread(self._with_state, _read_setup)

    async def set_options(self, options: SyncOptions) -> None:
        text = json.dumps(asdict(options))
        await asyncio.to_thread(self._with_state, lambda state: state.put("options", text))

    async def has_passphrase(self) -> bool:
        return bool(
            await secret_from(self._keys, self._environ, PASSPHRASE_ACCOUNT, PASSPHRASE_ENV)
        )

    async def keep_password(self, target: SyncTarget, password: str) -> None:
        """Keep the WebDAV password or app token in the keychain (KeychainError when it
        cannot)."""
        await self._keys.aset(target.password_account, password)

    @property
    def busy(self) -> bool:
        return self._running.locked()

    async def sync_now(
        self, passphrase: str | None = None, run: SyncRun | None = None
    ) -> SyncReport:
        """Sync with the remembered target; NeedsSecret when a secret must be asked for,
        SyncError (and SyncBusy) for what went wrong, in words."""
        run = run or SyncRun()
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
                report = await self._run(target, passphrase, password, run)
            except Exception as error:
                self.last = LastSync(time.time(), None, str(error))
                raise
            self.last = LastSync(time.time(), report)
        if report.received_conversations or report.received_messages or report.received_deletions:
            self._announce(EVERYTHING)
        return report

    async def keep_passphrase(self, passphrase: str) -> None:
        """Keep the passphrase in the keychain (KeychainError when it cannot)."""
        await self._keys.aset(PASSPHRASE_ACCOUNT, passphrase)

    async def _secret(self, account: str, env_var: str) -> str | None:
        return await secret_from(self._keys, self._environ, account, env_var)

    async def _run(
        self, target: SyncTarget, passphrase: str, password: str | None, run: SyncRun
    ) -> SyncReport:
        if self.state_path is None:
            raise SyncError("the history is not a file: nothing to sync")
        order = {
            "database": self._database,
            "target": {"kind": target.kind, "location": target.location, "user": target.user},
            "passphrase": passphrase,
            "password": password,
            "timeout": QUIT_LIMIT_S if run.quitting else None,
        }
        process = SyncProcess(order, run.files)
        run.attach(process)
        # What this window queued is in the file first, so this sync sends it (the child
        # reads the file; a lock held by another program makes this wait, not fail).
        await asyncio.to_thread(self._store.wait_written, QUIT_LIMIT_S)
        return await process.run()

    def _with_state(self, use: Callable[[SyncState], _T]) -> _T:
        if self.state_path is None:
            raise SyncError("the history is not a file: nothing to sync")
        state = SyncState(self.state_path)
        try:
            return use(state)
        finally:
            state.close()


def remember_success(state: SyncState, report: SyncReport) -> None:
    """After a successful sync (the app's or the command's): what Settings → Sync and the
    status line show; the join/start check has done its work."""
    state.drop("joining")
    state.put("last_success", json.dumps({"finished": time.time(), **asdict(report)}))


def _read_setup(state: SyncState) -> SyncSetup:
    options = SyncOptions()
    try:
        stored = json.loads(state.get("options") or "{}")
        options = replace(
            options,
            at_start=bool(stored.get("at_start", options.at_start)),
            every_minutes=max(0, int(stored.get("every_minutes", options.every_minutes))),
            at_quit=bool(stored.get("at_quit", options.at_quit)),
        )
    except (ValueError, TypeError, AttributeError):
        pass  # a damaged value: the defaults
    last = None
    try:
        stored = json.loads(state.get("last_success") or "null")
        if isinstance(stored, dict):
            finished = float(stored.pop("finished"))
            last = LastSync(finished, SyncReport(**stored))
    except (ValueError, TypeError, KeyError):
        pass
    return SyncSetup(remembered(state), options, last)


def problem_kind(error: BaseException) -> str:
    """What kind of failure a sync ended in, for the window to say it in the person's
    language (the error's own sentence, in English, goes with it as the detail)."""
    from desktopchat.storage.sync_state import SyncBusy
    from desktopchat.sync.errors import Refused, Stopped, TransportError, WrongPassphrase
    from desktopchat.system.keychain_problems import KeychainError

    if isinstance(error, SyncFailed):
        return error.kind
    if isinstance(error, NeedsSecret):
        return "needs_passphrase" if "passphrase" in error.what else "needs_password"
    if isinstance(error, TransportError):
        return error.kind.value
    kinds: tuple[tuple[type[BaseException], str], ...] = (
        (WrongPassphrase, "passphrase"),
        (Stopped, "stopped"),
        (SyncBusy, "busy"),
        (Refused, "refused"),
        (KeychainError, "keychain"),
        (ValueError, "address"),
        (SyncError, "sync"),
    )
    return next((kind for cls, kind in kinds if isinstance(error, cls)), "other")
