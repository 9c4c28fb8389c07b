"""The line under a message: icon actions, a ‹ 2/3 › branch switcher, and quiet facts.

Icons rather than words ("Copy · Edit · Regenerate" shouted from under every message): each
is an inline image that is also an anchor, so it is a Tab stop that Enter activates, with
its name as its tooltip and for screen readers. Facts are muted: the time, the tokens in and
out, what the reply cost when known, its speed, and whether it was interrupted, stopped short
(cut at the output limit, paused, filtered: said with what to do) or is left out of what is
sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.domain.types import Message, MessageStatus, Role
from desktopchat.ui.library.project_uses import files_used_text
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.document_images import DocumentImages
from desktopchat.ui.transcript.formats import FACT_TOOLTIP, ChatFormats

SEPARATOR = " · "
ICON_GAP = "\u2002"
ICONS = {
    MessageAction.COPY: "copy",
    MessageAction.EDIT: "edit",
    MessageAction.REGENERATE: "regenerate",
    MessageAction.DELETE: "delete",
    MessageAction.COPY_CODE: "copy",
    MessageAction.BRANCH_PREVIOUS: "previous",
    MessageAction.BRANCH_NEXT: "next",
}
"""The icon of each action shown as one."""


def action_label(action: MessageAction) -> str:
    """What an icon action is called (its tooltip and accessible text)."""
    labels = {
        MessageAction.COPY: QCoreApplication.translate("ChatView", "Copy"),
        MessageAction.EDIT: QCoreApplication.translate("ChatView", "Edit"),
        MessageAction.REGENERATE: QCoreApplication.translate("ChatView", "Regenerate"),
        MessageAction.DELETE: QCoreApplication.translate(
            "ChatView", "Delete this and what follows"
        ),
        MessageAction.COPY_CODE: QCoreApplication.translate("ChatView", "Copy code"),
        MessageAction.BRANCH_PREVIOUS: QCoreApplication.translate("ChatView", "Previous version"),
        MessageAction.BRANCH_NEXT: QCoreApplication.translate("ChatView", "Next version"),
    }
    return labels.get(action, "")


def cost_source_text(source: str | None) -> str:
    """Where a reply's price came from, for people (pricing.py's COST_* words); "" if not
    known."""
    kind, _, date = (source or "").partition(" ")
    if kind == "table":
        when = QDate.fromString(date, "yyyy-MM-dd")
        shown = QLocale().toString(when, QLocale.FormatType.LongFormat) if when.isValid() else date
        return QCoreApplication.translate(
            "ChatView", "price from the bundled table of {date}"
        ).format(date=shown)
    words = {
        "reported": QCoreApplication.translate("ChatView", "reported by the service"),
        "listed": QCoreApplication.translate("ChatView", "price from OpenRouter"),
        "yours": QCoreApplication.translate("ChatView", "your price"),
        "local": QCoreApplication.translate("ChatView", "local: free"),
    }
    return words.get(kind, "")


def reply_end_text(end: ReplyEnd) -> str:
    """Why a reply stopped short, and what to do about it, in the person's words."""
    if end.kind is EndKind.CUT_AT_LIMIT and end.limit:
        return QCoreApplication.translate(
            "ChatView",
            "Cut off at the length limit ({limit} tokens). Raise Longest answer in the side"
            " panel, then regenerate.",
        ).format(limit=QLocale().toString(end.limit))
    words = {
        EndKind.CUT_AT_LIMIT: QCoreApplication.translate(
            "ChatView",
            "Cut off at the length limit. Raise Longest answer in the side panel, then regenerate.",
        ),
        EndKind.CUT_AT_CONTEXT: QCoreApplication.translate(
            "ChatView", "Cut off: the conversation filled the model's context window."
        ),
        EndKind.PAUSED: QCoreApplication.translate(
            "ChatView", "Claude paused a long search here; regenerate or ask it to continue."
        ),
        EndKind.FILTERED: QCoreApplication.translate(
            "ChatView", "The provider's content filter stopped this reply."
        ),
    }
    return words[end.kind]


