"""Formulas as images: TeX → MathML → SVG (ziamath) → QImage (QtSvg), cached.

ziamath is pure Python and its import costs ~0.5 s, so it is imported in a worker thread the
first time a reply has math (DESIGN.md P1/P3: never at start-up, never on the loop); until it
is ready formulas show as their source in code style, and `ready` asks the view to render
them again. A formula takes ~10 ms to render, so each one is rendered once per colour and
size and kept (CACHE_SIZE). A formula ziamath cannot render shows its source as code.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections import OrderedDict

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter

log = logging.getLogger(__name__)

CACHE_SIZE = 512
_SCALE = 2


class MathImages(QObject):
    """Renders formulas for one view; `ready` fires (on the Qt thread) once ziamath loaded."""

    ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ziamath = None
        self._loading = False
        self._cache: OrderedDict[tuple[str, bool, str, int], QImage | None] = OrderedDict()

    @property
    def is_ready(self) -> bool:
        return self._ziamath is not None

    def warm_up(self) -> None:
        """Start importing ziamath in the background (once)."""
        if self._loading or self._ziamath is not None:
            return
        self._loading = True
        threading.Thread(target=self._load, name="ziamath-import", daemon=True).start()

    def _load(self) -> None:
        try:
            with warnings.catch_warnings():  # its own use of pkg_resources.path
                warnings.simplefilter("ignore", DeprecationWarning)
                import ziamath

            ziamath.config.svg2 = False  # QtSvg (SVG Tiny) draws no <symbol>: paths inline
        except Exception:
            log.exception("ziamath could not be imported; formulas are shown as code")
            return
        self._ziamath = ziamath
        self.ready.emit()

    def image(self, source: str, display: bool, colour: QColor, pixel_size: int) -> QImage | None:
        """The formula drawn at twice `pixel_size` (for sharp edges), or None if it cannot be
        rendered (or ziamath is not loaded yet: see `is_ready`)."""
        if self._ziamath is None:
            return None
        key = (source, display, colour.name(), pixel_size)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        image = self._render(source, display, colour, pixel_size)
        self._cache[key] = image
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return image

    def _render(self, source: str, display: bool, colour: QColor, pixel_size: int) -> QImage | None:
        from PySide6.QtSvg import QSvgRenderer

        size = pixel_size * (1.15 if display else 1.0)
        try:
            svg = self._ziamath.Latex(
                source, size=size, color=colour.name(), inline=not display
            ).svg()
        except Exception:
            return None
        renderer = QSvgRenderer(QByteArray(svg.encode()))
        if not renderer.isValid():
            return None
        natural = renderer.defaultSize()
        if natural.isEmpty():
            return None
        image = QImage(natural * _SCALE, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter, QRectF(image.rect()))
        painter.end()
        image.setDevicePixelRatio(_SCALE)
        return image
