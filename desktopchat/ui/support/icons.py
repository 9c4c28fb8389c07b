"""The app's one icon set: line SVGs in desktopchat/resources/ drawn in `currentColor`,
painted here in the palette's text colour so they read in the light and the dark theme.

Widgets that show icons call `icon(name, widget)` when built and again when their palette
changes (a theme switch), through `IconRefresher`.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QWidget

from desktopchat.ui.support.resources import resource_path

SIZES = (16, 20, 24, 32, 48)


@cache
def _svg_text(name: str) -> str:
    """The SVG source, read once (a few hundred bytes)."""
    return resource_path(f"{name}.svg").read_text(encoding="utf-8")


def icon(
    name: str, widget: QWidget, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText
) -> QIcon:
    """The icon `name` painted in the widget's palette colour `role` (and dimmed for the
    disabled state)."""
    palette = widget.palette()
    result = QIcon()
    for mode, group in (
        (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
    ):
        colour = palette.color(group, role).name()
        renderer = QSvgRenderer(
            QByteArray(_svg_text(name).replace("currentColor", colour).encode())
        )
        for size in SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


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
