"""The composer: which keys send, Send/Stop while streaming, plain-text paste, the draft."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QFont, QPaintEvent, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

from desktopchat.ui.composer.composer import MAX_VISIBLE_LINES, Composer
from desktopchat.ui.composer.message_edit import LONG_WORD_LENGTH

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def composer(qtbot):
    widget = Composer()
    qtbot.addWidget(widget)
    widget.resize(500, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def text_input(composer: Composer) -> QPlainTextEdit:
    return composer.findChild(QPlainTextEdit, "composer")


def button(composer: Composer, name: str) -> QPushButton:
    return composer.findChild(QPushButton, name)


def type_text(qtbot, composer: Composer, text: str) -> QPlainTextEdit:
    editor = text_input(composer)
    qtbot.keyClicks(editor, text)
    return editor


def paste(editor: QPlainTextEdit, mime: QMimeData) -> None:
    """What Ctrl+V does with the clipboard's data. The real clipboard is left alone: handing
    it a QMimeData from Python crashes PySide6 6.12 at exit (both sides delete it)."""
    if editor.canInsertFromMimeData(mime):
        editor.insertFromMimeData(mime)


def test_enter_sends_the_text_without_trailing_whitespace_and_keeps_the_draft(composer, qtbot):
    editor = type_text(qtbot, composer, "  hello  ")
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert sent.args == ["  hello"]
    assert composer.draft() == "  hello  "
    composer.clear()
    assert composer.draft() == ""


def test_shift_enter_inserts_a_newline(composer, qtbot):
    editor = type_text(qtbot, composer, "one")
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClicks(editor, "two")
    assert composer.draft() == "one\ntwo"


def test_whitespace_only_sends_nothing(composer, qtbot):
    editor = type_text(qtbot, composer, "   ")
    qtbot.keyClick(editor, Qt.Key.Key_Return, SHIFT)
    assert not button(composer, "sendButton").isEnabled()
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        button(composer, "sendButton").click()


def test_send_button_sends(composer, qtbot):
    type_text(qtbot, composer, "hi")
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.mouseClick(button(composer, "sendButton"), Qt.MouseButton.LeftButton)
    assert sent.args == ["hi"]


def test_without_send_on_enter_only_ctrl_enter_sends(composer, qtbot):
    composer.set_send_on_enter(False)
    assert "Ctrl+Enter" in text_input(composer).placeholderText()
    editor = type_text(qtbot, composer, "a")
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "b")
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert sent.args == ["a\nb"]


def test_streaming_swaps_send_for_stop_and_enter_does_not_send(composer, qtbot):
    editor = type_text(qtbot, composer, "next question")
    composer.set_streaming(True)
    assert button(composer, "sendButton").isHidden()
    assert button(composer, "stopButton").isVisible()
    assert "Esc" in editor.placeholderText() and "Esc" in editor.toolTip()
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "!")
    assert composer.draft() == "next question!"
    with qtbot.waitSignal(composer.stop_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    with qtbot.waitSignal(composer.stop_requested):
        button(composer, "stopButton").click()
    composer.set_streaming(False)
    assert button(composer, "stopButton").isHidden()
    with qtbot.waitSignal(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_escape_when_idle_does_not_ask_to_stop(composer, qtbot):
    with qtbot.assertNotEmitted(composer.stop_requested):
        qtbot.keyClick(text_input(composer), Qt.Key.Key_Escape)


def test_a_disabled_reason_blocks_sending_and_says_why(composer, qtbot):
    editor = type_text(qtbot, composer, "hi")
    composer.set_enabled_reason("Pick a model first")
    send = button(composer, "sendButton")
    assert not send.isEnabled()
    assert send.toolTip() == "Pick a model first"
    with qtbot.assertNotEmitted(composer.send_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    composer.set_enabled_reason(None)
    assert send.isEnabled()


def test_pasting_rich_text_inserts_plain_text(composer):
    editor = text_input(composer)
    mime = QMimeData()
    mime.setHtml("<b>bold</b> <img src='x.png'>")
    mime.setText("bold")
    paste(editor, mime)
    assert composer.draft() == "bold"
    cursor = editor.textCursor()
    cursor.setPosition(2)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Normal


def test_pasting_a_megabyte_keeps_it_all(composer, qtbot):
    editor = text_input(composer)
    text = ("lorem ipsum dolor sit amet " * 40 + "\n") * 950
    mime = QMimeData()
    mime.setText(text)
    paste(editor, mime)
    button(composer, "insertPastedText").click()  # rather than attaching it as a file
    assert len(composer.draft()) > 1_000_000
    assert composer.draft() == text
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert sent.args == [text.rstrip()]


def test_a_huge_unbroken_word_switches_to_wrapping_anywhere(composer):
    editor = text_input(composer)
    mime = QMimeData()
    mime.setText("x" * (LONG_WORD_LENGTH * 50))
    paste(editor, mime)
    button(composer, "insertPastedText").click()
    assert editor.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere
    composer.clear()
    assert editor.wordWrapMode() == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_input_grows_with_its_text_up_to_a_limit(composer):
    editor = text_input(composer)
    heights = {}
    for lines in (1, 3, MAX_VISIBLE_LINES, MAX_VISIBLE_LINES + 10):
        composer.set_draft("\n".join(["line"] * lines))
        heights[lines] = editor.height()
    assert heights[1] < heights[3] < heights[MAX_VISIBLE_LINES]
    assert heights[MAX_VISIBLE_LINES] == heights[MAX_VISIBLE_LINES + 10]
    assert editor.verticalScrollBar().maximum() > 0
    composer.set_draft("")
    assert editor.height() == heights[1]


def test_set_draft_restores_text_with_the_cursor_at_the_end(composer, qtbot):
    composer.set_draft("draft for B")
    editor = text_input(composer)
    composer.focus_input()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "!")
    assert composer.draft() == "draft for B!"
    assert editor.accessibleName() == "Message"


class _Paints(QObject):
    """The widest area repainted in the widget it watches (a blinking cursor repaints a
    sliver, a new placeholder the whole line)."""

    def __init__(self) -> None:
        super().__init__()
        self.widest = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.widest = max(self.widest, event.rect().width())
        return False


def test_the_streaming_hint_leaves_the_screen_when_the_reply_ends(composer, qtbot):
    """Qt repaints an empty box only when its placeholder appears or goes, not when the
    words change: "A reply is being written" stayed on screen after the reply."""
    editor = text_input(composer)
    composer.set_streaming(True)
    qtbot.wait(300)  # painted with the streaming hint, nothing pending
    paints = _Paints()
    editor.viewport().installEventFilter(paints)
    composer.set_streaming(False)
    qtbot.waitUntil(lambda: paints.widest > editor.viewport().width() // 2, timeout=2000)
    editor.viewport().removeEventFilter(paints)
    assert "Enter to send" in editor.placeholderText()
