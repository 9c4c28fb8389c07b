"""Fuzzing the three places untrusted text enters: the SSE parsers behind the adapters, our
Markdown import, and the conversation view.

Bounded example counts keep CI fast (tests/hypothesis_profiles.py; HYPOTHESIS_PROFILE=full
for the larger ones); DESKTOPCHAT_FUZZ_EXAMPLES sets them for a long run.
Whatever the input: a provider stream ends in a reply or a ChatError (never another
exception, never a hang), an import gives a conversation or ExportFormatError, and the view
renders without raising.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from desktopchat.domain.markdown_export import conversation_to_markdown
from desktopchat.domain.markdown_import import ExportFormatError, markdown_to_conversation
from desktopchat.domain.types import Conversation, Message, MessageStatus, Role
from desktopchat.providers.base import Finished, TextDelta
from tests.hypothesis_profiles import examples
from tests.providers.conftest import Driver
from tests.wire_formats import AnthropicEvents, OpenAIChunks
from tests.wire_server import Fault, WireServer

EXAMPLES = int(os.environ.get("DESKTOPCHAT_FUZZ_EXAMPLES", 0)) or examples(60)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --- the SSE parsers, through the real SDKs ------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
texts_or_junk = st.text(max_size=30) | json_values


@st.composite
def openai_chunk(draw) -> dict:
    """A chat.completion.chunk with any field possibly missing or of the wrong type."""
    delta = draw(
        st.fixed_dictionaries({}, optional={"content": texts_or_junk, "role": json_values})
    )
    choice = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "index": json_values,
                "delta": st.just(delta) | json_values,
                "finish_reason": st.sampled_from(["stop", "length", None]) | json_values,
            },
        )
    )
    usage = st.fixed_dictionaries(
        {}, optional={"prompt_tokens": json_values, "completion_tokens": json_values}
    )
    return draw(
        st.fixed_dictionaries(
            {"id": st.just("chatcmpl-fuzz"), "object": st.just("chat.completion.chunk")},
            optional={
                "choices": st.lists(st.just(choice) | json_values, max_size=2) | json_values,
                "usage": usage | json_values,
                "error": json_values,
                "model": json_values,
            },
        )
    )


ANTHROPIC_EVENTS = [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
    "error",
]


@st.composite
def anthropic_event(draw) -> tuple[str, dict]:
    """A named event whose data has the right `type` but any fields, possibly wrong."""
    name = draw(st.sampled_from(ANTHROPIC_EVENTS) | st.text(max_size=10))
    inner = st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["text_delta", "thinking_delta", "text", "message"])
            | json_values,
            "text": texts_or_junk,
            "stop_reason": st.sampled_from(["end_turn", "max_tokens"]) | json_values,
            "usage": st.fixed_dictionaries(
                {}, optional={"input_tokens": json_values, "output_tokens": json_values}
            )
            | json_values,
            "message": json_values,
        },
    )
    data = draw(
        st.fixed_dictionaries(
            {"type": st.just(name) | json_values},
            optional={
                "index": json_values,
                "delta": inner,
                "message": inner,
                "content_block": inner,
                "usage": inner,
                "error": json_values,
            },
        )
    )
    return name, data


def sse(data: str, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event is not None else ""
    return f"{head}data: {data}\n\n".encode("utf-8", "surrogatepass")


noise = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\n", b"\r\n", b"\n\n", b": keep-alive\n\n", b"data: [DONE]\n\n", b"data:"]),
)


def valid_openai_frames(texts: list[str]) -> list[bytes]:
    chunks = OpenAIChunks("wire-large", usage_field=True)
    return [
        chunks.first(),
        *(chunks.text(piece) for piece in texts),
        chunks.finish("stop"),
        chunks.usage(3, len(texts)),
        chunks.done(),
    ]


def valid_anthropic_frames(texts: list[str]) -> list[bytes]:
    events = AnthropicEvents("wire-large")
    return [
        events.message_start(3),
        events.block_start(0, "text"),
        events.ping(),
        *(events.text(0, piece) for piece in texts),
        events.block_stop(0),
        events.message_delta("end_turn", len(texts)),
        events.message_stop(),
    ]


@st.composite
def mutated(draw, valid, junk: st.SearchStrategy[bytes]) -> list[bytes]:
    """A well-formed stream (from the wire server's own formats) with a few frames deleted,
    duplicated, swapped, or replaced by or mixed with junk: from a perfect reply to noise."""
    frames = valid(draw(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4)))
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(frames) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert"]))
        if edit == "delete" and len(frames) > 1:
            del frames[index]
        elif edit == "duplicate":
            frames.insert(index, frames[index])
        elif edit == "swap":
            other = draw(st.integers(0, len(frames) - 1))
            frames[index], frames[other] = frames[other], frames[index]
        elif edit == "replace":
            frames[index] = draw(junk)
        else:
            frames.insert(index, draw(junk))
    return frames


def openai_body() -> st.SearchStrategy[list[bytes]]:
    return mutated(valid_openai_frames, openai_chunk().map(lambda c: sse(json.dumps(c))) | noise)


def anthropic_body() -> st.SearchStrategy[list[bytes]]:
    named = st.tuples(anthropic_event(), st.booleans()).map(
        lambda pair: sse(json.dumps(pair[0][1]), pair[0][0] if pair[1] else None)
    )
    return mutated(valid_anthropic_frames, named | noise)


@st.composite
def pieces(draw, body: st.SearchStrategy[list[bytes]]) -> tuple[bytes, ...]:
    """The body cut at arbitrary byte offsets: a line, an event or a UTF-8 character may be
    split between two reads."""
    whole = b"".join(draw(body))
    cuts = sorted(draw(st.lists(st.integers(0, len(whole)), max_size=4)))
    bounds = [0, *cuts, len(whole)]
    return tuple(whole[a:b] for a, b in itertools.pairwise(bounds))


responses = st.tuples(
    st.sampled_from([200] * 6 + [400, 404, 429, 500, 529]),
    st.sampled_from(
        ["text/event-stream; charset=utf-8"] * 4 + ["application/json", "text/html", ""]
    ),
)


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[WireServer]:
    with WireServer() as server:
        yield server
    assert server.errors == []


def assert_reply_or_chat_error(driver: Driver, preset: str, body: tuple[bytes, ...], response):
    status, content_type = response
    driver.server.queue(Fault.raw(*body, status=status, content_type=content_type))
    events, error = driver.until_error(preset)  # any other exception fails the test
    if error is None:
        event("a reply")
        assert isinstance(events[-1], Finished)
        assert any(isinstance(item, TextDelta) for item in events)
    else:
        event(f"ChatError {error.kind.value}")
        assert error.message


@FUZZ
@given(body=pieces(openai_body()), response=responses)
def test_any_openai_stream_ends_in_a_reply_or_a_chat_error(fuzz_server, body, response):
    assert_reply_or_chat_error(Driver(fuzz_server), "openai", body, response)


@FUZZ
@given(body=pieces(anthropic_body()), response=responses)
def test_any_anthropic_stream_ends_in_a_reply_or_a_chat_error(fuzz_server, body, response):
    assert_reply_or_chat_error(Driver(fuzz_server), "anthropic", body, response)


# --- Markdown import -----------------------------------------------------------------------


def sample_export() -> str:
    conversation = Conversation(1, "Fuzz", 1_763_000_000.0, 1_763_000_100.0, "openai", "m", 0.5)
    texts = ["hello", "```python\nprint(1)\n", "<!-- desktopchat:end -->\nmore", "done"]
    messages = [
        Message(
            i + 1,
            1,
            Role.USER if i % 2 == 0 else Role.ASSISTANT,
            text,
            1_763_000_000.0 + i,
            MessageStatus.INTERRUPTED if i == 3 else MessageStatus.COMPLETE,
        )
        for i, text in enumerate(texts)
    ]
    return conversation_to_markdown(conversation, messages)


SAMPLE = sample_export()


def retyped(draw, line: str) -> str:
    """A front-matter line or a message's details line with one value changed to any JSON
    value."""
    if line.startswith("{") and line.endswith("}"):
        details = json.loads(line)
        key = draw(st.sampled_from([*details, "chars", "duration", "input_tokens"]))
        details[key] = draw(json_values | st.text(max_size=30))
        return json.dumps(details).replace(">", "\\u003e")
    key, separator, _value = line.partition(": ")
    if not separator:
        return line
    return f"{key}: {json.dumps(draw(json_values | st.text(max_size=30)))}"


@st.composite
def edited_exports(draw) -> str:
    """A real export with lines deleted, duplicated, swapped or rewritten, and bytes cut:
    what a person's editor or a half-synced folder makes of a file."""
    lines = SAMPLE.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "swap", "value"]))
        if edit == "value":
            lines[index] = retyped(draw, lines[index])
        elif edit == "delete" and len(lines) > 1:
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, lines[index])
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            new = draw(st.text(max_size=40) | st.sampled_from(lines) | json_values.map(json.dumps))
            if edit == "replace":
                lines[index] = new
            else:
                lines.insert(index, new)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(text=edited_exports())
