"""An export never writes through a link planted where its files go: the attachments'
folder beside the .md, a file in it, or the .md itself (R6/R7)."""

from __future__ import annotations

import hashlib

import pytest

from desktopchat.domain.types import Attachment, AttachmentKind, Conversation, Message, Role
from desktopchat.services.export import export_all, export_conversation

DATA = b"\x89PNG attachment bytes"
SHA = hashlib.sha256(DATA).hexdigest()
CONVERSATION = Conversation(1, "chat", 1.7e9, 1.7e9)
PHOTO = Attachment(AttachmentKind.IMAGE, "photo.png", "image/png", len(DATA), SHA)
MESSAGES = [Message(1, 1, Role.USER, "look", 1.7e9, attachments=(PHOTO,))]


@pytest.fixture
def elsewhere(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    return folder


def test_a_planted_files_folder_link_is_refused_and_nothing_written(tmp_path, elsewhere):
    out = tmp_path / "out"
    out.mkdir()
    (out / "chat files").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError, match="link"):
        export_conversation(out / "chat.md", CONVERSATION, MESSAGES, blob={SHA: DATA}.get)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert not (out / "chat.md").exists()


def test_a_dangling_link_or_a_file_in_its_place_is_refused(tmp_path, elsewhere):
    (tmp_path / "chat files").symlink_to(elsewhere / "new", target_is_directory=True)
    with pytest.raises(OSError):
        export_conversation(tmp_path / "chat.md", CONVERSATION, MESSAGES, blob={SHA: DATA}.get)
    assert not (elsewhere / "new").exists()
    (tmp_path / "chat files").unlink()
    (tmp_path / "chat files").write_text("a file")
    with pytest.raises(OSError):
        export_conversation(tmp_path / "chat.md", CONVERSATION, MESSAGES, blob={SHA: DATA}.get)


def test_links_inside_the_folder_and_for_the_markdown_are_replaced_not_followed(
    tmp_path, elsewhere
):
    target = elsewhere / "keep.txt"
    folder = tmp_path / "chat files"
    folder.mkdir()
    (folder / "1-1 photo.png").symlink_to(target)
    (tmp_path / "chat.md").symlink_to(target)
    export_conversation(tmp_path / "chat.md", CONVERSATION, MESSAGES, blob={SHA: DATA}.get)
    assert target.read_text() == "mine"
    assert not (folder / "1-1 photo.png").is_symlink()
    assert (folder / "1-1 photo.png").read_bytes() == DATA
    assert not (tmp_path / "chat.md").is_symlink()


def test_export_all_steps_around_a_planted_link(tmp_path, elsewhere):
    out = tmp_path / "out"
    out.mkdir()
    name = "2023-11-14 chat"
    (out / f"{name} files").symlink_to(elsewhere, target_is_directory=True)
    [written] = export_all(out, [(CONVERSATION, MESSAGES)], blob={SHA: DATA}.get)
    assert written.name != f"{name}.md"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
