"""What happens once the window is on screen: problems found while starting are said once,
then the update question or the daily update check (opt-in: ui/window/update_notices.py),
while the welcome page shows a local LM Studio or Ollama server is looked for (and selected
when found: ui/window/local_servers.py), and from the
person's first keystroke the selected provider's SDK is imported in a worker thread (so the
first Send does not stall).

The SDK waits for that keystroke, not for the window: importing and warming it takes ~40 MB
(DESIGN.md P6: idle after start ≤ 120 MB; ~95 MB without it, ~130 MB with it), and a person
types for seconds before a Send, while the warm-up takes about one. A request sent before the
warm-up ended (Regenerate on an old conversation, a paste sent at once) waits for it in a
worker thread (registry.import_sdk): its first token comes later, the loop never stalls.

Nothing here waits on the keychain on the loop: whether it works is asked on its own thread
(KeyStore.aavailable, 5 s at most), alongside the SDK import, and said when known."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from desktopchat.services.history import StorageProblem
from desktopchat.services.registry import import_sdk
from desktopchat.ui.support.translation import describe_keychain, session_only
from desktopchat.ui.window.update_notices import offer_updates

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


def _problem_words(kind: str) -> str:
    """The storage problem's kind in the person's language."""
    words = {
        "corrupt": QCoreApplication.translate("Startup", "the file is damaged"),
        "unreadable": QCoreApplication.translate("Startup", "the file cannot be read"),
        "future_schema": QCoreApplication.translate(
            "Startup", "it was written by a newer DesktopChat"
        ),
        "read_only": QCoreApplication.translate("Startup", "it is read-only"),
        "locked": QCoreApplication.translate("Startup", "another program holds it locked"),
    }
    return words.get(kind, kind)


def after_window_shown(
    window: MainWindow, storage_problem: StorageProblem | None, settings_problem: str | None
) -> asyncio.Task:
    """Say what went wrong while starting, once; then warm up in the background (the
    returned task: the keychain's state and the SDK import, then, on the welcome page, the
    search for a local server)."""
    if storage_problem is not None:
        text = (
            QCoreApplication.translate("Startup", "Your history could not be opened (%1): %2")
            .replace("%1", _problem_words(storage_problem.kind))
            .replace("%2", storage_problem.detail.rstrip(". ") + ".")
        )
        if storage_problem.moved_to is not None:
            text += " " + QCoreApplication.translate(
                "Startup", "The damaged file was kept as %1; a new, empty history was started."
            ).replace("%1", str(storage_problem.moved_to))
        window.notices.show_error(text)
    elif settings_problem:
        window.notices.show_notice(settings_problem)
    said = storage_problem is not None or bool(settings_problem)
    _SdkOnFirstKey(window)
    return window.tasks.spawn(_warm_up(window, say_keychain=not said))


async def _warm_up(window: MainWindow, *, say_keychain: bool) -> None:
    await _check_keychain(window, say_keychain)
    await window.check_keys()
    window.local_servers.arm()
    await offer_updates(window)  # the first start's question, or the daily look (opt-in)


class _SdkOnFirstKey(QObject):
    """Imports the selected provider's SDK (in a worker thread) at the first key pressed
    anywhere in the app, then stops listening."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        QCoreApplication.instance().installEventFilter(self)
        window.closed.connect(self._stop)  # a window closed before any key: stop listening

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self._stop()
            preset = self._window.picker.preset() if self._window.isVisible() else None
            if preset is not None:
                self._window.tasks.spawn(import_sdk(preset.sdk))
        return False

    def _stop(self) -> None:
        QCoreApplication.instance().removeEventFilter(self)
        self.deleteLater()


async def _check_keychain(window: MainWindow, say: bool) -> None:
    """Ask the keychain whether it works, on its own thread; say why not, unless another
    problem was said already (one notice at a time) or the person asked not to be told
    again; and say which keys kept for the last session only are gone (once: they are
    marked lost, so a custom endpoint that needs one still says so when used)."""
    available = await window.keys.aavailable()
    lost = _forget_session_keys(window)
    if not say:
        return
    sentences = []
    problem = window.keys.problem
    told = not available and problem is not None and window.prefs.keychain_notice
    if told:
        sentences += [describe_keychain(problem), session_only()]
    if lost:
        sentences.append(
            QCoreApplication.translate(
                "Startup",
                "Keys kept for this session only were forgotten when DesktopChat quit: %1. "
                "Enter them again in Settings → Keys.",
            ).replace("%1", ", ".join(lost))
        )
    if not sentences:
        return
    dont_show = QCoreApplication.translate("Startup", "Don't show again")
    window.notices.show_notice(
        " ".join(sentences), (dont_show, lambda: _stop_keychain_notice(window)) if told else None
    )


def _forget_session_keys(window: MainWindow) -> list[str]:
    """The names of the providers whose key was kept for the last session only; they are
    marked lost in the preferences (saved with the window's place)."""
    places = window.prefs.key_places
    gone = [account for account, place in places.items() if place == "session"]
    if not gone:
        return []
    names = {preset.id: preset.name for preset in window.registry.presets()}
    window.prefs.key_places = {
        account: "lost" if place == "session" else place for account, place in places.items()
    }
    window.place.changed()
    return [names[account] for account in gone if account in names]  # not a removed one


def _stop_keychain_notice(window: MainWindow) -> None:
    """ "Don't show again": remembered in the preferences; the Keys tab still says it."""
    window.prefs.keychain_notice = False
    window.place.changed()
    window.notices.hide()
