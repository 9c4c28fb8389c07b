"""The pieces of the error mapping that need no server: headers, bodies, keys."""

from __future__ import annotations

import email.utils
import time

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.presets import custom_preset, get_preset
from desktopchat.providers.errors_map import (
    ErrorContext,
    parse_retry_after,
    read_error_body,
    resolve_key,
    translate,
)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "12"}, 12.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": email.utils.formatdate(time.time() - 60, usegmt=True)}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers, seconds):
    assert parse_retry_after(headers) == seconds


def test_parse_retry_after_date_in_the_future():
    header = email.utils.formatdate(time.time() + 90, usegmt=True)
    assert 80 < parse_retry_after({"Retry-After": header}) <= 90


def test_read_error_body_in_every_shape():
    openai_inner = {"message": "m", "type": "t", "param": "temperature", "code": "c"}
    assert read_error_body(openai_inner).param == "temperature"
    anthropic = {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}}
    assert (read_error_body(anthropic).type, read_error_body(anthropic).message) == (
        "overloaded_error",
        "busy",
    )
    assert read_error_body({"detail": "Not Found"}).message == "Not Found"
    page = read_error_body("<!DOCTYPE html><html><title>Bad Gateway</title><body>x</body></html>")
    assert (page.html, page.message) == (True, "Bad Gateway")
    assert read_error_body("upstream connect error").message == "upstream connect error"
    assert read_error_body(None).message == ""


def test_context_never_shows_the_key():
    ctx = ErrorContext("OpenAI", "https://x", "x", "m", secret="sk-secret-abcdefghijklmnop")
    assert "sk-secret" not in repr(ctx)
    assert ctx.clean("bad key sk-secret-abcdefghijklmnop") == "bad key [key hidden]"
    assert len(ctx.clean("word " * 500)) <= 500


def test_resolve_key():
    assert resolve_key(get_preset("openai"), "sk-a") == "sk-a"
    assert resolve_key(get_preset("ollama"), None) == "ollama"
    assert resolve_key(custom_preset("c", "C", "http://h/v1", has_key=False), "") == "no-key"
    with pytest.raises(ChatError) as raised:
        resolve_key(get_preset("groq"), "")
    assert raised.value.kind is ErrorKind.NO_KEY
    assert "Groq" in raised.value.message


def test_bugs_are_not_translated():
    import openai

    ctx = ErrorContext("OpenAI", "https://x", "x")
    for bug in (TypeError("t"), KeyError("k"), ValueError("v"), RuntimeError("r")):
        assert translate(bug, ctx, openai, streaming=True) is None


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"detail": "Not Found"}, ErrorKind.MALFORMED_RESPONSE),
        ("<html><title>404 Not Found</title></html>", ErrorKind.MALFORMED_RESPONSE),
        ({"error": "model 'llama9' not found, try pulling it first"}, ErrorKind.MODEL_NOT_FOUND),
        ({"message": "No such model", "type": "invalid_request_error"}, ErrorKind.MODEL_NOT_FOUND),
    ],
)
def test_a_404_is_a_missing_model_only_when_the_service_says_so(body, kind):
    import httpx2
    import openai

    request = httpx2.Request("POST", "http://h/v1/chat/completions")
    err = openai.NotFoundError(
        "Error code: 404", response=httpx2.Response(404, request=request), body=body
    )
    ctx = ErrorContext("Ollama", "http://h/v1", "h", model="llama9")
    assert translate(err, ctx, openai, streaming=False).kind is kind
