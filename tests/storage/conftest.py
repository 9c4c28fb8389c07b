"""Stores for the storage tests: in memory unless a test needs the file itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.storage.db import Database, open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths


@pytest.fixture
def db() -> Iterator[Database]:
    database, problem = open_database(None)
    assert problem is None
    yield database
    database.close()


@pytest.fixture
def store(db: Database) -> Iterator[ConversationStore]:
    conversations = ConversationStore(db)
    yield conversations
    conversations.close()


@pytest.fixture
def db_path(isolated_home: Path) -> Path:
    """Where the app keeps its history in this test's DESKTOPCHAT_HOME (not created yet)."""
    return app_paths().database
