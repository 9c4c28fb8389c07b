"""Around a reply stream, the same for every SDK: errors, deadlines and the reply's size.

`guarded_stream` opens the SDK stream, turns its chunks into DesktopChat's events and makes
every failure a ChatError. Two things no byte-level timeout can see are enforced here:

- a deadline to the first event and between events: a server that sends bytes but never an
  event (comments, blank lines, a line that grows slowly) is a timeout, although its
  socket never goes quiet long enough for the read timeout;
- the length of the reply's text and reasoning together: past REPLY_TEXT_LIMIT the reply
  ends as REPLY_TOO_LARGE, with what came before kept.

A reply that is only reasoning (the model ran out of tokens while thinking) is not empty
here: its thinking is passed on, and the chat service says there was no answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from types import ModuleType
from typing import Any

from desktopchat.domain.errors import QT_TRANSLATE_NOOP, ChatError, ErrorKind
from desktopchat.providers.base import (
    Finished,
    ParameterDropped,
    ReasoningDelta,
    RequestTimeouts,
    StreamEvent,
    TextDelta,
    ToolCallRequested,
    UsageReport,
)
from desktopchat.providers.errors_map import (
    ErrorContext,
    reraise,
    temperature_refusal,
    tools_refusal,
)
from desktopchat.providers.limits import (
    FIRST_EVENT,
    NEXT_EVENT,
    REPLY_TEXT,
    REPLY_TEXT_LIMIT,
    TooLarge,
    TooSlow,
)


async def guarded_stream(
    ctx: ErrorContext,
    sdk: ModuleType,
    open_stream: Callable[[bool, bool], Awaitable[Any]],
    read: Callable[[Any], AsyncIterator[StreamEvent]],
    *,
    temperature_sent: bool,
    tools_sent: bool = False,
    timeouts: RequestTimeouts,
) -> AsyncGenerator[StreamEvent, None]:
    """Open an SDK stream and turn it into DesktopChat's events.

    `open_stream(with_temperature, with_tools)` starts the request; a 400 refusing the
    temperature, or the tools (a model or server that cannot call them), gets one more
    request without it, announced by ParameterDropped ("temperature" / "tools"). `read` turns SDK
    chunks into events and yields Finished only if the service said the reply ended.
    Usage is reported once, just before Finished. Every failure becomes a ChatError, and
    the HTTP response is closed however the consumer leaves (cancelled, stopped, done).
    """
    sdk_stream = None
    received = 0
    sent = {"temperature": temperature_sent, "tools": tools_sent}
    try:
        while sdk_stream is None:
            try:
                sdk_stream = await open_stream(sent["temperature"], sent["tools"])
            except sdk.APIStatusError as err:
                dropped = _refused(err, sdk, sent)
                if dropped is None:
                    raise
                name, reason = dropped
                sent[name] = False
                yield ParameterDropped(name, ctx.clean(reason))
        usage: UsageReport | None = None
        finished: Finished | None = None
        async for event in read(_watched(sdk_stream, timeouts.first_byte)):
            if isinstance(event, UsageReport):
                usage = event
            elif isinstance(event, Finished):
                finished = event
            elif isinstance(event, ToolCallRequested):
                received += 1
                yield event
            elif isinstance(event, (TextDelta, ReasoningDelta)):
                room = REPLY_TEXT_LIMIT - received
                if len(event.text) > room:
                    if room:
                        yield type(event)(event.text[:room])
                    raise TooLarge(REPLY_TEXT, REPLY_TEXT_LIMIT, streaming=True)
                received += len(event.text)
                yield event
            else:
                yield event
        if finished is None:
            raise _unfinished(ctx, sdk_stream.response.headers.get("content-type", ""))
        if not received:
            raise ctx.error(ErrorKind.EMPTY_REPLY, detail=f"{_FINISH_REASON}: {finished.reason}")
        if usage is not None:
            yield usage
        yield finished
    except Exception as err:
        try:
            reraise(err, ctx, sdk, streaming=sdk_stream is not None)
        except ChatError as error:
            if error.kind is ErrorKind.CUT_STREAM and not received:
                # "The part received is kept" would be untrue: nothing was.
                raise ctx.error(ErrorKind.CUT_BEFORE_REPLY, detail=error.detail) from None
            raise
    finally:
        if sdk_stream is not None:
            await sdk_stream.close()


def _refused(err: Exception, sdk: ModuleType, sent: dict[str, bool]) -> tuple[str, str] | None:
    """Which parameter still sent a refusal names, with the service's reason."""
    if sent["temperature"] and (reason := temperature_refusal(err, sdk)):
        return "temperature", reason
    if sent["tools"] and (reason := tools_refusal(err, sdk)):
        return "tools", reason
    return None


def _unfinished(ctx: ErrorContext, content_type: str) -> ChatError:
    """The body ended without the service saying the reply was complete."""
    if "event-stream" not in content_type:
        detail = f"{_NOT_AN_EVENT_STREAM}: {content_type}" if content_type else _NO_CONTENT_TYPE
        return ctx.error(ErrorKind.MALFORMED_RESPONSE, detail=detail)
    return ctx.error(ErrorKind.CUT_STREAM, detail=_ENDED_EARLY)


# Details DesktopChat writes itself, worded in the UI's language when shown (ChatError).
_FINISH_REASON = QT_TRANSLATE_NOOP("ChatError", "finish reason")
_NOT_AN_EVENT_STREAM = QT_TRANSLATE_NOOP("ChatError", "expected an event stream, got")
_NO_CONTENT_TYPE = QT_TRANSLATE_NOOP("ChatError", "expected an event stream, got no content type")
_ENDED_EARLY = QT_TRANSLATE_NOOP("ChatError", "the stream ended before the reply did")


async def _watched(sdk_stream: Any, seconds: float) -> AsyncIterator[Any]:
    """The SDK's events, each within `seconds`: the first counted from when the request
    went out (providers/http_client.py notes it), each next one from the one before.

    One watchdog timer per stream, moved only when it fires, rather than a timer per event
    (under qasync every timer is a Qt timer): when the wait for an event has passed its
    deadline, the watchdog cancels the waiting task, and the cancellation becomes TooSlow.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    response = getattr(sdk_stream, "response", None)
    state = _Watch(deadline=getattr(response, "sent_at", loop.time()) + seconds)

    def check() -> None:
        now = loop.time()
        if state.waiting and now >= state.deadline:
            state.fired = True
            task.cancel()
            return
        state.timer = loop.call_at(max(state.deadline, now + seconds / 4), check)

    state.timer = loop.call_at(state.deadline, check)
    what = FIRST_EVENT
    try:
        while True:
            state.waiting = True
            try:
                chunk = await anext(sdk_stream)
            except StopAsyncIteration:
                return
            except asyncio.CancelledError:
                if state.fired and task.uncancel() == 0:
                    raise TooSlow(what, seconds) from None
                raise
            finally:
                state.waiting = False
            yield chunk
            state.deadline = loop.time() + seconds
            what = NEXT_EVENT
    finally:
        if state.timer is not None:
            state.timer.cancel()


class _Watch:
    """What the watchdog of one stream reads and moves."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.waiting = False
        self.fired = False
        self.timer: asyncio.TimerHandle | None = None
