"""Images scaled and re-encoded with Qt before they are attached, in a worker thread.

Providers cap images (Anthropic reads ~1568 px on the long side best and refuses more than
~5 MB), and a photo carries EXIF metadata (place, camera) nobody meant to send. So each
image is decoded with its EXIF orientation applied, scaled to MAX_SIDE, and re-encoded,
which drops the metadata. QImage and QImageReader work in any thread; the loop only awaits.

A hostile image cannot take the app down: the header's dimensions are checked before any
pixel is decoded (a 50,000 × 50,000 PNG of zeros is a few kilobytes), and Qt's allocation
limit stops a decoder that asks for more memory anyway.

Images are read and decoded two at a time (IMAGE_WORKERS), each file's bytes dropped once
its scaled copy is made: a PNG cannot be decoded straight to a smaller size, so twelve
9999² PNGs decoded at once took 7.7 GB; two at a time take at most two decodes' memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from desktopchat.domain.types import AttachmentKind
from desktopchat.services.attachments import (
    LIMITS,
    AttachmentProblem,
    ByteBudget,
    Ingested,
    Reason,
    ingest_path,
)

T = TypeVar("T")
IMAGE_WORKERS = 2
_workers = ThreadPoolExecutor(max_workers=IMAGE_WORKERS, thread_name_prefix="image-prep")

MAX_SIDE = 1568
MAX_SOURCE_PIXELS = 100_000_000
"""A 10,000 × 10,000 photo still opens; a decompression bomb's header says far more."""
ALLOCATION_LIMIT_MB = 512
THUMBNAIL_SIDE = 64
PNG_BUDGET = 3 * 1024 * 1024
"""A PNG bigger than this (a photo that had an alpha-less PNG source) goes out as JPEG:
Anthropic refuses images over 5 MB of base64."""
JPEG_QUALITY = 85


@dataclass(frozen=True)
class PreparedImage:
    """What is sent (bytes and their type) and what the chip shows."""

    data: bytes
    mime: str
    width: int
    height: int
    thumbnail: QImage


def prepare_bytes(data: bytes, mime: str) -> PreparedImage:
    """Decode (first frame of a GIF), orient, scale and re-encode an image file's bytes;
    `mime` (what its first bytes said) picks the one decoder Qt may use."""
    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(mime.removeprefix("image/").encode()))
    reader.setDecideFormatFromContent(False)
    reader.setAutoTransform(True)
    size = reader.size()
    if not reader.canRead() or not size.isValid() or size.isEmpty():
        raise AttachmentProblem(Reason.DAMAGED)
    if size.width() * size.height() > MAX_SOURCE_PIXELS:
        raise AttachmentProblem(Reason.TOO_MANY_PIXELS)
    if max(size.width(), size.height()) > MAX_SIDE:
        # Decoding straight to the smaller size saves memory and time for JPEG.
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio))
    lossy = mime in ("image/jpeg", "image/webp")
    image = reader.read()
    if image.isNull():
        raise AttachmentProblem(Reason.DAMAGED)
    return _finish(image, lossy)


def prepare_image(image: QImage) -> PreparedImage:
    """A pasted image: scaled and encoded the same way (PNG, unless it is a large photo)."""
    if image.isNull():
        raise AttachmentProblem(Reason.DAMAGED)
    if image.width() * image.height() > MAX_SOURCE_PIXELS:
        raise AttachmentProblem(Reason.TOO_MANY_PIXELS)
    return _finish(image, lossy=False)


PASTED_FORMATS = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")
"""Encoded forms a paste may carry, best first; each names the one decoder prepare_bytes
uses."""


def pasted_format(formats: Iterable[str]) -> str | None:
    """The encoded image form to take from a paste's formats, if it has one. Its bytes are
    decoded in a worker (prepare_bytes); QMimeData.imageData() would decode them on the
    loop, hundreds of milliseconds for a screenshot."""
    offered = set(formats)
    return next((mime for mime in PASTED_FORMATS if mime in offered), None)


def ingest_and_prepare(
    path: Path, budget: ByteBudget | None
) -> tuple[Ingested, PreparedImage | None]:
    """Read a file for attaching and, for an image, scale it (blocking): an image comes
    back without its file's bytes, which leave memory (and the budget) here."""
    ingested = ingest_path(path, LIMITS, budget)
    if ingested.kind is not AttachmentKind.IMAGE:
        return ingested, None
    try:
        prepared = prepare_bytes(ingested.data, ingested.mime)
    finally:
        if budget is not None:
            budget.give_back(ingested.size)
    return replace(ingested, data=b""), prepared


async def in_image_worker(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` in one of the IMAGE_WORKERS threads; the loop only awaits."""
    return await asyncio.get_running_loop().run_in_executor(_workers, function, *args)


async def prepare_bytes_off_loop(data: bytes, mime: str) -> PreparedImage:
    return await in_image_worker(prepare_bytes, data, mime)


async def prepare_image_off_loop(image: QImage) -> PreparedImage:
    return await in_image_worker(prepare_image, image)


def _finish(image: QImage, lossy: bool) -> PreparedImage:
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(
            MAX_SIDE,
            MAX_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    alpha = image.hasAlphaChannel()
    data, mime = (b"", "")
    if alpha or not lossy:
        data, mime = _encode(image, "PNG"), "image/png"
    if not data or (len(data) > PNG_BUDGET and not alpha):
        flat = image.convertToFormat(QImage.Format.Format_RGB32)
        data, mime = _encode(flat, "JPEG", JPEG_QUALITY), "image/jpeg"
    if not data:
        raise AttachmentProblem(Reason.DAMAGED)
    thumbnail = image.scaled(
        QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    return PreparedImage(data, mime, image.width(), image.height(), thumbnail)


def _encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt, quality):
        return b""
    buffer.close()
    return bytes(array.data())
