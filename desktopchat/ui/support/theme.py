"""The application's look: Fusion with our own light and dark palettes, and the app icon.

Fusion draws the same on every OS, so a screenshot in the README is what a person gets.
Forcing the colour scheme through ``QStyleHints.setColorScheme`` alone is not enough: the
platform theme decides whether to honour it, and on some (offscreen, several Linux
desktops) the palette stays light. So we always install a complete palette ourselves and
ask the platform for the matching scheme only so that native parts (title bars, file
dialogs) agree where the platform supports it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QPlainTextEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QTextEdit,
    QWidget,
)

from desktopchat.ui.support.contrast import field_border
from desktopchat.ui.support.resources import resource_path

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")
"""The values a person can pick in Settings."""

_Role = QPalette.ColorRole

_LIGHT_COLOURS = {
    _Role.Window: "#f3f3f5",
    _Role.WindowText: "#1f1f23",
    _Role.Base: "#ffffff",
    _Role.AlternateBase: "#f6f6f8",
    _Role.ToolTipBase: "#ffffff",
    _Role.ToolTipText: "#1f1f23",
    _Role.PlaceholderText: "#7b7e86",
    _Role.Text: "#1f1f23",
    _Role.Button: "#f8f8fa",
    _Role.ButtonText: "#1f1f23",
    _Role.BrightText: "#d92d20",
    _Role.Light: "#ffffff",
    _Role.Midlight: "#ebebee",
    _Role.Mid: "#c6c8ce",
    _Role.Dark: "#a3a5ab",
    _Role.Shadow: "#6f7177",
    _Role.Highlight: "#2f6fde",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#1f5fcf",
    _Role.LinkVisited: "#6d45c4",
    _Role.Accent: "#2f6fde",
}
_LIGHT_DISABLED_TEXT = "#a0a2a8"

_DARK_COLOURS = {
    _Role.Window: "#232428",
    _Role.WindowText: "#e6e7ea",
    _Role.Base: "#1b1c1f",
    _Role.AlternateBase: "#27282c",
    _Role.ToolTipBase: "#2e3035",
    _Role.ToolTipText: "#e6e7ea",
    _Role.PlaceholderText: "#8a8d95",
    _Role.Text: "#e6e7ea",
    _Role.Button: "#2e3035",
    _Role.ButtonText: "#e6e7ea",
    _Role.BrightText: "#ff6b61",
    _Role.Light: "#4a4c53",
    _Role.Midlight: "#3a3c42",
    _Role.Mid: "#45474e",
    _Role.Dark: "#18191c",
    _Role.Shadow: "#0e0e10",
    _Role.Highlight: "#3d7be6",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#79a8ff",
    _Role.LinkVisited: "#b79cf0",
    _Role.Accent: "#3d7be6",
}
_DARK_DISABLED_TEXT = "#6c6f76"

STYLESHEET = """
QListView#conversationList, QListView#searchResultsList {
    border: 2px solid transparent;
    border-radius: 6px;
    background: transparent;
}
QListView#conversationList:focus, QListView#searchResultsList:focus {
    border-color: palette(highlight);
}
QScrollBar:vertical {
    background: transparent;
    width: 10px;
    margin: 0;
}
QScrollBar:horizontal {
    background: transparent;
    height: 10px;
    margin: 0;
}
QScrollBar::handle:vertical {
    background: palette(mid);
    border-radius: 3px;
    min-height: 28px;
    margin: 2px;
}
QScrollBar::handle:horizontal {
    background: palette(mid);
    border-radius: 3px;
    min-width: 28px;
    margin: 2px;
}
QScrollBar::handle:hover, QScrollBar::handle:pressed {
    background: palette(dark);
}
QScrollBar::add-line, QScrollBar::sub-line {
    width: 0;
    height: 0;
    border: none;
}
QScrollBar::add-page, QScrollBar::sub-page {
    background: transparent;
}
QWidget#findBar {
    border: 1px solid palette(mid);
    border-radius: 6px;
}
QPlainTextEdit#composer {
    border: 1px solid palette(mid);
    border-radius: 8px;
    background: palette(base);
}
QPlainTextEdit#composer:focus {
    border-color: palette(highlight);
}
QCheckBox::indicator {
    width: 14px;
    height: 14px;
    border: 1px solid palette(mid);
    border-radius: 3px;
    background: palette(base);
}
QCheckBox::indicator:checked {
    border-color: palette(highlight);
    background: palette(highlight);
    image: url(CHECK_MARK);
}
QCheckBox::indicator:focus, QCheckBox::indicator:hover {
    border-color: palette(highlight);
}
QCheckBox::indicator:disabled {
    background: palette(window);
}
QCheckBox::indicator:checked:disabled {
    background: palette(mid);
}
"""
"""Only spacing, borders, the scroll bars and the check boxes, every colour taken from the
palette so both themes share it. Scroll bars are styled for every scroll area: Fusion's own,
under a stylesheet that makes a list transparent, drew a solid black track (issue 20).
Check boxes too: Fusion draws an unchecked box in the base colour with an outline darker
than the window, which vanished on the dark theme's panels; ours has the palette's mid
outline and, checked, the highlight with a white mark. CHECK_MARK is replaced by the mark's
file when the sheet is installed."""

_FOLLOWER_NAME = "desktopchatColorSchemeFollower"


def _build_palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    """A palette with every role set, so nothing falls back to the platform's colours."""
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText, _Role.HighlightedText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    palette.setColor(QPalette.ColorGroup.Disabled, _Role.Base, QColor(colours[_Role.Window]))
    palette.setColor(QPalette.ColorGroup.Disabled, _Role.Highlight, QColor(colours[_Role.Mid]))
    return palette


