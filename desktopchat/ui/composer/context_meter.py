"""A thin gauge inside the composer card: how much of the model's context window the next
request will take; hovering it gives the figures. Past 80 % it turns to a warning, and a
warning button beside it offers the two ways out (leave out the oldest turns, or summarise
and continue in a new conversation); it says when the next message would not fit, and when
the conversation no longer fits at all (such a request is not sent: services/chat.py).

Its size never changes: the gauge and the warning keep their room while hidden, so
nothing in the card moves when they appear. Its colours come from the palette (the track
the text colour faded into the card's, the fill the highlight), so it reads in both themes;
a warning is orange and a message that does not fit red, each a shade that stands out on
the theme's card.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QMenu, QProgressBar, QToolButton, QWidget

from desktopchat.services.context import ContextEstimate
from desktopchat.ui.support.icons import IconRefresher
from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.support.theme import is_dark

GAUGE_WIDTH = 56
GAUGE_HEIGHT = 6
WARNING_COLOURS = {False: "#c2410c", True: "#fb923c"}
"""Orange for a nearly full context, by whether the theme is dark (a darker orange on the
light card, a lighter one on the dark card)."""
TRACK_SHARE = 0.3
"""How much of the text colour the empty track takes over the card's colour."""


def gauge_colours(palette: QPalette, state: str) -> tuple[QColor, QColor]:
    """(track, fill) for `state` ("normal", "warn" or "over") in `palette`'s theme."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    track = QColor.fromRgbF(
        *(
            TRACK_SHARE * t + (1 - TRACK_SHARE) * b
            for t, b in zip(text.getRgbF()[:3], base.getRgbF()[:3], strict=True)
        )
    )
    if state == "over":
        return track, palette.color(QPalette.ColorRole.BrightText)
    if state == "warn":
        return track, QColor(WARNING_COLOURS[is_dark(palette)])
    return track, palette.color(QPalette.ColorRole.Highlight)


class ContextMeter(QWidget):
    leave_out_requested = Signal()
    summarise_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextMeter")
        self._text = ""
        self._warning = False
        self._state = "normal"
        self._bar = QProgressBar(self)
        self._bar.setObjectName("contextBar")
        self._bar.setAccessibleName(self.tr("Context used"))
        self._bar.setRange(0, 100)
        self._bar.setTextVisible(False)
        self._bar.setFixedSize(GAUGE_WIDTH, GAUGE_HEIGHT)
        self._warn = QToolButton(self)
        self._warn.setObjectName("contextWarning")
        self._warn.setAutoRaise(True)
        self._warn.setAccessibleName(self.tr("The context is nearly full: what to do"))
        self._warn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._warn.setIconSize(QSize(16, 16))
        IconRefresher(self).set(self._warn, "warning")
        menu = QMenu(self._warn)
        self.leave_out_action = QAction(self.tr("Leave out the oldest turns"), menu)
        self.leave_out_action.setObjectName("leaveOutAction")
        self.leave_out_action.setToolTip(
            self.tr("They stay in the history, marked “not sent”, and are no longer sent")
        )
        self.summarise_action = QAction(self.tr("Summarise and continue"), menu)
        self.summarise_action.setObjectName("summariseAction")
        self.summarise_action.setToolTip(
            self.tr("The same model summarises this conversation; a new one continues from it")
        )
        self._said = menu.addAction("")
        self._said.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.leave_out_action)
        menu.addAction(self.summarise_action)
        menu.setToolTipsVisible(True)
        self._warn.setMenu(menu)
        for widget in (self._bar, self._warn):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._warn)
        layout.addWidget(self._bar, 0, Qt.AlignmentFlag.AlignVCenter)
        self.leave_out_action.triggered.connect(self.leave_out_requested)
        self.summarise_action.triggered.connect(self.summarise_requested)
        self.show_estimate(None)

    def show_estimate(self, estimate: ContextEstimate | None, model: str = "") -> None:
        """Show an estimate for `model` (its name as shown); None or an unknown window
        hides the gauge (its room stays)."""
        fraction = estimate.fraction if estimate is not None else None
        if estimate is None or fraction is None:
            self._bar.hide()
            self._warn.hide()
            self._text, self._warning = "", False
            return
        locale = QLocale()
        percent = min(100, round(fraction * 100))
        self._bar.setValue(percent)
        text = (
            self.tr("%1 of %2 tokens (estimate)")
            .replace("%1", locale.toString(estimate.tokens))
            .replace("%2", locale.toString(estimate.window))
        )
        if not estimate.sendable:
            text = (
                self.tr("This conversation (~%1 tokens) no longer fits %2's %3-token context.")
                .replace("%1", locale.toString(estimate.tokens))
                .replace("%3", locale.toString(estimate.window))
                .replace("%2", model or self.tr("the model"))  # last: a name is outside text
            )
        elif not estimate.fits:
            text = self.tr("The next message may not fit in the model's context: %1").replace(
                "%1", text
            )
        elif estimate.warn:
            text = (
                self.tr("%1 % of the model's context used: %2")
                .replace("%1", locale.toString(percent))
                .replace("%2", text)
            )
        self._text, self._warning = text, estimate.warn
        self._bar.setToolTip(plain_tooltip(text))
        self._warn.setToolTip(plain_tooltip(text))
        self._said.setText(text)
        self._state = "over" if not estimate.fits else "warn" if estimate.warn else "normal"
        self._paint_gauge()
        self._bar.show()
        self._warn.setVisible(estimate.warn)

    def _paint_gauge(self) -> None:
        track, fill = gauge_colours(self.palette(), self._state)
        radius = GAUGE_HEIGHT // 2
        self._bar.setStyleSheet(
            f"QProgressBar {{ border: none; border-radius: {radius}px;"
            f" background: {track.name()}; }}"
            f" QProgressBar::chunk {{ border-radius: {radius}px; background: {fill.name()}; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch: the gauge takes the new palette's colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_gauge()

    def gauge_state(self) -> str:
        """ "normal", "warn" (nearly full) or "over" (the next message may not fit)."""
        return self._state

    def set_busy(self, busy: bool) -> None:
        """While an action runs, its buttons wait."""
        self.leave_out_action.setEnabled(not busy)
        self.summarise_action.setEnabled(not busy)

    def text(self) -> str:
        """What the gauge says (its tooltip): the figures, and the warning if any."""
        return self._text

    def warning(self) -> bool:
        """Whether it warns (and offers the ways out)."""
        return self._warning

    def offers_ways_out(self) -> bool:
        return self._warn.isVisible()
