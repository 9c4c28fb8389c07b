"""Reading our own Markdown export back into a conversation, exactly.

The format and why it is lossless are described in `desktopchat.domain.markdown_export`;
files of format 1 (earlier releases) are read too (`markdown_import_v1`). The reader trusts
only the front matter, the markers and the details; headings, quotes and links are for
people and are skipped. Anything that is not our export, or an export cut short or edited
so that it can no longer be read exactly, raises ExportFormatError with a sentence saying
what is wrong, never another exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from desktopchat.domain import markdown_import_v1
from desktopchat.domain.markdown_export import (
    DETAILS_CLOSING,
    DETAILS_OPENING,
    FORMAT_KEY,
    FORMAT_VERSION,
    FRONT_MATTER_FENCE,
    REASONING_CLOSING,
    REASONING_OPENING,
    REASONING_SUMMARY_END,
    heading_marker,
)
from desktopchat.domain.markdown_fields import (
    ExportFormatError,
    attachment_from_details,
    message_from_details,
    optional,
    timestamp,
)
from desktopchat.domain.markdown_fields import field as required
from desktopchat.domain.types import Conversation, Message, Reasoning

__all__ = ["ExportFormatError", "ImportedConversation", "markdown_to_conversation"]

_FRONT_MATTER_END = f"\n{FRONT_MATTER_FENCE}\n"
_DETAILS_START = f"\n{DETAILS_OPENING}\n"
_NOT_OURS = "This file is not a DesktopChat export"
_READ_VERSIONS = (1, FORMAT_VERSION)


@dataclass(frozen=True)
class ImportedConversation:
    """A conversation read from a file, as a tree in memory: messages have local ids
    (1, 2, … parents before children) and parent_id / current_leaf_id refer to those; the
    store gives the real ones when it writes them."""

    conversation: Conversation
    messages: list[Message]
    origin: str | None = None
    """Where it came from ("chatgpt:<id>", "claude:<uuid>", "markdown:<hash>"): a
    conversation already imported from there is not imported again."""
    blobs: dict[str, bytes] = field(default_factory=dict)
    """The bytes of the attachments that have them, by sha256 (Attachment.sha256)."""
    files: dict[str, str] = field(default_factory=dict)
    """Where a Markdown export says an attachment's bytes are: sha256 → a path relative to
    the Markdown file (the caller reads them, or not)."""


def markdown_to_conversation(text: str) -> ImportedConversation:
    """Read a conversation from the text of a file `conversation_to_markdown` wrote (any
    format so far). Attachments keep their sha256; their bytes are the caller's to find."""
    text = text.removeprefix("\ufeff")
    if text.startswith(f"{FRONT_MATTER_FENCE}\r\n"):
        text = text.replace("\r\n", "\n")
    if not text.startswith(f"{FRONT_MATTER_FENCE}\n"):
        raise ExportFormatError(f"{_NOT_OURS}: it does not start with a '---' header.")
    header_end = text.find(_FRONT_MATTER_END, len(FRONT_MATTER_FENCE))
    if header_end < 0:
        raise ExportFormatError(f"{_NOT_OURS}: its '---' header is never closed.")
    fields = _read_front_matter(text[len(FRONT_MATTER_FENCE) + 1 : header_end])
    body_start = header_end + len(_FRONT_MATTER_END) - 1
    files: dict[str, str] = {}
    if fields[FORMAT_KEY] == 1:
        messages = _linked(markdown_import_v1.read_messages(text, body_start), None)
    else:
        messages = _read_messages(text, body_start, files)
    expected = required(fields, "messages", int, "the header")
    if expected != len(messages):
        raise ExportFormatError(
            f"The export's header announces {expected} messages but {len(messages)} were "
            "found: the file may be cut short or edited."
        )
    current = optional(fields, "current", int, "the header")
    if current is not None and not 1 <= current <= len(messages):
        raise ExportFormatError("The export's header names a current message it does not hold.")
    conversation = Conversation(
        id=0,
        title=required(fields, "title", str, "the header"),
        created=timestamp(fields, "created", "the header"),
        updated=timestamp(fields, "updated", "the header"),
        provider=optional(fields, "provider", str, "the header"),
        model=optional(fields, "model", str, "the header"),
        temperature=optional(fields, "temperature", (int, float), "the header"),
        system_prompt=optional(fields, "system_prompt", str, "the header") or "",
        current_leaf_id=current or (len(messages) if messages else None),
    )
    return ImportedConversation(conversation, messages, files=files)


