"""A tool server that fails to start or dies is said above the conversation, with a button
that opens Settings → Tools on it: the person may never open Settings otherwise, and a
model would then silently lack the tools it was promised.

Only a change into "failed" is said, once per failure (a server that fails again after a
restart is said again); the notice is withdrawn once that server runs again. The server's
name and message come from outside and are shown as plain text (NoticeBar's label is
plain).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from desktopchat.domain.tools import ServerStatus
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar

if TYPE_CHECKING:
    from desktopchat.services.tools import ToolService


class ToolServerNotices(QObject):
    """Watches a ToolService for the window; made when the service is (services.tools).
    `open_server(name)` opens Settings → Tools on that server."""

    def __init__(
        self,
        service: ToolService,
        notices: NoticeBar,
        tasks: Tasks,
        *,
        open_server: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._service, self._notices, self._tasks = service, notices, tasks
        self._open_server = open_server
        self._failed: set[str] = set()
        unsubscribe = service.subscribe(self.on_service_changed)
        stop_sign_ins = service.sign_ins.subscribe(self.on_sign_in)
        self.destroyed.connect(lambda *_: (unsubscribe(), stop_sign_ins()))

    def on_service_changed(self) -> None:
        failed = {s.name: s for s in self._service.states() if s.status is ServerStatus.FAILED}
        for name in self._failed - failed.keys():
            self._notices.withdraw(_topic(name))
        for name, state in failed.items():
            if name in self._failed:
                continue
            text = self.tr("The tool server %1 is not running: %2").replace("%1", name)
            message = state.message or self.tr("it stopped.")
            self._notices.show_error(
                text.replace("%2", message),
                topic=_topic(name),
                action=(self.tr("Open Settings → Tools"), partial(self._open_server, name)),
            )
        self._failed = set(failed)

    def on_sign_in(self, name: str, url: str) -> None:
        """A remote server's sign-in page: opened in the browser, and the window says it
        waits, with Cancel. `url` is "" once the sign-in ended."""
        notices = self._notices
        if not url:
            notices.withdraw(_sign_in_topic(name))
            return
        QDesktopServices.openUrl(QUrl(url))
        notices.show_notice(
            self.tr("Waiting for sign-in to %1 in your browser…").replace("%1", name),
            action=(self.tr("Cancel"), partial(self._cancel, name)),
            topic=_sign_in_topic(name),
        )

    def _cancel(self, name: str) -> None:
        self._notices.withdraw(_sign_in_topic(name))
        self._tasks.spawn(self._service.cancel_sign_in(name))


def _topic(name: str) -> str:
    return "tool-server:" + name


def _sign_in_topic(name: str) -> str:
    return "tool-sign-in:" + name
