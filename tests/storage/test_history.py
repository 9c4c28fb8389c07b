"""ConversationStore: conversations, messages, streaming updates and crash recovery."""

from __future__ import annotations

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import Conversation, MessageStatus, Role, Usage
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore


def _conversation_with(store: ConversationStore, *texts: str) -> Conversation:
    """A conversation of one path: each message answers the one before."""
    conversation = store.create_conversation(title="t").result()
    parent = None
    for index, text in enumerate(texts):
        parent = (
            store.add_message(
                conversation.id,
                Role.USER if index % 2 == 0 else Role.ASSISTANT,
                text,
                parent_id=parent,
            )
            .result()
            .id
        )
    return conversation


def test_create_and_get_a_conversation(store):
    created = store.create_conversation(
        title="Trip", provider="openai", model="gpt-x", temperature=0.3, system_prompt="Be brief."
    ).result()

    assert store.get_conversation(created.id) == created
    assert (created.title, created.provider, created.model) == ("Trip", "openai", "gpt-x")
    assert (created.temperature, created.system_prompt) == (0.3, "Be brief.")
    assert created.created == created.updated


def test_defaults_and_a_missing_conversation(store):
    created = store.create_conversation().result()

    assert (created.title, created.provider, created.model, created.temperature) == (
        "",
        None,
        None,
        None,
    )
    assert created.system_prompt == ""
    assert store.get_conversation(created.id + 1000) is None


def test_list_is_most_recently_updated_first_and_can_be_limited(store):
    first = store.create_conversation(title="first").result()
    second = store.create_conversation(title="second").result()
    third = store.create_conversation(title="third").result()
    store.add_message(first.id, Role.USER, "bump").result()

    assert [c.id for c in store.list_conversations()] == [first.id, third.id, second.id]
    assert [c.id for c in store.list_conversations(limit=2)] == [first.id, third.id]


def test_settings_changes_do_not_reorder_the_list(store):
    older = store.create_conversation(title="older").result()
    newer = store.create_conversation(title="newer").result()

    store.update_conversation(
        older.id, provider="anthropic", model="claude", temperature=None, system_prompt="Hi"
    ).result()
    changed = store.get_conversation(older.id)
    store.rename_conversation(older.id, "Renamed").result()
    renamed = store.get_conversation(older.id)

    assert (changed.provider, changed.model, changed.system_prompt) == ("anthropic", "claude", "Hi")
    assert renamed.title == "Renamed"
    assert renamed.updated == older.updated
    assert [c.id for c in store.list_conversations()] == [newer.id, older.id]


def test_update_conversation_rejects_unknown_fields_and_missing_conversations(store):
    conversation = store.create_conversation(title="x").result()

    with pytest.raises(TypeError, match="updated"):
        store.update_conversation(conversation.id, updated=0)
    with pytest.raises(KeyError):
        store.update_conversation(conversation.id + 1, title="nobody").result()
    assert store.get_conversation(conversation.id).title == "x"


def test_add_message_stores_every_field_and_bumps_the_conversation(store):
    conversation = store.create_conversation(title="c").result()

    message = store.add_message(
        conversation.id,
        Role.ASSISTANT,
        "",
        status=MessageStatus.STREAMING,
        provider="groq",
        model="llama",
    ).result()

    assert store.get_message(message.id) == message
    assert (message.role, message.status, message.provider, message.model) == (
        Role.ASSISTANT,
        MessageStatus.STREAMING,
        "groq",
        "llama",
    )
    assert message.usage is None and message.error is None and message.duration is None
    assert store.get_conversation(conversation.id).updated == message.created
    assert store.get_message(message.id + 1000) is None


def test_adding_to_a_missing_conversation_raises_key_error(store):
    gone = store.create_conversation(title="gone").result()
    store.delete_conversation(gone.id)

    with pytest.raises(KeyError):
        store.add_message(gone.id, Role.USER, "hello?").result()
    assert store.messages(gone.id) == []
    assert store.wait_written(5), "the failed change left the queue"


def test_messages_come_back_in_conversation_order(store):
    conversation = _conversation_with(store, "one", "two", "three")
    other = _conversation_with(store, "elsewhere")

    assert [m.text for m in store.messages(conversation.id)] == ["one", "two", "three"]
    assert [m.role for m in store.messages(conversation.id)] == [
        Role.USER,
        Role.ASSISTANT,
        Role.USER,
    ]
    assert len(store.messages(conversation.id)) == 3
    assert len(store.messages(other.id)) == 1


def test_the_thread_is_the_path_to_the_newest_message(store):
    conversation = _conversation_with(store, *[f"m{i}" for i in range(10)])

    thread = store.thread(conversation.id)

    assert [m.text for m in thread.messages] == [f"m{i}" for i in range(10)]
    assert thread.siblings == {}
    assert store.get_conversation(conversation.id).current_leaf_id == thread.messages[-1].id


def test_update_reply_while_streaming_and_at_the_end(store):
    conversation = _conversation_with(store, "question")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()

    store.update_reply(reply.conversation_id, reply.id, text="Hel")
    partial = store.get_message(reply.id)
    assert (partial.text, partial.status) == ("Hel", MessageStatus.STREAMING)

    store.update_reply(
        reply.conversation_id,
        reply.id,
        text="Hello",
        status=MessageStatus.COMPLETE,
        usage=Usage(input_tokens=12, output_tokens=3),
        duration=1.25,
    )
    final = store.get_message(reply.id)
    assert (final.text, final.status) == ("Hello", MessageStatus.COMPLETE)
    assert final.usage == Usage(12, 3)
    assert final.duration == 1.25
    assert final.error is None