def _read_front_matter(block: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for number, line in enumerate(block.split("\n") if block else [], start=2):
        key, separator, value = line.partition(": ")
        if not separator:
            raise ExportFormatError(f"Line {number} of the header is not 'key: value'.")
        try:
            fields[key] = json.loads(value)
        except (ValueError, RecursionError):
            raise ExportFormatError(
                f"Line {number} of the header ({key}) has a value DesktopChat did not write."
            ) from None
    version = fields.get(FORMAT_KEY)
    if version is None:
        raise ExportFormatError(f"{_NOT_OURS}: its header has no '{FORMAT_KEY}' line.")
    if isinstance(version, bool) or version not in _READ_VERSIONS:
        raise ExportFormatError(
            f"This export uses format {version!r}; this version of DesktopChat reads "
            f"formats up to {FORMAT_VERSION}."
        )
    return fields


def _read_messages(text: str, position: int, files: dict[str, str]) -> list[Message]:
    """Format 2: the details at the end say each text's length and what surrounds it.
    Where attachments' bytes are (sha256 → relative path) is added to `files`."""
    details_at = text.rfind(_DETAILS_START, position)
    if details_at < 0:
        if heading_marker(1) in text[position:]:
            raise ExportFormatError("The messages' details are missing: the file may be cut.")
        return []
    lines = text[details_at + len(_DETAILS_START) :].split("\n")
    if DETAILS_CLOSING not in lines:
        raise ExportFormatError("The messages' details are not closed: the file may be cut.")
    messages, parents = [], []
    for number, line in enumerate(lines[: lines.index(DETAILS_CLOSING)], start=1):
        where = f"message {number}"
        details = _details(line, where)
        marker = heading_marker(number) + "\n\n"
        found = text.find(marker, position, details_at)
        if found < 0:
            raise ExportFormatError(f"The heading of {where} is missing or was edited.")
        position = found + len(marker)
        reasoning = None
        if "reasoning" in details:
            reasoning, position = _reasoning(text, position, details["reasoning"], where)
        body, position = _verbatim(text, position, details, where)
        listed = _list(details, "attachments", where)
        attachments = tuple(attachment_from_details(a, where) for a in listed)
        for attachment, entry in zip(attachments, listed, strict=True):
            path = entry.get("file")
            if attachment.sha256 and isinstance(path, str):
                files[attachment.sha256] = path
        messages.append(
            message_from_details(details, body, where, reasoning=reasoning, attachments=attachments)
        )
        parents.append(optional(details, "parent", int, where))
    return _linked(messages, parents)


def _details(line: str, where: str) -> dict[str, Any]:
    try:
        details = json.loads(line)
    except (ValueError, RecursionError):
        details = None
    if not isinstance(details, dict):
        raise ExportFormatError(f"The details of {where} are not ones DesktopChat wrote.")
    return details


def _list(details: dict[str, Any], key: str, where: str) -> list[Any]:
    return optional(details, key, list, where) or []


def _verbatim(text: str, position: int, details: dict[str, Any], where: str) -> tuple[str, int]:
    """A text of `chars` characters at `position`, then a line end and its closer, if any."""
    length = optional(details, "chars", int, where)
    if length is None or length < 0:
        raise ExportFormatError(f"The length of {where} is missing.")
    body, position = text[position : position + length], position + length
    closer = optional(details, "closer", str, where)
    expected = f"\n{closer}\n" if closer else "\n"
    if len(body) < length or not text.startswith(expected, position):
        raise ExportFormatError(f"The text of {where} was edited or cut short.")
    return body, position + len(expected)


def _reasoning(text: str, position: int, details: Any, where: str) -> tuple[Reasoning, int]:
    if not isinstance(details, dict) or not text.startswith(REASONING_OPENING, position):
        raise ExportFormatError(f"The reasoning of {where} was edited.")
    summary_end = text.find(REASONING_SUMMARY_END, position)
    if summary_end < 0:
        raise ExportFormatError(f"The reasoning of {where} was edited.")
    body, position = _verbatim(text, summary_end + len(REASONING_SUMMARY_END), details, where)
    closing = REASONING_CLOSING.removeprefix("\n")
    if not text.startswith(closing, position):
        raise ExportFormatError(f"The reasoning of {where} was edited.")
    reasoning = Reasoning(
        body,
        signature=optional(details, "signature", str, where),
        seconds=optional(details, "seconds", (int, float), where),
    )
    return reasoning, position + len(closing)


def _linked(messages: list[Message], parents: list[int | None] | None) -> list[Message]:
    """Local ids 1…n; each message's parent the one named (0: none), else the one before."""
    linked = []
    for number, message in enumerate(messages, start=1):
        parent = parents[number - 1] if parents else None
        if parent is None:
            parent_id = number - 1 or None
        elif 0 <= parent < number:
            parent_id = parent or None
        else:
            raise ExportFormatError(f"The parent of message {number} comes after it.")
        linked.append(replace(message, id=number, parent_id=parent_id))
    return linked
