"""The stores the service tests share: real, in memory or in a file."""

from __future__ import annotations

import pytest

from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore


@pytest.fixture
def store():
    db, problem = open_database(None)
    assert problem is None
    conversations = ConversationStore(db)
    yield conversations
    assert conversations.close() == [], "every change was written"


@pytest.fixture
def file_store(tmp_path):
    """A real store in a history file, as the app opens one."""
    db, problem = open_database(tmp_path / "history.db")
    assert problem is None
    conversations = ConversationStore(db)
    yield conversations
    conversations.close()
    db.close()
