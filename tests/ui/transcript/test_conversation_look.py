"""The conversation's look and its new controls: code boxes, tables, quotes, math, inline
editing, keyboard actions, "Copied" where the click was, the empty state."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication

from desktopchat.domain.types import Message, Role
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.formats import CODE_HEADER, CODE_PAD_X, CODE_PAD_Y, QUOTE_INDENT
from desktopchat.ui.transcript.markdown import InertDocument, is_code_block
from tests.ui.transcript.test_chat_view import anchors, click_link

NOW = time.time()


def user(message_id: int, text: str) -> Message:
    return Message(message_id, 1, Role.USER, text, NOW)


def reply(message_id: int, text: str) -> Message:
    return Message(message_id, 1, Role.ASSISTANT, text, NOW, model="test-model")


@pytest.fixture
def view(qtbot):
    widget = ChatView(open_url=lambda url: None)
    widget.resize(900, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def math_view(qtbot, view):
    view._math.warm_up()
    qtbot.waitUntil(lambda: view._math.is_ready, timeout=20_000)
    return view


def blocks(view: ChatView):
    block = view.document().begin()
    while block.isValid():
        yield block
        block = block.next()


def fragments(view: ChatView):
    for block in blocks(view):
        iterator = block.begin()
        while not iterator.atEnd():
            yield block, iterator.fragment()
            iterator += 1


# --- code boxes ----------------------------------------------------------------------


THREE_FENCES = (
    "Steps:\n\n```bash\npip install x\n```\n```python\nimport x\nx.run()\n```\n\n"
    '```json\n{"ok": true}\n```'
)


def test_each_fence_is_its_own_box_and_copies_exactly_its_code(qtbot, view):
    view.show_conversation([reply(5, THREE_FENCES)])
    headers = [
        b.blockFormat().stringProperty(CODE_HEADER)
        for b in blocks(view)
        if b.blockFormat().hasProperty(CODE_HEADER)
    ]
    assert headers == ["bash", "python", "json"]
    for index, code in enumerate(("pip install x", "import x\nx.run()", '{"ok": true}')):
        click_link(qtbot, view, f"dc-action:copy_code/5/{index}")
        assert QGuiApplication.clipboard().text() == code


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_code_box_has_its_header_on_one_line_and_pads_its_last_line(qtbot, view, dark):
    """The language (painted) and the Copy icon and word share the header's one line, in
    the header's strip; the box goes on below the last line and past its right edge."""
    if dark:
        palette = QPalette(view.palette())
        palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
        view.setPalette(palette)
    view.show_conversation([reply(1, "```python\nx = 1\n```")])
    header = next(b for b in blocks(view) if b.blockFormat().hasProperty(CODE_HEADER))
    assert header.layout().lineCount() == 1 and header.text().endswith("Copy")
    icon = next(f for b, f in fragments(view) if b == header and f.charFormat().isImageFormat())
    assert icon.charFormat().verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignBottom
    last = next(b for b in blocks(view) if is_code_block(b))
    layout = view.document().documentLayout()
    rect = layout.blockBoundingRect(last).translated(0, -view.verticalScrollBar().value())
    image = view.viewport().grab().toImage()
    fill = view._formats.theme.background.rgb()
    below = image.pixelColor(int(rect.center().x()), int(rect.bottom()) + CODE_PAD_Y - 2)
    right = image.pixelColor(int(rect.right()) + CODE_PAD_X, int(rect.center().y()))
    assert below.rgb() == fill and right.rgb() == fill


def test_two_fences_of_one_language_stay_two_boxes(view):
    view.show_conversation([reply(1, "```py\na = 1\n```\n```py\nb = 2\n```")])
    assert view._conversation.code_blocks_text(1) == ["a = 1", "b = 2"]


def test_a_streamed_reply_gets_a_box_per_fence_too(qtbot, view):
    view.begin_reply(reply(2, ""))
    text = THREE_FENCES + "\n"  # the last fence closed: the code is final while streaming
    for start in range(0, len(text), 5):
        view.append_delta(2, text[start : start + 5])
        QApplication.processEvents()
    qtbot.waitUntil(lambda: not view._streaming.streams[2].has_pending)
    assert view._conversation.code_blocks_text(2) == [
        "pip install x",
        "import x\nx.run()",
        '{"ok": true}',
    ]


