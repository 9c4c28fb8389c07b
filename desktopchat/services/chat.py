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
import functools
import time
from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, replace

from desktopchat.domain.tool_calls import STEP_LIMIT, Decision
from desktopchat.domain.types import (
    AttachmentPayload,
    Conversation,
    Message,
    MessageStatus,
    Role,
    Thread,
    Usage,
)
from desktopchat.domain.web_search import SearchWay, search_way
from desktopchat.services.chat_events import (
    ChatEvent,
    CompareRefused,
    ConversationRetitled,
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
    refused_reply,
)
from desktopchat.services.chat_replies import ProviderSource, ReplyStreaming
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import ConversationGone, HistoryService
from desktopchat.services.history_changes import HistoryChanges
from desktopchat.services.project_files import ProjectFiles
from desktopchat.services.reply_requests import ReplyRequests
from desktopchat.services.reply_saver import ReplySaver
from desktopchat.services.retries import DEFAULT_RETRIES, RetryPolicy
from desktopchat.services.tool_loop import Approvals, ToolAccess
from desktopchat.services.tool_support import ToolSupport
from desktopchat.services.tools import DEFAULT_TIMEOUT_S

__all__ = [
    "ChatEvent",
    "ChatService",
    "CompareRefused",
    "Comparison",
    "ConversationRetitled",
    "ProviderSource",
    "ReplyDelta",
    "ReplyFailed",
    "ReplyFinished",
    "ReplyNotice",
    "ReplyReasoning",
    "ReplyRetrying",
    "ReplyStarted",
    "ResendRefused",
    "SendRefused",
    "ToolLoopEnded",
    "UserMessageSaved",
    "auto_title",
]

TITLE_WORDS = 8
TITLE_MAX_CHARS = 60


@dataclass(frozen=True)
class Comparison:
    """One question put to several models: the stored question, the conversation if its
    title came from it, and one reply stream per model, not started (each is consumed by
    its own task; closing one stops that reply, stored interrupted)."""

    question: Message
    retitled: Conversation | None
    replies: list[AsyncGenerator[ChatEvent, None]]


def auto_title(text: str) -> str:
    """A local title from the first words of the first message: no extra paid call."""
    words = text.split()[:TITLE_WORDS]
    title = " ".join(words)
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rstrip() + "…"
    return title


