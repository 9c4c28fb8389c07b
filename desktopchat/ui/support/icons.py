"""The app's one icon set: line SVGs in desktopchat/resources/ drawn in `currentColor`,
painted here in the palette's text colour so they read in the light and the dark theme.

Widgets that show icons call `icon(name, widget)` when built and again when their palette
changes (a theme switch), through `IconRefresher`.
"""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QWidget

from desktopchat.ui.support.resources import resource_path

SIZE = 48
"""Drawn once, at twice the largest size shown: Qt scales it down smoothly (and greys it for
the disabled state), where drawing every size would cost start-up time (P1)."""


@cache
def _svg_text(name: str) -> str:
    """The SVG source, read once (a few hundred bytes)."""
    return resource_path(f"{name}.svg").read_text(encoding="utf-8")


def icon(
    name: str, widget: QWidget, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText
) -> QIcon:
    """The icon `name` painted in the widget's palette colour `role`."""
    return tinted(name, widget.palette().color(role).name())


def tinted(name: str, colour: str) -> QIcon:
    """The icon `name` painted in `colour` (a "#rrggbb" name)."""
    return QIcon(tinted_pixmap(name, colour))


@lru_cache(maxsize=32)
def tinted_pixmap(name: str, colour: str) -> QPixmap:
    """The icon `name` painted in `colour`, SIZE pixels square; kept, for what is drawn at
    every paint (the sidebar's pin)."""
    renderer = QSvgRenderer(QByteArray(_svg_text(name).replace("currentColor", colour).encode()))
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


class IconRefresher(QObject):
    """Gives buttons their icons, and again whenever the palette changes."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self._icons: list[tuple[QAbstractButton, str, QPalette.ColorRole]] = []
        owner.installEventFilter(self)

    def set(
        self,
        button: QAbstractButton,
        name: str,
        role: QPalette.ColorRole = QPalette.ColorRole.ButtonText,
    ) -> None:
        """Show `name` on `button` from now on, in its palette's colour `role`."""
        self._icons = [entry for entry in self._icons if entry[0] is not button]
        self._icons.append((button, name, role))
        button.setIcon(icon(name, button, role))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._owner and event.type() == QEvent.Type.PaletteChange:
            for button, name, role in self._icons:
                button.setIcon(icon(name, button, role))
        return False
