"""Why a reply that looks finished stopped where it did, when it was not the model's choice.

A service ends a stream "normally" in several ways the person must hear about, or they read
a reply that stops mid-sentence and cannot tell why:
- the output limit was reached: OpenAI-compatible `finish_reason: "length"`, Anthropic
  `stop_reason: "max_tokens"`;
- the model's context window filled up: Anthropic `"model_context_window_exceeded"`;
- a long server-tool turn (Claude's web search) was paused: Anthropic `"pause_turn"`;
- a content filter stopped it: OpenAI-compatible `"content_filter"`, Anthropic `"refusal"`.

`reply_end` maps every wire's reason in one place; any other reason (stop, end_turn,
tool_calls, tool_use, stop_sequence, one a server made up) is a normal end: None. The fact is
stored with the reply (messages.reply_end, migration 11) as a small JSON value, synced with
its row, and kept in a Markdown export's details; it is worded only when shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_LIMIT = 10**9
"""A larger token limit than any request sends: a larger one read back is not one."""


class EndKind(StrEnum):
    """How a reply was stopped short."""

    CUT_AT_LIMIT = "cut_at_limit"
    """The output limit (max tokens) was reached."""
    CUT_AT_CONTEXT = "cut_at_context"
    """The model's context window was full."""
    PAUSED = "paused"
    """The service paused a long turn (Anthropic's server tools); it can be continued."""
    FILTERED = "filtered"
    """The service's content filter (or the model's refusal) stopped it."""


@dataclass(frozen=True)
class ReplyEnd:
    """A reply stopped short, and the output limit that was sent when that is what cut it."""

    kind: EndKind
    limit: int | None = None
    """The max tokens the request asked for (CUT_AT_LIMIT only); None when not known."""


_REASONS = {
    "length": EndKind.CUT_AT_LIMIT,
    "max_tokens": EndKind.CUT_AT_LIMIT,
    "model_context_window_exceeded": EndKind.CUT_AT_CONTEXT,
    "pause_turn": EndKind.PAUSED,
    "content_filter": EndKind.FILTERED,
    "refusal": EndKind.FILTERED,
}


def reply_end(reason: str | None, max_tokens: int | None = None) -> ReplyEnd | None:
    """What a stream's finish or stop reason says about the reply; None: it ended normally.
    `max_tokens`: the limit the request sent, kept for a reply the limit cut."""
    kind = _REASONS.get((reason or "").strip().lower())
    if kind is None:
        return None
    return ReplyEnd(kind, _limit(max_tokens) if kind is EndKind.CUT_AT_LIMIT else None)


def reply_end_record(end: ReplyEnd | None) -> dict[str, Any] | None:
    """The stored form as a JSON value (for an export's details); None for a normal end."""
    if end is None:
        return None
    record: dict[str, Any] = {"end": end.kind.value}
    if end.limit is not None:
        record["limit"] = end.limit
    return record


def reply_end_json(end: ReplyEnd | None) -> str | None:
    """The stored form (the `reply_end` column); None for a normal end."""
    record = reply_end_record(end)
    return None if record is None else json.dumps(record, separators=(",", ":"))


def reply_end_from_record(data: object) -> ReplyEnd | None:
    """The fact from a stored, synced or imported record; anything not well formed (an
    unknown kind from a newer version, an edited file) reads as a normal end, never raised."""
    if not isinstance(data, dict):
        return None
    try:
        kind = EndKind(str(data.get("end")))
    except ValueError:
        return None
    limit = data.get("limit") if kind is EndKind.CUT_AT_LIMIT else None
    return ReplyEnd(kind, _limit(limit))


def reply_end_from_json(text: str | None) -> ReplyEnd | None:
    if not text:
        return None
    try:
        return reply_end_from_record(json.loads(text))
    except (ValueError, RecursionError):
        return None


def export_words(end: ReplyEnd) -> str:
    """The fact in English, for a Markdown export (whose other words are English too); the
    window says it in the person's language (ui/transcript/message_footer.py)."""
    if end.kind is EndKind.CUT_AT_LIMIT:
        limit = f" ({end.limit:,} tokens)" if end.limit else ""
        return f"Cut off at the length limit{limit}."
    return {
        EndKind.CUT_AT_CONTEXT: "Cut off: the conversation filled the model's context window.",
        EndKind.PAUSED: "Claude paused a long search here; the reply is not finished.",
        EndKind.FILTERED: "The provider's content filter stopped this reply.",
    }[end.kind]


def _limit(value: object) -> int | None:
    """A token limit in range, else None (not known)."""
    return value if type(value) is int and 0 < value <= MAX_LIMIT else None
