"""What clicking, hovering or pressing Enter on a link of the conversation does.

Links in model output open only on click, only for http, https and bare mailto addresses,
in the system browser; every other link is inert and says where it points in a tooltip,
escaped (link_hover.py), never Qt's own. Our own controls are links too, with the
`dc-action:` scheme: copying is done here, with "Copied" shown where the click was (or over
the focused icon, from the keyboard); the others are handed to the view (actions.py),
which does what is about its own document and emits the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QUrl, Slot
from PySide6.QtGui import QCursor, QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QTextBrowser, QToolTip

from desktopchat.domain.markdown_source import fenced_code_blocks
from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.transcript.actions import ActionLink, MessageAction, parse_action
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.copied_toast import CopiedToast
from desktopchat.ui.transcript.formats import FACT_TOOLTIP
from desktopchat.ui.transcript.link_hover import format_at, link_tooltip
from desktopchat.ui.transcript.markdown import LinkKind, external_url, link_policy
from desktopchat.ui.transcript.markdown_blocks import same_code_modulo_leading_tabs
from desktopchat.ui.transcript.message_footer import action_label


class ViewLinks(QObject):
    """Link clicks, copies and tooltips for one conversation view (a child of it)."""

    def __init__(
        self,
        view: QTextBrowser,
        conversation: ConversationDocument,
        open_url: Callable[[QUrl], object],
        message_text: Callable[[int], str | None],
        on_action: Callable[[ActionLink], None],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._conversation = conversation
        self._open_url = open_url
        self._message_text = message_text
        self._on_action = on_action
        self.toast = CopiedToast(view.viewport())
        self.click_point: QPoint | None = None
        view.anchorClicked.connect(self._on_anchor_clicked)
        view.highlighted.connect(self._on_link_hovered)

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        kind = link_policy(url)
        if kind is LinkKind.EXTERNAL:
            self._open_url(external_url(url))
        elif kind is LinkKind.ACTION:
            link = parse_action(url)
            if link is not None:
                self._run_action(link)
        else:
            QToolTip.showText(QCursor.pos(), link_tooltip(url), self._view)

    def _run_action(self, link: ActionLink) -> None:
        match link.action, link.numbers:
            case MessageAction.COPY_CODE, (message_id, index):
                self._copy_code(message_id, index)
                self.say_copied()
                return
            case MessageAction.COPY, (message_id,):
                QGuiApplication.clipboard().setText(self._message_text(message_id) or "")
                self.say_copied()
        self._on_action(link)

    def say_copied(self) -> None:
        """ "Copied", where the click was (or over the focused icon, from the keyboard)."""
        view = self._view
        point = self.click_point
        if point is None:
            point = view.cursorRect(view.textCursor()).center()
        self.toast.show_at(point, QGuiApplication.translate("ChatView", "Copied"))

    def _copy_code(self, message_id: int, index: int) -> None:
        """Copy a code block exactly as the model wrote it (the document expands leading tabs)."""
        if message_id not in self._conversation.frames:
            return
        shown = self._conversation.code_blocks_text(message_id)
        if index >= len(shown):
            return
        sources = fenced_code_blocks(self._message_text(message_id) or "")
        exact = next((s for s in sources if same_code_modulo_leading_tabs(s, shown[index])), None)
        QGuiApplication.clipboard().setText(shown[index] if exact is None else exact)

    @Slot(QUrl)
    def _on_link_hovered(self, url: QUrl) -> None:
        tooltip = link_tooltip(url)
        if tooltip:
            QToolTip.showText(QCursor.pos(), tooltip, self._view)
        else:
            QToolTip.hideText()

    def tooltip_event(self, event: QEvent) -> bool:
        """Show a link's tooltip ourselves, escaped, never Qt's; whether `event` was one."""
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        view = self._view
        url = QUrl(view.anchorAt(event.pos()))
        link = parse_action(url)
        char_format = format_at(view, event.pos())
        if link is not None:  # our own icons: their name, never a format's tooltip
            tooltip = action_label(link.action)
        elif char_format.hasProperty(FACT_TOOLTIP):  # our own words, or a file's name
            tooltip = plain_tooltip(str(char_format.property(FACT_TOOLTIP)))
        else:
            tooltip = link_tooltip(url, char_format.toolTip())
        if tooltip:
            QToolTip.showText(event.globalPos(), tooltip, view)
        else:
            QToolTip.hideText()
        return True
