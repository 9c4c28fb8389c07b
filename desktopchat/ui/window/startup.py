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
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, SignalInstance

from desktopchat.domain.presets import ProviderPreset
from desktopchat.services.history import StorageProblem
from desktopchat.services.registry import ProviderRegistry, import_sdk
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.translation import describe_keychain, session_only
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.place import WindowPlace
from desktopchat.ui.window.update_notices import UpdateOffer

log = logging.getLogger(__name__)


class LocalServers(Protocol):
    def arm(self) -> None: ...


class StartingWindow(Protocol):
    """What the steps after the window shows use of it."""

    notices: NoticeBar
    tasks: Tasks
    keys: KeyStore
    prefs: Preferences
    registry: ProviderRegistry
    place: WindowPlace
    picker: ModelPicker

    @property
    def local_servers(self) -> LocalServers: ...

    @property
    def closed(self) -> SignalInstance: ...

    def isVisible(self) -> bool: ...

    def is_closed(self) -> bool: ...

    async def check_keys(self) -> None: ...


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
    window: StartingWindow, storage_problem: StorageProblem | None, settings_problem: str | None
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
    picker, tasks = window.picker, window.tasks
    _SdkOnFirstKey(
        lambda: picker.preset() if window.isVisible() else None, tasks, window.closed, window
    )
    return tasks.spawn(_warm_up(window, say_keychain=not said))


async def _warm_up(window: StartingWindow, *, say_keychain: bool) -> None:
    notices, prefs, changed = window.notices, window.prefs, window.place.changed
    keychain = _KeychainNotice(window.keys, prefs, notices, changed)
    await keychain.check(window.registry.presets(), say=say_keychain)
    await window.check_keys()
    window.local_servers.arm()
    offer = UpdateOffer(prefs, notices, window.tasks, changed=changed, closed=window.is_closed)
    await offer.run()  # the first start's question, or the daily look (opt-in)


class _SdkOnFirstKey(QObject):
    """Imports the selected provider's SDK (in a worker thread) at the first key pressed
    anywhere in the app, then stops listening. `preset` is the provider selected (None
    once the window is hidden)."""

    def __init__(
        self,
        preset: Callable[[], ProviderPreset | None],
        tasks: Tasks,
        closed: SignalInstance,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._preset, self._tasks = preset, tasks
        QCoreApplication.instance().installEventFilter(self)
        closed.connect(self._stop)  # a window closed before any key: stop listening

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            self._stop()
            preset = self._preset()
            if preset is not None:
                self._tasks.spawn(import_sdk(preset.sdk))
        return False

    def _stop(self) -> None:
        QCoreApplication.instance().removeEventFilter(self)
        self.deleteLater()


class _KeychainNotice:
    """Whether the keychain works, and the keys kept for the last session only, said."""

    def __init__(
        self, keys: KeyStore, prefs: Preferences, notices: NoticeBar, changed: Callable[[], None]
    ) -> None:
        self._keys, self._prefs, self._notices, self._changed = keys, prefs, notices, changed

    async def check(self, presets: Sequence[ProviderPreset], *, say: bool) -> None:
        """Ask the keychain whether it works, on its own thread; say why not, unless
        another problem was said already (one notice at a time) or the person asked not to
        be told again; and say which keys kept for the last session only are gone (once:
        they are marked lost, so a custom endpoint that needs one still says so when
        used)."""
        available = await self._keys.aavailable()
        lost = self._forget_session_keys(presets)
        if not say:
            return
        sentences = []
        problem = self._keys.problem
        told = not available and problem is not None and self._prefs.keychain_notice
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
        self._notices.show_notice(" ".join(sentences), (dont_show, self._stop) if told else None)

    def _forget_session_keys(self, presets: Sequence[ProviderPreset]) -> list[str]:
        """The names of the providers whose key was kept for the last session only; they
        are marked lost in the preferences (saved with the window's place)."""
        places = self._prefs.key_places
        gone = [account for account, place in places.items() if place == "session"]
        if not gone:
            return []
        names = {preset.id: preset.name for preset in presets}
        self._prefs.key_places = {
            account: "lost" if place == "session" else place for account, place in places.items()
        }
        self._changed()
        return [names[account] for account in gone if account in names]  # not a removed one

    def _stop(self) -> None:
        """ "Don't show again": remembered in the preferences; the Keys tab still says it."""
        self._prefs.keychain_notice = False
        self._changed()
        self._notices.hide()
