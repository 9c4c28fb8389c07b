"""ChatController: the Qt face of the ChatService.

It runs one turn at a time as a task on the qasync loop and turns the service's events into
signals, so widgets never touch asyncio and the service never touches Qt. The reply being
streamed (so a person who switches away and back sees it continue) is the service's to
hold; the controller only remembers which one it is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator

from PySide6.QtCore import QObject, Signal

from desktopchat.domain.types import Message
from desktopchat.services.chat import (
    ChatEvent,
    ChatService,
    ConversationRetitled,
    ReplyDelta,
    ReplyFailed,
    ReplyFinished,
    ReplyNotice,
    ReplyStarted,
    UserMessageSaved,
)
from desktopchat.services.history import ConversationGone, StorageError
from desktopchat.ui.support.asyncutils import spawn

LOOP_SLICE_S = 0.008


class ChatController(QObject):
    user_message_saved = Signal(object)  # Message
    reply_started = Signal(object)  # Message
    delta_received = Signal(object, str)  # message id (63-bit, storage/ids.py), text
    reply_noticed = Signal(object, str, str)  # message id, parameter, reason
    reply_finished = Signal(object)  # Message (COMPLETE or INTERRUPTED)
    reply_failed = Signal(object, object)  # Message, ChatError
    conversation_changed = Signal(object)  # Conversation
    streaming_changed = Signal(bool)
    storage_failed = Signal(object)  # StorageError
    conversation_gone = Signal(object)  # conversation id: deleted before the message left

    def __init__(self, service: ChatService) -> None:
        super().__init__()
        self._service = service
        self._task: asyncio.Task | None = None
        self._streaming_conversation: int | None = None
        self._reply_id: int | None = None

    @property
    def streaming_conversation(self) -> int | None:
        """The conversation whose reply is streaming now, if any."""
        return self._streaming_conversation

    def streaming_reply(self, conversation_id: int) -> Message | None:
        """The reply streaming now in this conversation, with its text so far."""
        return self._service.streaming_reply(conversation_id)

    def is_streaming(self) -> bool:
        return self._task is not None and not self._task.done()

    def send(self, conversation_id: int, text: str) -> bool:
        """Start a turn; False when one is already running (the caller keeps the draft)."""
        return self._start(conversation_id, self._service.send(conversation_id, text))

    def regenerate(self, conversation_id: int) -> bool:
        return self._start(conversation_id, self._service.regenerate(conversation_id))

    def edit_and_resend(self, conversation_id: int, message_id: int, text: str) -> bool:
        return self._start(
            conversation_id, self._service.edit_and_resend(conversation_id, message_id, text)
        )

    def stop(self) -> None:
        """Stop the running reply; what arrived is kept and marked interrupted."""
        if self.is_streaming():
            assert self._task is not None
            self._task.cancel()

    async def wait_stopped(self) -> None:
        """At shutdown: stop the running turn and wait until its reply is saved."""
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _start(self, conversation_id: int, events: AsyncGenerator[ChatEvent, None]) -> bool:
        if self.is_streaming():
            return False
        self._streaming_conversation = conversation_id
        self._task = spawn(self._run(events))
        self.streaming_changed.emit(True)
        return True

    async def _run(self, events: AsyncGenerator[ChatEvent, None]) -> None:
        # One socket read can hold hundreds of deltas that the SDK hands over without ever
        # returning to the event loop; giving Qt a turn every LOOP_SLICE_S keeps repaints,
        # typing and the Stop button live however fast the stream is (DESIGN.md P3).
        slice_started = time.monotonic()
        try:
            async for event in events:
                self._dispatch(event)
                if time.monotonic() - slice_started >= LOOP_SLICE_S:
                    await asyncio.sleep(0)
                    slice_started = time.monotonic()
        except asyncio.CancelledError:
            # Stopped between two events: close the turn now, so the reply is saved (and
            # known) as interrupted before the window shows it.
            await events.aclose()
            self._close_stopped_reply()
        except StorageError as error:
            self._close_stopped_reply()
            self.storage_failed.emit(error)
        except ConversationGone as gone:
            self.conversation_gone.emit(gone.conversation_id)
        finally:
            self._streaming_conversation = None
            self._reply_id = None
            self.streaming_changed.emit(False)

    def _close_stopped_reply(self) -> None:
        """Close the reply on screen with what arrived, marked interrupted, as stored."""
        stopped = self._service.stopped_reply
        if self._reply_id is not None and stopped is not None and stopped.id == self._reply_id:
            self.reply_finished.emit(stopped)

    def _dispatch(self, event: ChatEvent) -> None:
        match event:
            case ReplyDelta(message_id, text):
                self.delta_received.emit(message_id, text)
            case UserMessageSaved(message):
                self.user_message_saved.emit(message)
            case ReplyStarted(message):
                self._reply_id = message.id
                self.reply_started.emit(message)
            case ReplyNotice(message_id, parameter, reason):
                self.reply_noticed.emit(message_id, parameter, reason)
            case ReplyFinished(message):
                self.reply_finished.emit(message)
            case ReplyFailed(message, error):
                self.reply_failed.emit(message, error)
            case ConversationRetitled(conversation):
                self.conversation_changed.emit(conversation)
