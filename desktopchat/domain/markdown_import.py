"""Reading our own Markdown export back into a conversation, exactly.

The format and why it is lossless are described in `desktopchat.domain.markdown_export`. The reader
trusts only our markers and the front matter; headings and quotes are for people and are
skipped. Anything that is not our export, or an export cut short or edited so that it can
no longer be read exactly, raises ExportFormatError with a sentence saying what is wrong,
never another exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.errors import ChatError
from desktopchat.domain.markdown_export import (
    FORMAT_KEY,
    FORMAT_VERSION,
    FRONT_MATTER_FENCE,
    MARKER_SUFFIX,
    MESSAGE_MARKER_PREFIX,
    end_marker,
)
from desktopchat.domain.types import Conversation, Message, MessageStatus, Role, Usage

_FRONT_MATTER_END = f"\n{FRONT_MATTER_FENCE}\n"
_NOT_OURS = "This file is not a DesktopChat export"


class ExportFormatError(ValueError):
    """The text is not a DesktopChat Markdown export we can read back exactly."""


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


def markdown_to_conversation(text: str) -> ImportedConversation:
    """Read a conversation from the text of a file `conversation_to_markdown` wrote."""
    text = text.removeprefix("\ufeff")
    if text.startswith(f"{FRONT_MATTER_FENCE}\r\n"):
        text = text.replace("\r\n", "\n")
    if not text.startswith(f"{FRONT_MATTER_FENCE}\n"):
        raise ExportFormatError(f"{_NOT_OURS}: it does not start with a '---' header.")
    header_end = text.find(_FRONT_MATTER_END, len(FRONT_MATTER_FENCE))
    if header_end < 0:
        raise ExportFormatError(f"{_NOT_OURS}: its '---' header is never closed.")
    fields = _read_front_matter(text[len(FRONT_MATTER_FENCE) + 1 : header_end])
    conversation = Conversation(
        id=0,
        title=_field(fields, "title", str, "the header"),
        created=_timestamp(fields, "created", "the header"),
        updated=_timestamp(fields, "updated", "the header"),
        provider=_optional(fields, "provider", str, "the header"),
        model=_optional(fields, "model", str, "the header"),
        temperature=_optional(fields, "temperature", (int, float), "the header"),
        system_prompt=_optional(fields, "system_prompt", str, "the header") or "",
    )
    messages = _read_messages(text, header_end + len(_FRONT_MATTER_END) - 1)
    expected = _field(fields, "messages", int, "the header")
    if expected != len(messages):
        raise ExportFormatError(
            f"The export's header announces {expected} messages but {len(messages)} were "
            "found: the file may be cut short or edited."
        )
    return ImportedConversation(conversation, messages)


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
    if version != FORMAT_VERSION:
        raise ExportFormatError(
            f"This export uses format {version!r}; this version of DesktopChat reads "
            f"format {FORMAT_VERSION}."
        )
    return fields


def _read_messages(text: str, position: int) -> list[Message]:
    """Every message from `position` on (the newline before the first heading)."""
    messages: list[Message] = []
    opening = "\n" + MESSAGE_MARKER_PREFIX
    while (start := text.find(opening, position)) >= 0:
        where = f"message {len(messages) + 1}"
        line_end = text.find("\n", start + 1)
        if line_end < 0:
            raise ExportFormatError(f"The file ends inside {where}'s marker.")
        details = _read_marker(text[start + 1 : line_end], where)
        closing = "\n" + end_marker(_optional(details, "end", int, where) or 0)
        body_end = text.find(closing, line_end + 1)
        if body_end < 0:
            raise ExportFormatError(f"The end of {where} is missing: the file may be cut short.")
        body = text[line_end + 1 : body_end]
        closer = _optional(details, "closer", str, where)
        if closer:
            if not body.endswith("\n" + closer):
                raise ExportFormatError(f"The text of {where} was edited: its fence is missing.")
            body = body[: -len(closer) - 1]
        messages.append(_message(details, body, where))
        position = body_end + len(closing)
    return messages


def _read_marker(line: str, where: str) -> dict[str, Any]:
    if not line.endswith(MARKER_SUFFIX):
        raise ExportFormatError(f"The marker of {where} is not one DesktopChat wrote.")
    try:
        details = json.loads(line[len(MESSAGE_MARKER_PREFIX) : -len(MARKER_SUFFIX)])
    except (ValueError, RecursionError):
        details = None
    if not isinstance(details, dict):
        raise ExportFormatError(f"The marker of {where} is not one DesktopChat wrote.")
    return details


def _message(details: dict[str, Any], text: str, where: str) -> Message:
    try:
        role = Role(details.get("role"))
        status = MessageStatus(details.get("status", MessageStatus.COMPLETE.value))
    except ValueError:
        raise ExportFormatError(f"The role or status of {where} is unknown.") from None
    input_tokens = _optional(details, "input_tokens", int, where)
    output_tokens = _optional(details, "output_tokens", int, where)
    has_usage = input_tokens is not None or output_tokens is not None
    error_kind = _optional(details, "error_kind", str, where)
    error_details = _optional(details, "error_details", str, where)
    error = ChatError.from_record(error_kind, error_details) if error_kind else None
    return Message(
        id=0,
        conversation_id=0,
        role=role,
        text=text,
        created=_timestamp(details, "created", where),
        status=status,
        provider=_optional(details, "provider", str, where),
        model=_optional(details, "model", str, where),
        usage=Usage(input_tokens, output_tokens) if has_usage else None,
        error=error,
        error_text=None if error else _optional(details, "error", str, where),
        duration=_optional(details, "duration", (int, float), where),
    )


def _optional(fields: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """fields[key] if it is of `kind` (bool never counts as a number), None if absent."""
    value = fields.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
        raise ExportFormatError(f"The '{key}' of {where} has the wrong type.")
    return value


def _field(fields: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = _optional(fields, key, kind, where)
    if value is None:
        raise ExportFormatError(f"The '{key}' of {where} is missing.")
    return value


def _timestamp(fields: dict[str, Any], key: str, where: str) -> float:
    """An ISO 8601 date as Unix seconds; a date without a zone is taken as UTC."""
    value = _field(fields, key, str, where)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ExportFormatError(f"The '{key}' of {where} is not an ISO 8601 date.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
