"""Full-text search: whatever a person types, the right rows, highlighted, never an error."""

from __future__ import annotations

import sqlite3

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.db import Database
from desktopchat.storage.history import SNIPPET_END, SNIPPET_START, ConversationStore
from desktopchat.storage.migrations import FTS_OPTIONS
from desktopchat.storage.search import fts5_query


def _mark(word: str) -> str:
    return f"{SNIPPET_START}{word}{SNIPPET_END}"


def _message_ids(store: ConversationStore, query: str) -> set[int]:
    return {hit.message_id for hit in store.search(query) if hit.message_id is not None}


def _indexed(connection: sqlite3.Connection, schema: str, table: str) -> list[tuple]:
    """Every (word, rowid, position) an FTS5 index holds, read from the index itself."""
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab({schema}, {table}, instance)"
    )
    try:
        return connection.execute(
            "SELECT term, doc, offset FROM temp.vocabulary ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        connection.execute("DROP TABLE temp.vocabulary")


def _assert_index_matches(db: Database, table: str, expected_rows_sql: str) -> None:
    """The index holds exactly what a fresh index of `expected_rows_sql` would hold: no
    stale words of an old text, no row missing. (FTS5's own integrity-check does not
    compare an external-content index with its table in this SQLite version.)"""
    with db.transaction() as connection:
        connection.execute(f"CREATE VIRTUAL TABLE temp.reference USING fts5(x, {FTS_OPTIONS})")
        try:
            connection.execute(f"INSERT INTO temp.reference (rowid, x) {expected_rows_sql}")
            assert _indexed(connection, "main", table) == _indexed(connection, "temp", "reference")
        finally:
            connection.execute("DROP TABLE temp.reference")


def _assert_indexes_in_sync(db: Database) -> None:
    _assert_index_matches(
        db, "messages_fts", "SELECT id, text FROM messages WHERE status != 'streaming'"
    )
    _assert_index_matches(db, "conversations_fts", "SELECT id, title FROM conversations")


@pytest.fixture
def corpus(store):
    """A few messages with awkward text, by name."""
    trip = store.create_conversation(title="Trip to Paris").result()
    code = store.create_conversation(title="Shell scripting").result()
    ids = {}
    last: dict[int, int] = {}  # each conversation one path: a message answers the one before
    for name, conversation, role, text in [
        ("cafe", trip, Role.USER, "Which café near the Seine opens early?"),
        ("quote", trip, Role.ASSISTANT, 'Try "Le Flore" — don\'t miss the croissants 🥐.'),
        ("flags", code, Role.USER, "What does rm -rf * do? And NEAR(x) AND y?"),
        ("japanese", code, Role.ASSISTANT, "日本語のテキストです and emoji 🎉 too"),
        ("configuration", code, Role.ASSISTANT, "Edit the configuration file, then reload."),
    ]:
        parent = last.get(conversation.id)
        ids[name] = store.add_message(conversation.id, role, text, parent_id=parent).result().id
        last[conversation.id] = ids[name]
    return ids


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        "'",
        "-",
        "--",
        "*",
        "**",
        "^",
        ":",
        "(",
        ")",
        "()",
        "{a b}",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR(a b, 2)",
        "a AND",
        "AND OR NOT",
        "text:foo",
        "rowid:1",
        "-rf",
        "rm -rf *",
        'don"t',
        "\x00",
        "\x02\x03",
        "🎉",
        "🥐 café",
        "\u0301",
        "ﬁ",
        "日本",
        "a" * 5000,
        " ".join(["the"] * 500),
    ],
)
def test_awkward_input_never_raises(store, corpus, query):
    hits = store.search(query)

    assert isinstance(hits, list)
    assert len(hits) <= 50


def test_empty_and_wordless_queries_find_nothing(store, corpus):
    for query in ["", "   \t\n", "🎉", "- * ( ) \"'", "\u0301"]:
        assert store.search(query) == []
        assert fts5_query(query) is None


def test_finds_the_message_and_marks_the_match(store, corpus):
    hits = store.search("croissants")

    assert len(hits) == 1
    hit = hits[0]
    assert (hit.message_id, hit.role, hit.conversation_title) == (
        corpus["quote"],
        Role.ASSISTANT,
        "Trip to Paris",
    )
    assert store.get_message(hit.message_id).conversation_id == hit.conversation_id
    assert _mark("croissants") in hit.snippet


def test_words_are_prefixes_and_all_of_them_must_match(store, corpus):
    assert _message_ids(store, "config") == {corpus["configuration"]}
    assert _message_ids(store, "config reload") == {corpus["configuration"]}
    assert _message_ids(store, "config croissants") == set()


def test_case_and_diacritics_are_ignored(store, corpus):
    for query in ["CAFE", "café", "Cafe"]:
        hits = store.search(query)
        assert [h.message_id for h in hits] == [corpus["cafe"]]
        assert _mark("café") in hits[0].snippet


