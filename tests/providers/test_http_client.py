"""The client both SDKs are given: which requests may use a proxy, and the SSE framing
that bounds what the SDKs' decoders can buffer (providers/http_client.py, limits.py)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator

import httpx2
import pytest

from desktopchat.domain.presets import is_loopback
from desktopchat.providers.http_client import BoundedTransport, https_proxy
from desktopchat.providers.limits import EventFraming, TooLarge
from tests.providers.conftest import TEST_KEY

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


class RecordingProxy:
    """A 'proxy' on loopback that records every byte sent to it and answers nothing."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(0.5)
                with contextlib.suppress(OSError):
                    self.received += connection.recv(65536)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()


@pytest.fixture
def proxy(monkeypatch) -> Iterator[RecordingProxy]:
    """A recording proxy named by every proxy variable, and no NO_PROXY."""
    recorder = RecordingProxy()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, recorder.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield recorder
    recorder.close()


def test_the_recording_proxy_does_receive_what_an_ordinary_client_sends(proxy, wire_server):
    """Without our client, httpx2 would send a loopback request through HTTP_PROXY."""

    async def send() -> None:
        async with httpx2.AsyncClient(timeout=2.0) as client:
            with pytest.raises(httpx2.HTTPError):
                await client.get(wire_server.openai_url + "/models")

    asyncio.run(send())
    assert b"/models" in proxy.received


@pytest.mark.parametrize("preset_id", ["openai", "anthropic"])
def test_a_loopback_server_is_reached_directly_whatever_the_proxy(
    proxy, driver, wire_server, preset_id
):
    assert driver.models(preset_id)
    assert driver.events(preset_id)
    assert proxy.received == b""
    assert TEST_KEY.encode() not in proxy.received
    assert wire_server.requests[-1].header("authorization") == f"Bearer {TEST_KEY}"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("ollama.localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("10.0.0.2", False),
        ("192.168.1.20", False),
        ("api.openai.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_only_https_to_other_hosts_may_use_the_proxy(proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "internal.example")
    transport = BoundedTransport(5.0)
    direct, proxied = transport._direct, transport._proxied
    assert proxied is not None and proxied is not direct
    assert transport._route(httpx2.URL("https://api.openai.com/v1")) is proxied
    assert transport._route(httpx2.URL("http://203.0.113.7:11434/v1")) is direct
    assert transport._route(httpx2.URL("http://127.0.0.1:1234/v1")) is direct
    assert transport._route(httpx2.URL("https://localhost:8443/v1")) is direct
    assert transport._route(httpx2.URL("https://[::1]:8443/v1")) is direct
    assert transport._route(httpx2.URL("https://api.internal.example/v1")) is direct
    asyncio.run(transport.aclose())


def test_the_https_proxy_comes_from_https_proxy_then_all_proxy():
    assert https_proxy({"https": "http://a:1", "all": "http://b:2"}) == "http://a:1"
    assert https_proxy({"http": "http://c:3", "all": "http://b:2"}) == "http://b:2"
    assert https_proxy({"http": "http://c:3"}) is None


# --- SSE framing --------------------------------------------------------------------------


def test_line_endings_become_lf_even_split_between_reads():
    framing = EventFraming()
    pieces = [b"data: a\r", b"\ndata: b\r\r", b"data: c\r\n\r", b"\n"]
    out = b"".join(framing.feed(piece) for piece in pieces) + framing.finish()
    assert out == b"data: a\ndata: b\n\ndata: c\n\n"


def test_a_lone_cr_at_the_end_of_the_body_ends_its_line():
    framing = EventFraming()
    assert framing.feed(b"data: a\r") == b"data: a"
    assert framing.finish() == b"\n"


def test_events_of_any_number_under_the_limit_pass():
    framing = EventFraming(limit=100)
    for _ in range(1000):
        framing.feed(b"data: " + b"x" * 80 + b"\n\n")


def test_a_boundary_split_between_reads_resets_the_count():
    framing = EventFraming(limit=100)
    for _ in range(10):
        framing.feed(b"data: " + b"x" * 80 + b"\n")
        framing.feed(b"\n")


@pytest.mark.parametrize(
    "pieces",
    [
        [b"data: " + b"x" * 101],
        [b"data: xxxx"] * 30,
        [b"data: x\n"] * 30,  # many lines, no blank line: one event that grows
        [b"data: x\r\n"] * 30,
    ],
    ids=["one-line", "line-in-pieces", "lines-no-blank", "crlf-lines-no-blank"],
)
def test_an_event_over_the_limit_raises(pieces):
    framing = EventFraming(limit=100)
    with pytest.raises(TooLarge):
        for piece in pieces:
            framing.feed(piece)
