"""The schema is built from empty by the numbered migrations and only moves forward."""

from __future__ import annotations

import sqlite3

import pytest

from desktopchat.storage import migrations


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