def test_a_long_code_line_never_widens_the_conversation_at_640_px(qtbot, view):
    view.resize(640, 500)
    long_line = "x = " + "+".join(["value"] * 200)
    view.show_conversation([user(1, "a" * 400), reply(2, f"```python\n{long_line}\n```")])
    QApplication.processEvents()
    assert view.document().size().width() <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    code = next(b for b in blocks(view) if is_code_block(b))
    assert code.layout().lineCount() > 1  # wrapped, not clipped
    assert view._conversation.code_blocks_text(2) == [long_line]


# --- Markdown ------------------------------------------------------------------------


def test_table_header_cells_are_bold_and_aligned_like_their_columns(view):
    text = "| left | centre | right |\n|:--|:-:|--:|\n| a | b | c |"
    view.show_conversation([reply(1, text)])
    table = QTextCursor(next(b for b in blocks(view) if b.text() == "left")).currentTable()
    expected = [
        Qt.AlignmentFlag.AlignLeft,
        Qt.AlignmentFlag.AlignHCenter,
        Qt.AlignmentFlag.AlignRight,
    ]
    for column, alignment in enumerate(expected):
        for row in (0, 1):
            block = table.cellAt(row, column).firstCursorPosition().block()
            assert block.blockFormat().alignment() & alignment
        header = table.cellAt(0, column).firstCursorPosition()
        header.movePosition(QTextCursor.MoveOperation.NextCharacter)
        assert header.charFormat().fontWeight() >= QFont.Weight.DemiBold


def test_a_table_right_after_code_keeps_its_first_header_cell_in_line(view):
    view.show_conversation([reply(1, "```\nx\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |")])
    table = QTextCursor(next(b for b in blocks(view) if b.text() == "a")).currentTable()
    first = table.cellAt(0, 0)
    assert first.firstCursorPosition().block() == first.lastCursorPosition().block()


def test_blockquotes_are_indented_for_their_bar_and_muted(view):
    view.show_conversation([reply(1, "Before\n\n> quoted *words*\n\nAfter")])
    quote = next(b for b in blocks(view) if b.text() == "quoted words")
    assert quote.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel) == 1
    assert quote.blockFormat().leftMargin() == QUOTE_INDENT
    assert quote.begin().fragment().charFormat().foreground().color() == view._formats.muted_colour


def test_inline_code_is_monospace_in_list_items_and_quotes(view):
    view.show_conversation([reply(1, "- item `alpha`\n  - nested `beta`\n\n> quote `gamma`")])
    spans = {
        fragment.text(): fragment.charFormat()
        for _, fragment in fragments(view)
        if fragment.text() in ("alpha", "beta", "gamma")
    }
    assert set(spans) == {"alpha", "beta", "gamma"}
    for char_format in spans.values():
        assert char_format.fontFixedPitch()
        assert char_format.fontFamilies() == ["monospace"]
        assert char_format.background().color() == view._formats.inline_code


def test_task_lists_and_nested_lists_keep_their_structure(view):
    view.show_conversation([reply(1, "- [ ] open\n- [x] done\n  - nested")])
    markers = {
        b.text(): b.blockFormat().marker() for b in blocks(view) if b.text() in ("open", "done")
    }
    assert markers["open"] == markers["open"].Unchecked
    assert markers["done"] == markers["done"].Checked
    nested = next(b for b in blocks(view) if b.text() == "nested")
    assert nested.textList().format().indent() == 2


def _math_images(view: ChatView) -> list[str]:
    return [
        fragment.charFormat().toImageFormat().name()
        for _, fragment in fragments(view)
        if fragment.charFormat().isImageFormat()
        and ":math/" in fragment.charFormat().toImageFormat().name()
    ]


