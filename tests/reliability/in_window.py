"""What the in-process window tests read and do, beyond tests/ui's App."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel

from tests.ui.conftest import App


def notice_text(running: App) -> str:
    """What the notice bar above the conversation says ("" when hidden)."""
    label = running.window.findChild(QLabel, "noticeText")
    return label.text() if label.isVisibleTo(running.window) else ""


def chat_round(running: App, question: str, answer: str) -> None:
    """Send `question` as a person would and wait for `answer` to be on screen."""
    running.server.reply.text = answer
    running.send(question)
    running.wait_text(answer)
    running.wait_reply_done()


def paste_and_send(running: App, text: str) -> None:
    """Put `text` in the message box and press Enter: QTest cannot type characters outside
    the Basic Multilingual Plane (an emoji aborts the process), a paste can."""
    running.composer.setFocus()
    running.composer.setPlainText(text)
    running.qtbot.keyClick(running.composer, Qt.Key.Key_Return)
    running.settle()


def settings_dialog(running: App, provider_id: str | None = None) -> QDialog:
    """Open Settings at a provider's key, as the window's own links do."""
    running.window.open_settings(provider_id)
    dialog = running.window.findChild(QDialog, "settingsDialog")
    running.qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def type_key(running: App, provider_id: str, key: str) -> str:
    """Type a key in Settings → Keys and press Enter; returns where the row says the key
    now comes from ("Keychain", "This session only")."""
    dialog = settings_dialog(running, provider_id)
    row = dialog.keys_tab.row(provider_id)
    running.qtbot.waitUntil(lambda: row.source is not None and not row.busy, timeout=5000)
    running.qtbot.keyClicks(row.field, key)
    with running.qtbot.waitSignal(dialog.keys_changed, timeout=5000):
        running.qtbot.keyClick(row.field, Qt.Key.Key_Return)
    running.qtbot.waitUntil(lambda: not row.busy, timeout=5000)
    return row.source_label.text()


class EventLoopWatch:
    """How long the event loop went without running a 10 ms timer, each time: how long the
    window would have ignored a click or a key."""

    def __init__(self) -> None:
        self.gaps_ms: list[int] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        self.gaps_ms.append(self._clock.restart())

    def stop(self) -> list[int]:
        """The stalls longer than RESPONSIVE_MS, longest first."""
        self._timer.stop()
        return sorted((gap for gap in self.gaps_ms if gap > RESPONSIVE_MS), reverse=True)


RESPONSIVE_MS = 500
"""A stall longer than this is one a person notices. The tests allow one (a garbage
collection, or a busy CI machine taking the CPU away) but not a window that keeps freezing;
the benchmarks hold the real budget (DESIGN.md P3)."""
