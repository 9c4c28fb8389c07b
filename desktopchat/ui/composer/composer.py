"""The composer: a rounded card where a person writes a message, that grows to
MAX_VISIBLE_LINES lines then scrolls, with its actions as icons inside (attach, the tools
and web search switches, the context gauge, Send / Stop) and the attachments above the text.

The composer never clears its own text: it asks to send, and the owner calls clear() once
the message is safely handed over, so a refused send (no key, no model) keeps the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QObject,
    QSignalBlocker,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.types import AttachmentPayload
from desktopchat.ui.composer.attachment_tray import AttachmentTray
from desktopchat.ui.composer.context_meter import ContextMeter
from desktopchat.ui.composer.image_prep import pasted_format
from desktopchat.ui.composer.message_edit import NON_SPACE, MessageEdit, is_attachment_mime
from desktopchat.ui.composer.paste_offer import LONG_PASTE_CHARS, LongPasteOffer
from desktopchat.ui.support.icons import IconRefresher

CARD_STYLE = """
#composerCard { border: 1px solid palette(mid); border-radius: 14px; background: palette(base); }
#composerCard QPlainTextEdit { background: transparent; border: none; }
#sendButton, #stopButton { border: none; border-radius: 16px; background: palette(highlight); }
#sendButton:disabled { background: palette(mid); }
"""
"""The card: a rounded box in the base colour, its input without a frame of its own, Send
and Stop round buttons in the highlight colour (the palette follows the theme)."""
ROUND_BUTTON = 32

__all__ = ["Composer", "is_attachment_mime"]

MAX_VISIBLE_LINES = 8
"""The input grows with its text up to this many lines, then scrolls."""


class Composer(QWidget):
    """The message input with Send and Stop, and the attachments above it; see the module
    docstring for the draft rule."""

    send_requested = Signal(str)
    stop_requested = Signal()
    edited = Signal()
    """The text changed (typed, pasted, cleared or shown anew)."""
    send_refused = Signal(str)
    """Enter or Send with text in the box, but nothing can be sent yet: why (no model…)."""
    edit_last_requested = Signal()
    """Up in an empty box: the person wants to edit their last message."""
    switches_changed = Signal(dict)
    """The tools or web search switch inside the card was flipped: {"tools", "web_search"}."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerPane")
        self._streaming = False
        self._send_on_enter = True
        self._disabled_reason: str | None = None
        self._placeholder = ""

        self.card = QFrame(self)
        self.card.setObjectName("composerCard")
        self.card.setStyleSheet(CARD_STYLE)
        self._input = MessageEdit(self.card)
        self._input.setObjectName("composer")
        self._input.setAccessibleName(self.tr("Message"))
        self._input.setTabChangesFocus(True)
        self._input.setFrameShape(QFrame.Shape.NoFrame)
        self._input.document().setDocumentMargin(4)
        self._input.installEventFilter(self)
        self.tray = AttachmentTray(self.card)
        self._paste_offer = LongPasteOffer(self)
        self.meter = ContextMeter(self.card)
        self._icons = IconRefresher(self)
        self._attach_button = self._icon_button("attachButton", "paperclip")
        self._attach_button.setAccessibleName(self.tr("Attach files"))
        self._attach_button.setToolTip(self.tr("Attach files (Ctrl+Shift+A)"))
        self._attach_shortcut = QShortcut(QKeySequence("Ctrl+Shift+A"), self)
        self._attach_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.tools_toggle = self._icon_button("toolsToggle", "tools", checkable=True)
        self.tools_toggle.setAccessibleName(self.tr("Tools"))
        self.web_toggle = self._icon_button("webSearchToggle", "globe", checkable=True)
        self.web_toggle.setAccessibleName(self.tr("Web search"))
        self._tools_missing = ""
        self.show_switches({})

        self._send_button = QPushButton(self.card)
        self._send_button.setObjectName("sendButton")
        self._send_button.setAccessibleName(self.tr("Send"))
        self._send_button.setDefault(False)
        self._stop_button = QPushButton(self.card)
        self._stop_button.setObjectName("stopButton")
        self._stop_button.setAccessibleName(self.tr("Stop"))
        self._stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        for button, name in ((self._send_button, "send"), (self._stop_button, "stop")):
            button.setFixedSize(ROUND_BUTTON, ROUND_BUTTON)
            button.setIconSize(QSize(18, 18))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self._icons.set(button, name, QPalette.ColorRole.HighlightedText)
        self._stop_button.hide()

        actions = QHBoxLayout()
        actions.setSpacing(2)
        for button in (self._attach_button, self.tools_toggle, self.web_toggle):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.meter)
        actions.addSpacing(6)
        actions.addWidget(self._send_button)
        actions.addWidget(self._stop_button)
        inside = QVBoxLayout(self.card)
        inside.setContentsMargins(10, 8, 8, 6)
        inside.setSpacing(4)
        inside.addWidget(self.tray)
        inside.addWidget(self._input)
        inside.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self._paste_offer)
        layout.addWidget(self.card)

        self._input.textChanged.connect(self.on_input_text_changed)
        layout_engine = self._input.document().documentLayout()
        layout_engine.documentSizeChanged.connect(self.on_input_document_size_changed)
        self._send_button.clicked.connect(self.on_send_button_clicked)
        self._stop_button.clicked.connect(self.stop_requested)
        self._input.mime_pasted.connect(self.add_from_mime)
        self._attach_button.clicked.connect(self.choose_files)
        self._attach_shortcut.activated.connect(self.choose_files)
        self.tray.changed.connect(self._refresh_hints)
        self.tray.rechecked.connect(self._refresh_hints)
        self.tray.focus_released.connect(self.focus_input)
        self._paste_offer.attach_chosen.connect(self.on_paste_offer_attach_chosen)
        self._paste_offer.insert_chosen.connect(self.on_paste_offer_insert_chosen)
        self._paste_offer.dismissed.connect(self.focus_input)
        self.tools_toggle.toggled.connect(self._report_switches)
        self.web_toggle.toggled.connect(self._report_switches)
        self._refresh_hints()
        self._fit_height()

    def _icon_button(self, name: str, icon: str, *, checkable: bool = False) -> QToolButton:
        button = QToolButton(self.card)
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.setCheckable(checkable)
        button.setIconSize(QSize(18, 18))
        self._icons.set(button, icon)
        return button

    # --- what the owner calls -------------------------------------------------------------

    def show_switches(self, switches: dict[str, bool]) -> None:
        """Show the conversation's tools and web search switches; not reported."""
        with QSignalBlocker(self.tools_toggle), QSignalBlocker(self.web_toggle):
            self.tools_toggle.setChecked(switches.get("tools", True))
            self.web_toggle.setChecked(switches.get("web_search", False))
        on, off = self.tr("on"), self.tr("off")
        self.tools_toggle.setToolTip(
            self._tools_missing
            or self.tr("Tools: %1").replace("%1", on if self.tools_toggle.isChecked() else off)
        )
        self.web_toggle.setToolTip(
            self.tr("Web search: %1").replace("%1", on if self.web_toggle.isChecked() else off)
        )

    def show_tools_unavailable(self, reason: str) -> None:
        """No tool server to use (`reason` says so and where to add one): the switch is
        shown disabled with that as its tooltip; "" makes it a switch again."""
        self._tools_missing = reason
        self.tools_toggle.setEnabled(not reason)
        self.show_switches(self.switches())

    def switches(self) -> dict[str, bool]:
        return {"tools": self.tools_toggle.isChecked(), "web_search": self.web_toggle.isChecked()}

    @Slot()
    def _report_switches(self) -> None:
        self.show_switches(self.switches())
        self.switches_changed.emit(self.switches())

    def set_streaming(self, streaming: bool) -> None:
        """While a reply streams, Stop replaces Send; typing goes on but Enter does not send."""
        self._streaming = streaming
        self._send_button.setVisible(not streaming)
        self._stop_button.setVisible(streaming)
        self._refresh_hints()

    def set_send_on_enter(self, enabled: bool) -> None:
        """Enter sends (Shift+Enter: new line) when enabled; otherwise only Ctrl+Enter sends."""
        self._send_on_enter = enabled
        self._refresh_hints()

    def draft(self) -> str:
        return self._input.toPlainText()

    def message_edit(self) -> MessageEdit:
        """The text box itself, for features that watch its keys or insert text (the `/`
        prompt popup: ui/library/slash_trigger.py) without reaching into the composer."""
        return self._input

    def set_draft(self, text: str) -> None:
        """Show another conversation's draft, cursor at its end, ready to go on typing."""
        self._input.reset_wrapping()
        self._input.adapt_wrapping(text)
        self._input.setPlainText(text)
        self._input.moveCursor(QTextCursor.MoveOperation.End)

    def clear(self) -> None:
        """Empty the message box and the attachments (take_attachments() first to send them)."""
        self._input.clear()
        self._input.reset_wrapping()
        self.tray.clear()

    def attachments(self) -> tuple[AttachmentPayload, ...]:
        """The attachments ready to send (or to keep with the draft)."""
        return self.tray.attachments()

    def take_attachments(self) -> tuple[AttachmentPayload, ...]:
        """The attachments to send with the message, leaving the tray empty."""
        return self.tray.take_attachments()

    def set_attachments(self, payloads: Sequence[AttachmentPayload]) -> None:
        """Show a draft's attachments (replacing the tray's)."""
        self.tray.set_attachments(payloads)

    def set_model_reads_images(self, reads: bool | None) -> None:
        """False: the chosen model reads text only, so images stop Send (None: unknown)."""
        self.tray.set_model_reads_images(reads)

    def add_files(self, paths: Sequence[Path]) -> None:
        self.tray.add_paths(paths)

    def add_from_mime(self, source: QMimeData) -> bool:
        """Attach what a paste or drop carries; False if it holds nothing to attach."""
        files = [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]
        if files:
            self.tray.add_paths(files)
        elif source.hasImage():
            name = self.tr("Pasted image.png")
            if encoded := pasted_format(source.formats()):
                self.tray.add_image_bytes(bytes(source.data(encoded).data()), encoded, name)
            else:  # an image this process put there: already decoded
                self.tray.add_image(QImage(source.imageData()), name)
        elif source.hasText() and len(source.text()) > LONG_PASTE_CHARS:
            self._paste_offer.offer(source.text())
        else:
            return False
        return True

    def choose_files(self) -> None:
        """The file picker, opened (not exec'd); several files at once."""
        dialog = QFileDialog(self, self.tr("Attach files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda names: self.add_files([Path(n) for n in names]))
        dialog.open()

    def on_paste_offer_attach_chosen(self, text: str) -> None:
        self.tray.add_text(text, self.tr("Pasted text.txt"))
        self.focus_input()

    def on_paste_offer_insert_chosen(self, text: str) -> None:
        self._input.adapt_wrapping(text)
        self._input.insertPlainText(text)
        self.focus_input()

    def focus_input(self) -> None:
        self._input.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_enabled_reason(self, reason: str | None) -> None:
        """None lets the person send; a reason disables Send and says why in its tooltip."""
        self._disabled_reason = reason
        self._refresh_hints()

    # --- behaviour --------------------------------------------------------------------------

    def _has_text(self) -> bool:
        """Cheap even for a megabyte: searches the document in place, up to the first
        non-space character, instead of copying the whole text on every keystroke."""
        return not self._input.document().find(NON_SPACE).isNull()

    def _has_content(self) -> bool:
        return self._has_text() or not self.tray.is_empty()

    def _can_send(self) -> bool:
        ready = self._disabled_reason is None and self.tray.problem() is None
        return not self._streaming and ready and self._has_content()

    def _request_send(self) -> None:
        if self._can_send():
            self.send_requested.emit(self.draft().rstrip())
        elif not self._streaming and self._disabled_reason is not None and self._has_text():
            self.send_refused.emit(self._disabled_reason)

    def _refresh_hints(self) -> None:
        """Keep the placeholder and Send's tooltip and state telling the truth."""
        if self._streaming:
            placeholder = self.tr("A reply is being written: Esc stops it. You can type meanwhile.")
        elif self._send_on_enter:
            placeholder = self.tr("Message… (Enter to send, Shift+Enter for a new line)")
        else:
            placeholder = self.tr("Message… (Ctrl+Enter to send)")
        self._placeholder = placeholder
        self._fit_placeholder()
        waiting = self.tr("Enter does not send while a reply is being written; Esc stops it.")
        self._input.setToolTip(waiting if self._streaming else "")
        shortcut = self.tr("Enter") if self._send_on_enter else self.tr("Ctrl+Enter")
        tooltip = self._disabled_reason or self.tray.problem()
        tooltip = tooltip or self.tr("Send ({shortcut})").format(shortcut=shortcut)
        self._send_button.setToolTip(tooltip)
        self._update_send_enabled()

    def _fit_placeholder(self) -> None:
        """The hint on one line, cut with "…" in a narrow window: wrapped, its second line
        would be cut in half by the one-line box."""
        shown = self._placeholder
        if self._input.isVisible():  # laid out: its width is known
            room = self._input.viewport().width() - 2 * int(self._input.document().documentMargin())
            metrics = self._input.fontMetrics()
            shown = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, max(room, 40))
        if shown != self._input.placeholderText():
            self._input.setPlaceholderText(shown)
            # Qt repaints only when the placeholder appears or goes, not when its words
            # change: the streaming hint stayed on screen after the reply ended.
            self._input.viewport().update()

    def _update_send_enabled(self) -> None:
        ready = self._disabled_reason is None and self.tray.problem() is None
        self._send_button.setEnabled(ready and self._has_content())

    def _fit_height(self) -> None:
        """Grow from one line to MAX_VISIBLE_LINES, then let the text scroll."""
        # QPlainTextEdit's document size is counted in laid-out lines, wrapping included.
        lines = int(self._input.document().size().height())
        lines = max(1, min(MAX_VISIBLE_LINES, lines))
        line_height = self._input.fontMetrics().lineSpacing()
        margins = self._input.contentsMargins()
        chrome = 2 * self._input.document().documentMargin() + margins.top() + margins.bottom()
        self._input.setFixedHeight(int(lines * line_height + chrome) + 2)

    def on_input_text_changed(self) -> None:
        self._update_send_enabled()
        self.edited.emit()

    def on_input_document_size_changed(self) -> None:
        self._fit_height()

    def on_send_button_clicked(self) -> None:
        self._request_send()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter, Shift+Enter, Ctrl+Enter and Esc, as the placeholder describes them."""
        if watched is self._input and event.type() == QEvent.Type.KeyPress:
            return self._handle_key(event)
        if watched is self._input and event.type() == QEvent.Type.Resize:
            self._fit_placeholder()
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._streaming:
            self.stop_requested.emit()
            return True
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if key == Qt.Key.Key_Up and plain and self._input.document().isEmpty():
            self.edit_last_requested.emit()
            return True
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.ControlModifier:
            self._request_send()
            return True
        if modifiers == Qt.KeyboardModifier.ShiftModifier or not self._send_on_enter:
            # Shift+Enter would insert a Unicode line separator; a message wants a newline.
            self._input.insertPlainText("\n")
            return True
        if modifiers == Qt.KeyboardModifier.NoModifier:
            self._request_send()
            return True
        return False
