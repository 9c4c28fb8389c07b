"""The tool steps of the replies streaming into a view, and their approval cards.

A streaming reply that reaches a tool step is written again whole, once per tool event (a
step, a call started or finished, a question, a fold): its text so far, cut at each step,
with the calls' lines (tool_blocks.py) and the cards' rooms. Its text then goes on in a new
stream after all that (StreamingReplies.restart, ToolBlocks.settle). Tool events are few
(a handful per step), so writing the reply again costs far less than the tokens around it.
A running call's line counts its time every second in place.

The questions waiting are kept here by call id until their call is decided, so a reply
shown again (the person switched away and back) gets its cards again from the controller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QTextEdit

from desktopchat.domain.tool_calls import (
    NO_TOOL_STEPS,
    LoopEnd,
    ToolCall,
    ToolCallStatus,
    ToolStep,
    ToolSteps,
)
from desktopchat.domain.types import Message, Reasoning
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.ui.transcript.approval_cards import ApprovalCards
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.streaming import StreamingReplies
from desktopchat.ui.transcript.tool_blocks import call_line

TICK_MS = 1000


@dataclass
class _Reply:
    """What a streaming reply has written before its current stream: the text of its steps
    and the steps."""

    prefix: str = ""
    steps: ToolSteps = NO_TOOL_STEPS


class ToolReplies(QObject):
    decided = Signal(str, object, str)  # call id, Decision, reason

    def __init__(
        self,
        view: QTextEdit,
        conversation: ConversationDocument,
        streaming: StreamingReplies,
        edit_block: Callable[[], AbstractContextManager[None]],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._conversation = conversation
        self._streaming = streaming
        self._edit_block = edit_block
        self._replies: dict[int, _Reply] = {}
        self.questions: dict[str, ToolApprovalRequested] = {}
        self.cards = ApprovalCards(view)
        self.cards.decided.connect(self._on_decided)
        self.cards.heights_changed.connect(self.relayout)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def prefix(self, message_id: int) -> str:
        """The text a streaming reply wrote before its current stream."""
        reply = self._replies.get(message_id)
        return reply.prefix if reply is not None else ""

    def step(self, message_id: int, step: ToolStep) -> None:
        stream = self._streaming.streams.get(message_id)
        if stream is None:
            return
        reply = self._replies.setdefault(message_id, _Reply())
        reply.prefix += stream.full_text()
        reply.steps = replace(reply.steps, steps=(*reply.steps.steps, step))
        self._redraw(message_id)

    def call_changed(self, message_id: int, call: ToolCall) -> None:
        reply = self._replies.get(message_id)
        if reply is None:
            return
        reply.steps = reply.steps.with_call(call)
        if call.status is not ToolCallStatus.ASKING:
            self.questions.pop(call.call_id, None)
            self.cards.drop(call.call_id)
        self._redraw(message_id)

    def ask(self, question: ToolApprovalRequested, *, take_focus: bool) -> None:
        if question.message_id not in self._replies:
            return
        self.questions[question.call.call_id] = question
        card = self.cards.add(question)
        self._redraw(question.message_id)
        if take_focus:
            card.arguments.setFocus()  # Enter there does nothing; Tab reaches the buttons

    def ended(self, message_id: int, end: LoopEnd) -> None:
        reply = self._replies.get(message_id)
        if reply is not None:
            reply.steps = replace(reply.steps, end=end)
            self._redraw(message_id)

    def resume(self, message: Message) -> str:
        """A streaming reply shown again: write its steps; returns the text after them."""
        steps = message.tool_steps
        if not steps.steps:
            return message.text
        cut = steps.steps[-1].text_end
        self._replies[message.id] = _Reply(message.text[:cut], steps)
        self._redraw(message.id)
        return message.text[cut:]

    def toggled(self, message_id: int) -> bool:
        """A call of a streaming reply was folded or unfolded: write it again; False when
        the reply is not streaming with steps."""
        if message_id not in self._replies or message_id not in self._streaming.streams:
            return False
        self._redraw(message_id)
        return True

    def finish(self, message_id: int) -> str:
        """The reply ended: forget its steps and cards; returns its text before the
        current stream."""
        reply = self._replies.pop(message_id, None)
        for call_id in [c for c, q in self.questions.items() if q.message_id == message_id]:
            del self.questions[call_id]
            self.cards.drop(call_id)
        self._conversation.tools.unsettle(message_id)
        return reply.prefix if reply is not None else ""

    def clear(self) -> None:
        self._replies.clear()
        self.questions.clear()
        self.cards.clear()
        self._timer.stop()

    @Slot()
    def relayout(self) -> None:
        """The column's width or a card's height changed: make the cards' rooms fit."""
        heights = self.cards.heights()
        if heights != self._conversation.tools.asking:
            for message_id in {q.message_id for q in self.questions.values()}:
                self._redraw(message_id)
        self.cards.place()

    def _redraw(self, message_id: int) -> None:
        stream = self._streaming.streams.get(message_id)
        reply = self._replies.get(message_id)
        if stream is None or reply is None:
            return
        tools = self._conversation.tools
        tools.asking = self.cards.heights()
        reasoning = Reasoning(stream.reasoning) if stream.reasoning else stream.message.reasoning
        message = replace(
            stream.message, text=reply.prefix, tool_steps=reply.steps, reasoning=reasoning
        )
        with self._edit_block():
            tools.unsettle(message_id)
            self._conversation.render(message, reply.prefix, is_last=True, failure=None)
            self._conversation.set_footer_text(message_id, "")
            tools.settle(message_id)
            self._streaming.restart(message_id)
        self.cards.place()
        running = any(
            c.status is ToolCallStatus.RUNNING
            for r in self._replies.values()
            for c in r.steps.calls()
        )
        if running and not self._timer.isActive():
            self._timer.start()
        elif not running:
            self._timer.stop()

    @Slot()
    def _tick(self) -> None:
        """Count the running calls' time on their lines."""
        now = time.time()
        with self._edit_block():
            for message_id, reply in self._replies.items():
                for call in reply.steps.calls():
                    if call.status is ToolCallStatus.RUNNING and call.started is not None:
                        line = call_line(call, now - call.started)
                        self._conversation.tools.update_line(message_id, call, line)

    @Slot(str, object, str)
    def _on_decided(self, call_id: str, decision: object, reason: str) -> None:
        self.cards.drop(call_id)
        self.decided.emit(call_id, decision, reason)
