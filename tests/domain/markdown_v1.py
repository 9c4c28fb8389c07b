"""The Markdown export as DesktopChat wrote it before format 2 (format 1: a pair of HTML
comments around every message), frozen here so the tests can make old files and check that
they still import."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.types import Conversation, Message, MessageStatus, Role

FORMAT_KEY = "desktopchat"
FORMAT_VERSION = 1
FRONT_MATTER_FENCE = "---"
MESSAGE_MARKER_PREFIX = "<!-- desktopchat:message "
MARKER_SUFFIX = " -->"
UNTITLED = "Untitled conversation"

_STATUS_NOTES = {
    MessageStatus.INTERRUPTED: "interrupted",
    MessageStatus.FAILED: "failed",
    MessageStatus.STREAMING: "unfinished",
}
_ROLE_LABELS = {Role.USER: "User", Role.ASSISTANT: "Assistant"}

# Characters YAML does not allow raw in a double-quoted scalar (or reads as line breaks);
# json.dumps leaves them raw, so they are escaped to \\uXXXX, which both YAML and JSON read.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# Markdown punctuation that would change how a heading renders.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&])")
_FENCE_LINE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<rest>.*)$", re.MULTILINE)


def end_marker(number: int) -> str:
    """The line that ends a message's text; numbered when the text contains the plain one."""
    return f"<!-- desktopchat:end {number} -->" if number else "<!-- desktopchat:end -->"


def json_scalar(value: Any) -> str:
    """`value` as one line of JSON that is also a valid YAML flow scalar."""
    return _YAML_UNSAFE.sub(
        lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False)
    )


def iso_utc(timestamp: float) -> str:
    """Unix seconds as ISO 8601 UTC ("2026-11-22T10:00:00Z"), to the microsecond if needed."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def conversation_to_markdown(conversation: Conversation, messages: Sequence[Message]) -> str:
    """The whole conversation as one Markdown document (see the module docstring)."""
    title = _inline(conversation.title) or UNTITLED
    parts = [_front_matter(conversation, messages), "\n# ", title, "\n"]
    if conversation.system_prompt:
        parts += ["\n> **System prompt**\n>\n", _blockquote(conversation.system_prompt)]
    for message in messages:
        parts += _message_parts(message)
    return "".join(parts)


def _front_matter(conversation: Conversation, messages: Sequence[Message]) -> str:
    fields: dict[str, Any] = {
        FORMAT_KEY: FORMAT_VERSION,
        "title": conversation.title,
        "provider": conversation.provider,
        "model": conversation.model,
        "temperature": conversation.temperature,
        "system_prompt": conversation.system_prompt,
        "created": iso_utc(conversation.created),
        "updated": iso_utc(conversation.updated),
        "messages": len(messages),
        "input_tokens": _token_total(m.usage.input_tokens for m in messages if m.usage),
        "output_tokens": _token_total(m.usage.output_tokens for m in messages if m.usage),
    }
    lines = [f"{key}: {json_scalar(value)}\n" for key, value in fields.items()]
    return "".join([FRONT_MATTER_FENCE, "\n", *lines, FRONT_MATTER_FENCE, "\n"])


def _token_total(counts: Iterable[int | None]) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


def _message_parts(message: Message) -> list[str]:
    text = message.text
    end_number = 0
    while end_marker(end_number) in text:
        end_number += 1
    closer = _unclosed_fence(text)
    # The kind and details import back; the English words are for the person reading.
    error_kind, error_details = message.error.to_record() if message.error else (None, None)
    error_text = message.error.message if message.error else message.error_text
    details: dict[str, Any] = {
        "role": message.role.value,
        "status": message.status.value,
        "created": iso_utc(message.created),
        "provider": message.provider,
        "model": message.model,
        "input_tokens": message.usage.input_tokens if message.usage else None,
        "output_tokens": message.usage.output_tokens if message.usage else None,
        "duration": message.duration,
        "error": error_text,
        "error_kind": error_kind,
        "error_details": error_details,
        "end": end_number or None,
        "closer": closer,
    }
    marker_json = json_scalar({k: v for k, v in details.items() if v is not None})
    parts = ["\n", _heading(message), "\n\n", MESSAGE_MARKER_PREFIX]
    parts += [marker_json.replace(">", "\\u003e"), MARKER_SUFFIX, "\n", text, "\n"]
    if closer:
        parts += [closer, "\n"]
    parts += [end_marker(end_number), "\n"]
    if error_text:
        parts += ["\n", _blockquote(f"**Error:** {error_text}")]
    return parts


def _heading(message: Message) -> str:
    heading = f"## {_ROLE_LABELS[message.role]}"
    model = _inline(message.model or "")
    if message.role is Role.ASSISTANT and model:
        heading += f" ({model})"
    note = _STATUS_NOTES.get(message.status)
    return f"{heading} _({note})_" if note else heading


def _inline(text: str) -> str:
    """Text fit for one line of Markdown: no control characters, specials escaped."""
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _blockquote(text: str) -> str:
    """Text quoted line by line, so nothing in it starts a line of the document."""
    return "".join(f"> {line}\n" if line else ">\n" for line in text.splitlines() or [""])


def _unclosed_fence(text: str) -> str | None:
    """The line that closes a code fence the text leaves open, or None.

    A CommonMark-shaped scan of fences at the top level (and in list items indented like
    them, which the same closing line closes too); good enough for rendering, and the
    reader does not depend on it. Only lines that look like fences are visited.
    """
    if "```" not in text and "~~~" not in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    indent, fence = "", ""
    for line in _FENCE_LINE.finditer(text):
        marker, rest = line["fence"], line["rest"]
        if not fence:
            if not (marker[0] == "`" and "`" in rest):
                indent, fence = line["indent"], marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip(" \t"):
            fence = ""
    return indent + fence if fence else None
