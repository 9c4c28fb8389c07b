"""Composition root: the QApplication, the qasync loop, the services, and the shutdown order.

Start-up is on a budget (DESIGN.md P1): nothing here imports a provider SDK; the SDK of the
selected provider is imported in a worker thread once the window is on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
import time
import traceback
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING

from desktopchat import __version__
from desktopchat.system.paths import AppPaths, app_paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktopchat.services.history import StorageProblem
    from desktopchat.system.settings import Preferences, SettingsStore
    from desktopchat.ui.window.main_window import Services

log = logging.getLogger("desktopchat")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desktopchat",
        description="DesktopChat: a native desktop chat client for large language models. "
        "Data lives in the platform's data folder, or under $DESKTOPCHAT_HOME when set.",
    )
    parser.add_argument("--version", action="version", version=f"DesktopChat {__version__}")
    parser.add_argument("--debug", action="store_true", help="log debug details (never keys)")
    return parser.parse_known_args(argv)[0]


def setup_logging(paths: AppPaths, debug: bool) -> None:
    """A rotating log file in the logs folder; keys never reach it (they are never logged).

    --debug turns on our own loggers only: the SDKs and their HTTP transports log request
    and response headers verbatim at DEBUG, and a service may echo a key in one.
    """
    handler = RotatingFileHandler(
        paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Even if a library turns its own logger to DEBUG (OPENAI_LOG=debug does), only its
    # warnings reach the file.
    handler.addFilter(
        lambda record: record.name.startswith("desktopchat") or record.levelno >= logging.WARNING
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("desktopchat").setLevel(logging.DEBUG if debug else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = app_paths()
    paths.ensure()
    setup_logging(paths, args.debug)

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
    install_excepthook()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    finalize_async_generators_on(loop)
    with loop:
        loop.run_until_complete(run(paths, settings, prefs, started))
    del translators
    return 0


def finalize_async_generators_on(loop: asyncio.AbstractEventLoop) -> None:
    """Close abandoned async generators as tasks on `loop`, as asyncio's own run_forever
    does and qasync's does not.

    When a stream ends in an error, the SDKs leave an inner generator of the HTTP body
    suspended; without this, the garbage collector closes it outside any task and the HTTP
    library fails with "unknown async library" on stderr. After the loop is closed there is
    nothing left to close it with, and the generator is simply dropped.
    """

    def finalize(generator) -> None:
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
    from desktopchat.services.history import HistoryService
    from desktopchat.services.registry import ProviderRegistry
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore
    from desktopchat.ui.support.translation import describe_error
    from desktopchat.ui.window.controller import ChatController
    from desktopchat.ui.window.main_window import Services

    db, problem = open_database(paths.database)
    store = ConversationStore(db)
    store.recover_interrupted().add_done_callback(_log_recovered)
    history = HistoryService(store)
    keys = KeyStore()
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=paths.cache)
    service = ChatService(
        history,
        registry.provider,
        max_tokens=lambda: prefs.max_tokens,
        describe_error=describe_error,
    )
    controller = ChatController(service)
    return Services(history, controller, registry, keys, settings, prefs), problem


def _log_recovered(counted) -> None:
    if counted.exception() is None and counted.result():
        log.info(
            "%d reply(ies) left streaming by the last run marked interrupted", counted.result()
        )


QUIT_SAVE_LIMIT_S = 10.0
"""How long quitting waits for writes another program's lock holds back."""


async def shut_down(services: Services) -> None:
    """Stop the running reply (it is saved as interrupted), close SDK clients, then write
    what is still queued and close the history.

    Writes held back by another program's lock are waited for, with a visible "Saving…",
    for up to QUIT_SAVE_LIMIT_S; what is still not written then is logged and said.
    """
    await services.controller.wait_stopped()
    await services.registry.aclose()
    saving = _saving_notice(services)
    try:
        unsaved = await services.history.close(QUIT_SAVE_LIMIT_S)
    finally:
        if saving is not None:
            saving.close()
    if unsaved:
        log.error("quit before these could be saved (the history stayed locked): %s", unsaved)
        await _say_unsaved(unsaved)


def _saving_notice(services: Services):
    """A small "Saving…" window while writes wait for a lock at quit (None if none wait)."""
    if not services.history.store.writer.pending():
        return None
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QApplication.translate("App", "DesktopChat"),
        QApplication.translate(
            "App", "Saving your history… (another program holds it locked; waiting up to 10 s)"
        ),
        QMessageBox.StandardButton.NoButton,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.show()
    return box


async def _say_unsaved(unsaved: list[str]) -> None:
    """Tell the person what the quit could not save, and wait until they have read it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QApplication.translate("App", "Not everything was saved"),
        QApplication.translate(
            "App",
            "Another program kept your history locked, so these changes could not be saved "
            "before quitting: %1. They are listed in the log file too.",
        ).replace("%1", "; ".join(unsaved[:10]) + (" …" if len(unsaved) > 10 else "")),
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    read = asyncio.get_running_loop().create_future()
    box.finished.connect(lambda _result: read.done() or read.set_result(None))
    box.open()
    await read


async def run(paths: AppPaths, settings: SettingsStore, prefs: Preferences, started: float) -> None:
    """Build the services, show the window, and tear everything down in order when it closes."""
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.startup import after_window_shown

    services, problem = build_services(paths, settings, prefs)
    window = MainWindow(services)
    await window.load_conversations()
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    _close_on_termination(window)
    window.show()
    log.info("main window shown %.0f ms after start", (time.monotonic() - started) * 1000)
    after_window_shown(window, problem, settings.problem)
    # Everything built so far lives as long as the app: keep it out of the collector's
    # scans, so a full collection never lands in the middle of a streaming repaint.
    gc.freeze()
    await closed.wait()
    await shut_down(services)


def _close_on_termination(window: QWidget) -> None:
    """SIGTERM and SIGINT (a logout, `kill`, Ctrl+C in a terminal) close the window as the
    Quit command does, so the reply in progress and the layout are saved and the exit code
    is 0. Windows has no such signals for a GUI process; nothing to do there."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, window.close)


_shown_bug = False


def install_excepthook() -> None:
    """A bug is logged with its traceback and shown once per run, never silently lost."""

    def hook(kind, error, tb) -> None:
        global _shown_bug
        from desktopchat.domain.errors import redact

        details = redact("".join(traceback.format_exception(kind, error, tb)))
        log.error("unexpected error:\n%s", details)
        if _shown_bug:
            return
        _shown_bug = True
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
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
        box.setDetailedText(details)
        box.open()

    sys.excepthook = hook
