"""The wire server itself, read with a plain HTTP client: the bytes must be the services'."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.wire_server import Fault, ModelSpec, WireServer

ROOT = Path(__file__).resolve().parents[2]


def request(
    server: WireServer, method: str, path: str, body: dict | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, payload, {"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def sse_events(raw: bytes) -> list[tuple[str | None, str]]:
    """(event name, data) for each event; comment lines are kept as ("comment", text)."""
    events = []
    for block in raw.decode().split("\n\n"):
        if not block:
            continue
        name, data = None, ""
        for line in block.split("\n"):
            if line.startswith(":"):
                name, data = "comment", line
            elif line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data = line[len("data: ") :]
        events.append((name, data))
    return events


def test_openai_stream_has_the_real_chunk_shapes(wire_server):
    status, headers, raw = request(
        wire_server,
        "POST",
        "/v1/chat/completions",
        {"model": "gpt-x", "stream": True, "stream_options": {"include_usage": True}},
    )
    events = sse_events(raw)
    chunks = [json.loads(data) for _, data in events[:-1]]
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert events[-1] == (None, "[DONE]")
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "gpt-x" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert all("usage" in c for c in chunks), "with include_usage every chunk has the field"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == wire_server.reply.text
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["prompt_tokens"] == wire_server.reply.input_tokens


def test_openai_stream_without_include_usage_has_no_usage(wire_server):
    _, _, raw = request(wire_server, "POST", "/v1/chat/completions", {"stream": True})
    chunks = [json.loads(data) for _, data in sse_events(raw)[:-1]]
    assert all("usage" not in chunk for chunk in chunks)
    assert all(chunk["choices"] for chunk in chunks)


def test_openrouter_comments_and_deepseek_reasoning(wire_server):
    wire_server.reply.openrouter_comments = 2
    wire_server.reply.reasoning = "Let me think."
    _, _, raw = request(wire_server, "POST", "/api/v1/chat/completions", {"stream": True})
    events = sse_events(raw)
    assert events[:2] == [("comment", ": OPENROUTER PROCESSING")] * 2
    deltas = [json.loads(data)["choices"][0]["delta"] for _, data in events[2:-1]]
    reasoning = "".join(d.get("reasoning_content") or "" for d in deltas)
    assert reasoning == "Let me think."
    assert all(d.get("content") is None for d in deltas if d.get("reasoning_content"))


def test_anthropic_stream_has_the_real_event_sequence(wire_server):
    status, _, raw = request(
        wire_server,
        "POST",
        "/v1/messages",
        {"model": "claude-x", "max_tokens": 10, "stream": True},
        **{"anthropic-version": "2023-06-01"},
    )
    events = sse_events(raw)
    names = [name for name, _ in events]
    assert status == 200
    assert names == [
        "message_start",
        "content_block_start",
        "ping",
        *["content_block_delta"] * wire_server.reply.chunks,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    for name, data in events:
        assert json.loads(data)["type"] == name
    delta = json.loads(events[-2][1])
    assert delta["delta"]["stop_reason"] == "end_turn"
    assert delta["usage"]["output_tokens"] == wire_server.reply.output_tokens


def test_non_streaming_replies(wire_server):
    _, _, raw = request(wire_server, "POST", "/v1/chat/completions", {"model": "m"})
    completion = json.loads(raw)
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"]["content"] == wire_server.reply.text
    _, _, raw = request(wire_server, "POST", "/v1/messages", {"model": "m", "max_tokens": 5})
    message = json.loads(raw)
    assert message["type"] == "message"
    assert message["content"] == [{"type": "text", "text": wire_server.reply.text}]


def test_model_lists_in_each_shape(wire_server):
    wire_server.models = [ModelSpec("a-model", name="A", context_length=4096)]
    _, _, raw = request(wire_server, "GET", "/v1/models")
    assert json.loads(raw) == {
        "object": "list",
        "data": [
            {
                "id": "a-model",
                "object": "model",
                "created": json.loads(raw)["data"][0]["created"],
                "owned_by": "system",
                "name": "A",
                "context_length": 4096,
            }
        ],
    }
    _, _, raw = request(wire_server, "GET", "/v1/models", **{"anthropic-version": "2023-06-01"})
    listing = json.loads(raw)
    assert listing["has_more"] is False
    assert listing["first_id"] == listing["last_id"] == "a-model"
    assert listing["data"][0]["display_name"] == "A"


def test_openai_http_fault_has_openai_error_shape(wire_server):
    wire_server.queue(Fault.http(418, "nope", error_type="x", headers={"Retry-After": "7"}))
    status, headers, raw = request(wire_server, "POST", "/v1/chat/completions", {})
    assert (status, headers["retry-after"]) == (418, "7")
    assert json.loads(raw) == {
        "error": {"message": "nope", "type": "x", "param": None, "code": None}
    }


def test_anthropic_http_fault_has_anthropic_error_shape(wire_server):
    wire_server.queue(Fault.http(529))
    status, _, raw = request(wire_server, "POST", "/v1/messages", {})
    body = json.loads(raw)
    assert status == 529
    assert body["type"] == "error"
    assert body["error"] == {"type": "overloaded_error", "message": "Overloaded"}


def test_faults_apply_in_order_and_stream_faults_wait_for_a_stream(wire_server):
    wire_server.queue(Fault.cut(), times=1)
    wire_server.queue(Fault.http(503), times=2)
    assert request(wire_server, "GET", "/v1/models")[0] == 200  # the cut waits for a stream
    with pytest.raises(http.client.IncompleteRead):
        request(wire_server, "POST", "/v1/chat/completions", {"stream": True})
    assert request(wire_server, "GET", "/v1/models")[0] == 503
    assert request(wire_server, "POST", "/v1/chat/completions", {})[0] == 503
    assert request(wire_server, "POST", "/v1/chat/completions", {})[0] == 200


def test_html_page_and_malformed_event(wire_server):
    wire_server.queue(Fault.html(502))
    status, headers, raw = request(wire_server, "POST", "/v1/chat/completions", {})
    assert (status, headers["content-type"]) == (502, "text/html")
    assert b"<title>502 Bad Gateway</title>" in raw
    wire_server.queue(Fault.malformed(after=0))
    _, _, raw = request(wire_server, "POST", "/v1/chat/completions", {"stream": True})
    with pytest.raises(json.JSONDecodeError):
        json.loads(sse_events(raw)[1][1])


def test_requests_are_recorded(wire_server):
    request(
        wire_server, "POST", "/v1/chat/completions?x=1", {"model": "m"}, Authorization="Bearer k"
    )
    recorded = wire_server.last_request
    assert (recorded.method, recorded.path, recorded.query) == (
        "POST",
        "/v1/chat/completions",
        {"x": ["1"]},
    )
    assert recorded.header("AUTHORIZATION") == "Bearer k"
    assert recorded.body == {"model": "m"}


def test_a_client_that_hangs_up_mid_stream_is_recorded(wire_server):
    wire_server.queue(Fault.forever())
    connection = socket.create_connection(("127.0.0.1", wire_server.port), timeout=5)
    body = b'{"stream": true}'
    connection.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    assert connection.recv(1024).startswith(b"HTTP/1.1 200")
    assert wire_server.disconnects == []
    connection.close()
    assert wire_server.wait_for_disconnect(timeout=5)
    assert wire_server.disconnects == ["/v1/chat/completions"]


def test_stop_ends_a_never_ending_reply():
    server = WireServer().start()
    server.queue(Fault.forever())
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("POST", "/v1/chat/completions", b'{"stream": true}')
    response = connection.getresponse()
    assert response.read1(100)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(timeout=5)
    assert not stopper.is_alive()
    connection.close()


def test_standalone_server_prints_its_urls_and_stops_on_sigterm():
    command = [sys.executable, "-m", "tests.wire_server", "--port", "0", "--tokens", "50"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            openai_line = process.stdout.readline()
            assert openai_line.startswith("OpenAI base URL:")
            port = int(openai_line.rsplit(":", 1)[1].split("/")[0])
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("POST", "/v1/chat/completions", b'{"stream": true}')
            events = sse_events(connection.getresponse().read())
            connection.close()
            assert len(events) == 1 + 50 + 1 + 1  # role, 50 deltas, finish, [DONE]
        finally:
            process.terminate()
            assert process.wait(timeout=5) == 0
