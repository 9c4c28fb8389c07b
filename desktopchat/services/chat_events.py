"""The events a chat turn yields (ChatService.send, regenerate, edit_and_resend, compare),
in the order they come; the tool loop's own events are in services/tool_loop.py and part of
ChatEvent."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from desktopchat.domain.errors import ChatError
from desktopchat.domain.tool_calls import LoopEnd
from desktopchat.domain.types import AttachmentPayload, Conversation, Message
from desktopchat.services.context import ContextEstimate
from desktopchat.services.tool_loop import (
    ToolApprovalRequested,
    ToolCallFinished,
    ToolCallsRequested,
    ToolCallStarted,
)


@dataclass(frozen=True)
class UserMessageSaved:
    message: Message


@dataclass(frozen=True)
class ReplyStarted:
    """The reply row exists (status STREAMING) and the request is on its way."""

    message: Message


@dataclass(frozen=True)
class ReplyDelta:
    message_id: int
    text: str


@dataclass(frozen=True)
class ReplyReasoning:
    """A piece of the reply's reasoning (shown folded above the answer)."""

    message_id: int
    text: str


@dataclass(frozen=True)
class ReplyNotice:
    """Something the person should know about this reply that is not an error."""

    message_id: int
    parameter: str
    reason: str


@dataclass(frozen=True)
class ReplyRetrying:
    """The request failed before anything arrived and is sent again after `delay` seconds
    (sooner if the person asks: ChatService.retry_now); `attempt` of `attempts`."""

    message_id: int
    error: ChatError
    delay: float
    attempt: int
    attempts: int


@dataclass(frozen=True)
class ReplyFinished:
    message: Message


@dataclass(frozen=True)
class ReplyFailed:
    """The reply ended with an error; its partial text is kept in `message`."""

    message: Message
    error: ChatError


@dataclass(frozen=True)
class ConversationRetitled:
    conversation: Conversation


@dataclass(frozen=True)
class SendRefused:
    """Nothing was stored or sent: the request is surely over the model's window. The
    message and its attachments go back to the person."""

    conversation_id: int
    text: str
    attachments: tuple[AttachmentPayload, ...]
    estimate: ContextEstimate


@dataclass(frozen=True)
class ResendRefused:
    """Nothing was stored or sent by a Regenerate, an edit resent or one model of a
    compare: that request is surely over the model's window. Unlike SendRefused there is
    no message to give back: nothing on screen changes (no new branch, an edit stays in
    its editor); the person is told, with the two ways out."""

    conversation_id: int
    estimate: ContextEstimate
    model: str


class CompareRefused(Exception):
    """No model of a compare has room for the question (ChatService.compare): nothing was
    stored or sent, the question stays where it was typed. When only some have none,
    the others answer and each refused one says so in its own column."""

    def __init__(self, refusals: list[ResendRefused]) -> None:
        super().__init__(", ".join(r.model for r in refusals))
        self.refusals = refusals


@dataclass(frozen=True)
class ToolLoopEnded:
    """The reply's tool loop ended before the model answered (stored on the reply as
    `tool_steps.end`): LoopEnd.STEP_LIMIT after that many steps."""

    message_id: int
    end: LoopEnd


ChatEvent = (
    UserMessageSaved
    | ReplyStarted
    | ReplyDelta
    | ReplyReasoning
    | ReplyNotice
    | ReplyRetrying
    | ReplyFinished
    | ReplyFailed
    | ConversationRetitled
    | SendRefused
    | ResendRefused
    | ToolCallsRequested
    | ToolApprovalRequested
    | ToolCallStarted
    | ToolCallFinished
    | ToolLoopEnded
)


async def refused_reply(refused: ResendRefused) -> AsyncGenerator[ChatEvent, None]:
    """The reply stream of a compare's model that has no room for the question: only the
    refusal, nothing stored."""
    yield refused
