"""Reading files for attaching: each type, the caps, and broken or hostile files."""

from __future__ import annotations

import asyncio
import os
import random

import pytest

from desktopchat.domain.types import AttachmentKind, AttachmentPayload
from desktopchat.services.attachments import (
    LIMITS,
    MB,
    AttachmentProblem,
    Limits,
    Note,
    Reason,
    ingest_file,
    ingest_path,
    ingest_text,
    message_load,
    model_reads_images,
    restored_payloads,
)
from tests.attachment_files import pdf, png_header_only


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path, limits: Limits = LIMITS) -> AttachmentProblem:
    with pytest.raises(AttachmentProblem) as caught:
        ingest_path(path, limits)
    return caught.value


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("notes.txt", "text/plain"),
        ("README.md", "text/markdown"),
        ("table.csv", "text/csv"),
        ("data.json", "application/json"),
        ("main.py", "text/x-python"),
        ("Makefile", "text/plain"),
    ],
)
def test_text_files(tmp_path, name, mime):
    got = ingest_path(write(tmp_path, name, "héllo, wörld\n".encode()))
    assert (got.kind, got.name, got.mime, got.text) == (
        AttachmentKind.DOCUMENT,
        name,
        mime,
        "héllo, wörld\n",
    )
    assert got.tokens == 4


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le cœur a ses raisons que la raison ne connaît point. " * 20, "cp1252"),
        ("Привет, как дела? Это тест кодировки. " * 20, "cp1251"),
        ("日本語のテキストです。これはテストです。" * 20, "shift_jis"),
    ],
)
def test_a_legacy_encoding_is_detected(tmp_path, text, encoding):
    got = ingest_path(write(tmp_path, "legacy.txt", text.encode(encoding)))
    assert got.text == text


def test_utf16_with_bom(tmp_path):
    got = ingest_path(write(tmp_path, "w.txt", "\ufeffsalut à tous".encode("utf-16-le")))
    assert "salut à tous" in got.text


def test_binary_is_not_text(tmp_path):
    assert refusal(write(tmp_path, "a.bin", b"\x00\x01\x02" * 100)).reason is Reason.UNSUPPORTED


def test_images_are_read_as_they_are(tmp_path):
    png = png_header_only(2, 2)
    got = ingest_path(write(tmp_path, "shot.jpeg", png))  # the bytes win over the name
    assert (got.kind, got.mime, got.data, got.text, got.tokens) == (
        AttachmentKind.IMAGE,
        "image/png",
        png,
        None,
        None,
    )
    webp = ingest_path(write(tmp_path, "x", b"RIFF\0\0\0\0WEBPVP8 "))
    assert webp.mime == "image/webp"


def test_pdf_text_is_extracted_in_a_child_process(tmp_path):
    got = asyncio.run(
        ingest_file(write(tmp_path, "report.pdf", pdf(["Revenue grew", "Costs fell"])))
    )
    assert (got.kind, got.mime, got.note) == (AttachmentKind.DOCUMENT, "application/pdf", None)
    assert got.text == "Revenue grew\n\nCosts fell"
    assert got.payload() == AttachmentPayload(
        AttachmentKind.DOCUMENT, "report.pdf", "application/pdf", data=got.data, text=got.text
    )


def test_the_pdf_child_runs_this_package_not_one_in_the_current_folder(tmp_path, monkeypatch):
    """Started from a checkout's folder (or any folder with a `desktopchat/` in it), the
    child still imports the package the app runs, not the one beside it."""
    impostor = tmp_path / "desktopchat"
    impostor.mkdir()
    (impostor / "__init__.py").write_text("raise SystemExit('the wrong desktopchat')\n")
    monkeypatch.chdir(tmp_path)
    got = ingest_path(write(tmp_path, "report.pdf", pdf(["Revenue grew"])))
    assert (got.note, got.text) == (None, "Revenue grew")


def test_a_scanned_pdf_says_it_has_no_text(tmp_path):
    got = ingest_path(write(tmp_path, "scan.pdf", pdf(["", ""])))
    assert (got.text, got.note) == ("", Note.NO_TEXT)


def test_a_long_pdf_is_cut_just_past_the_message_limit(tmp_path):
    limits = Limits(chars_per_message=30)
    got = ingest_path(write(tmp_path, "long.pdf", pdf(["0123456789"] * 10)), limits)
    assert len(got.text) == 31
    assert message_load([got.payload()], limits).too_much_text


