"""Attached documents' text is searched with the messages, and a blob lives as long as the
last conversation that uses it."""

from __future__ import annotations

from desktopchat.domain.types import AttachmentKind, AttachmentPayload, Role
from desktopchat.storage.history import SNIPPET_END, SNIPPET_START

REPORT = AttachmentPayload(
    AttachmentKind.DOCUMENT,
    "report.pdf",
    "application/pdf",
    data=b"%PDF-1.4 bytes",
    text="Quarterly revenue grew in the Lisbon office while costs fell.",
)
PICTURE = AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=b"png bytes")


def _blobs(store) -> int:
    return store._db.query("SELECT count(*) FROM blobs")[0][0]


def test_a_word_only_in_an_attached_document_finds_its_message(store):
    conversation = store.create_conversation(title="Numbers").result()
    question = store.add_message(
        conversation.id, Role.USER, "Summarise this", attachments=[REPORT]
    ).result()

    [hit] = store.search("lisbon")

    assert (hit.conversation_id, hit.message_id, hit.role) == (
        conversation.id,
        question.id,
        Role.USER,
    )
    assert hit.attachment_name == "report.pdf"
    assert f"{SNIPPET_START}Lisbon{SNIPPET_END}" in hit.snippet


def test_a_message_that_matches_in_its_text_and_its_file_is_one_hit(store):
    conversation = store.create_conversation(title="Numbers").result()
    store.add_message(
        conversation.id, Role.USER, "Why did revenue grow?", attachments=[REPORT]
    ).result()

    hits = store.search("revenue")

    assert len(hits) == 1
    assert hits[0].attachment_name is None  # the message's own text ranks first


def test_every_word_must_match_within_the_document(store):
    conversation = store.create_conversation(title="Numbers").result()
    store.add_message(conversation.id, Role.USER, "Look", attachments=[REPORT]).result()
    assert store.search("lisbon costs")
    assert not store.search("lisbon paris")


def test_deleting_the_message_takes_its_document_out_of_search(store):
    conversation = store.create_conversation(title="Numbers").result()
    store.add_message(conversation.id, Role.USER, "Look", attachments=[REPORT]).result()
    store.delete_conversation(conversation.id).result()
    assert store.search("lisbon") == []


def test_a_blob_shared_by_two_conversations_is_freed_with_the_last(store):
    first = store.create_conversation().result()
    second = store.create_conversation().result()
    store.add_message(first.id, Role.USER, "one", attachments=[PICTURE, REPORT]).result()
    store.add_message(second.id, Role.USER, "two", attachments=[PICTURE]).result()
    assert _blobs(store) == 2  # the picture once, the PDF once

    store.delete_conversation(first.id).result()
    assert _blobs(store) == 1, "the second conversation still shows the picture"
    [kept] = store.thread(second.id).messages[0].attachments
    assert store.blob(kept.sha256) == b"png bytes"

    store.delete_conversation(second.id).result()
    assert _blobs(store) == 0
