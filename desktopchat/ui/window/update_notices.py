"""Update notices, opt-in: the first start's question, then the daily look at the feed.

At the first start (Preferences.update_checks still None) the notice bar asks whether
DesktopChat may check for new versions; the answer is saved with the preferences and can be
changed in Settings → Preferences. Closing the question answers nothing: it is asked again at
the next start. When the answer is yes, services/updates.py reads the feed at most once a
day, and a newer version is a quiet notice with its notes (plain text) and a button that
opens its download page in the browser. Nothing is downloaded or installed.

The question and the notice wait for the notice bar to be free: a problem said at start
(a keychain, a damaged file) is read first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from desktopchat import __version__
from desktopchat.services.updates import newer_release
from desktopchat.system.settings import Preferences
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar

if TYPE_CHECKING:
    from desktopchat.system.update_feed import Release

BAR_FREE_POLL_S = 1.0


class UpdateOffer:
    """`changed` saves the preferences (with the window's place, off the loop); `closed`
    says whether the window is gone."""

    def __init__(
        self,
        prefs: Preferences,
        notices: NoticeBar,
        tasks: Tasks,
        *,
        changed: Callable[[], None],
        closed: Callable[[], bool],
    ) -> None:
        self._prefs, self._notices, self._tasks = prefs, notices, tasks
        self._changed, self._closed = changed, closed

    async def run(self) -> None:
        """Ask the first start's question, or look at the feed when the person said yes."""
        if self._prefs.update_checks is None:
            await self._bar_free()
            self._ask()
            return
        await self._check()

    async def _bar_free(self) -> None:
        while self._notices.isVisible():
            await asyncio.sleep(BAR_FREE_POLL_S)

    def _ask(self) -> None:
        self._notices.ask(
            QCoreApplication.translate(
                "Updates",
                "May DesktopChat check once a day whether a new version is out? It only reads "
                "a small release note; nothing is downloaded or installed. You can change this "
                "in Settings → Preferences.",
            ),
            (
                QCoreApplication.translate("Updates", "Check for updates"),
                lambda: self._answer(yes=True),
            ),
            (QCoreApplication.translate("Updates", "No, thanks"), lambda: self._answer(yes=False)),
        )

    def _answer(self, *, yes: bool) -> None:
        self._prefs.update_checks = yes
        self._changed()
        self._notices.hide()
        if yes:
            self._tasks.spawn(self._check())

    async def _check(self) -> None:
        release = await newer_release(self._prefs, __version__, self._changed)
        if release is None or self._closed():
            return
        await self._bar_free()
        show_release(self._notices, release)


def show_release(notices: NoticeBar, release: Release) -> None:
    """The quiet notice of a newer version: its number, date and notes, as plain text."""
    text = (
        QCoreApplication.translate("Updates", "DesktopChat %1 is available (you have %2).")
        .replace("%1", release.version)
        .replace("%2", __version__)
    )
    if release.date:
        text += " " + QCoreApplication.translate("Updates", "Released %1.").replace(
            "%1", release.date
        )
    if release.notes:
        text += "\n" + release.notes
    link = release.download
    action = (
        (
            QCoreApplication.translate("Updates", "Download page"),
            lambda: QDesktopServices.openUrl(QUrl(link)),
        )
        if link
        else None
    )
    notices.show_notice(text, action)