@pytest.mark.parametrize(
    "data",
    [os.urandom(4096), pdf(["Hello"] * 20)[:400], b"%PDF-1.7\n" + os.urandom(20_000), b"%PDF-"],
    ids=["random", "truncated", "random-after-header", "header-only"],
)
def test_damaged_pdfs(tmp_path, data):
    path = write(tmp_path, "bad.pdf", data)
    if not data.startswith(b"%PDF"):
        assert refusal(path).reason is Reason.UNSUPPORTED  # random bytes are no text either
    else:
        assert refusal(path).reason is Reason.DAMAGED


def test_a_pdf_that_takes_too_long_is_given_up(tmp_path):
    path = write(tmp_path, "slow.pdf", pdf(["x"] * 2000))
    assert refusal(path, Limits(pdf_seconds=0.05)).reason is Reason.TOO_SLOW


def test_a_pdf_child_out_of_memory_is_a_damaged_file(tmp_path):
    path = write(tmp_path, "greedy.pdf", pdf(["x"]))
    assert refusal(path, Limits(pdf_memory=8 * MB)).reason is Reason.DAMAGED


@pytest.mark.parametrize(
    ("name", "head", "limit"),
    [
        ("huge.png", b"\x89PNG\r\n\x1a\n", 20 * MB),
        ("huge.pdf", b"%PDF-1.4", 50 * MB),
        ("huge.txt", b"a", 2 * MB),
    ],
)
def test_a_file_over_its_cap_is_refused_from_its_size(tmp_path, name, head, limit):
    path = tmp_path / name
    with path.open("wb") as file:
        file.write(head)
        file.truncate(200 * MB)  # sparse: nothing of it is read
    problem = refusal(path)
    assert (problem.reason, problem.limit) == (Reason.TOO_LARGE, limit)


def test_missing_files_and_folders(tmp_path):
    assert refusal(tmp_path / "gone.txt").reason is Reason.UNREADABLE
    assert refusal(tmp_path).reason is Reason.UNSUPPORTED


def test_pasted_text():
    got = ingest_text("x" * 10_001, "Pasted text.txt")
    assert (got.kind, got.mime, got.size, got.tokens) == (
        AttachmentKind.DOCUMENT,
        "text/plain",
        10_001,
        2501,
    )


def test_message_limits():
    image = AttachmentPayload(AttachmentKind.IMAGE, "a.png", "image/png", data=b"x")
    text = AttachmentPayload(AttachmentKind.DOCUMENT, "a.txt", "text/plain", text="x" * 100)
    assert message_load([image] * 8 + [text] * 2000).fits
    assert message_load([image] * 9).too_many_images
    assert message_load([text] * 2001).too_much_text


def test_what_a_model_reads():
    assert model_reads_images(("text", "image")) is True
    assert model_reads_images(("text",)) is False
    assert model_reads_images(None) is None


def test_a_saved_drafts_attachments_come_back_as_payloads(tmp_path):
    from desktopchat.domain.types import Attachment

    stored = (
        Attachment(AttachmentKind.IMAGE, "a.png", "image/png", 3, sha256="abc"),
        Attachment(AttachmentKind.IMAGE, "gone.png", "image/png", 3, sha256="def", note="lost"),
        Attachment(AttachmentKind.DOCUMENT, "a.txt", "text/plain", 1, text="t"),
    )
    blobs = {"abc": b"png"}

    async def blob(sha256):
        return blobs.get(sha256)

    assert asyncio.run(restored_payloads(stored, blob)) == (
        AttachmentPayload(AttachmentKind.IMAGE, "a.png", "image/png", b"png"),
        AttachmentPayload(AttachmentKind.IMAGE, "gone.png", "image/png", None, note="lost"),
        AttachmentPayload(AttachmentKind.DOCUMENT, "a.txt", "text/plain", text="t"),
    )


def test_fuzzed_pdfs_never_take_more_than_a_refusal(tmp_path):
    """Seeded mutations of a valid PDF: each reads, or is refused as damaged; never a hang
    or a crash of this process."""
    rng = random.Random(12)
    good = bytearray(pdf(["Some text on a page"] * 3))
    for index in range(8):
        mutated = bytearray(good)
        for _ in range(rng.randint(1, 40)):
            mutated[rng.randrange(5, len(mutated))] = rng.randrange(256)
        path = write(tmp_path, f"fuzz{index}.pdf", bytes(mutated[: rng.randint(20, len(mutated))]))
        try:
            got = ingest_path(path, Limits(pdf_seconds=10))
        except AttachmentProblem as problem:
            assert problem.reason in (Reason.DAMAGED, Reason.TOO_SLOW)
        else:
            assert got.kind is AttachmentKind.DOCUMENT
