"""The window's side of sync: when it runs (after the window shows, every few minutes, at
quit, on Sync now) and what the status line and the notice bar say. What came in reaches
the sidebar and the open conversation as the history's changes (history_events.py).

Nothing of sync is imported or built until a sync state file is found beside the history
(looked for in a thread after the window shows) or the person sets sync up in Settings: a
history that never syncs costs nothing (DESIGN.md P1, P6). The engine runs in a child
process (services/sync/process.py), so its work never holds the window's GIL (P9); the loop
only receives its file counts, throttled.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QStatusBar

from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.sync_words import problem_words, synced_words

if TYPE_CHECKING:
    from desktopchat.services.sync.report import SyncReport
    from desktopchat.services.sync.service import LastSync, SyncRun, SyncService, SyncSetup

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.1
"""The worker hands its file count to the window at most this often."""
REFRESH_STATUS_MS = 60_000
""""Synced 2 min ago" is rewritten once a minute."""


class SyncLink(QObject):
    started = Signal()
    files_read = Signal(int, int)  # done, total
    finished = Signal()
    """A sync ended (well or not): `last` and `problem` say how."""
    setup_changed = Signal(object)  # SyncSetup

    def __init__(
        self,
        service: Callable[[], SyncService] | None,
        set_up: Callable[[], bool],
        tasks: Tasks,
        notices: NoticeBar,
        status_bar: QStatusBar,
        *,
        is_closed: Callable[[], bool],
        open_settings: Callable[[], None],
        parent: QObject,
    ) -> None:
        """`open_settings` opens Settings → Sync; what a sync brings in is shown through
        the history's changes (history_events.py)."""
        super().__init__(parent)
        self._tasks, self._notices, self._status_bar = tasks, notices, status_bar
        self._is_closed, self._open_settings = is_closed, open_settings
        self._factory = service
        self._set_up = set_up
        self._service: SyncService | None = None
        self._run: SyncRun | None = None
        self._running: asyncio.Task[None] | None = None
        self.setup: SyncSetup | None = None
        self.last: LastSync | None = None
        """The last successful sync."""
        self.problem = ""
        """The last failure, in words ("" once a sync succeeds)."""
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.hide()
        self._every = QTimer(self)
        self._every.timeout.connect(self.on_every_timeout)
        self._clock = QTimer(self, interval=REFRESH_STATUS_MS)
        self._clock.timeout.connect(self._show_last)

    @property
    def available(self) -> bool:
        return self._factory is not None

    @property
    def running(self) -> bool:
        return self._running is not None

    def service(self) -> SyncService:
        """Built on first use (Settings → Sync, or a state file found at start)."""
        if self._service is None:
            assert self._factory is not None
            self._service = self._factory()
        return self._service

    async def begin(self) -> None:
        """After the window shows: nothing at all unless sync was set up; then the last
        sync on the status line, a sync if "at start" is on, and the timer."""
        if self._factory is None or not await asyncio.to_thread(self._set_up):
            return
        await self.reload()
        setup = self.setup
        if setup is not None and setup.target is not None and setup.options.at_start:
            self.sync_now()

    async def reload(self) -> None:
        """Read where and when to sync (after Settings changed them): the timer follows."""
        setup = await self.service().setup()
        self.setup = setup
        self.last = setup.last_success if self.last is None else self.last
        minutes = setup.options.every_minutes
        if setup.target is not None and minutes > 0:
            self._every.start(minutes * 60_000)
        else:
            self._every.stop()
        self._show_last()
        self.setup_changed.emit(setup)

    @Slot()
    def on_every_timeout(self) -> None:
        self.sync_now()

    def sync_now(self, passphrase: str | None = None) -> None:
        """Start a sync unless one is running (it is then not started twice). A
        `passphrase` typed in Settings is kept in the keychain once it opened the sync
        folder: a wrong one changes nothing."""
        if self._factory is None or self._running is not None:
            return
        from desktopchat.services.sync.service import SyncRun

        self._run = SyncRun(self._files_callback())
        self._running = self._tasks.spawn(self._sync(passphrase, self._run))
        self.started.emit()

    def stop(self) -> None:
        """Stop the running sync at its next file; what it read is kept."""
        if self._run is not None:
            self._run.stop()

    async def at_quit(self, limit: float) -> None:
        """Quitting: a running sync is stopped; else one last sync if "at quit" is on.
        Either is waited for up to `limit` seconds, then its process is killed (its work
        is journaled, so the next sync goes on from there)."""
        task = self._running
        if task is not None:
            self.stop()
        else:
            setup = self.setup
            if setup is None or setup.target is None or not setup.options.at_quit:
                return
            from desktopchat.services.sync.service import SyncRun

            task = asyncio.ensure_future(self._sync(None, SyncRun(quitting=True)))
        done, _ = await asyncio.wait({task}, timeout=limit)
        if not done:
            log.info("the sync was still running after %.0f s at quit: ended", limit)
            task.cancel()  # kills the process
            await asyncio.wait({task})

    async def _sync(self, passphrase: str | None, run: SyncRun) -> None:
        from desktopchat.services.sync.service import problem_kind

        service = self.service()
        quitting = run.quitting
        try:
            report = await service.sync_now(passphrase, run)
            if passphrase:
                await service.keep_passphrase(passphrase)
        except Exception as error:  # every failure becomes a notice, never a crash
            kind = problem_kind(error)
            if kind in ("other", "sync"):
                log.warning("sync failed", exc_info=error)
            self._failed(kind, str(error), quitting)
        else:
            self._succeeded(service, report, quitting)
        finally:
            if not quitting:
                self._running = None
                self._run = None
                self.finished.emit()

    def _files_callback(self) -> Callable[[int, int], None]:
        """Called in the worker thread: the count is handed to the loop, not too often."""
        loop = asyncio.get_running_loop()
        last = [0.0]

        def files(done: int, total: int) -> None:
            now = time.monotonic()
            if done in (0, total) or now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                loop.call_soon_threadsafe(self.files_read.emit, done, total)

        return files

    def _failed(self, kind: str, detail: str, quitting: bool) -> None:
        self.problem = problem_words(kind, detail)
        if quitting or self._is_closed():
            log.warning("sync failed: %s", detail)
            return
        if kind == "stopped":
            self._status_bar.showMessage(self.problem)
            return
        self._notices.show_error(
            self.problem,
            topic="sync",
            action=(self.tr("Sync settings"), self._open_settings),
        )

    def _succeeded(self, service: SyncService, report: SyncReport, quitting: bool) -> None:
        self.problem = ""
        self.last = service.last
        if quitting or self._is_closed():
            return
        self._notices.withdraw("sync")
        self._show_last()
        if report.notes:
            self._notices.show_notice(
                self.tr("Sync: %1").replace("%1", " ".join(report.notes)),
                (self.tr("Sync settings"), self._open_settings),
            )

    @Slot()
    def _show_last(self) -> None:
        last = self.last
        if last is None:
            self.label.hide()
            self._clock.stop()
            return
        self.label.setText(synced_words(last.finished, last.report))
        self.label.show()
        self._clock.start()
