"""Files a person attaches, turned into what a request carries: a document's text, or an
image's bytes for the UI to scale (scaling needs Qt, which lives in ui/composer/image_prep).

Everything here blocks (stat, read, decode, a PDF child process) and runs in a worker
thread through `ingest_file`; a file is measured with stat before a byte is read, so a
200 MB file is refused at once. What cannot be attached raises AttachmentProblem, whose
`reason` the UI words in the person's language.
"""

from __future__ import annotations

import asyncio
import math
import mimetypes
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from desktopchat.domain.types import Attachment, AttachmentKind, AttachmentPayload
from desktopchat.services import pdf_text

MB = 1024 * 1024
CHARS_PER_TOKEN = 4
"""The usual estimate for English text and code; shown as "~N tokens", never billed on."""


@dataclass(frozen=True)
class Limits:
    """What one file and one message may hold; checked before sending, not after a 400."""

    image_bytes: int = 20 * MB
    """An image file before scaling."""
    pdf_bytes: int = 50 * MB
    text_bytes: int = 2 * MB
    images_per_message: int = 8
    chars_per_message: int = 200_000
    """Document text of all attachments of one message together (~50,000 tokens)."""
    pdf_seconds: float = 30.0
    pdf_memory: int = 1024 * MB
    attachments_per_message: int = 100
    """Files one message may hold: a paste of 10,000 addresses reads the first 100, and the
    tray says how many were left out."""
    bytes_per_message: int = 256 * MB
    """What the files of one message may read into memory together (each file's size as
    measured before it is read; an image keeps only its scaled copy afterwards)."""


LIMITS = Limits()


class Reason(StrEnum):
    """Why a file cannot be attached as it is."""

    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    UNREADABLE = "unreadable"
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    TOO_SLOW = "too_slow"
    TOO_MANY_PIXELS = "too_many_pixels"


class AttachmentProblem(Exception):
    """A file that cannot be attached; for TOO_LARGE, its `size` and the `limit` it passed."""

    def __init__(self, reason: Reason, limit: int | None = None, size: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit
        self.size = size


NO_TEXT_NOTE = "no_text"
"""The note kept with a document without text (AttachmentPayload.note, stored with it): a
kind, worded in the person's language when shown (ui/transcript/attachment_lines.py)."""
OLD_NO_TEXT_NOTE = "no text found: a scanned PDF?"
"""What earlier versions stored instead, as an English sentence: shown as the kind is."""


class Note(StrEnum):
    """What the chip says about a document besides its size."""

    NO_TEXT = "no_text"
    """A PDF without extractable text (a scan): the model is told so."""


@dataclass(frozen=True)
class Ingested:
    """A file read for attaching: for a document, its text; for an image, the raw bytes
    the UI still has to scale and re-encode."""

    kind: AttachmentKind
    name: str
    mime: str
    size: int
    """The file's size as the person has it."""
    data: bytes
    text: str | None = None
    note: Note | None = None

    @property
    def tokens(self) -> int | None:
        """The document's estimated size in tokens; None for an image."""
        return None if self.text is None else estimate_tokens(self.text)

    def payload(self) -> AttachmentPayload:
        """The document as a request carries it (images go through the UI's scaling)."""
        note = NO_TEXT_NOTE if self.note is Note.NO_TEXT else None
        return AttachmentPayload(self.kind, self.name, self.mime, self.data, self.text, note)


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
_TEXT_MIMES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".csv": "text/csv",
    ".json": "application/json",
}


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file say it is (they win over its name)."""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class ByteBudget:
    """The bytes the files of one message may still read (Limits.bytes_per_message):
    taken in worker threads as each file is measured, before it is read, and given back
    when its chip is removed, so a paste of a thousand 2 MB files reads what fits and
    refuses the rest at once rather than holding gigabytes."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._left = total
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        with self._lock:
            if size > self._left:
                return False
            self._left -= size
            return True

    def give_back(self, size: int) -> None:
        with self._lock:
            self._left = min(self.total, self._left + size)


