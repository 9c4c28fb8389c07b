"""Whole conversations written for an import or a merged backup: all of one or none of it,
never over what is there."""

from __future__ import annotations

from desktopchat.domain.types import Conversation, Message, Role, Usage
from desktopchat.storage.imports import WholeConversation
from desktopchat.storage.usage_rows import usage_groups


def whole(conversation_id: int, message_ids: list[int], origin: str | None) -> WholeConversation:
    messages = [
        Message(m, conversation_id, Role.USER, f"text {m}", 1.0, parent_id=None if n == 0 else p)
        for n, (m, p) in enumerate(zip(message_ids, [None, *message_ids], strict=False))
    ]
    header = Conversation(
        conversation_id, f"c{conversation_id}", 1.0, 2.0, current_leaf_id=message_ids[-1]
    )
    return WholeConversation(header, messages, origin, {})


def test_a_conversation_that_cannot_be_written_leaves_nothing_and_the_others_land(store):
    first = store.add_whole_conversations([whole(10, [11, 12], "x:1")]).result()
    assert first.added == [10]
    clash = whole(20, [21, 12], "x:2")  # message 12 is taken: the whole of 20 is refused
    change = store.add_whole_conversations([clash, whole(30, [31], "x:3")]).result()
    assert change.added == [30]
    assert [title for title, _reason in change.failed] == ["c20"]
    assert store.get_conversation(20) is None
    assert store.get_message(21) is None
    assert {c.id for c in store.list_conversations()} == {10, 30}


def test_an_origin_or_an_id_already_there_is_skipped_untouched(store):
    store.add_whole_conversations([whole(10, [11], "x:1")]).result()
    renamed = whole(40, [41], "x:1")  # same origin, new ids: already imported
    same_id = whole(10, [51], None)  # same conversation id (a merged backup)
    change = store.add_whole_conversations([renamed, same_id]).result()
    assert change.added == [] and change.failed == []
    assert [m.text for m in store.messages(10)] == ["text 11"]
    assert store.thread(10).messages[-1].id == 11


def test_usage_of_an_imported_reply_is_shown_but_not_added_to_the_ledger(store):
    # Re-importing our own export of a conversation must not count its spending twice:
    # the ledger (migration 5) is written when a reply's usage is saved, not by imports.
    header = Conversation(id=50, title="t", created=0.0, updated=0.0, current_leaf_id=52)
    messages = [
        Message(id=51, conversation_id=50, role=Role.USER, text="q", created=0.0),
        Message(
            id=52,
            conversation_id=50,
            role=Role.ASSISTANT,
            text="a",
            created=0.0,
            parent_id=51,
            usage=Usage(10, 20, cost=0.5),
        ),
    ]
    store.add_whole_conversations([WholeConversation(header, messages, "x:9", {})]).result()

    assert store.get_message(52).usage == Usage(10, 20, cost=0.5)
    assert usage_groups(store) == []


def test_estimated_usage_is_written_as_estimated(store):
    # A merged backup or an import of our export keeps the mark (migration 5's column).
    header = Conversation(id=60, title="t", created=0.0, updated=0.0, current_leaf_id=61)
    estimated = Usage(3, 4, estimated=True)
    reply = Message(61, 60, Role.ASSISTANT, "a", 0.0, usage=estimated)
    store.add_whole_conversations([WholeConversation(header, [reply], None, {})]).result()

    assert store.get_message(61).usage == estimated
