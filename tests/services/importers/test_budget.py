"""One budget for all an import reads, inflates and keeps: an attachment named by many
exports is read once, a zip under the ratio cap that would decode to gigabytes is refused
before it does, and each refusal is a sentence, never memory exhausted."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from desktopchat.domain.types import Attachment, AttachmentKind, Conversation, Message, Role
from desktopchat.services.export import export_conversation
from desktopchat.services.importers.archive import Budget
from desktopchat.services.importers.reader import read_import
from desktopchat.services.importers.tree import ImportProblem
from tests.services.importers.archives import chatgpt_linear

SIZE = 1 << 20


def folder_naming_one_attachment(folder: Path, files: int, prefix: str = "c") -> str:
    data = os.urandom(SIZE)
    sha = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        AttachmentKind.DOCUMENT, "big.bin", "application/octet-stream", SIZE, sha
    )
    for number in range(files):
        conversation = Conversation(number, f"t{number}", 1.7e9, 1.7e9)
        message = Message(1, number, Role.USER, "hi", 1.7e9, attachments=(attachment,))
        export_conversation(
            folder / f"{prefix}{number}.md", conversation, [message], blob={sha: data}.get
        )
    return sha


def test_an_attachment_many_exports_name_is_read_and_kept_once(tmp_path, monkeypatch):
    sha = folder_naming_one_attachment(tmp_path, 12)
    reads: list[Path] = []
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    budget = Budget(4 * SIZE)  # twelve copies would be 12 MiB
    parsed = read_import(tmp_path, budget=budget)
    assert parsed.problems == [] and len(parsed.conversations) == 12
    attachments = [p for p in reads if p.suffix == ".bin"]
    assert len(attachments) == 1
    kept = {id(c.blobs[sha]) for c in parsed.conversations}
    assert len(kept) == 1
    assert SIZE <= budget.spent < 2 * SIZE


def test_attachments_past_the_budget_are_a_problem_not_memory(tmp_path):
    for number in range(4):
        folder_naming_one_attachment(tmp_path, 1, prefix=f"x{number}-")
    parsed = read_import(tmp_path, budget=Budget(int(2.5 * SIZE)))
    assert len(parsed.conversations) == 2
    assert len(parsed.problems) == 2
    assert all("bytes read and held" in p.reason for p in parsed.problems)


def archive_with(tmp_path: Path, text: bytes) -> Path:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("conversations.json", text)
    return path


def padded(emoji: bool, size: int) -> bytes:
    conversation = chatgpt_linear("c", 2, text="😀" if emoji else "smile")
    head = json.dumps([conversation], ensure_ascii=False).encode()
    filler = os.urandom(size // 300).hex().encode()  # keeps it under the ratio cap
    return head[:-1] + b', {"padding": "' + filler + b"a" * size + b'"}]'


def test_a_zip_whose_text_would_pass_the_budget_is_refused_before_decoding(tmp_path):
    budget = 8 * SIZE
    plain = read_import(archive_with(tmp_path, padded(False, 3 * SIZE)), budget=Budget(budget))
    assert len(plain.conversations) == 1
    with pytest.raises(ImportProblem, match="bytes read and held"):
        read_import(archive_with(tmp_path, padded(True, 3 * SIZE)), budget=Budget(budget))


def test_inflating_stops_at_the_budget(tmp_path):
    budget = Budget(2 * SIZE)
    with pytest.raises(ImportProblem, match="bytes read and held"):
        read_import(archive_with(tmp_path, padded(False, 3 * SIZE)), budget=budget)
    assert budget.spent <= 2 * SIZE
