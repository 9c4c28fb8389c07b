"""Image scaling and re-encoding with Qt: orientation, size, metadata, hostile files."""

from __future__ import annotations

import os
import random
import struct

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from desktopchat.services.attachments import AttachmentProblem, Reason
from desktopchat.ui.composer.image_prep import MAX_SIDE, prepare_bytes, prepare_image
from tests.attachment_files import png_header_only


def encoded(image: QImage, fmt: str) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(array.data())


def picture(width: int, height: int, alpha: bool = False) -> QImage:
    fmt = QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32
    image = QImage(width, height, fmt)
    image.fill(QColor(0, 0, 0, 128) if alpha else Qt.GlobalColor.darkCyan)
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 4, height // 4, Qt.GlobalColor.red)  # to see the orientation
    painter.end()
    return image


def with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    """A JPEG with an EXIF block saying how to turn it, and a camera name to be dropped."""
    entries = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    entries += struct.pack(">HHI4s", 0x010F, 2, 4, b"Cam\0")
    tiff = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 2) + entries + b"\0\0\0\0"
    exif = b"Exif\0\0" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + jpeg[2:]


def decoded(data: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(data)
    return image


def test_a_big_photo_is_scaled_turned_and_stripped(qapp):
    jpeg = with_exif_orientation(encoded(picture(4000, 2000), "JPEG"), 6)  # 90° clockwise
    prepared = prepare_bytes(jpeg, "image/jpeg")
    assert (prepared.mime, prepared.width, prepared.height) == ("image/jpeg", 784, MAX_SIDE)
    assert b"Exif" not in prepared.data and b"Cam" not in prepared.data
    image = decoded(prepared.data)
    assert (image.width(), image.height()) == (784, MAX_SIDE)
    assert image.pixelColor(780, 4).red() > 200  # the red corner moved to the top right
    assert image.pixelColor(4, 4).red() < 50
    assert max(prepared.thumbnail.width(), prepared.thumbnail.height()) == 64


def test_a_small_png_stays_png_with_its_alpha(qapp):
    prepared = prepare_bytes(encoded(picture(300, 200, alpha=True), "PNG"), "image/png")
    assert (prepared.mime, prepared.width, prepared.height) == ("image/png", 300, 200)
    assert decoded(prepared.data).hasAlphaChannel()


def test_webp_and_the_first_frame_of_a_gif(qapp):
    assert prepare_bytes(encoded(picture(2000, 100), "WEBP"), "image/webp").width == MAX_SIDE
    gif = prepare_bytes(_tiny_gif(), "image/gif")
    assert (gif.mime, gif.width, gif.height) == ("image/png", 1, 1)


def _tiny_gif() -> bytes:
    """A 1 × 1 GIF89a with two frames."""
    frame = b"\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0"
    return b"GIF89a\x01\0\x01\0\x80\0\0\xff\0\0\0\0\xff" + frame + frame + b"\x3b"


def test_a_pasted_image(qapp):
    prepared = prepare_image(picture(3000, 3000))
    assert (prepared.mime, prepared.width, prepared.height) == ("image/png", MAX_SIDE, MAX_SIDE)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png_header_only(60_000, 60_000), Reason.TOO_MANY_PIXELS),
        (os.urandom(3000), Reason.DAMAGED),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(3000), Reason.DAMAGED),
        (b"", Reason.DAMAGED),
    ],
    ids=["decompression-bomb", "random", "random-after-magic", "empty"],
)
def test_hostile_pngs(qapp, data, reason):
    with pytest.raises(AttachmentProblem) as caught:
        prepare_bytes(data, "image/png")
    assert caught.value.reason is reason


def test_a_truncated_jpeg_is_damaged_or_partial_never_a_crash(qapp):
    jpeg = encoded(picture(800, 600), "JPEG")
    for cut in (10, 200, len(jpeg) // 2):
        try:
            prepared = prepare_bytes(jpeg[:cut], "image/jpeg")
        except AttachmentProblem as problem:
            assert problem.reason is Reason.DAMAGED
        else:
            assert prepared.width == 800  # Qt fills the missing rows with grey


def test_a_bomb_under_the_pixel_cap_meets_the_allocation_limit(qapp):
    with pytest.raises(AttachmentProblem) as caught:
        prepare_bytes(png_header_only(9_000, 9_000), "image/png")  # 81 MP × 4 B = 324 MB < limit
    assert caught.value.reason is Reason.DAMAGED  # the zeros end long before 9,000 rows


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_fuzzed_images_are_read_or_refused_never_a_crash(qapp, fmt):
    """Seeded mutations and truncations of a valid image through the whole preparation."""
    rng = random.Random(7)
    good = encoded(picture(300, 200), fmt)
    mime = "image/" + fmt.lower()
    for _ in range(60):
        mutated = bytearray(good)
        for _ in range(rng.randint(1, 30)):
            mutated[rng.randrange(8, len(mutated))] = rng.randrange(256)
        data = bytes(mutated[: rng.randint(8, len(mutated))])
        try:
            prepared = prepare_bytes(data, mime)
        except AttachmentProblem as problem:
            assert problem.reason in (Reason.DAMAGED, Reason.TOO_MANY_PIXELS)
        else:
            assert max(prepared.width, prepared.height) <= MAX_SIDE
