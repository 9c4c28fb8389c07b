"""One attachment above the message box: thumbnail or icon, name, size, estimated tokens or
what is wrong with it, and a remove button.

The chip takes focus (Tab reaches it) and Delete or Backspace removes it; the file name is
shown as plain text (PlainLabel, plain_tooltip): a name can look like markup on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStyle, QToolButton, QVBoxLayout, QWidget

from desktopchat.domain.types import AttachmentKind, AttachmentPayload
from desktopchat.services.attachments import AttachmentProblem, Note, Reason
from desktopchat.ui.support.plain import PlainLabel, plain_tooltip
from desktopchat.ui.support.units import data_size

ICON_SIDE = 40
NAME_WIDTH = 160
"""Names longer than this many pixels are elided in the middle (the tooltip has it all)."""


CHIP_STYLE = """
#attachmentChip { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }
#attachmentChip:focus { border: 2px solid palette(highlight); }
"""
"""A rounded card; the keyboard focus shows as a highlighted border."""


def warning_colour(palette: QPalette) -> str:
    """A red that reads on the palette's base colour, light or dark."""
    return "#ff8a80" if palette.color(QPalette.ColorRole.Base).lightness() < 128 else "#b3261e"


class ChipState(Enum):
    READING = "reading"
    READY = "ready"
    FAILED = "failed"


@dataclass
class TrayItem:
    """What the tray knows of one attachment while the person writes."""

    key: int
    name: str
    size: int
    kind: AttachmentKind | None = None
    state: ChipState = ChipState.READING
    payload: AttachmentPayload | None = None
    tokens: int | None = None
    note: Note | None = None
    problem: AttachmentProblem | None = None
    thumbnail: QImage | None = field(default=None, repr=False)
    dimensions: tuple[int, int] | None = None


def size_text(size: int) -> str:
    """1.2 MB, 340.0 kB, in the UI's locale (as everywhere: ui/support/units.py)."""
    return data_size(size)


def problem_text(problem: AttachmentProblem, size: int) -> str:
    """What is wrong with a file, in words the person can act on."""
    reason = problem.reason
    if reason is Reason.TOO_LARGE:
        return QCoreApplication.translate(
            "AttachmentChip", "Too large ({size}); the limit is {limit}"
        ).format(size=size_text(size), limit=size_text(problem.limit or 0))
    texts = {
        Reason.UNSUPPORTED: QCoreApplication.translate(
            "AttachmentChip", "Not a file DesktopChat can read (images, PDF, text)"
        ),
        Reason.UNREADABLE: QCoreApplication.translate("AttachmentChip", "Could not be read"),
        Reason.DAMAGED: QCoreApplication.translate(
            "AttachmentChip", "Damaged, or not the file its name says"
        ),
        Reason.ENCRYPTED: QCoreApplication.translate("AttachmentChip", "Protected by a password"),
        Reason.TOO_SLOW: QCoreApplication.translate("AttachmentChip", "Took too long to read"),
        Reason.TOO_MANY_PIXELS: QCoreApplication.translate(
            "AttachmentChip", "Too many pixels to open"
        ),
    }
    return texts[reason]


def details_text(item: TrayItem, reads_images: bool | None) -> tuple[str, bool]:
    """The chip's second line, and whether it is a warning."""
    if item.state is ChipState.READING:
        return QCoreApplication.translate("AttachmentChip", "Reading…"), False
    if item.state is ChipState.FAILED and item.problem is not None:
        return problem_text(item.problem, item.size), True
    if item.kind is AttachmentKind.IMAGE:
        if reads_images is False:
            return QCoreApplication.translate("AttachmentChip", "This model reads text only"), True
        width, height = item.dimensions or (0, 0)
        return f"{size_text(len(item.payload.data or b''))} · {width} × {height}", False
    if item.note is Note.NO_TEXT:
        return QCoreApplication.translate(
            "AttachmentChip", "No text found (a scan?): the model is told so"
        ), True
    tokens = QLocale().toString(item.tokens or 0)
    return QCoreApplication.translate("AttachmentChip", "{size} · ~{tokens} tokens").format(
        size=size_text(item.size), tokens=tokens
    ), False


class AttachmentChip(QFrame):
    """The chip of one TrayItem; `remove_requested(key)` when its button or Delete is hit."""

    remove_requested = Signal(int)

    def __init__(self, item: TrayItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = item.key
        self.setObjectName("attachmentChip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(CHIP_STYLE)
        self._icon = PlainLabel(self)
        self._icon.setFixedSize(ICON_SIDE, ICON_SIDE)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._name = PlainLabel(self)
        self._name.setObjectName("attachmentName")
        self._details = PlainLabel(self)
        self._details.setObjectName("attachmentDetails")
        self._remove = QToolButton(self)
        self._remove.setObjectName("removeAttachment")
        self._remove.setText("✕")
        self._remove.setAutoRaise(True)
        self._remove.clicked.connect(lambda: self.remove_requested.emit(self.key))

        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self._name)
        text.addWidget(self._details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 2, 4)
        layout.setSpacing(6)
        layout.addWidget(self._icon)
        layout.addLayout(text)
        layout.addWidget(self._remove, 0, Qt.AlignmentFlag.AlignTop)
        self.show_item(item, None)

    def show_item(self, item: TrayItem, reads_images: bool | None) -> None:
        metrics = self._name.fontMetrics()
        self._name.setText(metrics.elidedText(item.name, Qt.TextElideMode.ElideMiddle, NAME_WIDTH))
        details, warning = details_text(item, reads_images)
        self._details.setText(details)
        self._details.setStyleSheet(f"color: {warning_colour(self.palette())};" if warning else "")
        self.setToolTip(plain_tooltip(f"{item.name}\n{details}"))
        self.setAccessibleName(
            QCoreApplication.translate("AttachmentChip", "Attachment {name}").format(name=item.name)
        )
        self.setAccessibleDescription(details)
        self._remove.setAccessibleName(
            QCoreApplication.translate("AttachmentChip", "Remove {name}").format(name=item.name)
        )
        self._remove.setToolTip(QCoreApplication.translate("AttachmentChip", "Remove (Delete)"))
        self._icon.setPixmap(self._picture(item))

    def _picture(self, item: TrayItem) -> QPixmap:
        if item.thumbnail is not None and not item.thumbnail.isNull():
            return QPixmap.fromImage(item.thumbnail).scaled(
                ICON_SIDE,
                ICON_SIDE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        icon = {
            ChipState.READING: QStyle.StandardPixmap.SP_BrowserReload,
            ChipState.FAILED: QStyle.StandardPixmap.SP_MessageBoxWarning,
        }.get(item.state, QStyle.StandardPixmap.SP_FileIcon)
        return self.style().standardIcon(icon).pixmap(ICON_SIDE - 8, ICON_SIDE - 8)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(self.key)
            return
        super().keyPressEvent(event)
