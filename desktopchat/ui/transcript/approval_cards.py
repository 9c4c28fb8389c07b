"""The question "run this tool?" in the conversation, where the model stopped to ask.

One card per call that asks (parallel calls: one card each, in the model's order, so each
answer is about one thing the person can read whole). The card is a widget the view lays
over an empty block of the reply with the card's height (tool_blocks.py `_card_room`), as
the inline editor does over a message; it moves as the view scrolls or the text reflows.

What it shows came from a model or a server (R6): the server's and tool's names, the tool's
description and the server's hints (readOnlyHint …) in PlainLabels, the arguments in a
read-only plain-text box (fixed pitch, scrolls when long). Hints are said as what the
server *says*: they never skip the question.

Keyboard: no button is a default (Enter on a focused card never allows); Tab moves between
the arguments and the buttons (handled here, see `_tab`), Space presses the focused one;
mnemonics Alt+O (Allow once), Alt+C (for this conversation), Alt+A (always), Alt+D (Deny…).
Deny opens a one-line reason (optional): Enter sends the denial, Esc there closes the
reason. Esc elsewhere keeps its window-wide meaning, Stop the reply, which cancels the call.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.tool_calls import Decision
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.ui.composer.flow_layout import FlowLayout
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.transcript.tool_blocks import CARD_ROOM

_W = TypeVar("_W", bound=QWidget)
DESCRIPTION_CHARS = 600
ARGUMENT_LINES = 10
"""The arguments box grows up to this many lines, then scrolls."""


def annotation_hints(annotations: dict[str, Any]) -> list[str]:
    """What the server says of its tool, as sentences that say it is the server's word."""
    said = {
        "readOnlyHint": QCoreApplication.translate(
            "ApprovalCard", "The server says this tool only reads."
        ),
        "destructiveHint": QCoreApplication.translate(
            "ApprovalCard", "The server says this tool may delete or overwrite things."
        ),
        "idempotentHint": QCoreApplication.translate(
            "ApprovalCard", "The server says running it twice does no more than once."
        ),
        "openWorldHint": QCoreApplication.translate(
            "ApprovalCard", "The server says this tool reaches outside this computer."
        ),
    }
    return [words for key, words in said.items() if annotations.get(key) is True]


