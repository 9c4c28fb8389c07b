"""Composition root: the QApplication, the qasync loop, the services, and the shutdown order.

Start-up is on a budget (DESIGN.md P1): nothing here imports a provider SDK; the SDK of the
selected provider is warmed up in a worker thread from the first key the person presses
(ui/window/startup.py), so an idle window stays small (P6).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import AsyncGenerator, Sequence
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any, cast

from desktopchat import __version__
from desktopchat.system.paths import AppPaths, FolderProblem, app_paths

if TYPE_CHECKING:
    from concurrent.futures import Future
    from io import TextIOWrapper
    from pathlib import Path
    from types import TracebackType

    from PySide6.QtWidgets import QWidget

    from desktopchat.services.backups import BackupService
    from desktopchat.services.history import HistoryService, StorageProblem
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.sync.service import SyncService
    from desktopchat.services.tools import ToolService
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore
    from desktopchat.system.settings import Preferences, SettingsStore
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.window_services import Services

log = logging.getLogger("desktopchat")


class PrivateLogFile(RotatingFileHandler):
    """A rotating log whose files are owner-only (0600) whatever the umask: a log says which
    services and models a person uses. An older log left readable by others is tightened."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):
                os.fchmod(fd, 0o600)
        # A text mode (the handler's "a"), so the stream is text, as FileHandler's own.
        return cast(
            "TextIOWrapper", open(fd, self.mode, encoding=self.encoding, errors=self.errors)
        )


class QueuedLog(QueueHandler):
    """The root logger's one handler: it only puts the record on a queue, and a listener
    thread writes it to `target` (the file, rotated there too), so a log line never waits on
    the disk on the Qt thread (DESIGN.md §1). The message is formatted here, in the caller's
    thread, as QueueHandler does, so no argument object crosses threads. close() (quitting,
    or logging.shutdown at exit) writes what is queued, then stops the thread and closes the
    file."""

    def __init__(self, target: logging.Handler) -> None:
        queue: SimpleQueue[logging.LogRecord] = SimpleQueue()
        super().__init__(queue)
        self.target = target
        self.listener = QueueListener(queue, target)
        self.listener.start()
        self._listening = True

    def close(self) -> None:
        if self._listening:
            self._listening = False
            self.listener.stop()  # enqueues a sentinel, waits for what is before it
            self.target.close()
        super().close()


