"""The thin interface every provider adapter speaks.

`stream()` yields small typed events rather than SDK objects so the chat service, the store
and the UI never learn which SDK is behind a conversation (after simonw/llm's Model.stream).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from desktopchat.domain.types import ChatTurn, GenerationSettings, ModelInfo, Usage


@dataclass(frozen=True)
class TextDelta:
    """A piece of the reply's text, in order."""

    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's thinking, from wherever the service puts it
    (`reasoning_content`, OpenRouter's `reasoning`, Anthropic `thinking_delta`, or a local
    model's `<think>…</think>`)."""

    text: str


@dataclass(frozen=True)
class ReasoningSigned:
    """Anthropic's signature of the thinking block just streamed; kept so the thinking
    can be sent back as its API requires in later turns."""

    signature: str


@dataclass(frozen=True)
class ServedModel:
    """The model id the service says answered (its `model` field), once per reply."""

    model: str


@dataclass(frozen=True)
class UsageReport:
    """Token counts, when the service sends them (often in the last chunk, often never)."""

    usage: Usage


@dataclass(frozen=True)
class ParameterDropped:
    """The service rejected a parameter (temperature on a reasoning model; "tools" for a
    model or server that cannot call tools) and the request was sent again without it; the
    person is told, the reply goes on."""

    name: str
    reason: str


@dataclass(frozen=True)
class ToolCallRequested:
    """The model asks for a tool: one event per call, whole (its streamed pieces are
    assembled by the adapter), before Finished (reason "tool_calls" / "tool_use").
    Parallel calls are several events of one reply."""

    call_id: str
    """The service's id for the call, sent back with its result."""
    name: str
    """The tool's name as offered (ToolSpec.api_name), as the model wrote it."""
    arguments: str
    """The arguments as JSON text, as the model wrote them (may be invalid)."""


@dataclass(frozen=True)
class Finished:
    """The stream ended normally; reason as the service said it (stop, length, …)."""

    reason: str | None


StreamEvent = (
    TextDelta
    | ReasoningDelta
    | ReasoningSigned
    | ServedModel
    | UsageReport
    | ParameterDropped
    | ToolCallRequested
    | Finished
)


class Provider(Protocol):
    """One configured service: a preset (or custom endpoint) with its key."""

    @property
    def provider_id(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    def prepare(self) -> None:
        """Build the SDK client now. Blocking (20–60 ms): the registry calls it in a worker
        thread so the first request does not build it on the event loop. A missing key is
        not raised here but by the request that needs it."""
        ...

    async def list_models(self) -> list[ModelInfo]:
        """The models the service offers for this key. Raises ChatError."""
        ...

    def stream(
        self, turns: Sequence[ChatTurn], settings: GenerationSettings
    ) -> AsyncIterator[StreamEvent]:
        """Send the conversation and yield the reply as events, ending with Finished.

        Raises ChatError for every failure; cancelling the consuming task closes the HTTP
        stream at once.
        """
        ...

    async def aclose(self) -> None:
        """Close the SDK client and its connections."""
        ...


@dataclass(frozen=True)
class RequestTimeouts:
    """Our own limits, not the SDKs' 600 s: a dead server is reported in seconds."""

    connect: float = 10.0
    first_byte: float = 60.0
    """The longest wait for a response's headers, for a reply's first event (from when the
    request went out) and between two events, and the longest silence between two reads."""
    total: float = 20.0
    """The longest a call read whole may take (a model list, Settings → Test), retries
    included: a server that trickles a byte at a time never trips a read timeout."""


DEFAULT_TIMEOUTS = RequestTimeouts()
