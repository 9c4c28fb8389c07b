"""What one paste or drop may read and keep (hostile finding 24): a count of files, a total
of bytes, and images decoded two at a time, each with a clear word for what was left out.

Before: 1,000 pasted addresses stalled the window 17.6 s (each chip re-checked every other),
1,000 × 2 MB files kept 4.26 GB, twelve 9999² PNGs were decoded at once (7.7 GB). Timings
and memory are measured by a script; here the budgets themselves are checked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from PySide6.QtGui import QColor, QImage

from desktopchat.services.attachments import LIMITS, MB
from desktopchat.ui.composer import attachment_tray, image_prep
from desktopchat.ui.composer.attachment_chip import ChipState
from desktopchat.ui.composer.composer import Composer
from tests.ui.composer.test_attachment_tray import chip_texts, uri_list
from tests.ui.composer.test_composer import paste, text_input


@pytest.fixture
def composer(qtbot, qloop):
    widget = Composer()
    qtbot.addWidget(widget)
    widget.resize(700, 260)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def states(composer: Composer) -> list[ChipState]:
    return [item.state for item in composer.tray._items.values()]


def settled(qtbot, composer: Composer) -> None:
    qtbot.waitUntil(lambda: ChipState.READING not in states(composer), timeout=30000)


@pytest.mark.parametrize("count", [101, 250])
def test_a_paste_of_many_addresses_attaches_the_first_hundred_and_says_so(
    composer, qtbot, tmp_path, count
):
    paths = []
    for index in range(count):
        path = tmp_path / f"note{index}.txt"
        path.write_text(f"note {index}")
        paths.append(path)
    paste(text_input(composer), uri_list(*paths))
    settled(qtbot, composer)
    assert len(composer.attachments()) == LIMITS.attachments_per_message
    left = count - LIMITS.attachments_per_message
    problem = composer.tray._problem
    assert problem.isVisible()
    assert problem.text() == f"Files left out: {left}. One message holds at most 100 attachments."


def test_files_past_the_byte_budget_are_refused_unread_and_removing_one_makes_room(
    composer, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr(attachment_tray, "LIMITS", replace(LIMITS, bytes_per_message=3 * MB))
    composer.tray._budget = attachment_tray.ByteBudget(3 * MB)
    paths = []
    for index in range(5):
        path = tmp_path / f"part{index}.txt"
        path.write_text(chr(ord("a") + index) * MB)
        paths.append(path)
    paste(text_input(composer), uri_list(*paths))
    settled(qtbot, composer)
    assert states(composer).count(ChipState.READY) == 3
    assert states(composer).count(ChipState.FAILED) == 2
    assert sum("the limit is 3.1 MB" in text for text in chip_texts(composer)) == 2
    first = next(iter(composer.tray._items))
    composer.tray.remove(first)
    paste(text_input(composer), uri_list(paths[0]))
    settled(qtbot, composer)
    assert states(composer).count(ChipState.READY) == 3


def test_images_are_decoded_two_at_a_time_and_only_their_scaled_copy_is_kept(
    composer, qtbot, tmp_path, monkeypatch
):
    running, most = 0, 0
    lock = threading.Lock()
    decode = image_prep.prepare_bytes

    def counted(data: bytes, mime: str):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)  # long enough for a third decode to start, were it allowed
            return decode(data, mime)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(image_prep, "prepare_bytes", counted)
    image = QImage(3000, 2000, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    paths = []
    for index in range(6):
        path = tmp_path / f"photo{index}.png"
        image.save(str(path))
        paths.append(path)
    paste(text_input(composer), uri_list(*paths))
    settled(qtbot, composer)
    assert most <= image_prep.IMAGE_WORKERS
    payloads = composer.attachments()
    assert len(payloads) == 6
    assert all(
        max(chip.dimensions) == image_prep.MAX_SIDE for chip in composer.tray._items.values()
    )
    assert composer.tray._budgeted == {}  # an image's file bytes are not held
