"""Imports written through the real store: trees with their current leaf, attachments with
their text searchable, idempotent, nothing half-written."""

from __future__ import annotations

import hashlib
import json

import pytest

from desktopchat.domain.types import Role
from desktopchat.services.importers.reader import parse_export, read_import
from desktopchat.services.importers.service import ImportService
from tests.services.importers.archives import (
    chatgpt_branching,
    chatgpt_linear,
    claude_conversation,
    claude_message,
    zipped,
)


@pytest.fixture
def store(file_store):
    return file_store


def test_a_chatgpt_tree_lands_whole_with_its_current_branch(store):
    report = ImportService(store).write_now(parse_export([chatgpt_branching()]))
    assert (report.added, report.skipped, report.messages) == (1, 0, 3)
    [conversation] = store.list_conversations()
    thread = store.thread(conversation.id)
    assert [m.text for m in thread.messages] == ["Hello?", "Second."]
    assert thread.messages[1].model == "o1"
    assert len(thread.siblings[thread.messages[1].id]) == 2
    assert len(store.messages(conversation.id)) == 3


def test_importing_the_same_archive_again_adds_nothing(store, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zipped({"conversations.json": [chatgpt_branching(), chatgpt_linear("x", 4)]}))
    service = ImportService(store)
    first = service.write_now(read_import(path))
    again = service.write_now(read_import(path))
    assert (first.added, again.added, again.skipped) == (2, 0, 2)
    assert len(store.list_conversations()) == 2


def test_claude_attachment_text_is_stored_and_found(store):
    attachment = {"file_name": "notes.txt", "extracted_content": "quetzalcoatl notes"}
    data = [
        claude_conversation(
            "c",
            "Notes",
            [
                claude_message("m1", "human", "Read this", attachments=[attachment]),
                claude_message("m2", "assistant", "Done."),
            ],
        )
    ]
    ImportService(store).write_now(parse_export(data))
    [conversation] = store.list_conversations()
    user, reply = store.thread(conversation.id).messages
    assert user.role is Role.USER and user.attachments[0].text == "quetzalcoatl notes"
    assert reply.provider == "anthropic"
    indexed = store.writer.database.query(
        "SELECT rowid FROM attachments_fts WHERE attachments_fts MATCH 'quetzalcoatl'"
    )
    assert len(indexed) == 1  # the document text is indexed for search


def test_markdown_attachment_bytes_land_as_blobs(store, tmp_path):
    from desktopchat.services.export import export_conversation
    from tests.services.importers.test_markdown_files import BLOBS, CONVERSATION, PNG, tree

    export_conversation(tmp_path / "chat.md", CONVERSATION, tree(), blob=BLOBS.get, tree=True)
    ImportService(store).write_now(read_import(tmp_path / "chat.md"))
    [conversation] = store.list_conversations()
    messages = store.messages(conversation.id)
    assert len(messages) == 4
    photo = messages[0].attachments[0]
    assert store.blob(photo.sha256) == PNG
    assert photo.sha256 == hashlib.sha256(PNG).hexdigest()
    assert store.thread(conversation.id).messages[-1].text == "Sure?"


def test_a_conversation_that_cannot_be_read_is_reported_and_the_rest_land(store, tmp_path):
    looped = chatgpt_branching("loop", "Looped")
    looped["mapping"]["u1"]["parent"] = "a1"
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([looped, chatgpt_linear("ok", 2)]))
    report = ImportService(store).write_now(read_import(path))
    assert report.added == 1 and [p.title for p in report.problems] == ["Looped"]
    assert [c.title for c in store.list_conversations()] == ["Chat ok"]
