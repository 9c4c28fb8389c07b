"""The real main window in a benchmark process, and the instruments the benchmarks read.

The window is assembled exactly as app.main() and app.run() do it (the same QApplication
set-up, app.build_services, MainWindow, show, after_window_shown), on a qasync loop, with
an in-memory keychain instead of the person's. Instruments:

- PaintWatch: the time of the next paint of a widget at which a condition holds ("the
  document shows the token", "the final text is there"): what a person sees, not just
  what the document holds.
- LagProbe: a 5 ms precise QTimer that records how late each tick fires (common.LagRecorder);
  a late tick is the event loop stalling (nothing repaints, no input is handled meanwhile).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.app.assembly import build_services
from desktopchat.app.lifetime import shut_down
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.window.main_window import MainWindow, Services
from desktopchat.ui.window.start_notice import start_notice
from tests.bench.common import LAG_INTERVAL_MS, LagRecorder

T = TypeVar("T")


def run_qt(scenario: Callable[[], Awaitable[T]]) -> T:
    """Set up the QApplication as app.main() does and run `scenario` on a qasync loop."""
    import qasync

    from desktopchat.ui.support.theme import apply_theme
    from desktopchat.ui.support.translation import install_translators, ui_language

    app = QApplication(sys.argv[:1])
    app.setApplicationName("DesktopChat")
    app.setOrganizationName("DesktopChat")
    app.setQuitOnLastWindowClosed(False)
    translators = install_translators(app, ui_language("system"))
    apply_theme(app, "system")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(scenario())
    del translators
    return result


def wire_preferences(openai_url: str) -> Preferences:
    """OpenAI pointed at the benchmark's wire server, its wire-large model selected."""
    return Preferences(
        base_url_overrides={"openai": openai_url},
        last_provider="openai",
        last_model="wire-large",
        request_timeout=30.0,
    )


class PaintWatch(QObject):
    """Resolves futures at the first paint of `widget` at which their condition holds."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        widget.installEventFilter(self)

    def next_paint(self, condition: Callable[[], bool] = lambda: True) -> asyncio.Future[float]:
        """A future for perf_counter() at the start of the first paint where `condition()`."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((condition, future))
        return future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._waiting:
            now = time.perf_counter()
            still = []
            for condition, future in self._waiting:
                if future.done():
                    continue
                if condition():
                    future.set_result(now)
                else:
                    still.append((condition, future))
            self._waiting = still
        return False


class LagProbe(QObject):
    """A precise 5 ms QTimer feeding a LagRecorder: the Qt event loop's stalls."""

    def __init__(self) -> None:
        super().__init__()
        self.record = LagRecorder()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(LAG_INTERVAL_MS)
        self._timer.timeout.connect(self.record.tick)

    def start(self) -> None:
        self.record.restart()
        self._timer.start()

    def stop(self) -> LagRecorder:
        """The record, the time since the last tick counting as one more tick."""
        self.record.tick()
        self._timer.stop()
        return self.record


@dataclass
class RunningApp:
    window: MainWindow
    services: Services
    view_paints: PaintWatch
    """Paints of the conversation pane's viewport."""

    async def close(self) -> None:
        """Close as the person would, then shut down in app.run()'s order."""
        self.window.close()
        await shut_down(self.services)


async def open_window(home: Path, prefs: Preferences | None, key: str | None) -> RunningApp:
    """Build and show the main window on the data folder `home`, as app.run() does.

    `prefs` None reads the folder's own settings; `key` is stored for OpenAI first.
    Returns once the conversation pane has been painted.
    """
    import keyring

    from desktopchat.ui.window.startup import after_window_shown
    from tests.keyring_memory import MemoryKeyring, run_keys

    keyring.set_keyring(MemoryKeyring())
    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
    folder_problems = paths.ensure()
    settings = SettingsStore(paths.settings_file)
    services, problem = build_services(paths, settings, prefs or settings.load())
    if key is not None:
        run_keys(services.keys.aset("openai", key))
    window = MainWindow(services)
    await window.load_conversations()
    paints = PaintWatch(window.chat_view.viewport())
    shown = paints.next_paint()
    window.show()
    after_window_shown(window, problem, start_notice(paths, folder_problems, settings.problem))
    await asyncio.wait_for(shown, 30)
    return RunningApp(window, services, paints)


async def settle(timeout: float = 30) -> None:
    """Wait for every other task (the SDK warm-up, a model-list refresh) to finish."""
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if others:
        await asyncio.wait(others, timeout=timeout)
