"""Our Markdown export written to disk with its attachments beside it, and imported back:
branches, reasoning and attachment bytes come back; a hostile export reads nothing outside
its folder."""

from __future__ import annotations

import hashlib
import stat

from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Conversation,
    Message,
    Reasoning,
    Role,
)
from desktopchat.services.export import export_all, export_conversation
from desktopchat.services.importers.reader import read_import
from tests.domain.markdown_v1 import conversation_to_markdown as markdown_v1

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 10
PDF = b"%PDF-1.7 notes"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


BLOBS = {sha(PNG): PNG, sha(PDF): PDF}
CONVERSATION = Conversation(
    7, "Photos: <b>and</b> notes", 1_795_000_000.0, 1_795_000_100.0, current_leaf_id=4
)


def tree() -> list[Message]:
    photo = Attachment(AttachmentKind.IMAGE, "cat/../photo.png", "image/png", len(PNG), sha(PNG))
    notes = Attachment(
        AttachmentKind.DOCUMENT, "notes.pdf", "application/pdf", len(PDF), sha(PDF), text="my notes"
    )
    at = 1_795_000_000.0
    return [
        Message(1, 7, Role.USER, "What is this?", at, attachments=(photo, notes)),
        Message(
            2,
            7,
            Role.ASSISTANT,
            "A cat.",
            at + 1,
            parent_id=1,
            model="m",
            reasoning=Reasoning("Looks furry.", seconds=3.0),
        ),
        Message(3, 7, Role.ASSISTANT, "A dog?", at + 2, parent_id=1, model="m"),
        Message(4, 7, Role.USER, "Sure?", at + 3, parent_id=3),
    ]


def test_a_tree_with_reasoning_and_attachments_comes_back(tmp_path):
    path = export_conversation(
        tmp_path / "chat.md", CONVERSATION, tree(), blob=BLOBS.get, tree=True
    )
    folder = tmp_path / "chat files"
    assert sorted(p.name for p in folder.iterdir()) == ["1-1 cat .. photo.png", "1-2 notes.pdf"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())

    [imported] = read_import(path).conversations
    back = imported.messages
    assert [(m.id, m.parent_id, m.text) for m in back] == [
        (m.id, m.parent_id, m.text) for m in tree()
    ]
    assert back[0].attachments == tree()[0].attachments
    assert back[1].reasoning == Reasoning("Looks furry.", seconds=3.0)
    assert imported.blobs == BLOBS
    assert imported.conversation.current_leaf_id == 4
    assert imported.conversation.title == CONVERSATION.title
    assert imported.origin.startswith("markdown:")


def test_missing_files_are_said_not_invented(tmp_path):
    path = export_conversation(tmp_path / "chat.md", CONVERSATION, tree()[:1], blob=BLOBS.get)
    (tmp_path / "chat files" / "1-1 cat .. photo.png").write_bytes(b"changed")
    [imported] = read_import(path).conversations
    photo, notes = imported.messages[0].attachments
    assert photo.sha256 is None and photo.note
    assert notes.sha256 == sha(PDF) and imported.blobs == {sha(PDF): PDF}


def test_a_hostile_export_reads_nothing_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(PNG)
    inside = tmp_path / "exports"
    inside.mkdir()
    path = export_conversation(inside / "chat.md", CONVERSATION, tree()[:1], blob=BLOBS.get)
    text = path.read_text().replace(
        '"file": "chat files/1-1 cat .. photo.png"', '"file": "../secret.txt"'
    )
    path.write_text(text)
    [imported] = read_import(path).conversations
    assert sha(PNG) not in imported.blobs


def test_a_folder_of_exports_imports_each_old_or_new(tmp_path):
    paths = export_all(
        tmp_path, [(CONVERSATION, tree()[:2]), (CONVERSATION, tree()[:1])], blob=BLOBS.get
    )
    old = Message(1, 7, Role.USER, "old format", 1_795_000_000.0)
    (tmp_path / "old.md").write_text(markdown_v1(CONVERSATION, [old]))
    parsed = read_import(tmp_path)
    assert len(paths) == 2 and parsed.problems == []
    assert sorted(len(c.messages) for c in parsed.conversations) == [1, 1, 2]
    assert len({c.origin for c in parsed.conversations}) == 3