def setup_logging(paths: AppPaths, debug: bool) -> bool:
    """A rotating log file in the logs folder, written by a thread of its own (QueuedLog);
    keys never reach it (they are never logged). False when the file cannot be opened (a
    read-only folder): the log then goes to stderr, and the app runs on.

    --debug turns on our own loggers only: the SDKs and their HTTP transports log request
    and response headers verbatim at DEBUG, and a service may echo a key in one.
    """
    try:
        handler: logging.Handler = PrivateLogFile(
            paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        to_file = True
    except OSError as error:
        handler = logging.StreamHandler(sys.stderr)
        to_file = False
        failure = error
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    queued = QueuedLog(handler)
    # Even if a library turns its own logger to DEBUG (OPENAI_LOG=debug does), only its
    # warnings reach the file (filtered before the queue: they are not even formatted).
    queued.addFilter(
        lambda record: record.name.startswith("desktopchat") or record.levelno >= logging.WARNING
    )
    root = logging.getLogger()
    root.addHandler(queued)
    root.setLevel(logging.WARNING)
    logging.getLogger("desktopchat").setLevel(logging.DEBUG if debug else logging.INFO)
    if not to_file:
        log.warning("cannot write the log file %s (%s); logging to stderr", paths.log_file, failure)
    return to_file


def stop_logging() -> None:
    """Write what the log queue holds and stop its thread (the end of main): nothing logged
    before this is lost, and no thread outlives the app."""
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if isinstance(handler, QueuedLog):
            root.removeHandler(handler)
            handler.close()


def main(debug: bool = False) -> int:
    """Open the window. The command line is read by cli.main, which calls this."""
    started = time.monotonic()
    # Start-up allocates a lot and frees little (a few hundred cyclic objects): without this
    # the collector runs ~70 times before the window shows, ~4 % of the start (DESIGN.md P1).
    # run() turns it back on once the window is shown.
    gc.disable()
    paths = app_paths()
    folder_problems = paths.ensure()
    setup_logging(paths, debug)
    for problem in folder_problems:
        log.warning("cannot write to %s (%s)", problem.folder, problem.reason)
    install_excepthook()
    skip_pyside_source_scan()

    import qasync
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktopchat.system.settings import SettingsStore
    from desktopchat.ui.support.theme import app_icon, apply_theme
    from desktopchat.ui.support.translation import install_translators, ui_language

    QGuiApplication.setDesktopFileName("desktopchat")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("DesktopChat")
    app.setOrganizationName("DesktopChat")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    settings = SettingsStore(paths.settings_file)
    prefs = settings.load()
    translators = install_translators(app, ui_language(prefs.language))
    apply_theme(app, prefs.theme)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    finalize_async_generators_on(loop)
    with loop:
        loop.run_until_complete(run(paths, settings, prefs, started, folder_problems))
    del translators
    stop_logging()
    return 0


def skip_pyside_source_scan() -> None:
    """Stop PySide6 reading the source file of every module imported after it.

    To know whether a module may switch Qt's `__feature__` options (snake_case,
    true_property), PySide6 reads each newly imported module's whole source and looks for
    the word "PySide6" (shibokensupport/feature.py, PYSIDE-2029): ~260 files before the
    window shows, about a tenth of the start (DESIGN.md P1). DesktopChat never selects a
    feature, so every module's answer is "no feature", which is also what a module never
    looked at gets; it is given at once here. Left alone when PySide6 has no such hook.
    """
    import PySide6  # noqa: F401  (loads shiboken's support modules, the hook's among them)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _selects_no_feature  # type: ignore[attr-defined]


def _selects_no_feature(_module: object) -> bool:
    return True  # "uses PySide, no feature selected": switching default 0


def finalize_async_generators_on(loop: asyncio.AbstractEventLoop) -> None:
    """Close abandoned async generators as tasks on `loop`, as asyncio's own run_forever
    does and qasync's does not.

    When a stream ends in an error, the SDKs leave an inner generator of the HTTP body
    suspended; without this, the garbage collector closes it outside any task and the HTTP
    library fails with "unknown async library" on stderr. After the loop is closed there is
    nothing left to close it with, and the generator is simply dropped.
    """

    def finalize(generator: AsyncGenerator[Any, Any]) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(lambda: loop.create_task(generator.aclose()))

    sys.set_asyncgen_hooks(finalizer=finalize)


def build_services(
    paths: AppPaths, settings: SettingsStore, prefs: Preferences
) -> tuple[Services, StorageProblem | None]:
    """Open the history and wire the store, keychain, providers and chat service together.

    The one assembly of the app's parts: run() uses it, and so do the GUI tests, so what is
    tested is what ships. Replies a crash left streaming are marked interrupted first (the
    change is queued ahead of everything else, so every read sees it).
    """
    from desktopchat.services.chat import ChatService
    from desktopchat.services.context_actions import ContextService
    from desktopchat.services.context_limits import ContextLimits
    from desktopchat.services.history import HistoryService
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.pricing import OVERRIDES_FILE, Pricing
    from desktopchat.services.projects import ProjectService
    from desktopchat.services.prompts import PromptLibrary
    from desktopchat.services.registry import ProviderRegistry
    from desktopchat.services.tool_support import REFUSED_FILE, ToolSupport
    from desktopchat.services.usage import UsageService
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore
    from desktopchat.system.prompt_file import PROMPTS_FILE, PromptFile
    from desktopchat.ui.chat.controller import ChatController
    from desktopchat.ui.window.window_services import Services

    db, problem = open_database(paths.database)
    store = ConversationStore(db)
    store.recover_interrupted().add_done_callback(_log_recovered)
    history = HistoryService(store)
    keys = KeyStore()
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=paths.cache)
    pricing = Pricing(
        lambda: registry.catalog,
        listed=registry.known_models,
        is_local=registry.is_local,
        overrides_path=paths.config / OVERRIDES_FILE,
    )
    limits = ContextLimits(registry.model_info, lambda: prefs.max_tokens, registry.learn_window)
    tools = Lazy(lambda: _tool_service(paths.config, keys))
    service = ChatService(
        history,
        registry.provider,
        max_tokens=lambda: prefs.max_tokens,
        price=pricing.priced,
        web_search_price=pricing.web_search_price,
        output_limit=lambda provider, model: registry.model_info(provider, model).max_output_tokens,
        context=limits,
        tools=lambda: tools.made,  # never made for a reply: no servers, no tools
        tool_support=ToolSupport.remembered_in(
            paths.config / REFUSED_FILE,
            lambda provider, model: registry.model_info(provider, model).tools,
        ),
    )
    context = ContextService(history, registry.provider, limits)
    controller = ChatController(service)
    usage = UsageService(history, registry.provider_name)
    services = Services(
        history,
        controller,
        registry,
        keys,
        settings,
        prefs,
        context,
        usage,
        pricing,
        prompts=PromptLibrary(PromptFile(paths.config / PROMPTS_FILE)),
        projects=ProjectService(history),
        imports=lambda: _import_service(history),
        backups=lambda: _backup_service(history),
        sync=lambda: _sync_service(history, keys),
        sync_set_up=lambda: _sync_set_up(store),
        # Made on first use: by run() after the window shows when mcp.json exists, or by
        # Settings → Tools; nothing of it is imported or read before (P1, P6).
        tools=tools,
    )
    return services, problem


