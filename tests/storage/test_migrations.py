"""The schema is built from empty by the numbered migrations and only moves forward."""

from __future__ import annotations

import sqlite3
from itertools import pairwise

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import MessageStatus, Role, Usage
from desktopchat.storage import migrations
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.usage_rows import usage_groups
from tests.storage.test_search import _assert_index_matches, _assert_indexes_in_sync


@pytest.fixture
def connection():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    yield connection
    connection.close()


def _migrate(connection: sqlite3.Connection) -> list[int]:
    connection.execute("BEGIN IMMEDIATE")
    applied = migrations.migrate(connection)
    connection.execute("COMMIT")
    return applied


def _schema_objects(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = connection.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(kind, name) for kind, name in rows}


def test_numbers_run_from_one_without_gaps():
    assert [m.number for m in migrations.MIGRATIONS] == list(
        range(1, len(migrations.MIGRATIONS) + 1)
    )
    assert len(migrations.MIGRATIONS) == migrations.LATEST_VERSION


def test_an_empty_database_is_version_zero(connection):
    assert migrations.schema_version(connection) == 0


def test_builds_the_whole_schema_from_empty(connection):
    applied = _migrate(connection)

    assert applied == [m.number for m in migrations.MIGRATIONS]
    assert migrations.schema_version(connection) == migrations.LATEST_VERSION
    objects = _schema_objects(connection)
    for expected in [
        ("table", "schema_migrations"),
        ("table", "conversations"),
        ("table", "messages"),
        ("table", "messages_fts"),
        ("table", "conversations_fts"),
        ("table", "id_fields"),
        ("table", "usage_ledger"),
        ("trigger", "usage_ledger_update"),
        ("index", "messages_by_conversation"),
        ("index", "conversations_by_updated"),
        ("trigger", "messages_fts_insert"),
        ("trigger", "messages_fts_delete"),
        ("trigger", "messages_fts_update"),
        ("trigger", "conversations_fts_insert"),
        ("trigger", "conversations_fts_delete"),
        ("trigger", "conversations_fts_update"),
    ]:
        assert expected in objects
    recorded = connection.execute("SELECT number, name FROM schema_migrations ORDER BY number")
    assert [tuple(row) for row in recorded] == [(m.number, m.name) for m in migrations.MIGRATIONS]


def test_running_again_applies_nothing_and_changes_nothing(connection):
    _migrate(connection)
    before = _schema_objects(connection)

    assert _migrate(connection) == []
    assert _schema_objects(connection) == before
    assert connection.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(
        migrations.MIGRATIONS
    )


def test_a_database_ahead_of_the_code_is_refused_untouched(connection):
    _migrate(connection)
    newer = migrations.LATEST_VERSION + 1
    connection.execute(
        "INSERT INTO schema_migrations (number, name, applied) VALUES (?, 'from the future', 0)",
        (newer,),
    )
    before = _schema_objects(connection)

    connection.execute("BEGIN IMMEDIATE")
    with pytest.raises(migrations.SchemaTooNew) as raised:
        migrations.migrate(connection)
    connection.execute("ROLLBACK")

    assert raised.value.version == newer
    assert str(newer) in str(raised.value)
    assert _schema_objects(connection) == before


def test_the_schema_enforces_roles_statuses_and_the_conversation_link(connection):
    _migrate(connection)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("INSERT INTO conversations (created, updated) VALUES (0, 0)")
    insert = (
        "INSERT INTO messages (conversation_id, role, text, created, status)"
        " VALUES (?, ?, 'x', 0, ?)"
    )
    for bad in [(1, "system", "complete"), (1, "user", "done"), (2, "user", "complete")]:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(insert, bad)
    connection.execute(insert, (1, "user", "complete"))