def test_syntax_characters_are_searched_as_text(store, corpus):
    assert _message_ids(store, "NEAR(x)") == {corpus["flags"]}
    assert _message_ids(store, "AND y") == {corpus["flags"]}
    assert _message_ids(store, "-rf") == {corpus["flags"]}
    assert _message_ids(store, '"Le Flore"') == {corpus["quote"]}
    assert _message_ids(store, "don't") == {corpus["quote"]}
    assert _message_ids(store, "rm -rf *") == {corpus["flags"]}


def test_unicode_text_and_emoji_around_words(store, corpus):
    assert _message_ids(store, "日本語") == {corpus["japanese"]}
    assert _message_ids(store, "🎉 emoji") == {corpus["japanese"]}
    assert _message_ids(store, "croissants 🥐") == {corpus["quote"]}


def test_a_one_letter_word_matches_only_that_letter(store):
    conversation = store.create_conversation().result()
    letter = store.add_message(conversation.id, Role.USER, "plan b then").result().id
    store.add_message(conversation.id, Role.USER, "because").result()

    assert _message_ids(store, "b") == {letter}


def test_conversation_titles_match_first(store, corpus):
    hits = store.search("paris")

    assert hits[0].message_id is None and hits[0].role is None
    assert hits[0].conversation_title == "Trip to Paris"
    assert hits[0].snippet == f"Trip to {_mark('Paris')}"


def test_best_matches_come_first_and_the_limit_holds(store):
    conversation = store.create_conversation().result()
    once = store.add_message(conversation.id, Role.USER, "kiwi and a long line " * 5).result().id
    often = store.add_message(conversation.id, Role.USER, "kiwi kiwi kiwi, kiwi").result().id
    for _ in range(5):
        store.add_message(conversation.id, Role.USER, "kiwi " + "filler " * 30).result()

    assert store.search("kiwi")[0].message_id == often
    assert once in {h.message_id for h in store.search("kiwi")}
    assert len(store.search("kiwi", limit=3)) == 3
    assert store.search("kiwi", limit=0) == []


def test_deleted_messages_and_conversations_leave_the_index(db, store, corpus):
    store.delete_from(
        store.get_message(corpus["japanese"]).conversation_id, corpus["japanese"], None
    ).result()
    assert _message_ids(store, "emoji") == set()
    assert _message_ids(store, "config") == set()

    trip = store.get_message(corpus["cafe"]).conversation_id
    store.delete_conversation(trip).result()
    assert store.search("croissants") == []
    assert store.search("paris") == []
    _assert_indexes_in_sync(db)


def test_edits_and_renames_are_reindexed(db, store, corpus):
    conversation_id = store.get_message(corpus["cafe"]).conversation_id
    store.update_reply(conversation_id, corpus["cafe"], text="Which bakery is open?").result()
    store.rename_conversation(conversation_id, "Weekend in Lyon").result()

    assert _message_ids(store, "café") == set()
    assert _message_ids(store, "bakery") == {corpus["cafe"]}
    assert store.search("paris") == []
    assert [h.conversation_id for h in store.search("lyon")] == [conversation_id]
    _assert_indexes_in_sync(db)


def test_a_streaming_reply_is_searchable_once_it_ends(db, store):
    conversation = store.create_conversation().result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.update_reply(reply.conversation_id, reply.id, text="pineapple so far").result()
    assert store.search("pineapple") == []

    store.update_reply(
        reply.conversation_id, reply.id, text="pineapple pizza", status=MessageStatus.COMPLETE
    ).result()

    assert _message_ids(store, "pizza") == {reply.id}
    store.update_reply(
        reply.conversation_id,
        reply.id,
        text="mango pizza",
        status=MessageStatus.FAILED,
        error=ChatError(ErrorKind.CUT_STREAM),
    ).result()
    assert _message_ids(store, "pineapple") == set()
    assert _message_ids(store, "mango") == {reply.id}
    _assert_indexes_in_sync(db)


def test_an_interrupted_reply_is_indexed_when_recovered(db, store):
    conversation = store.create_conversation().result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "half a papaya", status=MessageStatus.STREAMING
    ).result()
    store.recover_interrupted().result()

    assert _message_ids(store, "papaya") == {reply.id}
    _assert_indexes_in_sync(db)


def test_deleting_a_reply_while_it_streams_keeps_the_index_whole(db, store):
    conversation = store.create_conversation().result()
    store.add_message(conversation.id, Role.USER, "question about lemons").result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.update_reply(reply.conversation_id, reply.id, text="lemons are").result()

    store.delete_from(conversation.id, reply.id, None).result()

    assert len(store.search("lemons")) == 1
    _assert_indexes_in_sync(db)


def test_the_sync_check_notices_a_stale_index(db, store):
    conversation = store.create_conversation().result()
    message = store.add_message(conversation.id, Role.USER, "old words").result()
    with db.transaction() as connection:
        connection.execute("DROP TRIGGER messages_fts_update")
        connection.execute("UPDATE messages SET text = 'new words' WHERE id = ?", (message.id,))

    with pytest.raises(AssertionError):
        _assert_indexes_in_sync(db)
