"""Start-up: the process-wide set-up before the window (log, excepthook, PySide6's source
scan, async generators), then the QApplication and the qasync loop that run the app.

Start-up is on a budget (DESIGN.md P1): nothing here imports a provider SDK; the SDK of the
selected provider is warmed up in a worker thread from the first key the person presses
(ui/window/startup.py), so an idle window stays small (P6). What runs on the loop is in
app/lifetime.py.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import time
import traceback
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any

from desktopchat import __version__
from desktopchat.app.lifetime import run
from desktopchat.app.logs import setup_logging, stop_logging
from desktopchat.system.paths import app_paths

if TYPE_CHECKING:
    from types import TracebackType


log = logging.getLogger("desktopchat")


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
