"""The reply half of ChatService: one reply streamed from its provider, through the tool
loop, into the store.

Apart from the turns that lead to a reply (services/chat.py: send, compare, regenerate,
edit and resend) because streaming has its own rules: the reply row is made STREAMING at
once, saved in batches by a ReplySaver, ends COMPLETE, FAILED or INTERRUPTED whatever
happens (a stop, a quit, a full disk), and offers the MCP servers' tools only where someone
answers the approval questions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from contextlib import aclosing

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.projects import uses_to_record
from desktopchat.domain.types import (
    ChatTurn,
    Conversation,
    GenerationSettings,
    Message,
    MessageStatus,
    Role,
    Usage,
)
from desktopchat.domain.web_search import search_way
from desktopchat.providers.base import (
    Provider,
)
from desktopchat.services.chat_events import (
    ChatEvent,
    ReplyFailed,
    ReplyFinished,
    ReplyNotice,
    ReplyStarted,
    ToolLoopEnded,
)
from desktopchat.services.context import ContextEstimate
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.services.pricing import with_searches
from desktopchat.services.project_files import ProjectFiles
from desktopchat.services.reply_requests import ReplyRequests, priced_as
from desktopchat.services.reply_saver import ReplySaver
from desktopchat.services.request_turns import request_turns, tool_turns
from desktopchat.services.tool_loop import Approvals, ReplyTools, ToolAccess
from desktopchat.services.tool_support import ToolSupport
from desktopchat.services.usage_estimate import estimated_usage, sent_tokens
from desktopchat.storage.history import ConversationStore

ProviderSource = Callable[[str], Awaitable[Provider]]
"""Gives the ready provider for a provider id (key looked up); raises ChatError (NO_KEY …)."""


class ReplyStreaming:
    """ChatService's replies; ChatService sets up these attributes."""

    _history: HistoryService
    _store: ConversationStore
    _providers: ProviderSource
    _context: ContextLimits
    _project_files: ProjectFiles
    _requests: ReplyRequests
    _price: Callable[[Usage, str, str], Usage]
    _web_search_price: Callable[[str, str], float | None]
    _save_interval: float
    _clock: Callable[[], float]
    _streaming: dict[int, ReplySaver]
    _stopped: dict[int, Message]
    _tools: Callable[[], ToolAccess | None]
    _tool_support: ToolSupport
    _approvals: Approvals
    _tools_wanted: Callable[[int], bool] | None
    _tool_timeout: Callable[[str], float]
    _tool_step_limit: int

    async def _reply(
        self, conversation: Conversation, path: Sequence[Message], *, shown: bool = True
    ) -> AsyncGenerator[ChatEvent, None]:
        """Stream a reply to the last message of `path`, sending the path as the request.

        `shown`: the conversation's one reply in the main view (remembered for a person who
        comes back to it, and for a stop); a compare's replies are not."""
        turns = await self._history.read(request_turns, self._store, path)
        conversation, files_used = await self._project_files.prepare(conversation, path)
        queued = self._store.add_message(
            conversation.id,
            Role.ASSISTANT,
            "",
            parent_id=path[-1].id if path else None,
            status=MessageStatus.STREAMING,
            provider=conversation.provider,
            model=conversation.model,
            project_files=uses_to_record(files_used),
        )
        self._history.track(queued.saved)
        tokens_sent = sent_tokens(turns, conversation.system_prompt)
        costed_as = priced_as(queued.value)

        def estimate(answer: str, reasoning: str) -> Usage:
            return self._price(estimated_usage(tokens_sent, answer, reasoning), *costed_as)

        def searched(usage: Usage, searches: int) -> Usage:
            return with_searches(usage, searches, self._web_search_price(*costed_as))

        saver = ReplySaver(
            self._store,
            queued.value,
            self._save_interval,
            self._clock,
            track=self._history.track,
            estimate=estimate,
            searched=searched,
        )
        if shown:
            self._streaming[conversation.id] = saver
            self._stopped.pop(conversation.id, None)
        try:
            yield ReplyStarted(queued.value)
            # Closed with the turn, not left to the garbage collector: a turn stopped (or
            # quit) while its caller had the loop is closed only at the outer `yield`, and
            # the reply must be saved interrupted before the history closes.
            sent = self._context.estimate(conversation, path)
            streaming = self._stream(conversation, turns, saver, sent, shown=shown)
            async with aclosing(streaming):
                async for event in streaming:
                    yield event
        finally:
            if shown:
                self._streaming.pop(conversation.id, None)

    async def _stream(
        self,
        conversation: Conversation,
        turns: list[ChatTurn],
        saver: ReplySaver,
        sent: ContextEstimate,
        *,
        shown: bool,
    ) -> AsyncGenerator[ChatEvent, None]:
        reply_id = saver.reply.id
        try:
            provider = await self._providers(conversation.provider or "")
            settings = GenerationSettings(
                model=conversation.model or "",
                temperature=conversation.temperature,
                max_tokens=self._context.max_tokens(conversation),
                system_prompt=conversation.system_prompt,
                reasoning_effort=conversation.reasoning_effort,
                thinking_budget=conversation.thinking_budget,
                web_search=conversation.web_search
                and search_way(conversation.provider or "", conversation.model or "") is not None,
            )
            # A compare's replies have no approval card to ask in: no tools for them.
            tools = await self._reply_tools(conversation, saver) if shown else None
            if tools is not None and not tools.offered:
                yield ReplyNotice(reply_id, "tools", f"{settings.model} cannot call tools.")
            request = turns
            while True:
                async for event in self._requests.send(provider, request, settings, saver, tools):
                    yield event
                if tools is None or not tools.asked:
                    break
                async for event in tools.run_step(len(saver.text), *saver.round_thinking()):
                    yield event
                if tools.steps.end is not None:
                    yield ToolLoopEnded(reply_id, tools.steps.end)
                    break
                request = [*turns, *tool_turns(saver.text, tools.steps.steps)]
            if not (saver.text or saver.reasoning_text or saver.tool_steps.steps):
                raise ChatError(
                    ErrorKind.EMPTY_REPLY,
                    provider=getattr(provider, "display_name", ""),
                    model=conversation.model or "",
                )
        except ChatError as error:
            error = self._context.explain(error, sent, bool(saver.text or saver.reasoning_text))
            failed = saver.finish(MessageStatus.FAILED, error)
            yield ReplyFailed(failed, error)
            return
        except (asyncio.CancelledError, GeneratorExit, StorageError):
            # Stopped, or the history cannot take more: what arrived is kept, interrupted.
            stopped = saver.finish(MessageStatus.INTERRUPTED, None)
            if shown:
                self._stopped[conversation.id] = stopped
            raise
        except BaseException:
            saver.finish(MessageStatus.FAILED, None)
            raise
        yield ReplyFinished(saver.finish(MessageStatus.COMPLETE, None))

    async def _reply_tools(
        self, conversation: Conversation, saver: ReplySaver
    ) -> ReplyTools | None:
        """The reply's tool loop, or None when no tools are offered: no servers, nobody to
        answer the questions, or a model known not to take tools already said so. Offered
        none (`offered` empty) the first time a model known not to take them meets tools."""
        access = self._tools()
        if access is None or not self._approvals.answered:
            return None
        if self._tools_wanted is not None and not self._tools_wanted(conversation.id):
            return None
        specs = await access.list_tools()
        if not specs:
            return None
        await self._tool_support.ready()
        provider, model = priced_as(saver.reply)
        tools = ReplyTools(
            access,
            self._approvals,
            conversation.id,
            saver.reply.id,
            specs,
            saver.save_tool_steps,
            step_limit=self._tool_step_limit,
            timeout=self._tool_timeout,
        )
        if self._tool_support.takes_tools(provider, model):
            return tools
        if self._tool_support.first_time_left_out(provider, model):
            tools.refused()
            return tools
        return None
