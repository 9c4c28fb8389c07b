"""The context gauge in the composer card reads in both themes: its empty track stands out
from the card, its fill from the track, and a warning (orange) and a message that does not
fit (red) from the normal fill and from each other; a theme switch repaints it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QProgressBar

from desktopchat.services.context import ContextEstimate
from desktopchat.ui.composer.context_meter import ContextMeter, gauge_colours
from desktopchat.ui.support.theme import dark_palette, light_palette


def contrast(one: QColor, other: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        parts = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in colour.getRgbF()[:3]
        ]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_track_and_fills_stand_out_on_the_card(palette: QPalette):
    card = palette.color(QPalette.ColorRole.Base)
    fills = {}
    for state in ("normal", "warn", "over"):
        track, fill = gauge_colours(palette, state)
        assert contrast(track, card) >= 1.6, state  # a visible groove, not a faint line
        assert contrast(fill, card) >= 3, state  # WCAG's minimum for a graphic
        fills[state] = fill
    assert len({fill.name() for fill in fills.values()}) == 3
    assert fills["warn"].hue() != fills["over"].hue()


def test_the_gauge_takes_the_state_and_the_new_theme(qtbot):
    meter = ContextMeter()
    qtbot.addWidget(meter)
    meter.setPalette(light_palette())
    meter.show_estimate(ContextEstimate(tokens=900, window=1000, reserve=50))
    assert meter.gauge_state() == "warn"
    bar = meter.findChild(QProgressBar, "contextBar")
    light_style = bar.styleSheet()
    assert QColor("#c2410c").name() in light_style
    meter.setPalette(dark_palette())
    dark_style = bar.styleSheet()
    assert dark_style != light_style and "#fb923c" in dark_style
    meter.show_estimate(ContextEstimate(tokens=990, window=1000, reserve=50))
    assert meter.gauge_state() == "over"
    assert dark_palette().color(QPalette.ColorRole.BrightText).name() in bar.styleSheet()
    meter.show_estimate(ContextEstimate(tokens=100, window=1000, reserve=50))
    assert meter.gauge_state() == "normal"
