"""A reply's short end in the history (migration 11): a history of the previous schema is
upgraded with its messages whole and the new column empty; the fact is saved by the final
update, read back, and written by imports."""

from __future__ import annotations

import sqlite3

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.domain.types import Conversation, Message, MessageStatus, Role
from desktopchat.storage import migrations
from desktopchat.storage.imports import WholeConversation
from tests.storage.old_schemas import opened_history, schema_before

CUT = ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)


def _database_before_reply_ends(path) -> None:
    """A history as the previous release left it: schema 10, one question and its reply."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    schema_before(connection, 11)
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated, current_leaf_id)"
        " VALUES (1, 'Old', 1.0, 2.0, 3)"
    )
    connection.execute(
        "INSERT INTO messages (id, conversation_id, role, text, created, status)"
        " VALUES (2, 1, 'user', 'apricot question', 1.0, 'complete')"
    )
    connection.execute(
        "INSERT INTO messages (id, conversation_id, parent_id, role, text, created, status,"
        " web_search) VALUES (3, 1, 2, 'assistant', 'apricot answer', 1.5, 'complete',"
        ' \'{"searches":1,"sources":[]}\')'
    )
    connection.execute("COMMIT")
    connection.close()


def test_a_history_of_schema_10_is_upgraded_with_its_messages_whole(tmp_path):
    path = tmp_path / "history.db"
    _database_before_reply_ends(path)

    with opened_history(path) as store:
        messages = store.messages(1)
        found = {hit.message_id for hit in store.search("apricot")}
    reopened = sqlite3.connect(path)
    try:
        assert migrations.schema_version(reopened) == migrations.LATEST_VERSION
        stored = reopened.execute("SELECT id, reply_end FROM messages ORDER BY id").fetchall()
    finally:
        reopened.close()

    assert [(m.id, m.text, m.status) for m in messages] == [
        (2, "apricot question", MessageStatus.COMPLETE),
        (3, "apricot answer", MessageStatus.COMPLETE),
    ]
    assert messages[1].web_search.searches == 1  # the columns before it untouched
    assert all(m.reply_end is None for m in messages)
    assert stored == [(2, None), (3, None)]
    assert found == {2, 3}


def test_the_final_update_saves_it_and_a_later_one_keeps_it(store):
    conversation = store.create_conversation(provider="openai", model="gpt-4o").result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).value
    store.update_reply(conversation.id, reply.id, text="Half", reply_end=CUT)
    assert store.messages(conversation.id)[-1].reply_end == CUT  # pending, read through
    assert store.wait_written(10)
    store.update_reply(conversation.id, reply.id, text="Half a", status=MessageStatus.COMPLETE)
    assert store.wait_written(10)
    assert store.get_message(reply.id).reply_end == CUT


def test_an_import_writes_it(store):
    header = Conversation(id=60, title="t", created=0.0, updated=0.0, current_leaf_id=62)
    messages = [
        Message(id=61, conversation_id=60, role=Role.USER, text="q", created=0.0),
        Message(62, 60, Role.ASSISTANT, "a", 0.0, parent_id=61, reply_end=CUT),
    ]
    store.add_whole_conversations([WholeConversation(header, messages, "x:1", {})]).result()
    assert store.thread(60).messages[-1].reply_end == CUT
