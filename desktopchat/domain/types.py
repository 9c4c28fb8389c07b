"""The plain values every layer passes around.

Frozen dataclasses so a message handed to the UI cannot be changed behind the store's back;
timestamps are Unix seconds (float) because SQLite, JSON and Markdown front matter all
take them without a timezone dance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktopchat.domain.errors import ChatError


class Role(StrEnum):
    """Who wrote a message. The system prompt lives on the conversation, not as a message."""

    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    """Where a message is in its life; only assistant replies are ever not COMPLETE."""

    COMPLETE = "complete"
    STREAMING = "streaming"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


@dataclass(frozen=True)
class Usage:
    """Token counts as the provider reported them; either may be unknown."""

    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True)
class Message:
    """One turn of a conversation as stored."""

    id: int
    conversation_id: int
    role: Role
    text: str
    created: float
    status: MessageStatus = MessageStatus.COMPLETE
    provider: str | None = None
    model: str | None = None
    usage: Usage | None = None
    error: ChatError | None = None
    """For a FAILED reply: what went wrong, as its kind and details, worded when shown."""
    error_text: str | None = None
    """What went wrong, in words, for a reply stored before errors were stored by kind
    (schema 1): shown as it was written."""
    duration: float | None = None
    """Seconds from the first token to the end of the reply, for tokens-per-second."""


@dataclass(frozen=True)
class Conversation:
    """A conversation's header: everything but its messages."""

    id: int
    title: str
    created: float
    updated: float
    provider: str | None = None
    model: str | None = None
    temperature: float | None = None
    system_prompt: str = ""


@dataclass(frozen=True)
class ChatTurn:
    """A message as a provider sees it: a role and its text, nothing stored."""

    role: Role
    text: str


@dataclass(frozen=True)
class ModelInfo:
    """A model a provider offers."""

    id: str
    name: str | None = None
    context_length: int | None = None
    owned_by: str | None = None

    @property
    def label(self) -> str:
        """What a person reads in the model list."""
        return self.name or self.id


@dataclass(frozen=True)
class GenerationSettings:
    """What a request asks of the model besides the messages.

    temperature None means "the provider's default": nothing is sent.
    """

    model: str
    temperature: float | None = None
    max_tokens: int = 4096
    system_prompt: str = ""
