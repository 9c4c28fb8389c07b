"""Histories as earlier releases left them, for the tests of a schema step: the steps
before it applied and recorded, and the history opened (and so upgraded) as the app does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktopchat.storage import migrations
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore


def schema_before(connection: sqlite3.Connection, number: int) -> None:
    """Apply and record every migration numbered below `number` (inside the caller's
    transaction)."""
    connection.execute(
        "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied REAL NOT NULL)"
    )
    for migration in migrations.MIGRATIONS:
        if migration.number < number:
            for statement in migration.statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 0)", (migration.number, migration.name)
            )


@contextmanager
def opened_history(path: Path) -> Iterator[ConversationStore]:
    """The history at `path` opened as the app opens it (migrated), closed after."""
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    try:
        yield store
    finally:
        store.close()
        db.close()
