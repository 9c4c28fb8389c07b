"""ReplySaver: a streaming reply, held in memory and saved in batches as it arrives.

The service's copy of the text is the one the UI shows when it comes back to a reply that
is still streaming; the store has it only up to the last batch. Saves are queued for the
store's writer thread (they never wait on the loop) and at most one waits at a time: while
another program holds the history's lock, later text replaces the waiting save instead of
piling up a copy of the reply every 250 ms, and the newest text is saved once the lock goes.

Every save, the batches and the final one, goes through `track` (HistoryService.track): a
save that fails for any reason, a bug included, is logged and said to the person by the
history's failed listeners, never dropped with its Future. The final save matters most: it
carries the status and the usage, and nothing waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from desktopchat.domain.errors import ChatError
from desktopchat.domain.reply_end import ReplyEnd
from desktopchat.domain.tool_calls import ToolSteps
from desktopchat.domain.types import Message, MessageStatus, Reasoning, Usage
from desktopchat.domain.web_search import NO_WEB_SEARCH, Citation
from desktopchat.services.history import as_storage_error
from desktopchat.services.tool_support import added_usage
from desktopchat.storage.db import StorageError
from desktopchat.storage.history import ConversationStore


class ReplySaver:
    """Accumulates a streaming reply and saves it in batches, then once at the end.

    A batch is saved when a delta arrives `interval` after the last save, and a timer saves
    whatever is pending if the stream goes quiet, so a kill during a long pause loses
    nothing that arrived more than `interval` earlier. A save that fails (a full disk, a
    bug) is reported through `track` and raised on the next delta, so the turn ends.

    `estimate(answer, reasoning)`: usage for a reply whose server reported none
    (services/usage_estimate.py), so that what it spent is still counted.
    """

    def __init__(
        self,
        store: ConversationStore,
        reply: Message,
        interval: float,
        clock: Callable[[], float],
        *,
        track: Callable[[Future[Any]], None],
        estimate: Callable[[str, str], Usage | None] = lambda _answer, _reasoning: None,
        searched: Callable[[Usage, int], Usage] = lambda usage, _searches: usage,
    ) -> None:
        self._store = store
        self._track = track
        self._estimate = estimate
        self._searched = searched
        self.reply = reply
        self._interval = interval
        self._clock = clock
        self._parts: list[str] = []
        self._first_token_at: float | None = None
        self._last_save = clock()
        self._pending: asyncio.TimerHandle | None = None
        self._in_flight: Future[None] | None = None
        self._dirty = False
        self._failed: StorageError | None = None
        self._thinking: list[str] = []
        self._thinking_since: float | None = None
        self._thinking_seconds: float | None = None
        self.reasoning_signature: str | None = None
        self.served_model: str | None = None
        self.usage: Usage | None = None
        self.tool_steps = ToolSteps()
        self.web_search = NO_WEB_SEARCH
        self.reply_end: ReplyEnd | None = None
        """How the last request ended when it stopped short (cut at the limit, paused,
        filtered): saved with the final save."""
        self._searches_before = 0
        # Where the current request of a tool loop began: its text, thinking, signature
        # and the usage of the requests before it (unpriced).
        self._round: tuple[int, int, str | None] = (0, 0, None)
        self._usage_before: Usage | None = None
        self._usage_now: Usage | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def reasoning_text(self) -> str:
        return "".join(self._thinking)

    def append(self, delta: str) -> None:
        now = self._clock()
        if self._first_token_at is None:
            self._first_token_at = now
        if self._thinking_since is not None and self._thinking_seconds is None:
            self._thinking_seconds = now - self._thinking_since
        self._parts.append(delta)
        self._received(now)

    def append_reasoning(self, delta: str) -> None:
        """A piece of the model's thinking: saved in the same batches as the text."""
        now = self._clock()
        if self._thinking_since is None:
            self._thinking_since = now
        self._thinking.append(delta)
        self._received(now)

    def start_round(self) -> None:
        """A new request of the reply begins (a tool loop sends one per step)."""
        self._round = (len(self.text), len(self.reasoning_text), self.reasoning_signature)
        self._usage_before = self._usage_now
        self._searches_before = self.web_search.searches

    def round_received(self) -> bool:
        """Whether this request gave anything yet (then it is not sent again)."""
        return (len(self.text), len(self.reasoning_text)) != self._round[:2]

    def round_thinking(self) -> tuple[str, str]:
        """This request's signed thinking (text, signature), or ("", "")."""
        signature = self.reasoning_signature
        if signature is None or signature == self._round[2]:
            return "", ""
        return self.reasoning_text[self._round[1] :], signature

    def round_usage(self, usage: Usage) -> Usage:
        """The reply's usage with this request's report (earlier requests' added)."""
        self._usage_now = added_usage(self._usage_before, usage)
        return self._usage_now

    def cite(self, source: Citation) -> None:
        """A source the reply cites: kept (each address once), saved with the next batch."""
        self.web_search = self.web_search.cited(source)
        self._received(self._clock())

    def searched(self, count: int) -> None:
        """This request's web searches so far (the earlier requests' added)."""
        self.web_search = self.web_search.searched(self._searches_before + count)

    def save_tool_steps(self, steps: ToolSteps) -> None:
        """The reply's tool calls changed (asked, decided, started, answered): saved at
        once, not at the next batch, so a kill loses no call and no result."""
        self.tool_steps = steps
        self._save()

    def reasoning(self) -> Reasoning | None:
        """The thinking so far, with how long it lasted (until the answer began)."""
        if not self._thinking and self.reasoning_signature is None:
            return None
        seconds = self._thinking_seconds
        if seconds is None and self._thinking_since is not None:
            seconds = self._clock() - self._thinking_since
        return Reasoning(self.reasoning_text, self.reasoning_signature, seconds)

    def _received(self, now: float) -> None:
        if self._failed is not None:
            raise self._failed
        if now - self._last_save >= self._interval:
            self._save()
        elif self._pending is None:
            loop = asyncio.get_running_loop()
            self._pending = loop.call_later(self._interval, self._save)

    def _save(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._last_save = self._clock()
        if self._in_flight is not None and not self._in_flight.done():
            self._dirty = True  # saved when the one waiting is written
            return
        self._dirty = False
        saving = self._store.update_reply(
            self.reply.conversation_id,
            self.reply.id,
            text=self.text,
            reasoning=self.reasoning(),
            tool_steps=self.tool_steps,
            web_search=self.web_search,
        )
        self._track(saving)
        self._in_flight = saving
        loop = asyncio.get_running_loop()
        saving.add_done_callback(lambda done: _on_loop(loop, self._saved, done))

    def _saved(self, done: Future[None]) -> None:
        error = None if done.cancelled() else done.exception()
        if error is not None:
            # Already reported by `track`; raised on the next delta to end the turn.
            self._failed = as_storage_error(error)
        elif self._dirty and self._in_flight is done:
            self._save()

    def finish(self, status: MessageStatus, error: ChatError | None) -> Message:
        """Queue the final save (its failure reported through `track`); return the reply
        as it will be stored. A reply that received anything but no usage from its server
        gets an estimate, marked as such."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._dirty = False
        self._in_flight = None
        duration = None
        if self._first_token_at is not None:
            duration = self._clock() - self._first_token_at
        reasoning = self.reasoning()
        if self.usage is None and (self.text or self.reasoning_text):
            self.usage = self._estimate(self.text, self.reasoning_text)
        if self.usage is not None:
            self.usage = self._searched(self.usage, self.web_search.searches)
        final = self._store.update_reply(
            self.reply.conversation_id,
            self.reply.id,
            text=self.text,
            status=status,
            usage=self.usage,
            error=error,
            duration=duration,
            reasoning=reasoning,
            served_model=self.served_model,
            tool_steps=self.tool_steps,
            web_search=self.web_search,
            reply_end=self.reply_end,
        )
        self._track(final)
        return replace(
            self.reply,
            text=self.text,
            status=status,
            usage=self.usage or self.reply.usage,
            error=error,
            duration=duration,
            reasoning=reasoning,
            served_model=self.served_model,
            tool_steps=self.tool_steps,
            web_search=self.web_search,
            reply_end=self.reply_end,
        )

    def current(self) -> Message:
        """The reply with its text and reasoning so far (still STREAMING)."""
        return replace(
            self.reply,
            text=self.text,
            reasoning=self.reasoning(),
            tool_steps=self.tool_steps,
            web_search=self.web_search,
        )


def _on_loop(
    loop: asyncio.AbstractEventLoop, callback: Callable[[Future[None]], None], done: Future[None]
) -> None:
    """Run a writer-thread future's callback on the loop that queued it."""
    if not loop.is_closed():
        loop.call_soon_threadsafe(callback, done)
