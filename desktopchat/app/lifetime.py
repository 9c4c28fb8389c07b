"""The app's life on the loop: build the services, show the window, start what comes after
it (the list, MCP servers, backups, sync, prices), and tear everything down in order when
the window closes or the process is asked to end.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktopchat.app.assembly import build_services
from desktopchat.system.paths import AppPaths, FolderProblem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktopchat.system.settings import Preferences, SettingsStore
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.window_services import Services

log = logging.getLogger("desktopchat")

SYNC_AT_QUIT_S = 4.0
"""How long quitting waits for the sync at quit (its requests time out as soon)."""
QUIT_SAVE_LIMIT_S = 10.0
"""How long quitting waits for writes another program's lock holds back."""
TASKS_DRAIN_LIMIT_S = 5.0
"""How long quitting waits for the window's tasks to end once cancelled (a draft being
queued, a key being saved); a read still running after that finds the history closed."""


async def shut_down(services: Services) -> None:
    """Stop the running reply (it is saved as interrupted), end the window's tasks (its
    dialogs' too: reads are cancelled, a draft being queued is finished), stop the MCP
    servers, close SDK clients,
    then write what is still queued and close the history: no task reads it after that.

    Writes held back by another program's lock are waited for, with a visible "Saving…",
    for up to QUIT_SAVE_LIMIT_S; what is still not written then is logged and said.
    """
    await services.controller.wait_stopped()
    await services.tasks.aclose(TASKS_DRAIN_LIMIT_S)
    await services.prompts.aclose()  # the last edit of a prompt, on disk
    tools = services.tools.made if services.tools is not None else None
    if tools is not None:
        # Tool calls belong to the turns and the window's tasks, ended above; then every
        # server and its children stop.
        await tools.aclose()
    await services.registry.aclose()
    from desktopchat.ui.window.quit_notices import saving_notice, say_unsaved

    saving = saving_notice(services.history.writes_pending())
    try:
        unsaved = await services.history.close(QUIT_SAVE_LIMIT_S)
    finally:
        if saving is not None:
            saving.close()
    if unsaved:
        log.error("quit before these could be saved (the history stayed locked): %s", unsaved)
        await say_unsaved(unsaved)


async def run(
    paths: AppPaths,
    settings: SettingsStore,
    prefs: Preferences,
    started: float,
    folder_problems: Sequence[FolderProblem] = (),
) -> None:
    """Build the services, show the window, and tear everything down in order when it closes.

    Folders that cannot be written do not stop it: the window says why and what is not kept
    (a history that then runs in memory is part of that, so it is not said twice).
    """
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.start_notice import start_notice
    from desktopchat.ui.window.startup import after_window_shown

    services, problem = build_services(paths, settings, prefs)
    window = MainWindow(services)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    _close_on_termination(window, closed)
    window.show()
    unusable = {p.folder for p in folder_problems}
    if paths.data in unusable and problem is not None and problem.moved_to is None:
        problem = None
    notice = start_notice(paths, folder_problems, settings.problem)
    if notice:
        log.warning("start-up notice: %s", notice)
    await _on_screen(window)
    shown_ms = (time.monotonic() - started) * 1000
    log.info("main window shown %.0f ms after start (on screen)", shown_ms)
    # The list, the drafts and the conversation that was open come in the first idle
    # moments, read off the loop; what the person begins meanwhile is kept (main_window).
    window.tasks.spawn(_list_conversations(window))
    after_window_shown(window, problem, notice)
    # MCP servers start after the window (P11), off the loop; with no mcp.json nothing
    # of the tool service is even made.
    tools = asyncio.ensure_future(_begin_tools(services, paths))
    backups = services.backups()
    backups.start()  # a worker thread: a copy whenever one is due
    # Sync: a stat in a thread, and nothing more unless sync is set up.
    window.tasks.spawn(window.sync_link.begin())
    # Prices and model facts: two small files read in worker threads, after the window.
    prices = asyncio.gather(services.registry.load_catalog(), services.pricing.load())
    # Everything built so far lives as long as the app: keep it out of the collector's
    # scans, so a full collection never lands in the middle of a streaming repaint.
    gc.freeze()
    gc.enable()
    await _closed_or_hidden(window, closed)
    # The sync at quit (when on) waits SYNC_AT_QUIT_S at most, then its process is killed
    # (crash-safe: the next sync goes on): a slow server never holds the quit longer.
    await window.sync_link.at_quit(SYNC_AT_QUIT_S)
    await asyncio.to_thread(backups.stop)
    await asyncio.gather(tools, return_exceptions=True)
    # Whatever the price files hold, quitting goes on to save what is queued.
    for failure in await asyncio.gather(prices, return_exceptions=True):
        if isinstance(failure, BaseException):
            log.error("prices and model facts could not be read: %r", failure)
    await shut_down(services)


LISTED = "conversations listed"
"""Logged once the first page of the list and the person's place are read after the window
shows: what a keyboard-driven test waits for before it opens a conversation."""


async def _list_conversations(window: MainWindow) -> None:
    await window.load_conversations()
    log.info(LISTED)


async def _begin_tools(services: Services, paths: AppPaths) -> None:
    """Start the MCP servers of mcp.json, if there is one (a look in a worker thread)."""
    from desktopchat.system.mcp_config import MCP_FILE

    lazy = services.tools
    if lazy is None:
        return
    if lazy.made is None and not await asyncio.to_thread((paths.config / MCP_FILE).exists):
        return
    lazy().begin()


ON_SCREEN_LIMIT_S = 2.0
"""How long start-up waits for the window to be on screen before going on regardless (a
window manager that starts it minimised never exposes it)."""
ON_SCREEN_POLL_S = 0.005


async def _on_screen(window: QWidget) -> None:
    """Let the loop run (and Qt send the window to the display) until the window is exposed:
    what start-up does next (the history's list, backups, MCP servers, prices) never holds
    back its first paint (DESIGN.md P1). A look every few milliseconds, not an event
    filter: nothing here can raise inside a Qt override."""
    handle = window.windowHandle()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ON_SCREEN_LIMIT_S
    while handle is not None and not handle.isExposed() and loop.time() < deadline:
        await asyncio.sleep(ON_SCREEN_POLL_S)


async def _closed_or_hidden(window: QWidget, closed: asyncio.Event) -> None:
    """Wait for the window to close; quitting never depends on its own close steps.

    If one of them fails (a bug while saving the layout), Qt hides the window all the same
    but `closed` is never emitted; any handler Qt calls meanwhile runs with PySide's error
    still pending, so no signal can be relied on to say so. A look once a second catches it,
    and the app ends instead of running on unseen.
    """
    while not closed.is_set() and window.isVisible():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closed.wait(), HIDDEN_WINDOW_CHECK_SECONDS)


HIDDEN_WINDOW_CHECK_SECONDS = 1.0


def _close_on_termination(window: QWidget, closed: asyncio.Event) -> None:
    """SIGTERM and SIGINT (a logout, `kill`, Ctrl+C in a terminal) close the window as the
    Quit command does, so the reply in progress and the layout are saved and the exit code
    is 0. Windows has no such signals for a GUI process; nothing to do there.

    The app ends even if closing the window failed half-way (a bug while saving the layout
    goes to the excepthook): a termination request is never ignored.
    """
    loop = asyncio.get_running_loop()

    def terminate() -> None:
        try:
            window.close()
        finally:
            closed.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, terminate)
