"""The store the service tests share: real, in memory."""

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