class ApprovalCard(QFrame):
    """One question; `decided` carries the person's answer."""

    decided = Signal(str, object, str)  # call id, Decision, reason
    resized = Signal()
    """Its height changed (the reason row came or went): its room must follow."""

    def __init__(self, question: ToolApprovalRequested, parent: QWidget) -> None:
        super().__init__(parent)
        self.call_id = question.call.call_id
        self.room = 0
        """The height of its room in the document (the block it is laid over)."""
        self.message_id = question.message_id
        call = question.call
        self.setObjectName("toolApprovalCard")
        self.setAutoFillBackground(True)
        # A bordered card in either theme (a StyledPanel has no visible edge in the dark one).
        self.setStyleSheet(
            "#toolApprovalCard { border: 1px solid palette(mid); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.setAccessibleName(self.tr("Tool call waiting for your answer"))
        title = PlainLabel(
            self.tr("Run the tool “%1” from the server “%2”?")
            .replace("%1", call.tool)
            .replace("%2", call.server),
            objectName="toolApprovalTitle",
        )
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(title)
        description = question.description.strip()
        if len(description) > DESCRIPTION_CHARS:
            description = description[:DESCRIPTION_CHARS] + "…"
        if description:
            self.description = PlainLabel(description, objectName="toolApprovalDescription")
            self.description.setWordWrap(True)
            layout.addWidget(self.description)
        self.hints = PlainLabel(
            "\n".join(annotation_hints(question.annotations)), objectName="toolApprovalHints"
        )
        self.hints.setEnabled(False)  # muted: the server's word
        layout.addWidget(self.hints)  # parented first: shown alone it would be a window
        self.hints.setVisible(bool(self.hints.text()))
        self.arguments = _named(QPlainTextEdit(), "toolApprovalArguments")
        self.arguments.setPlainText(question.arguments or "{}")
        self.arguments.setReadOnly(True)
        self.arguments.setTabChangesFocus(True)
        self.arguments.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.arguments.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.arguments.setAccessibleName(self.tr("Arguments the tool would get"))
        layout.addWidget(self.arguments)
        self.once = self._button(self.tr("Allow &once"), "toolAllowOnce", Decision.ALLOW_ONCE)
        self.conversation = self._button(
            self.tr("Allow for this &conversation"),
            "toolAllowConversation",
            Decision.ALLOW_CONVERSATION,
        )
        self.always = self._button(
            self.tr("&Always allow this tool"), "toolAllowAlways", Decision.ALLOW_ALWAYS
        )
        self.deny = _named(QPushButton(self.tr("&Deny…")), "toolDeny")
        self.deny.setAutoDefault(False)
        self.deny.clicked.connect(self._ask_reason)
        row_of_buttons = QWidget(self)
        buttons = FlowLayout(row_of_buttons)  # wraps in a narrow window or a long language
        for button in (self.once, self.conversation, self.always, self.deny):
            buttons.addWidget(button)
        layout.addWidget(row_of_buttons)
        self.reason = _named(QLineEdit(), "toolDenyReason")
        self.reason.setPlaceholderText(self.tr("Why not? (optional, the model is told)"))
        self.reason.setAccessibleName(self.tr("Reason for denying"))
        self.reason.installEventFilter(self)
        self.reason.returnPressed.connect(self._send_denial)
        self.send_denial = _named(QPushButton(self.tr("Deny")), "toolSendDenial")
        self.send_denial.setAutoDefault(False)
        self.send_denial.clicked.connect(self._send_denial)
        self.reason_row = QWidget(self)
        row = QHBoxLayout(self.reason_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reason, 1)
        row.addWidget(self.send_denial)
        self.reason_row.hide()
        layout.addWidget(self.reason_row)
        for widget in self._chain(every=True):
            widget.installEventFilter(self)

    def _chain(self, *, every: bool = False) -> list[QWidget]:
        """The card's Tab stops in order (the reason's when it shows, or `every`)."""
        chain: list[QWidget] = [self.arguments, self.once, self.conversation, self.always]
        chain.append(self.deny)
        if every or self.reason_row.isVisible():
            chain += [self.reason, self.send_denial]
        return chain

    def _tab(self, watched: QObject, *, forward: bool) -> bool:
        """Tab within the card, by hand: the card lives in the view's viewport, and left to
        Qt, Tab would go up to the view, which walks its links instead. Past either end of
        the card, Tab is the view's again (False)."""
        chain = self._chain()
        if watched not in chain:
            return False
        index = chain.index(watched) + (1 if forward else -1)
        if not 0 <= index < len(chain):
            return False
        chain[index].setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _button(self, label: str, name: str, decision: Decision) -> QPushButton:
        button = _named(QPushButton(label), name)
        button.setAutoDefault(False)  # Enter never allows
        button.clicked.connect(lambda: self.decided.emit(self.call_id, decision, ""))
        return button

    @Slot()
    def _ask_reason(self) -> None:
        self.reason_row.show()
        self.reason.setFocus()
        self.layout_changed()

    @Slot()
    def _send_denial(self) -> None:
        self.decided.emit(self.call_id, Decision.DENY, self.reason.text())

    def layout_changed(self) -> None:
        self.resized.emit()

    def preferred_height(self, width: int) -> int:
        """The card's height at `width`; the arguments box shows up to ARGUMENT_LINES."""
        lines = self.arguments.document().lineCount()
        line = self.arguments.fontMetrics().lineSpacing()
        self.arguments.setFixedHeight(min(ARGUMENT_LINES, max(2, lines)) * line + 12)
        self.setFixedWidth(width)
        self.ensurePolished()
        self._layout.activate()
        height = self._layout.totalHeightForWidth(width)
        self.room = height if height > 0 else self._layout.totalSizeHint().height()
        return self.room

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self._tab(
                watched, forward=event.key() == Qt.Key.Key_Tab
            ):
                return True
        if watched is self.reason and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:  # Esc closes the reason, not the reply
                event.accept()
                return True
        if watched is self.reason and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.reason.clear()
                self.reason_row.hide()
                self.deny.setFocus()
                self.layout_changed()
                return True
        return super().eventFilter(watched, event)


class ApprovalCards(QObject):
    """The cards of one conversation view, laid over their rooms in the document."""

    decided = Signal(str, object, str)  # call id, Decision, reason
    heights_changed = Signal()
    """A card's height changed: its room must be written again."""

    def __init__(self, view: QTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self.cards: dict[str, ApprovalCard] = {}

    def add(self, question: ToolApprovalRequested) -> ApprovalCard:
        card = self.cards.get(question.call.call_id)
        if card is None:
            card = ApprovalCard(question, self._view.viewport())
            card.decided.connect(self.decided)
            card.resized.connect(self.heights_changed)
            self.cards[card.call_id] = card
        return card

    def drop(self, call_id: str) -> None:
        card = self.cards.pop(call_id, None)
        if card is not None:
            focus = self._view.window().focusWidget()
            had_focus = focus is not None and card.isAncestorOf(focus)
            card.hide()
            card.deleteLater()
            if had_focus:
                self._view.setFocus()

    def clear(self) -> None:
        for call_id in list(self.cards):
            self.drop(call_id)

    def width(self) -> int:
        root = self._view.document().rootFrame().frameFormat()
        return int(self._view.viewport().width() - root.leftMargin() - root.rightMargin())

    def heights(self) -> dict[str, int]:
        """Each card's height at the column's width (the rooms are made this high)."""
        width = self.width()
        return {call_id: card.preferred_height(width) for call_id, card in self.cards.items()}

    @Slot()
    def place(self) -> None:
        """Lay each card over its room (after scrolling, resizing, edits)."""
        if not self.cards:
            return
        document: QTextDocument = self._view.document()
        layout = document.documentLayout()
        left = document.rootFrame().frameFormat().leftMargin()
        scroll = self._view.verticalScrollBar().value()
        rooms = _rooms(document, set(self.cards))
        for call_id, card in self.cards.items():
            block = rooms.get(call_id)
            if block is None:
                card.hide()
                continue
            rect = layout.blockBoundingRect(block)
            # The room's rect says one line high; its fixed line height is the card's.
            card.setGeometry(int(left), int(rect.top() - scroll), self.width(), card.room)
            card.show()


def _named(widget: _W, name: str) -> _W:
    widget.setObjectName(name)
    return widget


def _rooms(document: QTextDocument, wanted: set[str]) -> dict[str, Any]:
    """The empty blocks made for the cards, by call id (searched from the end: the cards
    are in the last reply)."""
    found: dict[str, Any] = {}
    block = document.lastBlock()
    while block.isValid() and len(found) < len(wanted):
        call_id = block.blockFormat().property(CARD_ROOM)
        if call_id in wanted:
            found[call_id] = block
        block = block.previous()
    return found