def _database_of_schema_1(path) -> None:
    """A history as DesktopChat wrote it before errors were stored by kind: a failed reply
    with its sentence, an interrupted one, and one a crash left streaming."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied REAL NOT NULL)"
    )
    first = migrations.MIGRATIONS[0]
    for statement in first.statements:
        connection.execute(statement)
    connection.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (first.number, first.name))
    connection.execute("INSERT INTO conversations (title, created, updated) VALUES ('Old', 0, 0)")
    connection.executemany(
        "INSERT INTO messages (conversation_id, role, text, created, status, error)"
        " VALUES (1, ?, ?, 0, ?, ?)",
        [
            ("user", "apricot question", "complete", None),
            ("assistant", "apricot half", "failed", "The OpenAI key was refused (HTTP 401)."),
            ("assistant", "apricot cut", "interrupted", None),
            ("assistant", "apricot streaming", "streaming", None),
        ],
    )
    connection.execute("COMMIT")
    connection.close()


def test_a_database_of_the_previous_schema_is_upgraded_with_nothing_lost(tmp_path):
    path = tmp_path / "history.db"
    _database_of_schema_1(path)

    db, problem = open_database(path)
    store = ConversationStore(db)
    try:
        assert problem is None
        assert store.recover_interrupted().result() == 1
        messages = store.messages(1)
        found = {hit.message_id for hit in store.search("apricot")}
    finally:
        store.close()
        db.close()
    reopened = sqlite3.connect(path)
    assert migrations.schema_version(reopened) == migrations.LATEST_VERSION
    reopened.close()

    assert [(m.text, m.status) for m in messages] == [
        ("apricot question", MessageStatus.COMPLETE),
        ("apricot half", MessageStatus.FAILED),
        ("apricot cut", MessageStatus.INTERRUPTED),
        ("apricot streaming", MessageStatus.INTERRUPTED),
    ]
    failed = messages[1]
    assert failed.error_text == "The OpenAI key was refused (HTTP 401)."
    assert failed.error is None  # no kind: shown with its old words, as before
    assert all(m.error is None and m.error_text is None for m in messages[2:])
    assert found == {m.id for m in messages}  # the search index came through too


def test_a_failed_reply_keeps_its_kind_and_details_across_a_reopen(tmp_path):
    path = tmp_path / "history.db"
    refused = ChatError(ErrorKind.AUTH, provider="OpenAI", model="gpt-4o", status=401)
    db, _problem = open_database(path)
    store = ConversationStore(db)
    conversation = store.create_conversation().result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).result()
    store.update_reply(
        reply.conversation_id, reply.id, text="half", status=MessageStatus.FAILED, error=refused
    )
    store.close()
    db.close()

    db, _problem = open_database(path)
    store = ConversationStore(db)
    try:
        stored = store.get_message(reply.id)
    finally:
        store.close()
        db.close()

    assert stored.error == refused
    assert stored.error.key_problem
    assert (stored.error.model, stored.error.status) == ("gpt-4o", 401)
    assert stored.error_text is None


def _database_of_schema_2(path) -> None:
    """A history as the release before trees wrote it: two linear conversations, one with a
    failed reply stored by kind, an interrupted one and one a crash left streaming."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied REAL NOT NULL)"
    )
    for migration in migrations.MIGRATIONS[:2]:
        for statement in migration.statements:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, 0)", (migration.number, migration.name)
        )
    connection.execute("INSERT INTO conversations (title, created, updated) VALUES ('A', 0, 0)")
    connection.execute("INSERT INTO conversations (title, created, updated) VALUES ('B', 0, 0)")
    connection.executemany(
        "INSERT INTO messages (conversation_id, role, text, created, status, error_kind,"
        " input_tokens) VALUES (?, ?, ?, 0, ?, ?, ?)",
        [
            (1, "user", "plum one", "complete", None, None),
            (2, "user", "other conversation", "complete", None, None),
            (1, "assistant", "plum answer", "complete", None, 12),
            (1, "user", "plum two", "complete", None, None),
            (1, "assistant", "", "failed", "network", None),
            (1, "assistant", "plum cut", "interrupted", None, None),
            (1, "user", "plum three", "complete", None, None),
            (1, "assistant", "plum streaming", "streaming", None, None),
        ],
    )
    connection.execute("COMMIT")
    connection.close()


def test_linear_conversations_become_one_path_each_with_nothing_lost(tmp_path):
    path = tmp_path / "history.db"
    _database_of_schema_2(path)

    db, problem = open_database(path)
    store = ConversationStore(db)
    try:
        assert problem is None
        store.recover_interrupted().result()
        first, second = store.thread(1), store.thread(2)
        conversation = store.get_conversation(1)
        found = {hit.message_id for hit in store.search("plum")}
    finally:
        store.close()
        db.close()

    assert [(m.role, m.text, m.status) for m in first.messages] == [
        (Role.USER, "plum one", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "plum answer", MessageStatus.COMPLETE),
        (Role.USER, "plum two", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "", MessageStatus.FAILED),
        (Role.ASSISTANT, "plum cut", MessageStatus.INTERRUPTED),
        (Role.USER, "plum three", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "plum streaming", MessageStatus.INTERRUPTED),
    ]
    assert first.siblings == {}
    assert first.messages[0].parent_id is None
    assert all(m.parent_id == p.id for p, m in pairwise(first.messages))
    assert first.messages[1].usage.input_tokens == 12
    assert first.messages[3].error == ChatError(ErrorKind.NETWORK)
    assert conversation.current_leaf_id == first.messages[-1].id
    assert [m.text for m in second.messages] == ["other conversation"]
    assert found == {m.id for m in first.messages if "plum" in m.text}


