"""A tool server that fails to start or dies is said above the conversation, with a button
that opens Settings → Tools on it: the person may never open Settings otherwise, and a
model would then silently lack the tools it was promised.

Only a change into "failed" is said, once per failure (a server that fails again after a
restart is said again); the notice is withdrawn once that server runs again. The server's
name and message come from outside and are shown as plain text (NoticeBar's label is
plain).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktopchat.domain.tools import ServerStatus

if TYPE_CHECKING:
    from desktopchat.services.tools import ToolService
    from desktopchat.ui.window.main_window import MainWindow


class ToolServerNotices(QObject):
    """Watches a ToolService for the window; made when the service is (services.tools)."""

    def __init__(self, window: MainWindow, service: ToolService) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._failed: set[str] = set()
        unsubscribe = service.subscribe(self.on_service_changed)
        self.destroyed.connect(lambda *_: unsubscribe())

    def on_service_changed(self) -> None:
        failed = {s.name: s for s in self._service.states() if s.status is ServerStatus.FAILED}
        for name in self._failed - failed.keys():
            self._window.notices.withdraw(_topic(name))
        for name, state in failed.items():
            if name in self._failed:
                continue
            text = self.tr("The tool server %1 is not running: %2").replace("%1", name)
            message = state.message or self.tr("it stopped.")
            self._window.notices.show_error(
                text.replace("%2", message),
                topic=_topic(name),
                action=(self.tr("Open Settings → Tools"), partial(self._open, name)),
            )
        self._failed = set(failed)

    def _open(self, name: str) -> None:
        self._window.settings_link.open_tool_server(name)


def _topic(name: str) -> str:
    return "tool-server:" + name
