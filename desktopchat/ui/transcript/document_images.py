"""Images the conversation document holds as its own resources: action icons and formulas.

Formula images are forgotten when MathImages' cache lets them go (math_placeholders.py), so
what is kept here stays within the cache's budget however many themes and formulas pass.

The document never loads anything (R6, markdown.InertDocument); the only images it can show
are the ones put into it here with `addResource`, which Qt serves from the document's own
table before it would ever call `loadResource`. Their names carry a random token made per
document, so a model that writes `![x](dc-image:…)` cannot name one of them (and an image in
model text is turned into a link anyway).

The icons are drawn with QPainter (a few strokes each), in the palette's muted colour, at
twice their size for sharp edges on high-density screens.
"""

from __future__ import annotations

import math
import secrets

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTextCharFormat,
    QTextDocument,
    QTextImageFormat,
)

ICON_SIZE = 16
_SCALE = 2
ICONS = (
    "copy",
    "edit",
    "regenerate",
    "check",
    "previous",
    "next",
    "chevron",
    "document",
    "image",
)


class DocumentImages:
    """Names and (re)registers the images of one document; survives `document.clear()`."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._prefix = f"dc-image-{secrets.token_hex(8)}:"
        self._images: dict[str, QImage] = {}
        self._icon_formats: dict[tuple[str, str], QTextImageFormat] = {}

    def is_ours(self, name: str) -> bool:
        """Whether an image name is one this document registered."""
        return name.startswith(self._prefix) and name in self._images

    def name_of(self, key: str) -> str:
        """The resource name an image added under `key` has (or would have)."""
        return self._prefix + key

    def add(self, key: str, image: QImage) -> str:
        """Register `image` under `key` (once) and return its resource name."""
        name = self.name_of(key)
        if name not in self._images:
            self._images[name] = image
            self._document.addResource(
                QTextDocument.ResourceType.ImageResource.value, QUrl(name), image
            )
        return name

    def image(self, name: str) -> QImage:
        """An image registered here, by its resource name (a null image if none)."""
        return self._images.get(name, QImage())

    def forget(self, name: str) -> None:
        """Stop keeping an image: it goes when the document is next cleared."""
        self._images.pop(name, None)

    def restore(self) -> None:
        """Register every image again (QTextDocument.clear() drops the resources)."""
        for name, image in self._images.items():
            self._document.addResource(
                QTextDocument.ResourceType.ImageResource.value, QUrl(name), image
            )

    def icon_format(
        self, icon: str, colour: QColor, base: QTextCharFormat, tooltip: str
    ) -> QTextImageFormat:
        """An inline icon to copy and make an anchor (a Tab stop, activated by Enter); made
        once per icon, colour and name (a page of messages has hundreds of icons)."""
        key = f"icon/{icon}/{colour.name()}"
        cached = self._icon_formats.get((key, tooltip))
        if cached is None:
            name = self._prefix + key
            if name not in self._images:
                self.add(key, draw_icon(icon, colour))
            cached = QTextImageFormat()
            cached.merge(base)
            cached.setName(name)
            cached.setWidth(ICON_SIZE)
            cached.setHeight(ICON_SIZE)
            cached.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
            cached.setAnchor(True)
            cached.setToolTip(tooltip)
            self._icon_formats[(key, tooltip)] = cached
        return QTextImageFormat(cached)


def draw_icon(icon: str, colour: QColor) -> QImage:
    """One of ICONS, drawn in `colour` on transparency."""
    side = ICON_SIZE * _SCALE
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(_SCALE, _SCALE)
    pen = QPen(colour, 1.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    _STROKES[icon](painter)
    painter.end()
    return image


def _copy(painter: QPainter) -> None:
    painter.drawRoundedRect(QRectF(5.5, 5.5, 8, 8.5), 1.8, 1.8)
    painter.drawPolyline([QPointF(10.5, 3.5), QPointF(10.5, 3), QPointF(3, 3)])
    painter.drawPolyline([QPointF(2.5, 3.5), QPointF(2.5, 11)])


def _edit(painter: QPainter) -> None:
    path = QPainterPath(QPointF(3, 13))
    path.lineTo(3.5, 10.5)
    path.lineTo(10.5, 3.5)
    path.lineTo(12.5, 5.5)
    path.lineTo(5.5, 12.5)
    path.closeSubpath()
    painter.drawPath(path)
    painter.drawLine(QPointF(9, 5), QPointF(11, 7))


def _regenerate(painter: QPainter) -> None:
    painter.drawArc(QRectF(3, 3, 10, 10), 40 * 16, 280 * 16)
    angle = math.radians(40)
    tip = QPointF(8 + 5 * math.cos(angle), 8 - 5 * math.sin(angle))
    painter.drawPolyline([tip + QPointF(-3.2, -0.6), tip, tip + QPointF(0.2, -3.2)])


def _delete(painter: QPainter) -> None:
    painter.drawLine(QPointF(2.5, 4.5), QPointF(13.5, 4.5))
    painter.drawPolyline([QPointF(6, 4.5), QPointF(6.5, 2.5), QPointF(9.5, 2.5), QPointF(10, 4.5)])
    painter.drawPolyline(
        [QPointF(4, 4.5), QPointF(4.8, 13.5), QPointF(11.2, 13.5), QPointF(12, 4.5)]
    )


def _check(painter: QPainter) -> None:
    painter.drawPolyline([QPointF(3, 8.5), QPointF(6.5, 12), QPointF(13, 4.5)])


def _previous(painter: QPainter) -> None:
    painter.drawPolyline([QPointF(10, 3.5), QPointF(5.5, 8), QPointF(10, 12.5)])


def _next(painter: QPainter) -> None:
    painter.drawPolyline([QPointF(6, 3.5), QPointF(10.5, 8), QPointF(6, 12.5)])


def _chevron(painter: QPainter) -> None:
    painter.drawPolyline([QPointF(4, 6), QPointF(8, 10), QPointF(12, 6)])


def _document(painter: QPainter) -> None:
    path = QPainterPath(QPointF(4, 2.5))
    path.lineTo(9.5, 2.5)
    path.lineTo(12.5, 5.5)
    path.lineTo(12.5, 13.5)
    path.lineTo(4, 13.5)
    path.closeSubpath()
    painter.drawPath(path)
    painter.drawPolyline([QPointF(9.5, 2.5), QPointF(9.5, 5.5), QPointF(12.5, 5.5)])
    painter.drawLine(QPointF(6, 8.5), QPointF(10.5, 8.5))
    painter.drawLine(QPointF(6, 11), QPointF(10.5, 11))


def _image(painter: QPainter) -> None:
    painter.drawRoundedRect(QRectF(2.5, 3.5, 11, 9), 1.5, 1.5)
    painter.drawPolyline([QPointF(3, 11.5), QPointF(6.5, 8), QPointF(9, 10.5), QPointF(13, 7)])
    painter.drawEllipse(QPointF(10, 6.2), 0.9, 0.9)


_STROKES = {
    "document": _document,
    "image": _image,
    "copy": _copy,
    "edit": _edit,
    "regenerate": _regenerate,
    "delete": _delete,
    "check": _check,
    "previous": _previous,
    "next": _next,
    "chevron": _chevron,
}