class FooterWriter:
    """Writes footers and icons into the conversation document."""

    def __init__(self, images: DocumentImages, formats: ChatFormats) -> None:
        self.images = images
        self.formats = formats
        self.siblings: dict[int, tuple[int, ...]] = {}
        """Message id → the ids of it and its siblings (domain Thread.siblings)."""
        self._labels = {action: action_label(action) for action in ICONS}
        self.copy_only = False
        """Only the copy action (a reply shown on its own, as in a comparison)."""

    def set_siblings(self, siblings: Mapping[int, tuple[int, ...]]) -> None:
        self.siblings = dict(siblings)

    def write(
        self, cursor: QTextCursor, message: Message, text: str, *, is_last: bool, failed: bool
    ) -> None:
        """The footer of `message` at `cursor` (an empty footer block)."""
        formats = self.formats
        actions = [MessageAction.COPY] if text else []
        facts: list[tuple[str, QTextCharFormat]] = []
        if message.role is Role.USER:  # a bubble is narrow: only its actions under it
            actions.append(MessageAction.EDIT)
        else:
            facts = [(_when(message.created), formats.small_muted), *self._reply_facts(message)]
            if is_last and not failed and message.status is not MessageStatus.FAILED:
                actions.append(MessageAction.REGENERATE)
        if message.status is not MessageStatus.STREAMING:
            actions.append(MessageAction.DELETE)
        if message.left_out:
            facts.append((QCoreApplication.translate("ChatView", "Not sent"), formats.notice))
        if self.copy_only:
            actions = actions[:1] if MessageAction.COPY in actions else []
        written = not self.copy_only and self._write_switcher(cursor, message.id)
        for action in actions:
            if written:
                cursor.insertText(ICON_GAP, formats.small_muted)
            self.write_icon(cursor, action, (message.id,))
            written = True
        for index, (item, item_format) in enumerate(facts):
            cursor.insertText(SEPARATOR if index else ICON_GAP * 2, formats.small_muted)
            cursor.insertText(item, item_format)

    def _write_switcher(self, cursor: QTextCursor, message_id: int) -> bool:
        """‹ 2/3 › when the message has siblings; whether it wrote one."""
        ids = self.siblings.get(message_id, ())
        if len(ids) < 2 or message_id not in ids:
            return False
        self.write_icon(cursor, MessageAction.BRANCH_PREVIOUS, (message_id,))
        position = QCoreApplication.translate("ChatView", "{index}/{count}").format(
            index=ids.index(message_id) + 1, count=len(ids)
        )
        cursor.insertText(position, self.formats.small_muted)
        self.write_icon(cursor, MessageAction.BRANCH_NEXT, (message_id,))
        cursor.insertText(ICON_GAP, self.formats.small_muted)
        return True

    def write_icon(
        self,
        cursor: QTextCursor,
        action: MessageAction,
        numbers: tuple[int, ...],
        *,
        by_text: bool = False,
    ) -> None:
        """The action's icon; `by_text`: centred on the small text it goes with (its bottom
        on the line's descent) rather than on the line's middle, which lifts that text."""
        formats = self.formats
        icon = self.images.icon_format(
            ICONS[action], formats.muted_colour, formats.small_muted, self._labels[action]
        )
        icon.setAnchorHref(action_url(action, *numbers))
        if by_text:
            icon.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignBottom)
        cursor.insertImage(icon)

    def _reply_facts(self, message: Message) -> list[tuple[str, QTextCharFormat]]:
        """Token counts, cost, speed and status of a reply, each with its format."""
        muted = self.formats.small_muted
        locale = QLocale()
        facts: list[tuple[str, QTextCharFormat]] = []
        usage = message.usage
        # Counts the app estimated (the server reported none) carry "≈" and say so.
        about = "≈" if usage is not None and usage.estimated else ""
        if usage is not None and usage.input_tokens is not None:
            text = QCoreApplication.translate("ChatView", "{count} tokens in").format(
                count=about + locale.toString(usage.input_tokens)
            )
            facts.append((text, muted))
        if usage is not None and usage.output_tokens is not None:
            text = QCoreApplication.translate("ChatView", "{count} tokens out").format(
                count=about + locale.toString(usage.output_tokens)
            )
            facts.append((text, muted))
        if usage is not None and usage.estimated:
            estimated = QTextCharFormat(muted)
            estimated.setProperty(
                FACT_TOOLTIP,
                QCoreApplication.translate(
                    "ChatView",
                    "The server reported no usage: tokens estimated as about four characters"
                    " each, over what was sent and received.",
                ),
            )
            facts.append((QCoreApplication.translate("ChatView", "estimated"), estimated))
        if usage is not None and usage.cost is not None:
            digits = 2 if usage.cost >= 0.1 else 4
            cost = "$" + locale.toString(float(usage.cost), "f", digits)
            cost_format = QTextCharFormat(muted)
            cost_format.setProperty(FACT_TOOLTIP, cost_source_text(usage.cost_source))
            facts.append((cost, cost_format))
        searches = message.web_search.searches
        if searches:  # their price is in the cost where the service charges it apart
            text = (
                QCoreApplication.translate("ChatView", "1 web search")
                if searches == 1
                else QCoreApplication.translate("ChatView", "{count} web searches").format(
                    count=locale.toString(searches)
                )
            )
            facts.append((text, muted))
        if usage is not None and usage.output_tokens is not None and message.duration:
            rate = usage.output_tokens / message.duration
            text = QCoreApplication.translate("ChatView", "{rate} tokens/s").format(
                rate=locale.toString(float(rate), "f", 1)
            )
            facts.append((text, muted))
        if message.status is MessageStatus.INTERRUPTED:
            facts.append(
                (QCoreApplication.translate("ChatView", "Interrupted"), self.formats.notice)
            )
        if message.reply_end is not None:  # a sentence: in the notice colour, not bold
            said = QTextCharFormat(self.formats.notice)
            said.setFontWeight(QFont.Weight.Normal)
            facts.append((reply_end_text(message.reply_end), said))
        files_used = files_used_text(message.project_files)
        if files_used:
            facts.append((files_used, muted))
        return facts


def _when(created: float) -> str:
    """A message's time, with its date unless it is from today."""
    moment = QDateTime.fromSecsSinceEpoch(int(created))
    locale = QLocale()
    time = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    if moment.date() == QDate.currentDate():
        return time
    return locale.toString(moment.date(), QLocale.FormatType.ShortFormat) + " " + time
