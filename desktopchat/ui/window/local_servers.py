"""Finding a local LM Studio or Ollama server whenever it appears.

The welcome page promises "start it and DesktopChat finds it by itself", so while it is on
screen (no provider usable yet) the usual ports are looked at again every PROBE_INTERVAL_MS,
and at once when the person clicks "Look again". A look is cheap: a port nobody listens on
refuses the connection in about a millisecond, and whatever answers is read with the
bounded probe of services/local_probe.py, all on the loop's non-blocking sockets. Looking
stops when a server is found (it is selected, and the person is told) or when the welcome
page goes.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktopchat.services.local_probe import probe_models

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow

PROBE_INTERVAL_MS = 3000


class LocalServerWatch(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self, interval=PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self.look_now)
        self._looking: asyncio.Task | None = None
        self._armed = False
        """Looking waits for the window to be on screen (startup arms it)."""
        window.closed.connect(self.stop)

    @property
    def watching(self) -> bool:
        return self._timer.isActive()

    @property
    def current_look(self) -> asyncio.Task | None:
        """The look under way or last made (tests wait for it)."""
        return self._looking

    def arm(self) -> None:
        """The window is on screen: from now on the welcome page looks while it shows."""
        self._armed = True
        self.follow(self._window.welcome.isVisibleTo(self._window))

    def follow(self, welcome_shown: bool) -> None:
        """Look while the welcome page is on screen, not otherwise."""
        if welcome_shown and self._armed:
            self.start()
        elif not welcome_shown:
            self.stop()

    def start(self) -> None:
        """Look now, then every few seconds, until found or stopped."""
        if not self._timer.isActive():
            self._timer.start()
            self.look_now()

    def stop(self) -> None:
        self._timer.stop()
        if self._looking is not None:
            self._looking.cancel()
            self._looking = None
            self._window.welcome.show_looking(False)

    def look_now(self) -> None:
        """One look at every local server's port (the "Look again" button, the timer)."""
        if self._window.is_closed():
            self.stop()
            return
        if self._looking is None or self._looking.done():
            self._window.welcome.show_looking(True)
            self._looking = self._window.tasks.spawn(self._look())

    async def _look(self) -> None:
        window = self._window
        try:
            for preset in [p for p in window.registry.presets() if p.local]:
                models = await probe_models(preset)
                if models is None or not models.models or window.is_closed():
                    continue
                self._timer.stop()
                await window.registry.keep_models(preset.id, models)
                window.model_choice.select_provider(preset.id, models)
                found = (
                    self.tr("Found %1 on this computer: %2. It is selected.")
                    .replace("%1", preset.name)
                    .replace("%2", window.picker.count_text(models))
                )
                if window.notices.isVisible():  # something said earlier stays said
                    window.statusBar().showMessage(found, 15000)
                else:
                    window.notices.show_notice(found)
                return
        finally:
            window.welcome.show_looking(False)
