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
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, SignalInstance, Slot
from PySide6.QtWidgets import QStatusBar

from desktopchat.services.local_probe import probe_models
from desktopchat.services.model_list import ModelList
from desktopchat.services.registry import ProviderRegistry
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.welcome import WelcomePanel

PROBE_INTERVAL_MS = 3000


class LocalServerWatch(QObject):
    """`select(provider_id, models)` makes a server found the provider in use;
    `is_closed()` says the window closed (and `closed` is its signal): looking stops."""

    def __init__(
        self,
        registry: ProviderRegistry,
        welcome: WelcomePanel,
        picker: ModelPicker,
        notices: NoticeBar,
        status_bar: QStatusBar,
        tasks: Tasks,
        *,
        select: Callable[[str, ModelList], None],
        is_closed: Callable[[], bool],
        closed: SignalInstance,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._registry, self._welcome, self._picker = registry, welcome, picker
        self._notices, self._status_bar, self._tasks = notices, status_bar, tasks
        self._select, self._is_closed = select, is_closed
        self._timer = QTimer(self, interval=PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self.look_now)
        self._looking: asyncio.Task | None = None
        self._armed = False
        """Looking waits for the window to be on screen (startup arms it)."""
        closed.connect(self.stop)

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
        self.follow(self._welcome.isVisibleTo(self._welcome.window()))

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

    @Slot()
    def stop(self) -> None:
        self._timer.stop()
        if self._looking is not None:
            self._looking.cancel()
            self._looking = None
            self._welcome.show_looking(False)

    @Slot()
    def look_now(self) -> None:
        """One look at every local server's port (the "Look again" button, the timer)."""
        if self._is_closed():
            self.stop()
            return
        if self._looking is None or self._looking.done():
            self._welcome.show_looking(True)
            self._looking = self._tasks.spawn(self._look())

    async def _look(self) -> None:
        try:
            for preset in [p for p in self._registry.presets() if p.local]:
                models = await probe_models(preset)
                if models is None or not models.models or self._is_closed():
                    continue
                self._timer.stop()
                await self._registry.keep_models(preset.id, models)
                self._select(preset.id, models)
                found = (
                    self.tr("Found %1 on this computer: %2. It is selected.")
                    .replace("%1", preset.name)
                    .replace("%2", self._picker.count_text(models))
                )
                if self._notices.isVisible():  # something said earlier stays said
                    self._status_bar.showMessage(found, 15000)
                else:
                    self._notices.show_notice(found)
                return
        finally:
            self._welcome.show_looking(False)