def _database_of_schema(path, number: int) -> sqlite3.Connection:
    """An open connection to a new file built by the first `number` migrations, as the
    release that stopped there left it; the caller adds rows and closes it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied REAL NOT NULL)"
    )
    for migration in migrations.MIGRATIONS[:number]:
        for statement in migration.statements:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, 0)", (migration.number, migration.name)
        )
    return connection


def test_usage_of_stored_replies_enters_the_ledger_and_outlives_their_deletion(tmp_path):
    path = tmp_path / "history.db"
    connection = _database_of_schema(path, 4)
    connection.execute("INSERT INTO conversations (title, created, updated) VALUES ('A', 0, 0)")
    connection.executemany(
        "INSERT INTO messages (conversation_id, role, text, created, provider, model,"
        " input_tokens, output_tokens, cost) VALUES (1, ?, ?, 86400, 'openai', 'gpt', ?, ?, ?)",
        [
            ("user", "question", None, None, None),
            ("assistant", "priced", 10, 5, 0.25),
            ("assistant", "unpriced", 20, 7, None),
            ("assistant", "no usage reported", None, None, None),
        ],
    )
    connection.execute("COMMIT")
    connection.close()

    db, problem = open_database(path)
    store = ConversationStore(db)
    try:
        assert problem is None
        upgraded = usage_groups(store)
        reply = store.add_message(1, Role.ASSISTANT, "new", provider="openai", model="gpt")
        store.update_reply(1, reply.value.id, text="new", usage=Usage(1, 2, estimated=True))
        store.delete_conversation(1).result()
        after = usage_groups(store)
    finally:
        store.close()
        db.close()

    assert [(g.replies, g.input_tokens, g.output_tokens, g.cost, g.unpriced) for g in upgraded] == [
        (2, 30, 12, 0.25, 1)
    ]
    assert [(g.replies, g.input_tokens, g.output_tokens, g.estimated) for g in after] == [
        (2, 30, 12, 0),
        (1, 1, 2, 1),
    ], "the day of the upgraded replies, then today's"


def test_search_indexes_are_rebuilt_with_longer_prefixes_finding_everything(tmp_path):
    # P7: "conf" merged the lists of every word it starts at query time; migration 6 adds
    # prefix indexes up to six characters, which means filling every index again.
    path = tmp_path / "history.db"
    connection = _database_of_schema(path, 5)
    connection.execute(
        "INSERT INTO conversations (title, created, updated) VALUES ('Conference plans', 0, 0)"
    )
    words = ["configuration", "confident", "conference", "Confluence", "confér"]
    connection.executemany(
        "INSERT INTO messages (conversation_id, role, text, created, status)"
        " VALUES (1, ?, ?, 0, ?)",
        [("user", f"about {word} here", "complete") for word in words]
        + [
            ("assistant", "nothing to see", "complete"),
            ("assistant", "a confession cut short", "interrupted"),
            ("assistant", "still confabulating", "streaming"),
        ],
    )
    connection.execute(
        "INSERT INTO message_attachments (message_id, position, kind, name, mime, size, text)"
        " VALUES (6, 0, 'document', 'notes.txt', 'text/plain', 9, 'confetti budget')"
    )
    connection.execute("COMMIT")
    connection.close()

    db, problem = open_database(path)
    store = ConversationStore(db)
    try:
        assert problem is None
        options = db.query("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'")[0][0]
        before_recovery = store.search("conf")
        _assert_indexes_in_sync(db)
        store.recover_interrupted().result()
        after_recovery = store.search("conf")
        attachment_hits = store.search("confetti")
        _assert_indexes_in_sync(db)
        _assert_index_matches(
            db,
            "attachments_fts",
            "SELECT id, text FROM message_attachments WHERE text IS NOT NULL",
        )
    finally:
        store.close()
        db.close()

    assert "prefix = '2 3 4 5 6'" in options
    texts = {hit.snippet.replace("\x02", "").replace("\x03", "") for hit in before_recovery}
    assert "Conference plans" in texts, "the title"
    assert {hit.message_id for hit in before_recovery if hit.message_id} == {1, 2, 3, 4, 5, 6, 7}
    assert 8 in {hit.message_id for hit in after_recovery}, "indexed once no longer streaming"
    assert [(hit.message_id, hit.attachment_name) for hit in attachment_hits] == [(6, "notes.txt")]
