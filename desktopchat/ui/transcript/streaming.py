"""The replies streaming into the conversation view: buffered deltas and throttled flushes.

Deltas (text and reasoning) arrive by the thousand per second; they are buffered and
flushed at most every FLUSH_INTERVAL_MS, and a flush touches only what is new: the reply's
unfinished tail (reply_stream.py) and the thinking's new lines, appended to its section when
it is open (reasoning_section.py). Before the first delta the footer says how long the
reply has been waiting.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QLocale, QObject, QTimer, Slot

from desktopchat.domain.types import Message, Reasoning
from desktopchat.ui.transcript.actions import MessageAction, action_url
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.code_highlighter import CodeHighlighter
from desktopchat.ui.transcript.reasoning_section import reasoning_label
from desktopchat.ui.transcript.reply_stream import ReplyStream

FLUSH_INTERVAL_MS = 30
FLUSH_MAX_CHARS = 4_000
"""A flush renders at most this much new text (~5 ms here); a burst takes several flushes."""
WAITING_INTERVAL_MS = 100


def retry_now_label() -> str:
    return QCoreApplication.translate("ChatView", "Retry now")


def waiting_text(seconds: float) -> str:
    return QCoreApplication.translate(
        "ChatView", "Waiting for the first token… {seconds} s"
    ).format(seconds=QLocale().toString(float(seconds), "f", 1))


def retrying_text(reason: str, seconds: float, attempt: int, attempts: int) -> str:
    """ "Limited by OpenAI. Retrying in 18 s (1 of 3)." """
    return QCoreApplication.translate(
        "ChatView", "{reason} Retrying in {seconds} s ({attempt} of {attempts})."
    ).format(reason=reason, seconds=max(0, math.ceil(seconds)), attempt=attempt, attempts=attempts)


def with_streamed_reasoning(message: Message, stream: ReplyStream | None) -> Message:
    """The ended reply, with the thinking that streamed when the message has none."""
    if message.reasoning is not None or stream is None or not stream.reasoning:
        return message
    return replace(message, reasoning=Reasoning(stream.reasoning))


class StreamingReplies(QObject):
    """The streams of one view, their flush throttle and their waiting indicators."""

    def __init__(
        self,
        parent: QObject,
        conversation: ConversationDocument,
        highlighter: CodeHighlighter,
        edit_block: Callable[[], AbstractContextManager[None]],
    ) -> None:
        super().__init__(parent)
        self._conversation = conversation
        self._highlighter = highlighter
        self._edit_block = edit_block
        self.streams: dict[int, ReplyStream] = {}
        self._waiting_since: dict[int, QElapsedTimer] = {}
        self._retrying: dict[int, tuple[float, Callable[[float], str]]] = {}
        """Replies waiting to retry: when (in their waiting clock's ms) and their words."""
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        self._since_flush = QElapsedTimer()
        self._waiting_timer = QTimer(self)
        self._waiting_timer.setInterval(WAITING_INTERVAL_MS)
        self._waiting_timer.timeout.connect(self._update_waiting)

    def begin(self, message: Message) -> None:
        """Start streaming a reply whose empty frame is in the document."""
        self.streams[message.id] = ReplyStream(self._conversation, message)
        clock = QElapsedTimer()
        clock.start()
        self._waiting_since[message.id] = clock
        self._waiting_timer.start()

    def add_text(self, message_id: int, text: str) -> None:
        stream = self.streams.get(message_id)
        if stream is not None and text:
            stream.add(text)
            self._schedule(message_id)

    def add_reasoning(self, message_id: int, text: str) -> None:
        stream = self.streams.get(message_id)
        if stream is not None and text:
            stream.reasoning += text
            self._schedule(message_id)

    def retrying(self, message_id: int, delay: float, words: Callable[[float], str]) -> None:
        """The reply's request is sent again in `delay` seconds: its footer counts down in
        `words(seconds left)`, with a link to retry at once, then waits for the first token
        again."""
        clock = QElapsedTimer()
        clock.start()
        self._waiting_since[message_id] = clock
        self._retrying[message_id] = (delay * 1000, words)
        self._waiting_timer.start()
        self._update_waiting()

    def restart(self, message_id: int) -> None:
        """The reply was written again up to here (a tool step, tool_replies.py): its text
        goes on in a new stream after what is written; its thinking carries over."""
        old = self.streams.get(message_id)
        if old is not None:
            new = ReplyStream(self._conversation, old.message)
            new.reasoning, new.reasoning_shown = old.reasoning, len(old.reasoning)
            new.reasoning_label = reasoning_label(None, streaming=False) if old.reasoning else ""
            self.streams[message_id] = new

    def end(self, message_id: int) -> ReplyStream | None:
        """Stop streaming a reply (finished or failed); its stream, if it was streaming."""
        self._waiting_since.pop(message_id, None)
        self._retrying.pop(message_id, None)
        return self.streams.pop(message_id, None)

    def clear(self) -> None:
        self.streams.clear()
        self._waiting_since.clear()
        self._retrying.clear()
        self._flush_timer.stop()
        self._waiting_timer.stop()

    def label(self, stream: ReplyStream) -> str:
        """ "Thinking…" until the reply's text starts, then "Thoughts"."""
        return reasoning_label(None, streaming=not stream.full_text())

    def toggle_reasoning(self, message_id: int) -> bool:
        """Fold or unfold a streaming reply's thinking, shown whole when unfolded (call in
        an edit block); False if the reply is not streaming."""
        stream = self.streams.get(message_id)
        if stream is None:
            return False
        if stream.reasoning:
            sections = self._conversation.reasoning
            open_ = sections.toggle(message_id, has_text=True)
            stream.reasoning_label = self.label(stream)
            stream.reasoning_shown = len(stream.reasoning)
            sections.replace(message_id, stream.reasoning, stream.reasoning_label, open_=open_)
        return True

    def _schedule(self, message_id: int) -> None:
        """The throttle fires on its leading edge: after a quiet spell (the first token above
        all) the delta is painted on the next loop turn, not a whole interval later."""
        self._waiting_since.pop(message_id, None)
        self._retrying.pop(message_id, None)
        if not self._flush_timer.isActive():
            elapsed = self._since_flush.elapsed() if self._since_flush.isValid() else None
            quiet = elapsed is None or elapsed >= FLUSH_INTERVAL_MS
            self._flush_timer.start(0 if quiet else FLUSH_INTERVAL_MS - elapsed)

    @Slot()
    def _flush(self) -> None:
        self._since_flush.start()
        with self._highlighter.colouring(), self._edit_block():
            for stream in self.streams.values():
                self._flush_reasoning(stream)
            behind = [stream.flush(FLUSH_MAX_CHARS) for stream in self.streams.values()]
        if any(behind):
            self._flush_timer.start(0)

    def _flush_reasoning(self, stream: ReplyStream) -> None:
        """Show new thinking: the section's line at first (or relabelled once the text
        starts), then new lines appended when it is open; nothing laid out again."""
        sections = self._conversation.reasoning
        message_id = stream.message.id
        if not stream.reasoning:
            return
        label = self.label(stream)
        open_ = sections.is_open(message_id, has_text=True)
        if label != stream.reasoning_label:
            if stream.reasoning_label == "":
                self._conversation.set_footer_text(message_id, "")
            sections.replace(message_id, stream.reasoning, label, open_=open_)
            stream.reasoning_label = label
        elif open_ and stream.reasoning_shown < len(stream.reasoning):
            sections.append(message_id, stream.reasoning[stream.reasoning_shown :])
        stream.reasoning_shown = len(stream.reasoning)

    @Slot()
    def _update_waiting(self) -> None:
        if not self._waiting_since:
            self._waiting_timer.stop()
            return
        for message_id, clock in self._waiting_since.items():
            retry = self._retrying.get(message_id)
            if retry is not None and clock.elapsed() < retry[0]:
                left = (retry[0] - clock.elapsed()) / 1000
                retry_now = (retry_now_label(), action_url(MessageAction.RETRY_NOW, message_id))
                self._conversation.set_footer_text(message_id, retry[1](left), retry_now)
                continue
            if retry is not None:  # sent again: waiting for its first token from now
                del self._retrying[message_id]
                clock.start()
            self._conversation.set_footer_text(message_id, waiting_text(clock.elapsed() / 1000))