class ChatService(ReplyStreaming):
    """Send, regenerate, edit-and-resend; persists as it streams (services/chat_replies.py)."""

    def __init__(
        self,
        history: HistoryService,
        providers: ProviderSource,
        *,
        price: Callable[[Usage, str, str], Usage] = lambda usage, _provider, _model: usage,
        web_search_price: Callable[[str, str], float | None] = lambda _provider, _model: None,
        save_interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
        retries: RetryPolicy = DEFAULT_RETRIES,
        context: ContextLimits | None = None,
        tools: Callable[[], ToolAccess | None] = lambda: None,
        tool_support: ToolSupport | None = None,
        tool_timeout: Callable[[str], float] = lambda _server: DEFAULT_TIMEOUT_S,
        tool_step_limit: int = STEP_LIMIT,
    ) -> None:
        """`price(usage, provider, model)` gives the usage its cost (services/pricing.py);
        `context` what fits in a model's window (unknown windows: everything is sent) and
        how long an answer a request allows (ContextLimits.max_tokens);
        `tools()` the MCP servers' tools (services/tools.py) when that service exists,
        offered to models that take them (`tool_support`) once someone answers the
        questions (answer_tool_questions), each call given `tool_timeout(server)` seconds,
        at most `tool_step_limit` steps; `web_search_price(provider, model)` the dollars
        per 1,000 of a provider's own web searches, added to a reply's cost."""
        self._context = context or ContextLimits()
        self._project_files = ProjectFiles(history, self._context)
        self._history = history
        self._price = price
        self._web_search_price = web_search_price
        self._store = history.store
        self._providers = providers
        self._save_interval = save_interval
        self._clock = clock
        # Per conversation: several conversations stream their replies at once.
        self._streaming: dict[int, ReplySaver] = {}
        self._stopped: dict[int, Message] = {}
        self._requests = ReplyRequests(price, retries, tool_support or ToolSupport())
        self._tools = tools
        self._tool_support = self._requests.tool_support
        self._approvals = Approvals()
        self._tools_wanted: Callable[[int], bool] | None = None
        self._tool_timeout = tool_timeout
        self._tool_step_limit = tool_step_limit

    def streaming_reply(self, conversation_id: int) -> Message | None:
        """The reply streaming now in this conversation with its text so far (the store has
        it only up to the last batch saved), or None."""
        saver = self._streaming.get(conversation_id)
        return None if saver is None else saver.current()

    @staticmethod
    def web_search_way(provider_id: str, model: str) -> SearchWay | None:
        """How this model searches the web through its provider (Anthropic's tool, an
        OpenAI search model, OpenRouter's plugin); None: it cannot, and the toggle is off."""
        return search_way(provider_id, model)

    def set_web_search(self, conversation_id: int, on: bool) -> None:
        """Search the web (or not) from the conversation's next message on, where its
        model can; stored with the conversation (and synced)."""
        self._history.change_conversation(conversation_id, web_search=on)

    def retry_now(self, message_id: int) -> bool:
        """Send a reply's request again at once instead of waiting out its retry delay;
        False when that reply is not waiting to retry."""
        return self._requests.retry_now(message_id)

    def answer_tool_questions(
        self, on: bool = True, wanted: Callable[[int], bool] | None = None
    ) -> None:
        """Say that someone (the window's approval card) answers ToolApprovalRequested
        with `decide`. Until then no model is offered tools: a headless caller that could
        not answer would leave a reply waiting for ever. `wanted(conversation_id)`: whether
        that conversation's replies may use tools now (the person's tools switch); all may
        when not given."""
        self._approvals.answered = on
        self._tools_wanted = wanted

    def decide(self, call_id: str, decision: Decision, reason: str = "") -> bool:
        """The person's answer to ToolApprovalRequested for `call_id`: ALLOW_ONCE,
        ALLOW_CONVERSATION or ALLOW_ALWAYS (which also make the allow rule), or DENY with
        an optional reason the model is told. False when no such question waits (already
        answered, or the reply was stopped)."""
        return self._approvals.decide(call_id, decision, reason)

    def take_stopped_reply(self, conversation_id: int) -> Message | None:
        """The reply of this conversation that a stop (or a failure to save) cut short, as
        it is stored; asked once, by whoever stopped the turn."""
        return self._stopped.pop(conversation_id, None)

    async def send(
        self,
        conversation_id: int,
        text: str,
        attachments: Sequence[AttachmentPayload] = (),
    ) -> AsyncGenerator[ChatEvent, None]:
        """Store the person's message (with its attachments) at the end of the branch
        shown, then stream and store the reply.

        Raises ConversationGone (before anything is sent) if the conversation was deleted,
        by another instance or a moment ago, and StorageError if the message cannot be
        saved; the caller keeps the text. Yields only SendRefused, storing nothing, when
        the request is surely over the model's window: resent each time, it would fail.
        """
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        refused = await self._context.refusal(conversation, thread.messages, text, attachments)
        if refused is not None:
            yield SendRefused(conversation_id, text, tuple(attachments), refused.estimate)
            return
        question, retitled = await self._ask(conversation, thread, text, attachments)
        yield UserMessageSaved(question)
        if retitled is not None:
            conversation = retitled
            yield ConversationRetitled(retitled)
        async with aclosing(self._reply(conversation, [*thread.messages, question])) as r:
            async for event in r:
                yield event

    async def compare(
        self,
        conversation_id: int,
        text: str,
        targets: Sequence[tuple[str, str]],
        attachments: Sequence[AttachmentPayload] = (),
    ) -> Comparison:
        """Ask several models the same question: the person's message is stored once, and
        each (provider id, model) gets its own reply, a sibling of the others, streamed by
        its own generator so that one can be stopped, or fail, without the others.

        Raises as `send` does before anything is sent, and CompareRefused, storing
        nothing, when no model has room for the question; a model that has none (its own
        window) gets a stream of only ResendRefused while the others answer.
        """
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        refusals = await self._context.refusals(
            conversation, targets, thread.messages, text, attachments
        )
        if all(refusals):
            raise CompareRefused([r for r in refusals if r is not None])
        question, retitled = await self._ask(conversation, thread, text, attachments)
        path = [*thread.messages, question]
        replies = [
            refused_reply(refused)
            if refused
            else self._reply(replace(conversation, provider=p, model=m), path, shown=False)
            for (p, m), refused in zip(targets, refusals, strict=True)
        ]
        return Comparison(question, retitled, replies)

    async def _ask(
        self,
        conversation: Conversation,
        thread: Thread,
        text: str,
        attachments: Sequence[AttachmentPayload],
    ) -> tuple[Message, Conversation | None]:
        """Store the person's message at the end of the branch shown; a conversation's
        first message also gives it its title (returned when it did)."""
        add = functools.partial(
            self._store.add_message,
            conversation.id,
            Role.USER,
            text,
            parent_id=thread.messages[-1].id if thread.messages else None,
            attachments=attachments,
        )
        # Attachments' bytes are hashed: off the loop.
        queued = await asyncio.to_thread(add) if attachments else add()
        await self._history.written_unless_behind(queued.saved)
        retitled = None
        if not conversation.title:
            # Queued before anyone hears of the message, so every read has it.
            retitled = replace(conversation, title=auto_title(text))
            self._history.track(self._store.rename_conversation(conversation.id, retitled.title))
        self._history.announce(HistoryChanges.rows([conversation.id]))  # up the list
        return queued.value, retitled

    async def regenerate(
        self, conversation_id: int, message_id: int | None = None
    ) -> AsyncGenerator[ChatEvent, None]:
        """A new reply beside `message_id` (the last reply of the branch shown when None);
        the old one stays as a sibling branch (‹ 1/2 ›).

        Also the Retry of a failed reply: the same request is sent again, and a failed
        reply with no text, which holds nothing worth keeping, is replaced.
        """
        conversation = await self._conversation(conversation_id)
        shown = list((await self._history.thread(conversation_id)).messages)
        path = list(shown)
        if message_id is not None:
            index = next((i for i, m in enumerate(path) if m.id == message_id), None)
            if index is None:
                raise ValueError(f"message {message_id} is not on the branch shown")
            path = path[: index + 1]
        if not path:
            return
        last = path[-1]
        request = path[:-1] if last.role is Role.ASSISTANT else path
        if refused := await self._context.refusal(conversation, request):
            yield refused  # before the failed reply below is deleted: nothing changes
            return
        if last.role is Role.ASSISTANT:
            path.pop()
            # Only the end of the branch: an earlier failed reply has later turns below it.
            empty = not last.text and not last.tool_steps.steps
            if last.status is MessageStatus.FAILED and empty and last.id == shown[-1].id:
                await self._history.delete_from(conversation_id, last.id)
        async with aclosing(self._reply(conversation, path)) as replying:
            async for event in replying:
                yield event

    async def edit_and_resend(
        self, conversation_id: int, message_id: int, text: str
    ) -> AsyncGenerator[ChatEvent, None]:
        """Send an edited copy of one of the person's messages as a new branch beside it
        (with the same attachments); the original and what followed it stay."""
        conversation = await self._conversation(conversation_id)
        path = list((await self._history.thread(conversation_id)).messages)
        index = next((i for i, m in enumerate(path) if m.id == message_id), None)
        if index is None or path[index].role is not Role.USER:
            raise ValueError(f"message {message_id} is not a user message of this branch")
        edited = path[index]
        if refused := await self._context.refusal(
            conversation, [*path[:index], replace(edited, text=text)]
        ):
            yield refused
            return
        queued = self._store.add_message(
            conversation_id,
            Role.USER,
            text,
            parent_id=edited.parent_id,
            kept_attachments=edited.attachments,
        )
        await self._history.written_unless_behind(queued.saved)
        self._history.announce(HistoryChanges.rows([conversation_id]))  # up the list
        yield UserMessageSaved(queued.value)
        async with aclosing(self._reply(conversation, [*path[:index], queued.value])) as r:
            async for event in r:
                yield event

    async def _conversation(self, conversation_id: int) -> Conversation:
        conversation = await self._history.conversation(conversation_id)
        if conversation is None:
            raise ConversationGone(conversation_id)
        return conversation
