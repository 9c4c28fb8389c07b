"""The history's schema, as numbered steps that only ever move forward.

Each migration runs once, inside the caller's write transaction, and is recorded in
`schema_migrations`; the steps themselves are in storage/migration_steps.py. A database
that records a number this code does not know was written by a newer DesktopChat and must
not be touched.
"""

from __future__ import annotations

import sqlite3
import time

from desktopchat.storage.migration_steps import FTS_OPTIONS, MIGRATIONS, Migration

__all__ = [
    "FTS_OPTIONS",
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "SchemaTooNew",
    "migrate",
    "schema_version",
]


class SchemaTooNew(Exception):
    """The database was written by a newer version of the program."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"the history was written by a newer DesktopChat (schema {version}, "
            f"this version knows up to {LATEST_VERSION})"
        )


LATEST_VERSION = MIGRATIONS[-1].number


def schema_version(connection: sqlite3.Connection) -> int:
    """The number of the last migration applied to this database; 0 for a new one.

    Only reads, so it is safe on a file that must not be changed.
    """
    recorded = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if recorded is None:
        return 0
    (version,) = connection.execute(
        "SELECT coalesce(max(number), 0) FROM schema_migrations"
    ).fetchone()
    return int(version)


def migrate(connection: sqlite3.Connection) -> list[int]:
    """Apply every migration the database has not had yet; return their numbers.

    Must run inside a write transaction (BEGIN IMMEDIATE), so two instances starting at
    once cannot both apply the same step. Raises SchemaTooNew, changing nothing, when the
    database is ahead of this code.
    """
    version = schema_version(connection)
    if version > LATEST_VERSION:
        raise SchemaTooNew(version)
    connection.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            number INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied REAL NOT NULL
        )
        """
    )
    applied = []
    for migration in (m for m in MIGRATIONS if m.number > version):
        for statement in migration.statements:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO schema_migrations (number, name, applied) VALUES (?, ?, ?)",
            (migration.number, migration.name, time.time()),
        )
        applied.append(migration.number)
    return applied
