"""Colours worked out from the palette so that marks meant to be seen are seen in both
themes: a text field's outline and a search match's tint.

Fusion outlines a field in the window colour made 40 % darker: a line on white in the
light theme, but on the dark theme's near-black fields it is the field's own colour, and
the field has no edge at all (issue 20). Here the outline is the palette's text colour
laid over the field until the two differ by WCAG's 3 : 1, the minimum for a control's
boundary (WCAG 2.1, 1.4.11), so any palette (ours, a person's own) gets an edge that shows.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QPalette

FIELD_BORDER_CONTRAST = 3.0
"""WCAG's minimum contrast for the boundary of a control against what surrounds it."""
MATCH_TINT_CONTRAST = 1.5
"""How far a search match's tint stands from the list under it: a block that is seen at a
glance, still light enough that the words on it read (checked in the tests)."""


def luminance(colour: QColor) -> float:
    """WCAG's relative luminance (0 black to 1 white)."""
    parts = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]


def _rgb(colour: QColor) -> tuple[float, float, float]:
    return colour.redF(), colour.greenF(), colour.blueF()


def contrast(one: QColor, other: QColor) -> float:
    """WCAG's contrast ratio of two opaque colours (1 to 21)."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(top: QColor, alpha: float, under: QColor) -> QColor:
    """`top` laid over `under` at `alpha` (0 to 1), as an opaque colour."""
    return QColor.fromRgbF(
        *(t * alpha + u * (1 - alpha) for t, u in zip(_rgb(top), _rgb(under), strict=True))
    )


@cache
def _reaching(top: int, under: int, target: float, start: float) -> int:
    """The least of `top` over `under` (from `start`, by 5 %) that stands `target` apart
    from `under`, as an RGB number; cached, as fields ask at every paint."""
    over, below = QColor.fromRgb(top), QColor.fromRgb(under)
    alpha = start
    mixed = blend(over, alpha, below)
    while contrast(mixed, below) < target and alpha < 1:
        alpha = min(1.0, alpha + 0.05)
        mixed = blend(over, alpha, below)
    return mixed.rgb()


def field_border(palette: QPalette) -> QColor:
    """A text field's outline: text over the field's base, 3 : 1 from it at least."""
    text = palette.color(QPalette.ColorRole.Text).rgb()
    base = palette.color(QPalette.ColorRole.Base).rgb()
    return QColor.fromRgb(_reaching(text, base, FIELD_BORDER_CONTRAST, 0.2))


def match_tint(palette: QPalette, under: QColor | None = None) -> QColor:
    """A search match's background: the highlight over what is under the text (`under`,
    else the palette's window), at least a fifth of it, and more until it stands out by
    MATCH_TINT_CONTRAST."""
    highlight = palette.color(QPalette.ColorRole.Highlight).rgb()
    below = (under or palette.color(QPalette.ColorRole.Window)).rgb()
    return QColor.fromRgb(_reaching(highlight, below, MATCH_TINT_CONTRAST, 0.22))
