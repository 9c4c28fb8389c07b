"""ChatService: one conversation turn from the person's text to a stored reply.

The service is an async generator per turn so the caller (the Qt controller, a test, a
script) sees every step as a typed event and can stop the turn by cancelling the task that
consumes it. Everything received is written to the store as it arrives, in batches no more
than `save_interval` apart, so a crash or a kill loses at most that much of a reply.

Nothing here waits for the disk on the loop. Reads run in the history's read thread; writes
are queued for its writer thread, and new rows have their ids before they are written
(storage/ids.py), so a turn goes on while another program holds the history's lock: the
person's message is awaited only for the history's `patience` (so a full disk or a conversation
deleted by another instance is said before the question leaves, and the message stays in
the box), then the question is sent and the reply streams whether or not it is on disk yet;
both are written, in order, when the lock goes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, replace

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import (
    ChatTurn,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
)
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    Provider,
    TextDelta,
    UsageReport,
)
from desktopchat.services.history import ConversationGone, HistoryService, StorageError
from desktopchat.services.reply_saver import ReplySaver

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
    | ReplyReasoning
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


class ChatService:
    """Send, regenerate, edit-and-resend; persists as it streams."""

    def __init__(
        self,
        history: HistoryService,
        providers: ProviderSource,
        *,
        max_tokens: Callable[[], int] = lambda: 4096,
        save_interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._history = history
        self._store = history.store
        self._providers = providers
        self._max_tokens = max_tokens
        self._save_interval = save_interval
        self._clock = clock
        # Per conversation: several conversations stream their replies at once.
        self._streaming: dict[int, ReplySaver] = {}
        self._stopped: dict[int, Message] = {}

    def streaming_reply(self, conversation_id: int) -> Message | None:
        """The reply streaming now in this conversation with its text so far (the store has
        it only up to the last batch saved), or None."""
        saver = self._streaming.get(conversation_id)
        return None if saver is None else saver.current()

    def take_stopped_reply(self, conversation_id: int) -> Message | None:
        """The reply of this conversation that a stop (or a failure to save) cut short, as
        it is stored; asked once, by whoever stopped the turn."""
        return self._stopped.pop(conversation_id, None)

    async def send(self, conversation_id: int, text: str) -> AsyncIterator[ChatEvent]:
        """Store the person's message, then stream and store the reply.

        Raises ConversationGone (before anything is sent) if the conversation was deleted,
        by another instance or a moment ago, and StorageError if the message cannot be
        saved; the caller keeps the text.
        """
        conversation = await self._conversation(conversation_id)
        queued = self._store.add_message(conversation_id, Role.USER, text)
        await self._history.written_unless_behind(queued.saved)
        retitled = not conversation.title
        if retitled:  # queued before anyone hears of the message, so every read has it
            conversation = replace(conversation, title=auto_title(text))
            self._history.track(
                self._store.rename_conversation(conversation_id, conversation.title)
            )
        yield UserMessageSaved(queued.value)
        if retitled:
            yield ConversationRetitled(conversation)
        async with aclosing(self._reply(conversation)) as replying:
            async for event in replying:
                yield event

    async def regenerate(self, conversation_id: int) -> AsyncIterator[ChatEvent]:
        """Replace the last reply (complete, failed or interrupted) with a new one.

        Also the Retry of a failed reply: the same request is sent again.
        """
        conversation = await self._conversation(conversation_id)
        history = await self._history.read(self._store.messages, conversation_id)
        if not history:
            return
        last = history[-1]
        if last.role is Role.ASSISTANT:
            self._history.track(self._store.delete_messages_from(conversation_id, last.id))
        async with aclosing(self._reply(conversation)) as replying:
            async for event in replying:
                yield event

    async def edit_and_resend(
        self, conversation_id: int, message_id: int, text: str
    ) -> AsyncIterator[ChatEvent]:
        """Change one of the person's messages; every later turn is replaced."""
        conversation = await self._conversation(conversation_id)
        messages = await self._history.read(self._store.messages, conversation_id)
        edited = next((m for m in messages if m.id == message_id), None)
        if edited is None or edited.role is not Role.USER:
            raise ValueError(f"message {message_id} is not a user message of this conversation")
        later = [m for m in messages if m.id > message_id]
        if later:
            self._history.track(self._store.delete_messages_from(conversation_id, later[0].id))
        self._history.track(self._store.update_message_text(message_id, text))
        yield UserMessageSaved(replace(edited, text=text))
        async with aclosing(self._reply(conversation)) as replying:
            async for event in replying:
                yield event

    async def _conversation(self, conversation_id: int) -> Conversation:
        conversation = await self._history.conversation(conversation_id)
        if conversation is None:
            raise ConversationGone(conversation_id)
        return conversation

    async def _reply(self, conversation: Conversation) -> AsyncIterator[ChatEvent]:
        messages = await self._history.read(self._store.messages, conversation.id)
        turns = [
            ChatTurn(m.role, m.text)
            for m in messages
            if m.status is MessageStatus.COMPLETE or m.role is Role.USER
        ]
        queued = self._store.add_message(
            conversation.id,
            Role.ASSISTANT,
            "",
            status=MessageStatus.STREAMING,
            provider=conversation.provider,
            model=conversation.model,
        )
        self._history.track(queued.saved)
        saver = ReplySaver(self._store, queued.value, self._save_interval, self._clock)
        self._streaming[conversation.id] = saver
        self._stopped.pop(conversation.id, None)
        try:
            yield ReplyStarted(queued.value)
            # Closed with the turn, not left to the garbage collector: a turn stopped (or
            # quit) while its caller had the loop is closed only at the outer `yield`, and
            # the reply must be saved interrupted before the history closes.
            async with aclosing(self._stream(conversation, turns, saver)) as streaming:
                async for event in streaming:
                    yield event
        finally:
            self._streaming.pop(conversation.id, None)

    async def _stream(
        self, conversation: Conversation, turns: list[ChatTurn], saver: ReplySaver
    ) -> AsyncIterator[ChatEvent]:
        reply_id = saver.reply.id
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
                    saver.append(event.text)
                    yield ReplyDelta(reply_id, event.text)
                elif isinstance(event, UsageReport):
                    saver.usage = event.usage
                elif isinstance(event, ParameterDropped):
                    yield ReplyNotice(reply_id, event.name, event.reason)
                elif isinstance(event, Finished):
                    break
            if not saver.text:
                raise ChatError(
                    ErrorKind.EMPTY_REPLY,
                    provider=getattr(provider, "display_name", ""),
                    model=conversation.model or "",
                )
        except ChatError as error:
            failed = saver.finish(MessageStatus.FAILED, error)
            yield ReplyFailed(failed, error)
            return
        except (asyncio.CancelledError, GeneratorExit, StorageError):
            # Stopped, or the history cannot take more: what arrived is kept, interrupted.
            self._stopped[conversation.id] = saver.finish(MessageStatus.INTERRUPTED, None)
            raise
        except BaseException:
            saver.finish(MessageStatus.FAILED, None)
            raise
        yield ReplyFinished(saver.finish(MessageStatus.COMPLETE, None))
