"""A reply on screen from its first token to its end: streamed, retried, finished or failed.

The streaming itself (buffers, throttled flushes) is streaming.py's and the tool steps are
tool_replies.py's; this decides what the reply shows when it begins, when it ends (rendered
whole, or finished in place when long), when it fails (the partial text kept, with the
error), and when a person comes back to a conversation whose reply is still streaming.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import Message
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.reply_failure import Failure
from desktopchat.ui.transcript.shown_messages import ShownMessages
from desktopchat.ui.transcript.streaming import (
    StreamingReplies,
    retrying_text,
    waiting_text,
    with_streamed_reasoning,
)
from desktopchat.ui.transcript.tool_replies import ToolReplies

FULL_RENDER_LIMIT = 16_000
"""Finished replies up to this many characters are rendered whole (~20 ms here)."""


class LiveReplies:
    """The replies of one view that are streaming, or have just ended."""

    def __init__(
        self,
        conversation: ConversationDocument,
        shown: ShownMessages,
        streaming: StreamingReplies,
        tools: ToolReplies,
        edit_block: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self._conversation = conversation
        self._shown = shown
        self._streaming = streaming
        self._tools = tools
        self._edit_block = edit_block

    def begin(self, message: Message) -> None:
        """Show an empty reply that says how long it has been waiting for its first token."""
        with self._edit_block():
            self._shown.add_last(message)
            self._conversation.begin_streaming(message, waiting_text(0))
        self._streaming.begin(message)

    def retrying(
        self, message_id: int, reason: str, delay: float, attempt: int, attempts: int
    ) -> None:
        """The reply's request goes again in `delay` seconds: its footer counts down."""
        if message_id in self._streaming.streams:
            self._streaming.retrying(
                message_id,
                delay,
                lambda seconds: retrying_text(reason, seconds, attempt, attempts),
            )

    def text(self, message_id: int) -> str | None:
        """What has arrived of a streaming reply (with its tool steps' text), else None."""
        stream = self._streaming.streams.get(message_id)
        if stream is None:
            return None
        return self._tools.prefix(message_id) + stream.full_text()

    def finish(self, message: Message) -> None:
        """Show the finished reply with its footer.

        A short reply is rendered whole, once. A long one (whose full layout alone would stall
        the window for ~100 ms per 80 KB) is finished in place: only its tail is rendered.
        """
        prefix = self._tools.finish(message.id)
        stream = self._streaming.end(message.id)
        shown = self._shown
        if message.id not in shown.by_id:
            return
        streamed = prefix + stream.full_text() if stream is not None else ""
        text = message.text or streamed
        message = with_streamed_reasoning(message, stream)
        shown.by_id[message.id] = message
        failure = Failure.of_stored(message)
        if failure is not None:
            shown.failures[message.id] = failure
        whole = failure is not None or text != streamed or len(text) <= FULL_RENDER_LIMIT
        # The sources go between text and footer; tool steps between pieces of the text.
        if whole or message.web_search.sources or message.tool_steps.steps or stream is None:
            shown.render(message, text)
            return
        with self._edit_block():
            stream.finish()
            self._conversation.reasoning.show_finished(message)
            self._conversation.set_footer(
                message, text, is_last=shown.is_last(message.id), failure=None
            )

    def fail(self, message: Message, error: ChatError, append: Callable[[Message], None]) -> None:
        """Keep the partial text, and show the error with Retry and, for keys, Settings;
        `append` draws the reply at the end when it is not shown."""
        prefix = self._tools.finish(message.id)
        stream = self._streaming.end(message.id)
        streamed = prefix + stream.full_text() if stream is not None else ""
        text = message.text if len(message.text) >= len(streamed) else streamed
        message = with_streamed_reasoning(message, stream)
        self._shown.failures[message.id] = Failure.of_error(error)
        if message.id not in self._shown.by_id:
            append(message)
            return
        self._shown.by_id[message.id] = message
        self._shown.render(message, text)

    def resume(self, message: Message) -> None:
        """Show a reply that is still streaming (the person came back to its conversation):
        what it wrote, its tool steps, and the rest streaming on."""
        self.begin(replace(message, text=""))
        self._streaming.add_text(message.id, self._tools.resume(message))

    def toggle_reasoning(self, message_id: int) -> None:
        """Unfold or fold a reply's thinking (its line was clicked, or Enter pressed on it)."""
        with self._edit_block():
            if not self._streaming.toggle_reasoning(message_id):
                message = self._shown.by_id.get(message_id)
                if message is not None:
                    self._conversation.reasoning.toggle_finished(message)

    def fold_tool_call(self, message_id: int, index: int, *, show_all: bool) -> None:
        """Unfold or fold a call's block ("Show all": its whole result, up to a limit)."""
        blocks = self._conversation.tools
        if show_all:
            blocks.show_all(message_id, index)
        else:
            blocks.toggle(message_id, index)
        message = self._shown.by_id.get(message_id)
        if not self._tools.toggled(message_id) and message is not None:
            self._shown.render(message, message.text)
