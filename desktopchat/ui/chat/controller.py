"""ChatController: the Qt face of the ChatService.

It runs each turn as a task on the qasync loop, one per conversation (several conversations
stream their replies at once), and turns the service's events into signals, so widgets
never touch asyncio and the service never touches Qt. The reply being streamed (so a person
who switches away and back sees it continue) is the service's to hold; the controller only
remembers which one it is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Sequence

from PySide6.QtCore import QObject, Signal

from desktopchat.domain.tool_calls import Decision
from desktopchat.domain.types import AttachmentPayload, Message
from desktopchat.services.chat import ChatService
from desktopchat.services.chat_events import (
    ChatEvent,
    ReplyDelta,
    ReplyFailed,
    ReplyFinished,
    ReplyNotice,
    ReplyReasoning,
    ReplyRetrying,
    ReplyStarted,
    ResendRefused,
    SendRefused,
    ToolLoopEnded,
    UserMessageSaved,
)
from desktopchat.services.history import ConversationGone, StorageError
from desktopchat.services.tool_loop import (
    ToolApprovalRequested,
    ToolCallFinished,
    ToolCallsRequested,
    ToolCallStarted,
)
from desktopchat.ui.support.asyncutils import Tasks

LOOP_SLICE_S = 0.008


class ChatController(QObject):
    user_message_saved = Signal(object)  # Message
    reply_started = Signal(object)  # Message
    delta_received = Signal(object, object, str)  # conversation id, message id, text
    reasoning_received = Signal(object, object, str)  # conversation id, message id, text
    reply_noticed = Signal(object, str, str)  # message id, parameter, reason
    # conversation id, message id, ChatError, seconds before the retry, attempt, attempts
    reply_retrying = Signal(object, object, object, float, int, int)
    reply_finished = Signal(object)  # Message (COMPLETE or INTERRUPTED)
    reply_failed = Signal(object, object)  # Message, ChatError
    streaming_changed = Signal(object, bool)  # conversation id, streaming
    storage_failed = Signal(object)  # StorageError
    conversation_gone = Signal(object)  # conversation id: deleted before the message left
    send_refused = Signal(object)  # SendRefused: over the model's window, nothing sent
    resend_refused = Signal(object)  # ResendRefused: the same for a Regenerate or an edit
    tool_step = Signal(object, object, object)  # conversation id, message id, ToolStep
    tool_call_changed = Signal(object, object, object)  # conversation id, message id, ToolCall
    tool_question = Signal(object)  # ToolApprovalRequested
    tool_loop_ended = Signal(object, object, object)  # conversation id, message id, LoopEnd

    def __init__(self, service: ChatService) -> None:
        super().__init__()
        self._service = service
        self._tasks: dict[int, asyncio.Task] = {}
        self._owner = Tasks()
        """The turns: the controller owns them (one per conversation, in `_tasks`)."""
        self._reply_ids: dict[int, int] = {}
        self._questions: dict[str, ToolApprovalRequested] = {}
        """The tool calls waiting for the person's answer, by call id (all conversations)."""

    @property
    def service(self) -> ChatService:
        """The chat service, for views that run their own streams (compare models)."""
        return self._service

    def tasks(self) -> list[asyncio.Task]:
        """The running turns (tests wait for everything else)."""
        return list(self._tasks.values())

    def streaming_reply(self, conversation_id: int) -> Message | None:
        """The reply streaming now in this conversation, with its text so far."""
        return self._service.streaming_reply(conversation_id)

    def is_streaming(self, conversation_id: int | None = None) -> bool:
        """Whether this conversation's reply streams; without one, whether any does."""
        if conversation_id is None:
            return bool(self._tasks)
        return conversation_id in self._tasks

    def send(
        self,
        conversation_id: int,
        text: str,
        attachments: Sequence[AttachmentPayload] = (),
    ) -> bool:
        """Start a turn; False when this conversation's reply is still streaming (the
        caller keeps the draft)."""
        return self._start(
            conversation_id, lambda: self._service.send(conversation_id, text, attachments)
        )

    def regenerate(
        self,
        conversation_id: int,
        message_id: int | None = None,
        going: Callable[[], None] | None = None,
    ) -> bool:
        """A new reply beside `message_id` (the last reply when None); the old one stays.
        `going()` is called once the request may go, before its first event: a request
        over the model's window (resend_refused) leaves the screen as it was."""
        return self._start(
            conversation_id, lambda: self._service.regenerate(conversation_id, message_id), going
        )

    def edit_and_resend(
        self,
        conversation_id: int,
        message_id: int,
        text: str,
        going: Callable[[], None] | None = None,
    ) -> bool:
        """The edited message as a new branch; `going` as for regenerate."""
        return self._start(
            conversation_id,
            lambda: self._service.edit_and_resend(conversation_id, message_id, text),
            going,
        )

    def retry_now(self, message_id: int) -> bool:
        """Send a reply's request again at once instead of waiting out its retry delay."""
        return self._service.retry_now(message_id)

    def questions(self, conversation_id: int) -> list[ToolApprovalRequested]:
        """The tool calls of this conversation's reply waiting for an answer, in order."""
        return [q for q in self._questions.values() if q.conversation_id == conversation_id]

    def decide(self, call_id: str, decision: Decision, reason: str = "") -> bool:
        """The person's answer to a tool call's question; False when it no longer waits."""
        self._questions.pop(call_id, None)
        return self._service.decide(call_id, decision, reason)

    def stop(self, conversation_id: int) -> None:
        """Stop this conversation's reply; what arrived is kept and marked interrupted."""
        task = self._tasks.get(conversation_id)
        if task is not None:
            task.cancel()

    async def wait_stopped(self) -> None:
        """At shutdown: stop every running turn and wait until their replies are saved;
        no turn starts after this."""
        await self._owner.aclose()

    def _start(
        self,
        conversation_id: int,
        turn: Callable[[], AsyncGenerator[ChatEvent, None]],
        going: Callable[[], None] | None = None,
    ) -> bool:
        if conversation_id in self._tasks or self._owner.closed:
            return False
        running = self._run(conversation_id, turn(), going)
        self._tasks[conversation_id] = self._owner.spawn(running)
        self.streaming_changed.emit(conversation_id, True)
        return True

    async def _run(
        self,
        conversation_id: int,
        events: AsyncGenerator[ChatEvent, None],
        going: Callable[[], None] | None = None,
    ) -> None:
        # One socket read can hold hundreds of deltas that the SDK hands over without ever
        # returning to the event loop; giving Qt a turn every LOOP_SLICE_S keeps repaints,
        # typing and the Stop button live however fast the stream is (DESIGN.md P3).
        slice_started = time.monotonic()
        try:
            async for event in events:
                if going is not None and not isinstance(event, ResendRefused):
                    going()
                going = None  # only the first event says whether the request goes
                self._dispatch(conversation_id, event)
                if time.monotonic() - slice_started >= LOOP_SLICE_S:
                    await asyncio.sleep(0)
                    slice_started = time.monotonic()
        except asyncio.CancelledError:
            # Stopped between two events: close the turn now, so the reply is saved (and
            # known) as interrupted before the window shows it.
            await events.aclose()
            self._close_stopped_reply(conversation_id)
        except StorageError as error:
            self._close_stopped_reply(conversation_id)
            self.storage_failed.emit(error)
        except ConversationGone as gone:
            self.conversation_gone.emit(gone.conversation_id)
        finally:
            for call_id in [q.call.call_id for q in self.questions(conversation_id)]:
                del self._questions[call_id]
            self._tasks.pop(conversation_id, None)
            self._reply_ids.pop(conversation_id, None)
            self.streaming_changed.emit(conversation_id, False)

    def _close_stopped_reply(self, conversation_id: int) -> None:
        """Close the reply on screen with what arrived, marked interrupted, as stored."""
        stopped = self._service.take_stopped_reply(conversation_id)
        if stopped is not None and stopped.id == self._reply_ids.get(conversation_id):
            self.reply_finished.emit(stopped)

    def _dispatch(self, conversation_id: int, event: ChatEvent) -> None:
        match event:
            case ReplyDelta(message_id, text):
                self.delta_received.emit(conversation_id, message_id, text)
            case ReplyReasoning(message_id, text):
                self.reasoning_received.emit(conversation_id, message_id, text)
            case UserMessageSaved(message):
                self.user_message_saved.emit(message)
            case ReplyStarted(message):
                self._reply_ids[conversation_id] = message.id
                self.reply_started.emit(message)
            case ReplyNotice(message_id, parameter, reason):
                self.reply_noticed.emit(message_id, parameter, reason)
            case ReplyRetrying(message_id, error, delay, attempt, attempts):
                self.reply_retrying.emit(
                    conversation_id, message_id, error, delay, attempt, attempts
                )
            case ReplyFinished(message):
                self.reply_finished.emit(message)
            case ReplyFailed(message, error):
                self.reply_failed.emit(message, error)
            case SendRefused():
                self.send_refused.emit(event)
            case ResendRefused():
                self.resend_refused.emit(event)
            case ToolCallsRequested(message_id, step):
                self.tool_step.emit(conversation_id, message_id, step)
            case ToolApprovalRequested():
                self._questions[event.call.call_id] = event
                self.tool_question.emit(event)
            case ToolCallStarted(message_id, call) | ToolCallFinished(message_id, call):
                self._questions.pop(call.call_id, None)
                self.tool_call_changed.emit(conversation_id, message_id, call)
            case ToolLoopEnded(message_id, end):
                self.tool_loop_ended.emit(conversation_id, message_id, end)
