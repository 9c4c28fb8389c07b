"""A reply's short end crosses computers with its row, and a row written before its column
existed (a computer of schema 10) still reads, padded, and hashes as it did."""

from __future__ import annotations

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.services.sync.records import check_record, digest
from desktopchat.storage.sync_rows import MESSAGE_COLUMNS
from tests.sync.test_merge import _conversation


def test_the_end_comes_over_with_the_reply(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    conversation, (_question, answer) = _conversation(a, "Essay", "Write long.", "Once upon")
    cut = ReplyEnd(EndKind.CUT_AT_LIMIT, 2048)
    a.store.update_reply(conversation.id, answer.id, text="Once upon", reply_end=cut).result(5)

    a.sync(transport())
    b.sync(transport())

    assert b.store.thread(conversation.id).messages[-1].reply_end == cut
    quiet = a.sync(transport())
    assert (quiet.sent_messages, quiet.sent_conversations) == (0, 0)


def test_a_row_from_before_the_column_is_padded_and_hashes_alike():
    assert MESSAGE_COLUMNS[-1] == "reply_end"
    row = [7, 3, None, "assistant", "Once upon", 1.5, "complete"]
    row += [None] * (len(MESSAGE_COLUMNS) - 1 - len(row))
    row[MESSAGE_COLUMNS.index("web_search")] = '{"searches":1,"sources":[]}'
    old = list(row)  # written by schema 10: no reply_end at all
    record = {"k": "m", "id": 7, "c": 3, "t": 10, "d": "d-1", "x": 0, "r": list(row), "a": []}
    padded = check_record(record)["r"]
    assert len(padded) == len(MESSAGE_COLUMNS) and padded[-1] is None
    assert digest(padded, []) == digest(old, [])  # the first sync after it sends nothing
    assert digest([*old, '{"end":"paused"}'], []) != digest(old, [])