def ingest_path(path: Path, limits: Limits = LIMITS, budget: ByteBudget | None = None) -> Ingested:
    """Read one file for attaching (blocking). Raises AttachmentProblem; a file the
    `budget` has no room for is TOO_LARGE against the message's limit, unread."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AttachmentProblem(Reason.UNSUPPORTED)
        with path.open("rb") as file:
            mime = sniff(file.read(16))
    except OSError as err:
        raise AttachmentProblem(Reason.UNREADABLE) from err
    if budget is not None and not budget.take(size):
        raise AttachmentProblem(Reason.TOO_LARGE, budget.total, size)
    try:
        return _ingest(path, size, mime, limits)
    except BaseException:
        if budget is not None:
            budget.give_back(size)
        raise


def _ingest(path: Path, size: int, mime: str | None, limits: Limits) -> Ingested:
    if mime == "application/pdf":
        _check_size(size, limits.pdf_bytes)
        return _pdf(path, size, limits)
    if mime is not None:
        _check_size(size, limits.image_bytes)
        return Ingested(AttachmentKind.IMAGE, path.name, mime, size, _read(path))
    _check_size(size, limits.text_bytes)
    text = decode_text(_read(path))
    guessed = _TEXT_MIMES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    mime = guessed if guessed and guessed.startswith("text/") else guessed or "text/plain"
    return Ingested(AttachmentKind.DOCUMENT, path.name, mime, size, text.encode(), text=text)


def ingest_text(text: str, name: str) -> Ingested:
    """A long pasted text as a text attachment."""
    data = text.encode("utf-8", "surrogatepass")
    return Ingested(AttachmentKind.DOCUMENT, name, "text/plain", len(data), data, text=text)


async def ingest_file(path: Path, limits: Limits = LIMITS) -> Ingested:
    """`ingest_path` in a worker thread: the loop never waits on a disk or a PDF."""
    return await asyncio.to_thread(ingest_path, path, limits)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) at once; otherwise the encoding charset-normalizer finds.
    Bytes that are no text (NUL bytes, nothing decodes) are UNSUPPORTED."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _detected(data)
    if "\0" in text:
        raise AttachmentProblem(Reason.UNSUPPORTED)
    return text


_WESTERN = "cp1252"
"""Windows' Western encoding, the commonest legacy one: charset-normalizer ranks it level
with Baltic and Central European code pages for French or Spanish and sometimes picks
those (œ read as ś); among the least chaotic readings it wins."""


def _detected(data: bytes) -> str:
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise AttachmentProblem(Reason.UNSUPPORTED)
    calmest = min(match.chaos for match in matches)
    clean = [match for match in matches if match.chaos == calmest]
    best = max(clean, key=lambda match: (match.encoding == _WESTERN, match.coherence))
    return str(best)


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise AttachmentProblem(Reason.TOO_LARGE, limit, size)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise AttachmentProblem(Reason.UNREADABLE) from err


def _pdf(path: Path, size: int, limits: Limits) -> Ingested:
    try:
        extracted = pdf_text.extract(
            str(path),
            limits.chars_per_message + 1,
            seconds=limits.pdf_seconds,
            memory=limits.pdf_memory,
        )
    except pdf_text.PdfFailure as err:
        raise AttachmentProblem(Reason(err.reason)) from err
    text = extracted.text
    note = None if text.strip() else Note.NO_TEXT
    name, data = path.name, _read(path)
    return Ingested(AttachmentKind.DOCUMENT, name, "application/pdf", size, data, text, note)


@dataclass(frozen=True)
class MessageLoad:
    """What a message's attachments add up to, against the per-message limits."""

    images: int
    chars: int
    limits: Limits = LIMITS

    @property
    def too_many_images(self) -> bool:
        return self.images > self.limits.images_per_message

    @property
    def too_much_text(self) -> bool:
        return self.chars > self.limits.chars_per_message

    @property
    def fits(self) -> bool:
        return not (self.too_many_images or self.too_much_text)


def message_load(payloads: Iterable[AttachmentPayload], limits: Limits = LIMITS) -> MessageLoad:
    images = chars = 0
    for payload in payloads:
        if payload.kind is AttachmentKind.IMAGE:
            images += 1
        else:
            chars += len(payload.text or "")
    return MessageLoad(images, chars, limits)


async def restored_payloads(
    attachments: Iterable[Attachment], blob: Callable[[str], Awaitable[bytes | None]]
) -> tuple[AttachmentPayload, ...]:
    """Stored attachments (a saved draft's) as payloads again, their bytes read with
    `blob` (HistoryService.blob); an image whose blob is gone keeps its name and note."""
    payloads = []
    for attachment in attachments:
        data = await blob(attachment.sha256) if attachment.sha256 else None
        payloads.append(
            AttachmentPayload(
                attachment.kind,
                attachment.name,
                attachment.mime,
                data,
                attachment.text,
                attachment.note,
            )
        )
    return tuple(payloads)


def model_reads_images(input_modalities: tuple[str, ...] | None) -> bool | None:
    """Whether a model takes images: None when its service does not say (then it is tried)."""
    if input_modalities is None:
        return None
    return "image" in input_modalities