def light_palette() -> QPalette:
    """The light theme's palette."""
    return _build_palette(_LIGHT_COLOURS, _LIGHT_DISABLED_TEXT)


def dark_palette() -> QPalette:
    """The dark theme's palette."""
    return _build_palette(_DARK_COLOURS, _DARK_DISABLED_TEXT)


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark window.

    Compares text with background rather than testing the window colour against a fixed
    threshold, the way Qt itself decides, so a mid-grey custom palette is judged by contrast.
    """
    window = palette.color(_Role.Window).lightness()
    text = palette.color(_Role.WindowText).lightness()
    return text > window


class FieldStyle(QProxyStyle):
    """Fusion, with text fields outlined in contrast.field_border: a line edit, a spin box,
    an editable combo box and an editable text box (Fusion's outline was lost on the dark
    theme's fields). Fusion draws everything; a field's outline is drawn again over its own
    when the field has no focus (with focus, Fusion's highlight ring shows). Kept tiny: an
    exception here, inside a Qt override, would end the app."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element == QStyle.PrimitiveElement.PE_FrameLineEdit or (
            element == QStyle.PrimitiveElement.PE_Frame
            and isinstance(widget, QPlainTextEdit | QTextEdit)
            and not widget.isReadOnly()
        ):
            _outline(option, painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control == QStyle.ComplexControl.CC_SpinBox and getattr(option, "frame", False):
            _outline(option, painter)


def _outline(option: QStyleOption, painter: QPainter) -> None:
    """The field's rounded outline, where Fusion draws its own, unless it has focus."""
    if option.state & QStyle.StateFlag.State_HasFocus:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(field_border(option.palette))
    painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
    painter.restore()


def _install_palette(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Set the palette for ``scheme`` (Unknown counts as light) and re-polish the stylesheet."""
    dark = scheme == Qt.ColorScheme.Dark
    app.setPalette(dark_palette() if dark else light_palette())
    # Setting the stylesheet again after the palette makes Qt resolve palette(...) anew.
    app.setStyleSheet(_style_sheet())


def _style_sheet() -> str:
    """STYLESHEET with the check mark's file (a missing file: Qt draws no mark, and the
    checked box still shows in the highlight colour)."""
    try:
        mark = resource_path("check-on-accent.svg").as_posix()
    except FileNotFoundError:
        log.warning("check mark missing", exc_info=True)
        mark = ""
    return STYLESHEET.replace("CHECK_MARK", mark)


class _ColorSchemeFollower(QObject):
    """Re-applies the palette when the OS switches between light and dark.

    Lives as a child of the application so there is exactly one listener however often
    apply_theme is called, and it only acts while the person chose "system".
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER_NAME)
        self.theme = "system"
        self._app = app
        app.styleHints().colorSchemeChanged.connect(self.on_style_hints_color_scheme_changed)

    def on_style_hints_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == "system":
            _install_palette(self._app, scheme)


def _follower(app: QApplication) -> _ColorSchemeFollower:
    existing = app.findChild(_ColorSchemeFollower, _FOLLOWER_NAME)
    return existing if existing is not None else _ColorSchemeFollower(app)


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply ``theme`` ("system", "light" or "dark") to the whole application.

    "system" follows the OS colour scheme now and whenever it changes; "light" and "dark"
    hold regardless of the OS.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")
    if not isinstance(app.style(), FieldStyle):
        app.setStyle(FieldStyle("Fusion"))
    hints = app.styleHints()
    _follower(app).theme = theme
    if theme == "system":
        hints.unsetColorScheme()
        scheme = hints.colorScheme()
    else:
        scheme = Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light
        hints.setColorScheme(scheme)
    _install_palette(app, scheme)


def app_icon() -> QIcon:
    """The application icon (scalable, so it is sharp at every size the OS asks for).

    A missing file is a packaging bug: it is logged, and the app still starts with the
    platform's default icon rather than refusing to run over a picture.
    """
    try:
        return QIcon(str(resource_path("desktopchat.svg")))
    except FileNotFoundError:
        log.warning("application icon missing", exc_info=True)
        return QIcon()
