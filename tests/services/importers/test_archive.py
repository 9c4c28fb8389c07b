"""Archives as downloaded, read without trusting them: only conversations.json, from
memory, within limits; anything else refused with a reason."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from desktopchat.services.importers import archive
from desktopchat.services.importers.archive import read_json_file
from desktopchat.services.importers.reader import read_import
from desktopchat.services.importers.tree import ImportProblem
from tests.services.importers.archives import (
    chatgpt_branching,
    claude_conversation,
    claude_message,
    zipped,
)


def test_a_chatgpt_zip_as_downloaded_is_read(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(
        zipped(
            {
                "chat.html": b"<html>",
                "user.json": {"id": "u"},
                "conversations.json": [chatgpt_branching()],
            }
        )
    )
    parsed = read_import(path)
    assert parsed.source == "chatgpt" and parsed.message_count == 3
    first, last = parsed.date_range
    assert first <= last


def test_a_claude_conversations_json_is_read(tmp_path):
    path = tmp_path / "conversations.json"
    data = [claude_conversation("c", "Hi", [claude_message("m", "human", "Hello")])]
    path.write_text(json.dumps(data))
    assert read_import(path).conversations[0].messages[0].text == "Hello"


def test_entries_named_to_escape_are_never_written_anywhere(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(zipped({"../../evil/conversations.json": [chatgpt_branching()]}))
    before = set(tmp_path.parent.rglob("*"))
    assert len(read_import(path).conversations) == 1
    assert set(tmp_path.parent.rglob("*")) == before


def test_a_zip_without_conversations_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(zipped({"user.json": {}}))
    with pytest.raises(ImportProblem, match=r"no conversations\.json"):
        read_json_file(path)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped_file:
        zipped_file.writestr("conversations.json", b"[" + b" " * 50_000_000 + b"]")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportProblem, match="compressed beyond"):
        read_json_file(path)
    with pytest.raises(ImportProblem, match="larger than"):
        read_json_file(path, limit=1000)


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    path = tmp_path / "many.zip"
    path.write_bytes(zipped({f"f{n}.json": {} for n in range(5)}))
    with pytest.raises(ImportProblem, match="more than 3 files"):
        read_json_file(path)


def test_a_header_that_lies_about_the_size_is_still_capped(tmp_path):
    path = tmp_path / "lies.zip"
    path.write_bytes(zipped({"conversations.json": b"[" + b"1," * 3000 + b"1]"}))
    with zipfile.ZipFile(path) as opened, pytest.raises(ImportProblem):
        archive._read_capped(opened, opened.infolist()[0], 100)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b"{", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested|valid JSON"),
    ],
)
def test_broken_json_is_refused_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "conversations.json"
    path.write_bytes(data)
    with pytest.raises(ImportProblem, match=reason):
        read_import(path)


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(zipped({"conversations.json": [chatgpt_branching()]})[:-30])
    with pytest.raises(ImportProblem):
        read_import(path)
