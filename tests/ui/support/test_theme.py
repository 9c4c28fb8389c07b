"""Theme, icon and shipped resources (the desktop entry is checked here as a resource)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLineEdit

import desktopchat
from desktopchat.ui.support.contrast import field_border, match_tint
from desktopchat.ui.support.resources import resource_path
from desktopchat.ui.support.theme import (
    FieldStyle,
    app_icon,
    apply_theme,
    dark_palette,
    is_dark,
    light_palette,
)
from tests.ui.composer.test_context_gauge import contrast

WINDOW = QPalette.ColorRole.Window


@pytest.fixture
def app(qapp):
    """The shared QApplication, handed back to later tests as it was found."""
    palette, style_sheet = qapp.palette(), qapp.styleSheet()
    style = qapp.style().name() or "fusion"
    yield qapp
    apply_theme(qapp, "light")  # stop following OS changes before restoring the palette
    qapp.styleHints().unsetColorScheme()
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(style_sheet)


def test_dark_theme_gives_a_dark_window(app):
    apply_theme(app, "dark")
    assert app.palette().color(WINDOW).lightness() < 80
    assert is_dark(app.palette())
    assert "#composer" in app.styleSheet()
    app.setStyleSheet("")  # a style sheet wraps the style and hides its name
    assert isinstance(app.style(), FieldStyle) and app.style().baseStyle().name() == "fusion"


def test_light_theme_gives_a_light_window(app):
    apply_theme(app, "dark")
    apply_theme(app, "light")
    assert app.palette().color(WINDOW).lightness() > 200
    assert not is_dark(app.palette())


def test_system_theme_follows_the_os_when_it_changes(app):
    apply_theme(app, "system")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())


def test_a_forced_theme_ignores_os_changes(app):
    apply_theme(app, "system")
    apply_theme(app, "light")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not is_dark(app.palette())


def test_unknown_theme_is_refused(app):
    with pytest.raises(ValueError, match="sepia"):
        apply_theme(app, "sepia")


def test_is_dark_on_the_palettes_and_the_disabled_text_stays_readable():
    assert is_dark(dark_palette()) and not is_dark(light_palette())
    for palette in (dark_palette(), light_palette()):
        disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        active = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        assert disabled != active
        assert abs(disabled.lightness() - base.lightness()) > 60


def test_app_icon_renders_from_small_to_large(qapp):
    icon = app_icon()
    assert not icon.isNull()
    for size in (16, 256):
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_resources_come_from_the_package_and_a_missing_one_says_where_it_looked():
    icon = resource_path("desktopchat.svg")
    assert icon.is_file()
    assert icon.parent == Path(desktopchat.__file__).parent / "resources"
    assert resource_path("translations/desktopchat_fr.qm").is_file()
    with pytest.raises(FileNotFoundError) as missing:
        resource_path("no-such-file.png")
    assert str(icon.parent) in str(missing.value)


def test_desktop_entry_names_the_app_its_command_and_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(resource_path("desktopchat.desktop"), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "DesktopChat"
    assert section["Exec"] == "desktopchat"
    assert section["Icon"] == "desktopchat"
    assert section["StartupWMClass"] == "desktopchat"
    assert section["Terminal"] == "false"
    # One main category (Network; Chat is one of its additional categories): with two,
    # menus list the app twice (freedesktop menu specification, appendix A).
    assert section["Categories"] == "Network;Chat;"
    assert section["Comment[fr]"] and section["GenericName"] and section["Keywords"]


def test_check_boxes_are_drawn_from_the_palette_with_the_shipped_mark(app):
    """Fusion's unchecked box vanished on the dark theme's panels: ours is outlined in the
    palette's mid colour, and checked shows the shipped white mark on the highlight."""
    apply_theme(app, "dark")
    sheet = app.styleSheet()
    assert "QCheckBox::indicator" in sheet and "CHECK_MARK" not in sheet
    mark = sheet.split("image: url(")[1].split(")")[0]
    assert Path(mark).is_file() and Path(mark).name == "check-on-accent.svg"


FUSION_OUTLINE_DARKER = 140
"""Fusion outlines a field in the window colour made this much darker (qfusionstyle.cpp)."""


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_a_text_fields_outline_stands_out_from_the_field_in_both_themes(palette):
    base = palette.color(QPalette.ColorRole.Base)
    border = field_border(palette)
    fusion = palette.color(WINDOW).darker(FUSION_OUTLINE_DARKER)
    assert contrast(border, base) >= 3  # WCAG's minimum for a control's boundary
    assert contrast(border, base) > contrast(fusion, base)
    # not a black or white frame either: the field's text stays what stands out most
    assert contrast(border, base) < contrast(palette.color(QPalette.ColorRole.Text), base) / 2


def test_the_dark_theme_draws_a_line_edits_outline_that_shows(app, qtbot):
    """Fusion's own outline on the dark theme was the field's colour (contrast 1.0)."""
    apply_theme(app, "dark")
    field = QLineEdit("text")
    qtbot.addWidget(field)
    field.resize(200, 30)
    image = field.grab().toImage()
    base = app.palette().color(QPalette.ColorRole.Base)
    edge = image.pixelColor(100, 0)
    inside = image.pixelColor(100, 15)
    assert contrast(edge, base) >= 2.5 and contrast(inside, base) < 1.1


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_a_search_match_is_marked_visibly_and_its_words_still_read(palette):
    window = palette.color(WINDOW)
    tint = match_tint(palette)
    old = QColor(palette.color(QPalette.ColorRole.Highlight))
    old_tint = QColor.fromRgbF(
        *(0.22 * h + 0.78 * w for h, w in zip(old.getRgbF()[:3], window.getRgbF()[:3], strict=True))
    )
    assert contrast(tint, window) >= 1.5
    assert contrast(tint, window) >= contrast(old_tint, window)
    assert contrast(palette.color(QPalette.ColorRole.Text), tint) >= 7  # WCAG AAA for text
