"""Drafts kept in the history with their attachments, and blobs stored once and freed with
their last use."""

from __future__ import annotations

from desktopchat.domain.types import AttachmentKind, AttachmentPayload, Role

PICTURE = AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=b"png bytes")
NOTES = AttachmentPayload(AttachmentKind.DOCUMENT, "a.txt", "text/plain", text="notes")


def _blobs(store) -> int:
    return store._db.query("SELECT count(*) FROM blobs")[0][0]


def test_a_draft_comes_back_with_its_attachments(store):
    conversation = store.create_conversation().result()
    store.save_draft(conversation.id, "half typed", [PICTURE, NOTES]).result()
    store.save_draft(0, "new chat words").result()

    drafts = store.drafts()

    text, attachments = drafts[conversation.id]
    assert text == "half typed"
    assert [(a.name, a.kind, a.text) for a in attachments] == [
        ("cat.png", AttachmentKind.IMAGE, None),
        ("a.txt", AttachmentKind.DOCUMENT, "notes"),
    ]
    assert store.blob(attachments[0].sha256) == b"png bytes"
    assert drafts[0] == ("new chat words", ())


def test_queued_drafts_are_read_before_they_are_written(store):
    store.save_draft(0, "first")
    store.save_draft(0, "second")
    assert store.drafts()[0] == ("second", ())
    store.wait_written(5)
    assert store.drafts()[0] == ("second", ())


def test_an_empty_draft_is_deleted_and_its_blob_freed(store):
    conversation = store.create_conversation().result()
    store.save_draft(conversation.id, "x", [PICTURE]).result()
    store.save_draft(conversation.id, "xy", [PICTURE]).result()
    assert _blobs(store) == 1

    store.save_draft(conversation.id, "").result()

    assert conversation.id not in store.drafts()
    assert _blobs(store) == 0


def test_a_blob_used_by_a_message_and_a_draft_lives_until_both_are_gone(store):
    conversation = store.create_conversation().result()
    store.add_message(conversation.id, Role.USER, "look", attachments=[PICTURE]).result()
    store.save_draft(conversation.id, "again", [PICTURE]).result()

    store.save_draft(conversation.id, "").result()
    assert _blobs(store) == 1, "the message still uses it"
    store.delete_conversation(conversation.id).result()
    assert _blobs(store) == 0


def test_deleting_a_conversation_deletes_its_draft(store):
    conversation = store.create_conversation().result()
    store.save_draft(conversation.id, "unsent").result()

    store.delete_conversation(conversation.id).result()

    assert conversation.id not in store.drafts()
