"""The attachments tray in the composer: paste an image, paste copied files, the long-text
offer, drop, remove a chip, the keyboard, the limits, and the Send rule."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QToolButton

from desktopchat.domain.types import AttachmentKind, AttachmentPayload
from desktopchat.ui.composer import image_prep
from desktopchat.ui.composer.composer import Composer
from tests.attachment_files import pdf, png_header_only
from tests.ui.composer.test_composer import paste, text_input


@pytest.fixture
def composer(qtbot, qloop):
    widget = Composer()
    qtbot.addWidget(widget)
    widget.resize(700, 260)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ready(qtbot, composer: Composer, count: int) -> list[AttachmentPayload]:
    qtbot.waitUntil(lambda: len(composer.attachments()) == count, timeout=15000)
    return list(composer.attachments())


def chip_texts(composer: Composer) -> list[str]:
    return [
        " | ".join(label.text() for label in chip.findChildren(QLabel) if label.text())
        for chip in composer.tray.chips()
    ]


def uri_list(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drop(target, mime: QMimeData) -> None:
    """A drag that enters `target`, moves and is dropped, as the window system sends it."""
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, QDragEnterEvent(QPoint(10, 10), *args))
    QApplication.sendEvent(target, QDragMoveEvent(QPoint(10, 10), *args))
    QApplication.sendEvent(target, QDropEvent(QPointF(10, 10), *args))


def send_button(composer: Composer) -> QPushButton:
    return composer.findChild(QPushButton, "sendButton")


def test_a_pasted_image_becomes_an_attachment_not_text(composer, qtbot):
    image = QImage(2400, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    mime = QMimeData()
    mime.setImageData(image)
    paste(text_input(composer), mime)
    [payload] = ready(qtbot, composer, 1)
    assert composer.draft() == ""
    assert (payload.kind, payload.mime, payload.name) == (
        AttachmentKind.IMAGE,
        "image/png",
        "Pasted image.png",
    )
    decoded = QImage.fromData(payload.data)
    assert (decoded.width(), decoded.height()) == (1568, 784)
    assert "1568 × 784" in chip_texts(composer)[0]
    assert send_button(composer).isEnabled()  # an image alone may be sent


class OtherProgramsImage(QMimeData):
    """What the clipboard holds when another program copied an image: its encoded bytes,
    and the decoded image made from them when asked for (Qt's QInternalMimeData does the
    same, on the thread that asks)."""

    def __init__(self, png: QByteArray) -> None:
        super().__init__()
        self.setData("image/png", png)

    def hasFormat(self, mimetype: str) -> bool:
        return mimetype == "application/x-qt-image" or super().hasFormat(mimetype)

    def formats(self) -> list[str]:
        return ["image/png", "application/x-qt-image"]

    def retrieveData(self, mimetype: str, preferred_type):
        if mimetype == "application/x-qt-image":
            return QImage.fromData(self.data("image/png"))
        return super().retrieveData(mimetype, preferred_type)


def test_a_pasted_screenshot_is_decoded_off_the_loop(composer, qtbot, monkeypatch):
    """Another program's paste carries encoded bytes (image/png): decoding them is hundreds
    of milliseconds for a big screenshot, so they go to a worker as they are, never through
    QMimeData.imageData() on the loop."""
    image = QImage(2400, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    encoded = QByteArray()
    buffer = QBuffer(encoded)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    mime = OtherProgramsImage(encoded)
    decoders: list[threading.Thread] = []
    prepare = image_prep.prepare_bytes

    def recording(data: bytes, kind: str) -> image_prep.PreparedImage:
        decoders.append(threading.current_thread())
        return prepare(data, kind)

    monkeypatch.setattr(image_prep, "prepare_bytes", recording)
    paste(text_input(composer), mime)
    [payload] = ready(qtbot, composer, 1)
    assert decoders and threading.main_thread() not in decoders
    assert (payload.kind, payload.name) == (AttachmentKind.IMAGE, "Pasted image.png")
    decoded = QImage.fromData(payload.data)
    assert (decoded.width(), decoded.height()) == (1568, 784)


def test_files_copied_in_a_file_manager(composer, qtbot, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Plan\n" + "step " * 100)
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf(["Revenue grew"]))
    paste(text_input(composer), uri_list(notes, report))
    payloads = ready(qtbot, composer, 2)
    assert [(p.name, p.mime, p.text[:12]) for p in payloads] == [
        ("notes.md", "text/markdown", "# Plan\nstep "),
        ("report.pdf", "application/pdf", "Revenue grew"),
    ]
    texts = chip_texts(composer)
    assert texts[0].startswith("notes.md | ") and "~127 tokens" in texts[0]
    assert composer.draft() == ""


def test_a_long_paste_is_offered_as_an_attachment(composer, qtbot):
    mime = QMimeData()
    mime.setText("word " * 3000)
    paste(text_input(composer), mime)
    assert composer.draft() == ""
    offer = composer.findChild(QPushButton, "attachPastedText")
    assert offer.isVisible()
    offer.click()
    [payload] = ready(qtbot, composer, 1)
    assert (payload.name, payload.text) == ("Pasted text.txt", "word " * 3000)
    assert not offer.isVisible()


def test_a_short_paste_is_just_text(composer):
    mime = QMimeData()
    mime.setText("hello")
    paste(text_input(composer), mime)
    assert composer.draft() == "hello"
    assert composer.tray.is_empty()


def test_a_drop_on_the_message_box(composer, qtbot, tmp_path):
    path = tmp_path / "data.json"
    path.write_text('{"a": 1}')
    editor = text_input(composer)
    mime = uri_list(path)
    drop(editor.viewport(), mime)
    [payload] = ready(qtbot, composer, 1)
    assert (payload.name, payload.text) == ("data.json", '{"a": 1}')
    assert composer.draft() == ""


def test_remove_with_the_button_and_the_keyboard(composer, qtbot, tmp_path):
    paths = []
    for name in ("a.txt", "b.txt", "c.txt"):
        paths.append(tmp_path / name)
        paths[-1].write_text(name)
    composer.add_files(paths)
    ready(qtbot, composer, 3)
    first, second, third = composer.tray.chips()
    remove = first.findChild(QToolButton, "removeAttachment")
    assert remove.accessibleName() == "Remove a.txt"
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [p.name for p in composer.attachments()] == ["b.txt", "c.txt"]
    second.setFocus()
    qtbot.waitUntil(second.hasFocus)
    qtbot.keyClick(second, Qt.Key.Key_Delete)
    assert [p.name for p in composer.attachments()] == ["c.txt"]
    qtbot.waitUntil(third.hasFocus)  # focus went to the chip that took its place
    qtbot.keyClick(third, Qt.Key.Key_Backspace)
    assert composer.tray.is_empty() and not composer.tray.isVisible()
    qtbot.waitUntil(text_input(composer).hasFocus)


def test_chips_are_reached_with_tab(composer, qtbot, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a")
    composer.add_files([path])
    ready(qtbot, composer, 1)
    [chip] = composer.tray.chips()
    assert chip.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert chip.accessibleName() == "Attachment a.txt"


def test_files_that_cannot_be_sent_say_why_and_stop_send(composer, qtbot, tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(60_000, 60_000))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(200 * 1024 * 1024)
    composer.add_files([bomb, huge])
    qtbot.waitUntil(lambda: "Reading…" not in " ".join(chip_texts(composer)), timeout=10000)
    texts = chip_texts(composer)
    assert "Too many pixels to open" in texts[0]
    assert "Too large (209.7 MB); the limit is 2.1 MB" in texts[1]
    assert not send_button(composer).isEnabled()
    assert send_button(composer).toolTip() == "Remove the attachments that cannot be sent."


def test_images_for_a_text_only_model(composer, qtbot):
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    composer.tray.add_image(image, "red.png")
    ready(qtbot, composer, 1)
    composer.set_model_reads_images(False)
    assert "This model reads text only" in chip_texts(composer)[0]
    assert not send_button(composer).isEnabled()
    assert "pick a vision model" in send_button(composer).toolTip()
    composer.set_model_reads_images(None)
    assert send_button(composer).isEnabled()


def test_too_many_images(composer, qtbot):
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    for index in range(9):
        composer.tray.add_image(image, f"{index}.png")
    ready(qtbot, composer, 9)
    assert send_button(composer).toolTip() == "At most 8 images go in one message."


def test_a_name_that_looks_like_markup_is_shown_as_written(composer, qtbot, tmp_path):
    path = tmp_path / "<b>bold<b><img src=x>.txt"
    path.write_text("x")
    composer.add_files([path])
    ready(qtbot, composer, 1)
    [chip] = composer.tray.chips()
    for label in chip.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;" in chip.toolTip()


def test_draft_attachments_come_back(composer, qtbot):
    image = QImage(30, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    composer.tray.add_image(image, "blue.png")
    doc = AttachmentPayload(AttachmentKind.DOCUMENT, "a.txt", "text/plain", b"abc", "abc")
    [saved] = ready(qtbot, composer, 1)
    composer.set_attachments([saved, doc])
    assert ready(qtbot, composer, 2) == [saved, doc]
    qtbot.waitUntil(lambda: "30 × 20" in chip_texts(composer)[0])
    assert composer.take_attachments() == (saved, doc)
    assert composer.tray.is_empty()


def test_the_paperclip_and_its_shortcut_open_a_file_picker(composer, qtbot):
    qtbot.keyClick(
        text_input(composer),
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = composer.findChild(QFileDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.fileMode() == QFileDialog.FileMode.ExistingFiles
    dialog.reject()
