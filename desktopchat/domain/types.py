"""The plain values every layer passes around.

Frozen dataclasses so a message handed to the UI cannot be changed behind the store's back;
timestamps are Unix seconds (float) because SQLite, JSON and Markdown front matter all
take them without a timezone dance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktopchat.domain.errors import ChatError
from desktopchat.domain.reply_end import ReplyEnd
from desktopchat.domain.tool_calls import NO_TOOL_STEPS, ToolCall, ToolSteps
from desktopchat.domain.tools import ToolSpec
from desktopchat.domain.web_search import NO_WEB_SEARCH, WebSearch


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


MAX_TOKEN_COUNT = 1_000_000_000
"""The largest token count taken from outside (a reply's usage, a context window, an output
limit): a thousand times the largest context window there is. A server's 2^63 would
overflow SQLite's integers and the footer's formatting and lose the reply; anything above
this is read as unknown."""

MAX_PRICE_PER_MILLION = 100_000.0
"""The largest price per million tokens taken from outside; the dearest model costs a few
hundred dollars. Counts and prices both bounded keep every cost finite and printable."""


MAX_COST = MAX_TOKEN_COUNT * MAX_PRICE_PER_MILLION / 1_000_000
"""The largest cost of one reply taken from outside (OpenRouter reports its own), in US
dollars: what the largest count at the largest price would cost."""


def token_count(value: object, *, least: int = 0) -> int | None:
    """A token count from outside: an int from `least` to MAX_TOKEN_COUNT, else None."""
    return value if type(value) is int and least <= value <= MAX_TOKEN_COUNT else None


@dataclass(frozen=True)
class Usage:
    """Token counts as the provider reported them, and what they cost; any may be unknown.

    `cost` is None when the price is not known (never 0 for "unknown"); `cost_source` says
    where the price came from ("openrouter /models", "bundled table 2026-11-15", "set by
    you"), so a person can judge the figure.
    """

    input_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    cached_tokens: int | None = None
    cost: float | None = None
    """In US dollars."""
    cost_source: str | None = None
    estimated: bool = False
    """The server reported no usage (llama.cpp, LM Studio): the counts are the app's
    estimate from the characters sent and received (services/usage_estimate.py), and are
    shown as estimated wherever they appear."""


@dataclass(frozen=True)
class Reasoning:
    """The model's thinking before its answer: shown folded, never sent back to a model,
    except Anthropic's signed thinking, which its API requires back in later turns."""

    text: str
    signature: str | None = None
    """Anthropic's signature of a thinking block (kept as the API requires)."""
    seconds: float | None = None
    """How long the model thought, for "Thought for 12 s"."""


class AttachmentKind(StrEnum):
    IMAGE = "image"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Attachment:
    """A file the person attached to a message: its bytes live once in the history as a
    blob named by their sha256; a document also carries the text extracted from it, which
    is what a model reads and what search finds."""

    kind: AttachmentKind
    name: str
    """The file's name as the person had it: shown as plain text, never used as a path."""
    mime: str
    size: int
    sha256: str | None = None
    """The blob with the bytes (None: nothing could be kept, e.g. an imported archive)."""
    text: str | None = None
    """For a document: its text, as sent to the model."""
    note: str | None = None
    """What could not be brought over or read (a scanned PDF, an image an import left out)."""


@dataclass(frozen=True)
class Message:
    """One turn of a conversation as stored."""

    id: int
    conversation_id: int
    role: Role
    text: str
    created: float
    status: MessageStatus = MessageStatus.COMPLETE
    parent_id: int | None = None
    """The message this one answers or follows; None for a conversation's first message.
    Siblings (same parent) are the branches that an edit or a regenerate made."""
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
    reasoning: Reasoning | None = None
    attachments: tuple[Attachment, ...] = ()
    served_model: str | None = None
    """The model id the service says answered, when it differs from `model` (an alias
    such as `mistral-large-latest` resolved to a dated version)."""
    left_out: bool = False
    """Kept in the history but no longer sent to the model (the person chose "leave out
    the oldest turns" when the conversation outgrew the model's context)."""
    tool_steps: ToolSteps = NO_TOOL_STEPS
    """The requests of this reply that ended in tool calls, with the calls, the person's
    decisions and the results (domain/tool_calls.py); empty for most replies."""
    project_files: str | None = None
    """For a reply in a project: which project files it was given, as stored
    (domain/projects.py `uses_from_record` reads it)."""
    web_search: WebSearch = NO_WEB_SEARCH
    """The searches the provider made for this reply and the sources it cites
    (domain/web_search.py); empty for most replies."""
    reply_end: ReplyEnd | None = None
    """Why a reply stopped short though its stream ended well: cut at the output limit,
    paused, filtered (domain/reply_end.py); None for a normal end."""


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
    current_leaf_id: int | None = None
    """The last message of the branch being shown; what a request sends is the path from
    the root to it. None: the newest message (or an empty conversation)."""
    max_tokens: int | None = None
    """None: the model's default (or the app's)."""
    reasoning_effort: str | None = None
    """"low" / "medium" / "high" for models that take it; None: the service's default."""
    thinking_budget: int | None = None
    """Anthropic extended thinking: tokens it may think for; None or 0: off."""
    continues: int | None = None
    """The conversation this one continues from a summary ("summarise and continue")."""
    pinned: bool = False
    """Shown above the others in the list, whatever its date."""
    project_id: int | None = None
    """The project it is in (domain/projects.py); None: none."""
    web_search: bool = False
    """The next replies may search the web through the provider's own search, where the
    model can (domain/web_search.py search_way)."""


@dataclass(frozen=True)
class ConversationPage:
    """A page of the conversation list, in its order (pinned, then newest first)."""

    conversations: tuple[Conversation, ...]
    more: bool
    """Whether conversations come after these."""
    last: tuple[int, float, int] | None
    """Where the next page starts (pass it as `after`); None when there is none."""


@dataclass(frozen=True)
class Thread:
    """What a conversation shows: the path from its first message to the current leaf, and
    for each message on it that has siblings, the ids of all of them (in order, itself
    included), for the ‹ 2/3 › switcher."""

    conversation_id: int
    messages: tuple[Message, ...]
    siblings: dict[int, tuple[int, ...]]

    def position(self, message_id: int) -> tuple[int, int] | None:
        """(index from 1, count) of a message among its siblings; None if it has none."""
        ids = self.siblings.get(message_id)
        return None if ids is None else (ids.index(message_id) + 1, len(ids))


@dataclass(frozen=True)
class AttachmentPayload:
    """An attachment as a request carries it: an image's bytes (already scaled to the
    providers' limits), or a document's text."""

    kind: AttachmentKind
    name: str
    mime: str
    data: bytes | None = None
    text: str | None = None
    note: str | None = None
    """What the person should know about it ("no text found: a scanned PDF?")."""


@dataclass(frozen=True)
class ChatTurn:
    """A message as a provider sees it, nothing stored: a role, its text, its attachments,
    (Anthropic only) the signed thinking its API wants back, and the tool calls it asked
    for with their results."""

    role: Role
    text: str
    attachments: tuple[AttachmentPayload, ...] = ()
    signed_reasoning: Reasoning | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    """An assistant turn that asked for tools: the calls, finished. The adapter sends them
    after the text, then each call's result (capped) as its wire format wants."""


@dataclass(frozen=True)
class ModelInfo:
    """A model a provider offers."""

    id: str
    name: str | None = None
    context_length: int | None = None
    owned_by: str | None = None
    created: float | None = None
    """When the service made this model available (Unix seconds), where it says."""
    input_price: float | None = None
    """US dollars per million input tokens, where the service publishes it (OpenRouter)."""
    output_price: float | None = None
    input_modalities: tuple[str, ...] | None = None
    """What the model reads ("text", "image", "file"); None: the service does not say."""
    max_output_tokens: int | None = None
    tools: bool | None = None
    """Whether the model calls tools, where the service or the bundled table says
    (OpenRouter's `supported_parameters`); None: unknown (tools are offered)."""

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
    reasoning_effort: str | None = None
    """OpenAI `reasoning_effort`, OpenRouter `reasoning.effort`; None: not sent."""
    thinking_budget: int | None = None
    """Anthropic extended thinking budget in tokens; None or 0: thinking off."""
    tools: tuple[ToolSpec, ...] = ()
    """The tools offered to the model (name = ToolSpec.api_name); none: no `tools` sent."""
    web_search: bool = False
    """Ask the provider to search the web (only set where search_way says it can)."""
