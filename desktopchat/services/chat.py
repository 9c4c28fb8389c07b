"""ChatService: one conversation turn from the person's text to a stored reply.

The service is an async generator per turn so the caller (the Qt controller, a test, a
script) sees every step as a typed event and can stop the turn by cancelling the task that
consumes it. Everything received is written to the store as it arrives, in batches no more
than `save_interval` apart, so a crash or a kill loses at most that much of a reply.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import (
    ChatTurn,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
    Usage,
)
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    Provider,
    TextDelta,
    UsageReport,
)
from desktopchat.storage.db import StorageError
from desktopchat.storage.history import ConversationStore

TITLE_WORDS = 8
TITLE_MAX_CHARS = 60


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
class ReplyNotice:
    """Something the person should know about this reply that is not an error."""

    message_id: int
    parameter: str
    reason: str


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


ChatEvent = (
    UserMessageSaved
    | ReplyStarted
    | ReplyDelta
    | ReplyNotice
    | ReplyFinished
    | ReplyFailed
    | ConversationRetitled
)

ProviderSource = Callable[[str], Awaitable[Provider]]
"""Gives the ready provider for a provider id (key looked up); raises ChatError (NO_KEY …)."""


def auto_title(text: str) -> str:
    """A local title from the first words of the first message: no extra paid call."""
    words = text.split()[:TITLE_WORDS]
    title = " ".join(words)
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rstrip() + "…"
    return title


def _describe_in_english(error: ChatError) -> str:
    return error.message


class ChatService:
    """Send, regenerate, edit-and-resend; persists as it streams."""

    def __init__(
        self,
        store: ConversationStore,
        providers: ProviderSource,
        *,
        max_tokens: Callable[[], int] = lambda: 4096,
        describe_error: Callable[[ChatError], str] = _describe_in_english,
        save_interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._providers = providers
        self._max_tokens = max_tokens
        self._describe_error = describe_error
        self._save_interval = save_interval
        self._clock = clock

    async def send(self, conversation_id: int, text: str) -> AsyncIterator[ChatEvent]:
        """Store the person's message, then stream and store the reply."""
        conversation = self._conversation(conversation_id)
        message = self._store.add_message(conversation_id, Role.USER, text)
        yield UserMessageSaved(message)
        if not conversation.title:
            conversation = self._store.rename_conversation(conversation_id, auto_title(text))
            yield ConversationRetitled(conversation)
        async for event in self._reply(conversation):
            yield event

    async def regenerate(self, conversation_id: int) -> AsyncIterator[ChatEvent]:
        """Replace the last reply (complete, failed or interrupted) with a new one.

        Also the Retry of a failed reply: the same request is sent again.
        """
        conversation = self._conversation(conversation_id)
        history = self._store.messages(conversation_id)
        if not history:
            return
        last = history[-1]
        if last.role is Role.ASSISTANT:
            self._store.delete_messages_from(conversation_id, last.id)
        async for event in self._reply(conversation):
            yield event

    async def edit_and_resend(
        self, conversation_id: int, message_id: int, text: str
    ) -> AsyncIterator[ChatEvent]:
        """Change one of the person's messages; every later turn is replaced."""
        conversation = self._conversation(conversation_id)
        edited = self._store.get_message(message_id)
        if edited is None or edited.role is not Role.USER:
            raise ValueError(f"message {message_id} is not a user message of this conversation")
        later = [m for m in self._store.messages(conversation_id) if m.id > message_id]
        if later:
            self._store.delete_messages_from(conversation_id, later[0].id)
        self._store.update_message_text(message_id, text)
        updated = self._store.get_message(message_id)
        assert updated is not None
        yield UserMessageSaved(updated)
        async for event in self._reply(conversation):
            yield event

    def _conversation(self, conversation_id: int) -> Conversation:
        conversation = self._store.get_conversation(conversation_id)
        if conversation is None:
            raise ValueError(f"no conversation {conversation_id}")
        return conversation

    async def _reply(self, conversation: Conversation) -> AsyncIterator[ChatEvent]:
        turns = [
            ChatTurn(m.role, m.text)
            for m in self._store.messages(conversation.id)
            if m.status is MessageStatus.COMPLETE or m.role is Role.USER
        ]
        reply = self._store.add_message(
            conversation.id,
            Role.ASSISTANT,
            "",
            status=MessageStatus.STREAMING,
            provider=conversation.provider,
            model=conversation.model,
        )
        yield ReplyStarted(reply)
        writer = _ReplyWriter(self._store, reply.id, self._save_interval, self._clock)
        try:
            provider = await self._providers(conversation.provider or "")
            settings = GenerationSettings(
                model=conversation.model or "",
                temperature=conversation.temperature,
                max_tokens=self._max_tokens(),
                system_prompt=conversation.system_prompt,
            )
            async for event in provider.stream(turns, settings):
                if isinstance(event, TextDelta):
                    writer.append(event.text)
                    yield ReplyDelta(reply.id, event.text)
                elif isinstance(event, UsageReport):
                    writer.usage = event.usage
                elif isinstance(event, ParameterDropped):
                    yield ReplyNotice(reply.id, event.name, event.reason)
                elif isinstance(event, Finished):
                    break
            if not writer.text:
                raise ChatError(
                    ErrorKind.EMPTY_REPLY,
                    provider=getattr(provider, "display_name", ""),
                    model=conversation.model or "",
                )
        except ChatError as error:
            writer.finish(MessageStatus.FAILED, self._describe_error(error))
            yield ReplyFailed(self._reloaded(reply.id), error)
            return
        except (asyncio.CancelledError, GeneratorExit):
            writer.finish(MessageStatus.INTERRUPTED, None)
            raise
        except BaseException:
            writer.finish(MessageStatus.FAILED, None)
            raise
        writer.finish(MessageStatus.COMPLETE, None)
        yield ReplyFinished(self._reloaded(reply.id))

    def _reloaded(self, message_id: int) -> Message:
        message = self._store.get_message(message_id)
        assert message is not None
        return message