def test_an_edited_or_damaged_export_reads_or_is_refused(text):
    try:
        imported = markdown_to_conversation(text)
    except ExportFormatError as error:
        event("refused")
        assert str(error)
        return
    event("read")
    for message in imported.messages:
        assert message.role in (Role.USER, Role.ASSISTANT)


# --- rendering in the conversation view ----------------------------------------------------

HOSTILE_PIECES = [
    "# ",
    "\n",
    "\n\n",
    "```",
    "~~~",
    "    ",
    "\t",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n",
    "**",
    "_",
    "`",
    "[x](",
    "![i](",
    ")",
    "http://127.0.0.1:9/x.png",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "<script>alert(1)</script>",
    "<img src=x>",
    "<!--",
    "-->",
    "\x1b[31m",
    "\u202e",
    "\u200d",
    "\r",
    "\x00",
    "\ufffc",
    "😀",
]
model_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(max_size=8), max_size=60).map("".join),
)


@pytest.fixture
def view(qtbot):
    from desktopchat.ui.transcript.chat_view import ChatView

    opened = []
    widget = ChatView(open_url=opened.append)
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert opened == []


@FUZZ
@given(text=model_text, cuts=st.lists(st.integers(0, 300), max_size=5))
def test_any_model_text_streams_and_renders_without_error(qtbot, view, text, cuts):
    from desktopchat.ui.transcript.streaming import FLUSH_INTERVAL_MS

    now = time.time()
    question = Message(1, 1, Role.USER, text, now)
    reply = Message(2, 1, Role.ASSISTANT, "", now, MessageStatus.STREAMING, model="m")
    view.show_conversation([question])
    view.begin_reply(reply)
    bounds = [0, *sorted(c for c in cuts if c < len(text)), len(text)]
    for start, end in itertools.pairwise(bounds):
        view.append_delta(2, text[start:end])
        qtbot.wait(FLUSH_INTERVAL_MS + 5)
    view.finish_reply(Message(2, 1, Role.ASSISTANT, text, now, MessageStatus.COMPLETE, model="m"))
    view.grab()
    assert view.message_text(2) == text
