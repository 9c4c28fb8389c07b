"""Reading the messages of a format 1 export (DesktopChat before format 2): each message's
text between `<!-- desktopchat:message {details} -->` and `<!-- desktopchat:end [n] -->`
(the number chosen so that the text does not contain it), a fence the writer closed for
viewers recorded as `"closer"`."""

from __future__ import annotations

import json
from typing import Any

from desktopchat.domain.markdown_fields import ExportFormatError, message_from_details, optional
from desktopchat.domain.types import Message

MESSAGE_MARKER_PREFIX = "<!-- desktopchat:message "
MARKER_SUFFIX = " -->"


def end_marker(number: int) -> str:
    return f"<!-- desktopchat:end {number} -->" if number else "<!-- desktopchat:end -->"


def read_messages(text: str, position: int) -> list[Message]:
    """Every message from `position` on (the newline before the first heading)."""
    messages: list[Message] = []
    opening = "\n" + MESSAGE_MARKER_PREFIX
    while (start := text.find(opening, position)) >= 0:
        where = f"message {len(messages) + 1}"
        line_end = text.find("\n", start + 1)
        if line_end < 0:
            raise ExportFormatError(f"The file ends inside {where}'s marker.")
        details = _read_marker(text[start + 1 : line_end], where)
        closing = "\n" + end_marker(optional(details, "end", int, where) or 0)
        body_end = text.find(closing, line_end + 1)
        if body_end < 0:
            raise ExportFormatError(f"The end of {where} is missing: the file may be cut short.")
        body = text[line_end + 1 : body_end]
        closer = optional(details, "closer", str, where)
        if closer:
            if not body.endswith("\n" + closer):
                raise ExportFormatError(f"The text of {where} was edited: its fence is missing.")
            body = body[: -len(closer) - 1]
        messages.append(message_from_details(details, body, where))
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
