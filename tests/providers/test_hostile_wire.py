"""A hostile or broken server, through the real SDKs (DESIGN.md R9): each answer ends as a
ChatError of a kind that says what happened, with the part of the reply received kept.

Memory and time are measured in tests/reliability/test_hostile_server.py; here the limits
are lowered where that keeps a test small, and only the outcome is checked.
"""

from __future__ import annotations

import itertools

import pytest

from desktopchat.domain.errors import ErrorKind
from desktopchat.providers import reply_stream
from desktopchat.providers.base import Finished, RequestTimeouts, TextDelta
from desktopchat.providers.limits import EVENT_LIMIT, WHOLE_BODY_LIMIT, MiB
from tests.providers.conftest import without_served_model
from tests.wire_formats import OpenAIChunks
from tests.wire_hostile import (
    comments_forever,
    deeply_nested_error,
    deeply_nested_event,
    endless_line,
    gzip_bomb,
    huge_delta,
    lone_surrogate_delta,
    lone_surrogate_error,
    trickle,
)
from tests.wire_script import Fault

BOTH = ["openai", "anthropic"]
DEPTH = 20_000
"""Far deeper than Python's recursion limit (1,000), a few kilobytes on the wire."""


def text_of(events) -> str:
    return "".join(event.text for event in events if isinstance(event, TextDelta))


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_gzip_bomb_as_model_list_is_too_large(driver, wire_server, preset_id):
    wire_server.queue(gzip_bomb(2 * WHOLE_BODY_LIMIT))
    with pytest.raises(Exception) as caught:
        driver.models(preset_id)
    assert caught.value.kind is ErrorKind.RESPONSE_TOO_LARGE
    assert "32 MiB" in caught.value.detail


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_gzip_bomb_as_error_body_keeps_the_status(driver, wire_server, preset_id):
    wire_server.queue(gzip_bomb(64 * MiB, status=500))
    error = driver.error(preset_id)
    assert (error.kind, error.status) == (ErrorKind.SERVER_ERROR, 500)
    assert len(error.detail) <= 500


def test_a_gzip_bomb_as_error_body_of_the_model_list(driver, wire_server):
    wire_server.queue(gzip_bomb(64 * MiB, status=403))
    with pytest.raises(Exception) as caught:
        driver.models("openai")
    assert (caught.value.kind, caught.value.status) == (ErrorKind.PERMISSION, 403)


@pytest.mark.parametrize("preset_id", BOTH)
def test_an_endless_line_is_cut_at_the_event_limit(driver, wire_server, preset_id):
    wire_server.queue(endless_line())
    events, error = driver.until_error(preset_id)
    assert error is not None and error.kind is ErrorKind.REPLY_TOO_LARGE
    assert "one server-sent event" in error.detail and "4 MiB" in error.detail
    assert events == []
    assert wire_server.wait_for_disconnect()


def test_a_huge_delta_fails_after_the_text_before_it(driver, wire_server):
    wire_server.queue(huge_delta(2 * EVENT_LIMIT, before="Hello "))
    events, error = driver.until_error("openai")
    assert error is not None and error.kind is ErrorKind.REPLY_TOO_LARGE
    assert without_served_model(events) == [TextDelta("Hello ")]


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_reply_over_the_text_limit_keeps_exactly_the_limit(
    driver, wire_server, preset_id, monkeypatch
):
    monkeypatch.setattr(reply_stream, "REPLY_TEXT_LIMIT", 1000)
    wire_server.reply.text, wire_server.reply.chunks = "x" * 1500, 15
    events, error = driver.until_error(preset_id)
    assert error is not None and error.kind is ErrorKind.REPLY_TOO_LARGE
    assert text_of(events) == "x" * 1000


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_model_list_that_trickles_times_out(driver, wire_server, preset_id):
    wire_server.queue(trickle(b'{"object":"list","data":[]}', 0.2))
    timeouts = RequestTimeouts(connect=2.0, first_byte=5.0, total=0.6)
    with pytest.raises(Exception) as caught:
        driver.models(preset_id, timeouts=timeouts)
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert "the model list did not come within 0.6 s" in caught.value.detail


@pytest.mark.parametrize("preset_id", BOTH)
def test_bytes_without_an_event_do_not_hold_the_first_token_wait(driver, wire_server, preset_id):
    wire_server.queue(comments_forever(0.05))
    events, error = driver.until_error(preset_id, timeouts=RequestTimeouts(2.0, 0.5))
    assert error is not None and error.kind is ErrorKind.TIMEOUT
    assert "the first event of the reply did not come within 0.5 s" in error.detail
    assert events == []


def test_bytes_without_an_event_after_one_time_out_between_events(driver, wire_server):
    chunks = OpenAIChunks("wire-large", usage_field=False)

    def body():
        yield chunks.first() + chunks.text("Hello")
        yield from itertools.repeat(b": junk\n\n")

    wire_server.queue(Fault("raw", seconds=0.05, source=body))
    events, error = driver.until_error("openai", timeouts=RequestTimeouts(2.0, 0.5))
    assert error is not None and error.kind is ErrorKind.TIMEOUT
    assert "the next event" in error.detail
    assert without_served_model(events) == [TextDelta("Hello")]


def test_a_lone_surrogate_in_a_delta_is_replaced_and_the_reply_goes_on(driver, wire_server):
    wire_server.queue(lone_surrogate_delta("Hello ", " world"))
    events = driver.events("openai")
    assert text_of(events) == "Hello \ufffd world"
    assert events[-1] == Finished("stop")
    text_of(events).encode("utf-8")


def test_a_lone_surrogate_in_an_error_message_is_replaced(driver, wire_server):
    wire_server.queue(lone_surrogate_error(400))
    error = driver.error("openai")
    assert (error.kind, error.status) == (ErrorKind.BAD_REQUEST, 400)
    assert "bad \ufffd request" in error.detail
    error.describe().encode("utf-8")


@pytest.mark.parametrize("preset_id", BOTH)
def test_an_event_nested_too_deep_is_a_malformed_reply(driver, wire_server, preset_id):
    wire_server.queue(deeply_nested_event(DEPTH, preset_id))
    events, error = driver.until_error(preset_id)
    assert error is not None and error.kind is ErrorKind.MALFORMED_RESPONSE
    assert "nested too deeply" in error.detail
    assert text_of(events) == "Hello "


@pytest.mark.parametrize("preset_id", BOTH)
def test_an_error_body_nested_too_deep_keeps_the_status(driver, wire_server, preset_id):
    wire_server.queue(deeply_nested_error(DEPTH, status=500))
    error = driver.error(preset_id)
    assert error.kind is ErrorKind.SERVER_ERROR and error.status == 500
