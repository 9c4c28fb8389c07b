"""One request of a reply (a tool loop sends several): the provider's events kept by the
reply's saver and turned into the service's, and the request sent again after a failure
before anything of it arrived, as the retry policy says (retry_now skips the wait)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from dataclasses import replace

from desktopchat.domain.errors import ChatError
from desktopchat.domain.reply_end import reply_end
from desktopchat.domain.types import ChatTurn, GenerationSettings, Message, Usage
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    Provider,
    ReasoningDelta,
    ReasoningSigned,
    ServedModel,
    SourceCited,
    StreamEvent,
    TextDelta,
    ToolCallRequested,
    UsageReport,
    WebSearched,
)
from desktopchat.services.chat_events import (
    ChatEvent,
    ReplyDelta,
    ReplyNotice,
    ReplyReasoning,
    ReplyRetrying,
)
from desktopchat.services.reply_saver import ReplySaver
from desktopchat.services.retries import RetryPolicy
from desktopchat.services.tool_loop import ReplyTools
from desktopchat.services.tool_support import ToolSupport


class ReplyRequests:
    """Sends a reply's requests for ChatService; owns the waits before a retry."""

    def __init__(
        self,
        price: Callable[[Usage, str, str], Usage],
        retries: RetryPolicy,
        tool_support: ToolSupport,
    ) -> None:
        self._price = price
        self._retries = retries
        self.tool_support = tool_support
        self._waiting_to_retry: dict[int, asyncio.Event] = {}

    def retry_now(self, message_id: int) -> bool:
        waiting = self._waiting_to_retry.get(message_id)
        if waiting is None:
            return False
        waiting.set()
        return True

    async def send(
        self,
        provider: Provider,
        turns: list[ChatTurn],
        settings: GenerationSettings,
        saver: ReplySaver,
        tools: ReplyTools | None,
    ) -> AsyncIterator[ChatEvent]:
        """One request of the reply (a tool loop makes several), sent again after a
        failure before anything of it arrived, as the retry policy says."""
        retries_done = 0
        saver.start_round()
        while True:
            offered = replace(settings, tools=tools.offered) if tools else settings
            try:
                stream = provider.stream(turns, offered)
                received = self._received(stream, saver, tools, offered.max_tokens)
                async for event in received:
                    yield event
                return
            except ChatError as error:
                delay = None if saver.round_received() else self._retries.delay(error, retries_done)
                if delay is None:
                    raise
                retries_done += 1
                attempts = self._retries.attempts
                yield ReplyRetrying(saver.reply.id, error, delay, retries_done, attempts)
                await self._wait_to_retry(saver.reply.id, delay)

    async def _received(
        self,
        stream: AsyncIterator[StreamEvent],
        saver: ReplySaver,
        tools: ReplyTools | None,
        max_tokens: int,
    ) -> AsyncIterator[ChatEvent]:
        """One request's events, kept by `saver` as they arrive, as the service's events.
        How it ended is kept too: the last request's end is the reply's (a reply cut at
        `max_tokens`, paused or filtered says so under it)."""
        reply_id = saver.reply.id
        async for event in stream:
            if isinstance(event, TextDelta):
                saver.append(event.text)
                yield ReplyDelta(reply_id, event.text)
            elif isinstance(event, ReasoningDelta):
                saver.append_reasoning(event.text)
                yield ReplyReasoning(reply_id, event.text)
            elif isinstance(event, ReasoningSigned):
                saver.reasoning_signature = event.signature
            elif isinstance(event, ServedModel):
                saver.served_model = event.model
            elif isinstance(event, UsageReport):
                saver.usage = self._price(saver.round_usage(event.usage), *priced_as(saver.reply))
            elif isinstance(event, SourceCited):
                saver.cite(event.citation)
            elif isinstance(event, WebSearched):
                saver.searched(event.count)
            elif isinstance(event, ToolCallRequested):
                if tools is not None and tools.offered:
                    tools.take(event)
            elif isinstance(event, ParameterDropped):
                if event.name == "tools" and tools is not None:
                    tools.refused()
                    self.tool_support.refused(*priced_as(saver.reply))
                yield ReplyNotice(reply_id, event.name, event.reason)
            elif isinstance(event, Finished):
                saver.reply_end = reply_end(event.reason, max_tokens)
                break

    async def _wait_to_retry(self, reply_id: int, delay: float) -> None:
        """Wait `delay` seconds, or until retry_now(reply_id); a stop cancels the wait."""
        waiting = self._waiting_to_retry[reply_id] = asyncio.Event()
        try:
            with suppress(TimeoutError):
                await asyncio.wait_for(waiting.wait(), delay)
        finally:
            del self._waiting_to_retry[reply_id]


def priced_as(reply: Message) -> tuple[str, str]:
    """The provider and model whose prices a reply's usage is costed at."""
    return reply.provider or "", reply.model or ""