def test_update_reply_keeps_what_it_is_not_given(store):
    conversation = _conversation_with(store, "q")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.update_reply(
        reply.conversation_id,
        reply.id,
        text="partial",
        status=MessageStatus.FAILED,
        usage=Usage(output_tokens=2),
        error=ChatError(ErrorKind.CUT_STREAM, provider="OpenAI"),
    )

    store.update_reply(reply.conversation_id, reply.id, text="partial, more")

    message = store.get_message(reply.id)
    assert message.text == "partial, more"
    assert message.status == MessageStatus.FAILED
    assert message.usage == Usage(None, 2)
    assert message.error == ChatError(ErrorKind.CUT_STREAM, provider="OpenAI")


def test_update_reply_on_a_deleted_message_changes_nothing(store):
    conversation = _conversation_with(store, "q")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.delete_from(conversation.id, reply.id, reply.parent_id)

    store.update_reply(
        reply.conversation_id, reply.id, text="late delta", status=MessageStatus.COMPLETE
    )

    assert store.get_message(reply.id) is None
    assert [m.text for m in store.messages(conversation.id)] == ["q"]


def test_deleted_ids_are_never_reused(store):
    conversation = _conversation_with(store, "q")
    reply = store.add_message(conversation.id, Role.ASSISTANT, "old").result()
    store.delete_from(conversation.id, reply.id, None)

    replacement = store.add_message(conversation.id, Role.ASSISTANT, "new").result()

    assert replacement.id > reply.id


def test_delete_from_removes_that_message_and_everything_below_it(store):
    conversation = _conversation_with(store, "a", "b", "c", "d")
    other = _conversation_with(store, "untouched")
    first, second = store.messages(conversation.id)[:2]

    store.delete_from(conversation.id, second.id, first.id).result()
    assert [m.text for m in store.messages(conversation.id)] == ["a"]
    assert [m.text for m in store.messages(other.id)] == ["untouched"]
    assert store.get_conversation(conversation.id).current_leaf_id == first.id
    store.delete_from(conversation.id, second.id, first.id).result()
    assert [m.text for m in store.messages(conversation.id)] == ["a"]


def test_delete_conversation_takes_its_messages(store):
    doomed = _conversation_with(store, "a", "b")
    kept = _conversation_with(store, "c")
    doomed_ids = [m.id for m in store.messages(doomed.id)]

    store.delete_conversation(doomed.id)

    assert store.get_conversation(doomed.id) is None
    assert all(store.get_message(i) is None for i in doomed_ids)
    assert [c.id for c in store.list_conversations()] == [kept.id]


def test_recover_interrupted_marks_only_streaming_replies(store):
    conversation = _conversation_with(store, "q1", "a1")
    streaming = store.add_message(
        conversation.id, Role.ASSISTANT, "half a", status=MessageStatus.STREAMING
    ).result()
    failed = store.add_message(
        conversation.id, Role.ASSISTANT, "x", status=MessageStatus.FAILED
    ).result()

    assert store.recover_interrupted().result() == 1
    assert store.get_message(streaming.id).status == MessageStatus.INTERRUPTED
    assert store.get_message(streaming.id).text == "half a"
    assert store.get_message(failed.id).status == MessageStatus.FAILED
    assert {m.status for m in store.messages(conversation.id)[:2]} == {MessageStatus.COMPLETE}
    assert store.recover_interrupted().result() == 0


def test_a_streamed_reply_survives_a_reopen_and_is_recovered(db_path):
    db, _ = open_database(db_path)
    store = ConversationStore(db)
    conversation = _conversation_with(store, "question")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.update_reply(reply.conversation_id, reply.id, text="received so far").result()
    # No close: as after a kill, only what each transaction committed is on disk.
    other_db, problem = open_database(db_path)
    reopened = ConversationStore(other_db)
    try:
        assert problem is None
        assert reopened.recover_interrupted().result() == 1
        message = reopened.get_message(reply.id)
        assert (message.text, message.status) == ("received so far", MessageStatus.INTERRUPTED)
    finally:
        reopened.close()
        store.close()


def test_writes_naming_another_conversations_message_leave_it_alone(store):
    # R8: an id given twice once let one instance's streaming reply overwrite the other
    # instance's question. Every write to a message now names its conversation too.
    mine = _conversation_with(store, "my question")
    theirs = _conversation_with(store, "their question", "their answer")
    their_question, their_answer = store.messages(theirs.id)

    queued = [
        store.update_reply(
            mine.id, their_question.id, text="my reply", status=MessageStatus.FAILED
        ),
        store.set_left_out(mine.id, [their_answer.id], True),
        store.delete_from(mine.id, their_question.id, None),
    ]
    seen_before_written = store.messages(theirs.id)
    for written in queued:
        written.result()

    for found in (seen_before_written, store.messages(theirs.id)):
        assert [(m.text, m.status, m.left_out) for m in found] == [
            ("their question", MessageStatus.COMPLETE, False),
            ("their answer", MessageStatus.COMPLETE, False),
        ]
    assert [m.text for m in store.messages(mine.id)] == ["my question"]


def test_a_reply_is_updated_in_its_own_conversation(store):
    conversation = _conversation_with(store, "q")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.set_left_out(conversation.id, [reply.id], True)
    store.update_reply(conversation.id, reply.id, text="a", status=MessageStatus.COMPLETE)
    store.wait_written(5)

    found = store.get_message(reply.id)
    assert (found.text, found.status, found.left_out) == ("a", MessageStatus.COMPLETE, True)