def _import_service(history: HistoryService) -> ImportService:
    """The importers are loaded when the person first imports, not at start (P1)."""
    from desktopchat.services.importers.service import ImportService

    return ImportService(history.store, history.announce)


def _tool_service(config: Path, keys: KeyStore) -> ToolService:
    from desktopchat.services.tools import ToolService

    return ToolService(config, keys)


def _backup_service(history: HistoryService) -> BackupService:
    from desktopchat.services.backups import BackupService

    return BackupService(history.store, history.announce)


def _sync_service(history: HistoryService, keys: KeyStore) -> SyncService:
    """Sync is loaded when it is set up (a state file found after the window shows) or
    the person opens Settings → Sync, never at start (P1, P6)."""
    from desktopchat.services.sync.service import SyncService

    return SyncService(history.store, keys, announce=history.announce)


def _sync_set_up(store: ConversationStore) -> bool:
    from desktopchat.services.sync.names import is_set_up

    return is_set_up(store.writer.database.path)


def _log_recovered(counted: Future[int]) -> None:
    if counted.exception() is None and counted.result():
        log.info(
            "%d reply(ies) left streaming by the last run marked interrupted", counted.result()
        )


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


def install_excepthook() -> None:
    """A bug is logged with its traceback (keys redacted) and shown once per run, never
    silently lost.

    The box is kept on the QApplication: a QMessageBox without a parent and without a Python
    reference is collected as soon as the hook returns, and the person would see nothing.
    The same attribute says the box was shown, so later bugs are only logged.
    """

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        from desktopchat.domain.errors import redact

        details = redact("".join(traceback.format_exception(kind, error, tb)))
        log.error("unexpected error:\n%s", details)
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance()
        if app is None or getattr(app, BUG_BOX, None) is not None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QApplication.translate("App", "Something went wrong"),
            QApplication.translate(
                "App",
                "DesktopChat hit an unexpected error. Your conversations are safe. "
                "Details are in the log file.",
            ),
        )
        box.setObjectName("bugBox")
        box.setDetailedText(details)
        setattr(app, BUG_BOX, box)
        box.open()

    sys.excepthook = hook


BUG_BOX = "desktopchat_bug_box"
"""The QApplication attribute that holds the "Something went wrong" box once it is shown."""