def test_math_becomes_an_image_the_document_holds_itself(qtbot, math_view, monkeypatch):
    asked = []
    original = InertDocument.loadResource
    monkeypatch.setattr(
        InertDocument, "loadResource", lambda d, k, n: asked.append(n) or original(d, k, n)
    )
    math_view.show_conversation(
        [reply(1, "Inline $e^{i\\pi}+1=0$ and \\(a^2\\), then\n\n$$\\int_0^1 x\\,dx$$\n\n\\[x\\]")]
    )
    qtbot.waitUntil(lambda: len(_math_images(math_view)) == 4, timeout=20_000)
    names = _math_images(math_view)
    for name in names:
        assert math_view._conversation.images.is_ours(name)
        image = math_view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert not image.isNull()
    math_view.grab()
    assert asked == []  # served from the document's own resources, nothing loaded
    assert "e^{i" not in math_view.toPlainText()


def test_dollar_amounts_in_prose_are_not_math(math_view):
    math_view.show_conversation([reply(1, "It costs $5 and $10, or $ 3 $ at most.")])
    assert _math_images(math_view) == []
    assert "It costs $5 and $10, or $ 3 $ at most." in math_view.toPlainText()


def test_a_formula_that_cannot_be_rendered_shows_its_source_as_code(qtbot, math_view):
    math_view.show_conversation([reply(1, "Broken: $\\frac{a}{$ here")])
    placeholders = math_view._conversation.math_placeholders
    qtbot.waitUntil(lambda: placeholders.waiting() == 0, timeout=20_000)
    assert _math_images(math_view) == []
    source = next(f for _, f in fragments(math_view) if "\\frac{a}{" in f.text())
    assert source.charFormat().fontFixedPitch()


def test_math_written_before_ziamath_loads_is_rendered_once_it_has(qtbot, view):
    view.show_conversation([reply(1, "Area: $\\pi r^2$")])
    qtbot.waitUntil(lambda: view._math.is_ready, timeout=20_000)
    qtbot.waitUntil(lambda: len(_math_images(view)) == 1, timeout=20_000)


# --- actions -------------------------------------------------------------------------


def test_actions_are_icons_with_names_not_text_links(view):
    view.show_conversation([user(1, "q"), reply(2, "a")])
    labels = {href: label for label, href in anchors(view)}
    assert labels["dc-action:copy/1"] == "\ufffc"  # an image
    assert "Copy · Edit" not in view.toPlainText()
    icons = [
        f.charFormat().toImageFormat()
        for _, f in fragments(view)
        if f.charFormat().isImageFormat() and f.charFormat().isAnchor()
    ]
    tooltips = {icon.anchorHref(): icon.toolTip() for icon in icons}
    assert tooltips["dc-action:edit/1"] == "Edit"
    assert tooltips["dc-action:regenerate/2"] == "Regenerate"


def _tab_to(qtbot, view: ChatView, href: str) -> None:
    view.setFocus()
    for _ in range(20):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        if view.textCursor().charFormat().anchorHref() == href:
            return
        selected = view.textCursor()
        cursor = QTextCursor(view.document())
        cursor.setPosition(selected.selectionEnd())
        if cursor.charFormat().anchorHref() == href:
            return
    raise AssertionError(f"Tab never reached {href}")


def test_the_keyboard_reaches_the_actions_and_enter_runs_them(qtbot, view):
    view.show_conversation([user(1, "question"), reply(2, "answer")])
    _tab_to(qtbot, view, "dc-action:regenerate/2")
    with qtbot.waitSignal(view.action_requested) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert tuple(signal.args) == ("regenerate", 2)


def test_copied_is_shown_where_the_click_was(qtbot, view):
    view.show_conversation([user(1, "q"), reply(2, "the answer")])
    click_link(qtbot, view, "dc-action:copy/2")
    toast = view.copied_feedback()
    assert toast.isVisible() and toast.text() == "Copied"
    cursor_rect = view.cursorRect(view.textCursor())
    assert abs(toast.geometry().center().x() - cursor_rect.center().x()) < 80
    assert 0 <= cursor_rect.top() - toast.geometry().bottom() < 40
    qtbot.waitUntil(lambda: not toast.isVisible(), timeout=3000)


# --- inline editing ------------------------------------------------------------------


