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
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from desktopchat import __version__
from desktopchat.services.updates import newer_release

if TYPE_CHECKING:
    from desktopchat.system.update_feed import Release
    from desktopchat.ui.window.main_window import MainWindow

BAR_FREE_POLL_S = 1.0


async def offer_updates(window: MainWindow) -> None:
    """Ask the first start's question, or look at the feed when the person said yes."""
    if window.prefs.update_checks is None:
        await _bar_free(window)
        _ask(window)
        return
    await _check(window)


async def _bar_free(window: MainWindow) -> None:
    while window.notices.isVisible():
        await asyncio.sleep(BAR_FREE_POLL_S)


def _ask(window: MainWindow) -> None:
    window.notices.ask(
        QCoreApplication.translate(
            "Updates",
            "May DesktopChat check once a day whether a new version is out? It only reads "
            "a small release note; nothing is downloaded or installed. You can change this "
            "in Settings → Preferences.",
        ),
        (
            QCoreApplication.translate("Updates", "Check for updates"),
            lambda: _answer(window, yes=True),
        ),
        (QCoreApplication.translate("Updates", "No, thanks"), lambda: _answer(window, yes=False)),
    )


def _answer(window: MainWindow, *, yes: bool) -> None:
    window.prefs.update_checks = yes
    window.place.changed()  # saves the preferences with the window's place, off the loop
    window.notices.hide()
    if yes:
        window.tasks.spawn(_check(window))


async def _check(window: MainWindow) -> None:
    release = await newer_release(window.prefs, __version__, window.place.changed)
    if release is None or window.is_closed():
        return
    await _bar_free(window)
    show_release(window, release)


def show_release(window: MainWindow, release: Release) -> None:
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
    window.notices.show_notice(text, action)