class _ReplyWriter:
    """Accumulates a streaming reply and saves it in batches, then once at the end.

    A batch is saved when a delta arrives `interval` after the last save, and a timer saves
    whatever is pending if the stream goes quiet, so a kill during a long pause loses
    nothing that arrived more than `interval` earlier.
    """

    def __init__(
        self,
        store: ConversationStore,
        message_id: int,
        interval: float,
        clock: Callable[[], float],
    ) -> None:
        self._store = store
        self._message_id = message_id
        self._interval = interval
        self._clock = clock
        self._parts: list[str] = []
        self._first_token_at: float | None = None
        self._last_save = clock()
        self._pending: asyncio.TimerHandle | None = None
        self._deferred_error: StorageError | None = None
        self.usage: Usage | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, delta: str) -> None:
        now = self._clock()
        if self._first_token_at is None:
            self._first_token_at = now
        self._parts.append(delta)
        if self._deferred_error is not None:
            raise self._deferred_error
        if now - self._last_save >= self._interval:
            self._save()
        elif self._pending is None:
            loop = asyncio.get_running_loop()
            self._pending = loop.call_later(self._interval, self._save_later)

    def _save(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._store.update_reply(self._message_id, text=self.text)
        self._last_save = self._clock()

    def _save_later(self) -> None:
        """Timer callback: a storage failure here is raised on the next delta instead of
        vanishing into the event loop's exception handler."""
        self._pending = None
        try:
            self._save()
        except StorageError as error:
            self._deferred_error = error

    def finish(self, status: MessageStatus, error: str | None) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        duration = None
        if self._first_token_at is not None:
            duration = self._clock() - self._first_token_at
        self._store.update_reply(
            self._message_id,
            text=self.text,
            status=status,
            usage=self.usage,
            error=error,
            duration=duration,
        )
