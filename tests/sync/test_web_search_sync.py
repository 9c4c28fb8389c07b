"""A conversation's web search choice and a reply's sources cross computers, and rows
written before their columns existed still read and hash as they did."""

from __future__ import annotations

from desktopchat.domain.web_search import Citation, WebSearch
from desktopchat.services.sync.records import check_record, digest
from desktopchat.storage.sync_rows import MESSAGE_COLUMNS
from tests.sync.test_merge import _conversation


def test_the_choice_and_the_sources_come_over(place, homes):
    transport, _ = place
    a, b = homes("a"), homes("b")
    conversation, (_question, answer) = _conversation(a, "Rain", "Will it rain?", "Yes.")
    a.store.update_conversation(conversation.id, web_search=True).result(5)
    sources = WebSearch(2, (Citation("Météo", "https://example.org/m", "Rain on Tuesday."),))
    a.store.update_reply(conversation.id, answer.id, text="Yes.", web_search=sources).result(5)

    a.sync(transport())
    b.sync(transport())

    assert b.store.get_conversation(conversation.id).web_search is True
    assert b.store.thread(conversation.id).messages[-1].web_search == sources
    quiet = a.sync(transport())
    assert (quiet.sent_messages, quiet.sent_conversations) == (0, 0)


def test_rows_from_before_the_late_columns_are_padded_and_hash_alike():
    row = [7, 3, None, "user", "hi", 1.5, "complete"]
    row += [None] * (MESSAGE_COLUMNS.index("tool_steps") - len(row))
    old = list(row)
    record = {"k": "m", "id": 7, "c": 3, "t": 10, "d": "d-1", "x": 0, "r": list(row), "a": []}
    assert len(check_record(record)["r"]) == len(MESSAGE_COLUMNS)
    assert digest(record["r"], []) == digest(old, [])
    with_tools = [*old, '{"steps":[]}']
    assert digest([*with_tools, None], []) == digest(with_tools, [])
    assert digest([*old, None, None, '{"searches":1}'], []) != digest(old, [])
