"""A reply refused for a while (429, 503) is asked for again where the person sees it: the
SDKs' silent retries are off, the service says "retrying in N s (i of n)" as it waits, a
retry can be had at once, a stop ends the wait, and a partial reply is never retried.

Real SDKs against the wire server, the real store."""

from __future__ import annotations

import asyncio
import time

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.types import MessageStatus
from desktopchat.providers.factory import create_provider
from desktopchat.services.chat import (
    ChatService,
    ReplyFailed,
    ReplyFinished,
    ReplyRetrying,
    ReplyStarted,
)
from desktopchat.services.history import HistoryService
from desktopchat.services.retries import RetryPolicy
from tests.wire_server import Fault, WireServer

KEY = "sk-test-retries-0123456789abcdef"
QUICK = RetryPolicy(attempts=3, backoff=(0.05, 0.05, 0.05), longest_wait=30.0)


@pytest.fixture
def wire():
    with WireServer() as server:
        yield server


def service_on(store, server: WireServer, sdk: str, retries: RetryPolicy = QUICK):
    url = server.openai_url if sdk == "openai" else server.url
    preset = with_base_url(get_preset(sdk), url)

    async def source(_provider_id: str):
        return create_provider(preset, KEY)

    return ChatService(HistoryService(store), source, retries=retries)


def conversation_in(store, sdk: str):
    model = "wire-large" if sdk == "openai" else "claude-test"
    return store.create_conversation(provider=sdk, model=model).result()


async def _collect(events, on_event=None) -> list[object]:
    seen = []
    async for event in events:
        seen.append(event)
        if on_event is not None:
            on_event(event)
    return seen


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_a_rate_limit_is_said_with_its_delay_then_the_reply_comes(store, wire, sdk):
    wire.queue(Fault.rate_limited("0.2"), times=2)
    conversation = conversation_in(store, sdk)
    service = service_on(store, wire, sdk)
    events = asyncio.run(_collect(service.send(conversation.id, "hello")))
    retrying = [event for event in events if isinstance(event, ReplyRetrying)]
    assert [(r.attempt, r.attempts, r.delay) for r in retrying] == [(1, 3, 0.2), (2, 3, 0.2)]
    assert all(r.error.kind is ErrorKind.RATE_LIMITED for r in retrying)
    assert isinstance(events[-1], ReplyFinished)
    assert events[-1].message.text == wire.reply.text
    assert len(wire.requests) == 3  # one each: the SDK retried nothing by itself
    assert all(r.header("x-stainless-retry-count") in (None, "0") for r in wire.requests)


def test_after_the_last_retry_the_error_stays_with_its_delay(store, wire):
    wire.queue(Fault.http(503), times=10)
    conversation = conversation_in(store, "openai")
    events = asyncio.run(_collect(service_on(store, wire, "openai").send(conversation.id, "hi")))
    assert sum(isinstance(event, ReplyRetrying) for event in events) == 3
    assert isinstance(events[-1], ReplyFailed)
    assert events[-1].message.status is MessageStatus.FAILED
    assert len(wire.requests) == 4


def test_a_long_wait_asked_for_is_not_waited_out_in_silence(store, wire):
    """Retry-After: 600 is past what is waited for by itself: the error says when."""
    wire.queue(Fault.rate_limited("600"))
    conversation = conversation_in(store, "openai")
    events = asyncio.run(_collect(service_on(store, wire, "openai").send(conversation.id, "hi")))
    assert not any(isinstance(event, ReplyRetrying) for event in events)
    failed = events[-1]
    assert isinstance(failed, ReplyFailed) and failed.error.retry_after == 600


def test_retry_now_skips_the_wait(store, wire):
    wire.queue(Fault.rate_limited("20"))
    conversation = conversation_in(store, "openai")
    service = service_on(store, wire, "openai")

    def on_event(event):
        if isinstance(event, ReplyRetrying):
            asyncio.get_running_loop().call_later(0.05, service.retry_now, event.message_id)

    started = time.monotonic()
    events = asyncio.run(_collect(service.send(conversation.id, "hi"), on_event))
    assert time.monotonic() - started < 30
    assert isinstance(events[-1], ReplyFinished)
    assert not service.retry_now(events[-1].message.id)  # nothing waits any more


def test_a_stop_while_waiting_to_retry_keeps_the_reply_interrupted(store, wire):
    wire.queue(Fault.rate_limited("20"))
    conversation = conversation_in(store, "openai")
    service = service_on(store, wire, "openai")

    async def stop_while_waiting():
        seen = []

        async def run():
            async for event in service.send(conversation.id, "hi"):
                seen.append(event)

        task = asyncio.ensure_future(run())
        while not any(isinstance(event, ReplyRetrying) for event in seen):
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return seen

    seen = asyncio.run(stop_while_waiting())
    reply_id = next(e.message.id for e in seen if isinstance(e, ReplyStarted))
    stored = {m.id: m for m in store.thread(conversation.id).messages}[reply_id]
    assert stored.status is MessageStatus.INTERRUPTED
    assert len(wire.requests) == 1


def test_a_reply_cut_after_text_arrived_is_kept_and_not_retried(store, wire):
    wire.queue(Fault.cut(after=2))
    conversation = conversation_in(store, "openai")
    events = asyncio.run(_collect(service_on(store, wire, "openai").send(conversation.id, "hi")))
    assert not any(isinstance(event, ReplyRetrying) for event in events)
    assert isinstance(events[-1], ReplyFailed) and events[-1].message.text


@pytest.mark.parametrize(
    ("kind", "retry_after", "done", "expected"),
    [
        (ErrorKind.RATE_LIMITED, None, 0, 0.05),
        (ErrorKind.RATE_LIMITED, 12.0, 1, 12.0),
        (ErrorKind.OVERLOADED, None, 2, 0.05),
        (ErrorKind.SERVER_ERROR, None, 3, None),  # three retries done
        (ErrorKind.AUTH, None, 0, None),  # a refused key does not pass by itself
        (ErrorKind.RATE_LIMITED, 31.0, 0, None),  # longer than waited for by itself
    ],
)
def test_the_policy(kind, retry_after, done, expected):
    assert QUICK.delay(ChatError(kind, retry_after=retry_after), done) == expected
