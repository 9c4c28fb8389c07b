"""Every fault, in both protocols, ends as a ChatError of the right kind (DESIGN.md R5)."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.types import GenerationSettings
from desktopchat.providers import openai_compat
from desktopchat.providers.base import RequestTimeouts, TextDelta
from tests.providers.conftest import TURNS, without_served_model
from tests.wire_server import Fault

BOTH = ["openai", "anthropic"]

HTTP_FAULTS = [
    (Fault.http(400), ErrorKind.BAD_REQUEST, 400),
    (Fault.http(401), ErrorKind.AUTH, 401),
    (Fault.http(402), ErrorKind.PAYMENT_REQUIRED, 402),
    (Fault.http(403), ErrorKind.PERMISSION, 403),
    (Fault.http(404), ErrorKind.MODEL_NOT_FOUND, 404),
    (Fault.http(413), ErrorKind.CONTEXT_TOO_LONG, 413),
    (Fault.http(422), ErrorKind.BAD_REQUEST, 422),
    (Fault.rate_limited("30"), ErrorKind.RATE_LIMITED, 429),
    (Fault.http(500), ErrorKind.SERVER_ERROR, 500),
    (Fault.http(503), ErrorKind.SERVER_ERROR, 503),
    (Fault.http(529), ErrorKind.OVERLOADED, 529),
    (Fault.context_too_long(), ErrorKind.CONTEXT_TOO_LONG, 400),
    (Fault.html(502), ErrorKind.SERVER_ERROR, 502),
]
STREAM_FAULTS = [
    (Fault.cut(after=2), ErrorKind.CUT_STREAM),
    (Fault.truncated(after=2), ErrorKind.CUT_STREAM),
    (Fault.malformed(after=2), ErrorKind.MALFORMED_RESPONSE),
    (Fault.stream_error(after=2), None),  # per protocol, below
]


def fault_id(case) -> str:
    fault = case[0]
    return f"{fault.kind}-{fault.status}"


@pytest.mark.parametrize("preset_id", BOTH)
@pytest.mark.parametrize("case", HTTP_FAULTS, ids=fault_id)
def test_http_faults(driver, wire_server, preset_id, case):
    fault, kind, status = case
    wire_server.queue(fault)
    error = driver.error(preset_id)
    assert (error.kind, error.status) == (kind, status)
    assert error.provider == driver.preset(preset_id).name
    assert error.model == "wire-large"
    assert error.detail
    assert "<" not in error.detail, "an HTML page is reduced to its title"


@pytest.mark.parametrize("preset_id", BOTH)
@pytest.mark.parametrize("case", STREAM_FAULTS, ids=fault_id)
def test_stream_faults_keep_the_text_received(driver, wire_server, preset_id, case):
    fault, kind = case
    wire_server.reply.text, wire_server.reply.chunks = "abcdef", 3
    wire_server.queue(fault)
    events, error = driver.until_error(preset_id)
    expected = kind or {"openai": ErrorKind.SERVER_ERROR, "anthropic": ErrorKind.OVERLOADED}
    if isinstance(expected, dict):
        expected = expected[preset_id]
    assert error is not None and error.kind is expected
    assert without_served_model(events) == [TextDelta("ab"), TextDelta("cd")]


@pytest.mark.parametrize("preset_id", BOTH)
@pytest.mark.parametrize(
    "fault", [Fault.cut(after=0), Fault.truncated(after=0)], ids=["cut", "truncated"]
)
def test_a_stream_cut_before_any_text_never_says_a_part_was_kept(
    driver, wire_server, preset_id, fault
):
    wire_server.queue(fault)
    events, error = driver.until_error(preset_id)
    assert error is not None and error.kind is ErrorKind.CUT_BEFORE_REPLY
    assert "part received" not in error.message
    assert not any(isinstance(event, TextDelta) for event in events)


@pytest.mark.parametrize(
    ("error_type", "code", "kind"),
    [
        ("rate_limit_error", 429, ErrorKind.RATE_LIMITED),
        ("api_error", 502, ErrorKind.SERVER_ERROR),
        ("authentication_error", 401, ErrorKind.AUTH),
    ],
)
@pytest.mark.parametrize("preset_id", ["openrouter", "anthropic"])
def test_errors_inside_a_200_stream_are_read_by_type(
    driver, wire_server, preset_id, error_type, code, kind
):
    """Anthropic's `event: error` names a type; OpenRouter's error chunk an HTTP-like code."""
    wire_server.queue(Fault.stream_error(error_type=error_type, code=code, message="oops"))
    error = driver.error(preset_id)
    assert error.kind is kind
    assert error.status is None
    assert error.detail == "oops"


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_connection_closed_before_any_response_is_a_network_error(driver, wire_server, preset_id):
    wire_server.queue(Fault.drop())
    error = driver.error(preset_id)
    assert error.kind is ErrorKind.NETWORK
    assert "disconnected" in error.detail.lower()


@pytest.mark.parametrize("preset_id", BOTH)
def test_html_page_under_200_is_not_a_reply(driver, wire_server, preset_id):
    wire_server.queue(Fault.html(200))
    assert driver.error(preset_id).kind is ErrorKind.MALFORMED_RESPONSE


@pytest.mark.parametrize("preset_id", BOTH)
def test_empty_reply(driver, wire_server, preset_id):
    wire_server.reply.text = ""
    assert driver.error(preset_id).kind is ErrorKind.EMPTY_REPLY


@pytest.mark.parametrize(
    ("header", "value", "seconds"),
    [("Retry-After", "30", 30.0), ("retry-after-ms", "1500", 1.5)],
)
def test_retry_after_in_seconds_or_milliseconds(driver, wire_server, header, value, seconds):
    wire_server.queue(Fault.rate_limited(value, header=header))
    error = driver.error("groq")
    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.retry_after == seconds


def test_retry_after_as_an_http_date(driver, wire_server):
    date = email.utils.formatdate(time.time() + 120, usegmt=True)
    wire_server.queue(Fault.rate_limited(date))
    error = driver.error("anthropic")
    assert 100 < error.retry_after <= 120
    assert "Retry in" in error.message


def test_openai_out_of_quota_is_payment_not_rate(driver, wire_server):
    wire_server.queue(
        Fault.http(429, "You exceeded your current quota.", code="insufficient_quota")
    )
    assert driver.error("openai").kind is ErrorKind.PAYMENT_REQUIRED


@pytest.mark.parametrize("preset_id", BOTH)
def test_a_404_page_means_a_wrong_address_not_a_missing_model(driver, wire_server, preset_id):
    wire_server.queue(Fault.html(404), times=2)
    assert driver.error(preset_id).kind is ErrorKind.MALFORMED_RESPONSE
    with pytest.raises(ChatError) as raised:
        driver.models(preset_id)
    assert raised.value.kind is ErrorKind.MALFORMED_RESPONSE


@pytest.mark.parametrize("preset_id", BOTH)
def test_model_list_faults(driver, wire_server, preset_id):
    wire_server.queue(Fault.http(401))
    with pytest.raises(ChatError) as raised:
        driver.models(preset_id)
    assert raised.value.kind is ErrorKind.AUTH


@pytest.mark.parametrize("preset_id", BOTH)
def test_sdk_retries_server_errors_then_succeeds(driver, wire_server, preset_id):
    wire_server.queue(Fault.rate_limited("5", header="retry-after-ms"), times=2)
    events = driver.events(preset_id, max_retries=2)
    assert events[-1].reason in ("stop", "end_turn")
    assert [r.header("x-stainless-retry-count") for r in wire_server.requests] == ["0", "1", "2"]


@pytest.mark.parametrize("preset_id", BOTH)
def test_key_echoed_back_never_reaches_the_error(driver, wire_server, preset_id):
    key = "sk-proj-Zq8XbN3kLm5Vw7Rt2Yp4Hs6Jd9Fg1Ac0Ue"
    echo = f"Incorrect API key provided: {key}. Also {key[:12]}...{key[-8:]}."
    wire_server.queue(Fault.http(401, echo))
    error = driver.error(preset_id, key=key)
    for text in (error.message, error.detail, repr(error), str(error)):
        assert key not in text
        assert key[:12] not in text and key[-8:] not in text
    assert "[key hidden]" in error.detail
    assert error.__cause__ is None and error.__suppress_context__


@pytest.mark.parametrize("preset_id", BOTH)
def test_slow_first_byte_is_a_timeout(driver, wire_server, preset_id):
    wire_server.reply.first_byte_delay = 2.0
    timeouts = RequestTimeouts(connect=2.0, first_byte=0.2)
    error = driver.error(preset_id, timeouts=timeouts)
    assert error.kind is ErrorKind.TIMEOUT
    assert wire_server.wait_for_disconnect(timeout=5)


@pytest.mark.parametrize("preset_id", BOTH)
def test_silence_mid_stream_is_a_timeout(driver, wire_server, preset_id):
    wire_server.queue(Fault.stall(2.0, after=1))
    events, error = driver.until_error(preset_id, timeouts=RequestTimeouts(2.0, 0.2))
    assert error.kind is ErrorKind.TIMEOUT
    assert len(without_served_model(events)) == 1


@pytest.mark.parametrize("preset_id", BOTH)
def test_connection_refused_names_the_address(driver, preset_id):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    preset = with_base_url(get_preset(preset_id), f"http://127.0.0.1:{port}/v1")
    error = driver.error(preset)
    assert error.kind is ErrorKind.CONNECTION_REFUSED
    assert f"http://127.0.0.1:{port}/v1" in error.message


@pytest.mark.parametrize("preset_id", BOTH)
def test_unknown_host_is_a_dns_failure(driver, preset_id):
    preset = with_base_url(get_preset(preset_id), "http://no-such-host.invalid/v1")
    error = driver.error(preset)
    assert error.kind is ErrorKind.DNS_FAILURE
    assert "no-such-host.invalid" in error.message


@pytest.mark.parametrize("preset_id", BOTH)
def test_cancelling_the_consumer_closes_the_connection(driver, wire_server, preset_id):
    wire_server.queue(Fault.forever())

    async def scenario() -> bool:
        provider = driver.provider(preset_id)
        received = asyncio.Event()

        async def consume() -> None:
            async for _event in provider.stream(TURNS, GenerationSettings(model="m")):
                received.set()

        task = asyncio.create_task(consume())
        await received.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # Before aclose(): the stream itself must have let go of the connection.
        seen = await asyncio.to_thread(wire_server.wait_for_disconnect, 5.0)
        async for _event in provider.stream(TURNS, GenerationSettings(model="m")):
            pass  # the provider still works after a cancelled reply
        await provider.aclose()
        return seen

    assert asyncio.run(scenario())
    assert len(wire_server.requests) == 2


def test_bugs_are_not_turned_into_chat_errors(driver, wire_server, monkeypatch):
    async def broken(_sdk_stream):
        raise TypeError("a bug")
        yield  # an async generator, like the real reader

    monkeypatch.setattr(openai_compat, "read_chunks", broken)
    with pytest.raises(TypeError, match="a bug"):
        driver.events("openai")
