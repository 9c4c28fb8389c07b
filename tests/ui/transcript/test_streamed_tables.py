"""A table streaming into the transcript (reply_stream.py): past UNFINISHED_TABLE_CELLS
its rows are appended as code lines, never laid out again whole at each flush, and once
it ends it becomes a table laid out once (or stays code past MAX_TABLE_CELLS)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from desktopchat.domain.types import MessageStatus
from desktopchat.ui.transcript.markdown import MAX_TABLE_CELLS, is_code_block
from desktopchat.ui.transcript.reply_stream import UNFINISHED_TABLE_CELLS
from tests.ui.transcript.test_chat_view import (
    content,
    hrefs,
    meaningful_lines,
    reference_content,
    reply,
    user,
)
from tests.ui.transcript.test_chat_view import (
    view as view,
)


def table(rows: int) -> str:
    return "| n | square |\n|---|---|\n" + "".join(f"| {i} | **{i * i}** |\n" for i in range(rows))


def blocks_of(view, message_id: int):
    conversation = view._conversation
    block = view.document().findBlock(conversation.header_end(message_id))
    while block.isValid() and block.position() < conversation.content_end(message_id):
        yield block
        block = block.next()


def flush(qtbot, view, message_id: int, text: str) -> None:
    streamed = view._streaming.streams[message_id]
    view.append_delta(message_id, text)
    qtbot.waitUntil(lambda: not streamed.has_pending)


def test_a_growing_table_is_appended_as_code_then_becomes_a_table(qtbot, view):
    rows = UNFINISHED_TABLE_CELLS  # twice the cells, half of them streamed first
    text = "Intro.\n\n" + table(rows) + "\nThe end, **bold**.\n"
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    cut = text.index(f"| {rows // 2} |")
    flush(qtbot, view, 2, text[:cut])
    code = [block for block in blocks_of(view, 2) if is_code_block(block)]
    assert [block.text() for block in code[:3]] == ["| n | square |", "|---|---|", "| 0 | **0** |"]
    code[2].setUserState(7)  # a mark that a render from the source would lose
    table_end = text.index("\nThe end")
    for start in range(cut, table_end, 9):
        flush(qtbot, view, 2, text[start : min(start + 9, table_end)])
    lines = [block for block in blocks_of(view, 2) if is_code_block(block)]
    assert lines[2].userState() == 7 and len(lines) == rows + 2  # header, rule, rows
    flush(qtbot, view, 2, text[table_end:])
    assert not any(is_code_block(block) for block in blocks_of(view, 2))
    assert any(QTextCursor(block).currentTable() is not None for block in blocks_of(view, 2))
    expected = reference_content(qtbot, text)
    assert meaningful_lines(content(view, 2)) == meaningful_lines(expected)


@pytest.mark.parametrize("ending", ["\n\nAfter.", ""], ids=["text after", "ends the reply"])
def test_a_table_too_large_for_one_stays_code_with_its_copy_action(qtbot, view, ending):
    rows = MAX_TABLE_CELLS // 2 + 5
    text = "Intro.\n\n" + table(rows) + ending
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    for start in range(0, len(text), 997):
        flush(qtbot, view, 2, text[start : start + 997])
    view.finish_reply(reply(2, text))
    expected = reference_content(qtbot, text)
    assert meaningful_lines(content(view, 2)) == meaningful_lines(expected)
    assert "dc-action:copy_code/2/0" in hrefs(view)