def test_edit_opens_the_message_in_place_and_ctrl_enter_resends(qtbot, view):
    view.show_conversation([user(1, "first question"), reply(2, "answer")])
    click_link(qtbot, view, "dc-action:edit/1")
    editor = view.inline_editor()
    assert editor is not None and editor.isVisible()
    assert editor.editor.toPlainText() == "first question"
    assert editor.parent() is view.viewport()
    editor.editor.setPlainText("better question")
    with qtbot.waitSignal(view.edit_submitted) as signal:
        qtbot.keyClick(editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tuple(signal.args) == (1, "better question")
    assert view.inline_editor() is editor, "open until the new branch is shown"
    view.show_conversation([user(3, "better question")])
    assert view.inline_editor() is None


def test_escape_cancels_the_edit_and_restores_the_message(qtbot, view):
    view.show_conversation([user(1, "keep me"), reply(2, "answer")])
    frame = view._conversation.frames[1]
    before = frame.frameFormat().height().rawValue()
    assert view.start_editing(1)
    editor = view.inline_editor()
    editor.editor.setPlainText("changed")
    with qtbot.assertNotEmitted(view.edit_submitted):
        qtbot.keyClick(editor.editor, Qt.Key.Key_Escape)
    assert view.inline_editor() is None
    assert frame.frameFormat().height().rawValue() == before
    assert "keep me" in view.toPlainText()
    assert view.message_text(1) == "keep me"


def test_edit_last_user_message_opens_the_last_one_of_the_person(view):
    assert not view.edit_last_user_message()
    view.show_conversation([user(1, "one"), reply(2, "a"), user(3, "two"), reply(4, "b")])
    assert view.edit_last_user_message()
    assert view.inline_editor().message_id == 3
    assert view.inline_editor().editor.toPlainText() == "two"


def test_the_editor_moves_with_the_conversation(qtbot, view):
    view.show_conversation(
        [user(i, f"q{i}") if i % 2 else reply(i, "a\n\nb") for i in range(1, 30)]
    )
    view.start_editing(27)
    editor = view.inline_editor()
    top = editor.y()
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() - 50)
    assert editor.y() == top + 50


# --- empty state ---------------------------------------------------------------------


def test_a_new_chat_shows_the_model_and_hints(view):
    view.show_empty_state("gpt-test · OpenAI")
    text = view.toPlainText()
    assert "gpt-test · OpenAI" in text
    assert "Enter" in text
    view.show_conversation([user(1, "hello")])
    assert "gpt-test" not in view.toPlainText()
    assert view.document().rootFrame().frameFormat().topMargin() == 0


# --- branches and facts --------------------------------------------------------------


def test_a_message_with_siblings_gets_a_switcher_that_asks_for_the_next_one(qtbot, view):
    view.show_conversation(
        [user(1, "q"), reply(4, "third try")], siblings={4: (2, 3, 4), 9: (9, 10)}
    )
    assert "3/3" in view.toPlainText()
    hrefs = {href for _, href in anchors(view)}
    assert {"dc-action:branch_previous/4", "dc-action:branch_next/4"} <= hrefs
    assert not any(href.endswith("/1") and "branch" in href for href in hrefs)
    with qtbot.waitSignal(view.action_requested) as signal:
        click_link(qtbot, view, "dc-action:branch_previous/4")
    assert tuple(signal.args) == ("branch_previous", 4)


def test_show_thread_takes_the_domain_thread(view):
    from desktopchat.domain.types import Thread

    thread = Thread(1, (user(1, "q"), reply(3, "second")), {3: (2, 3)})
    view.show_thread(thread)
    assert "second" in view.toPlainText() and "2/2" in view.toPlainText()


def test_a_reply_shows_its_cost_and_a_left_out_message_says_so(view):
    from dataclasses import replace

    from desktopchat.domain.types import Usage

    priced = replace(reply(2, "a"), usage=Usage(10, 20, cost=0.0123))
    view.show_conversation([replace(user(1, "q"), left_out=True), priced])
    text = view.toPlainText()
    assert "$0.0123" in text
    assert "Not sent" in text
