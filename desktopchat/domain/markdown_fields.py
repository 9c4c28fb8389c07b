"""What both formats of our Markdown export share when read back: the error raised for a
file that cannot be read exactly, and reading typed fields and a message's details."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.errors import ChatError
from desktopchat.domain.markdown_tools import tools_from_details
from desktopchat.domain.reply_end import reply_end_from_record
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Message,
    MessageStatus,
    Reasoning,
    Role,
    Usage,
)
from desktopchat.domain.web_search import web_search_from_record


class ExportFormatError(ValueError):
    """The text is not a DesktopChat Markdown export we can read back exactly."""


EARLIEST_TIME = 0.0
"""1970-01-01: the first moment a message of ours can have."""
LATEST_TIME = 253_402_214_400.0
"""9999-12-31T00:00:00Z: the last, with a day to spare so that any time zone (±14 h) still
shows it as a year Python's datetime can hold (export, preview and command line do)."""
MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite stores."""
MAX_TOKENS = 10**9
"""More tokens than any model reads or writes in one message: a larger count is not one."""
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def repaired_text(text: str) -> str:
    """`text` with every lone surrogate (JSON's "\\ud800", which no UTF-8 file or SQLite
    column can hold) replaced by U+FFFD, the character that says one was lost."""
    if text.isascii():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)


def in_time_range(seconds: float) -> bool:
    """Whether Unix `seconds` is a moment every reader of the history can show."""
    return EARLIEST_TIME <= seconds <= LATEST_TIME


def message_from_details(
    details: dict[str, Any],
    text: str,
    where: str,
    *,
    reasoning: Reasoning | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> Message:
    """A message (id 0, no parent yet) from its details as the export wrote them."""
    try:
        role = Role(details.get("role", ""))
        status = MessageStatus(details.get("status", MessageStatus.COMPLETE.value))
    except ValueError:
        raise ExportFormatError(f"The role or status of {where} is unknown.") from None
    counts = {
        key: _at_most(optional(details, key, int, where), MAX_TOKENS, key, where)
        for key in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens")
    }
    cost = _at_most(optional(details, "cost", (int, float), where), 1e9, "cost", where)
    cost_source = optional(details, "cost_source", str, where)
    has_usage = any(v is not None for v in (*counts.values(), cost, cost_source))
    estimated = optional(details, "usage_estimated", bool, where, bool_ok=True) or False
    error_kind = optional(details, "error_kind", str, where)
    error_details = optional(details, "error_details", str, where)
    error = ChatError.from_record(error_kind, error_details) if error_kind else None
    return Message(
        id=0,
        conversation_id=0,
        role=role,
        text=text,
        created=timestamp(details, "created", where),
        status=status,
        provider=optional(details, "provider", str, where),
        model=optional(details, "model", str, where),
        usage=(
            Usage(**counts, cost=cost, cost_source=cost_source, estimated=estimated)
            if has_usage
            else None
        ),
        error=error,
        error_text=None if error else optional(details, "error", str, where),
        duration=_at_most(
            optional(details, "duration", (int, float), where), 1e9, "duration", where
        ),
        reasoning=reasoning,
        attachments=attachments,
        served_model=optional(details, "served_model", str, where),
        left_out=optional(details, "left_out", bool, where, bool_ok=True) or False,
        tool_steps=tools_from_details(details.get("tools")),
        web_search=web_search_from_record(details.get("web_search")),
        reply_end=reply_end_from_record(details.get("end")),
    )


def attachment_from_details(details: Any, where: str) -> Attachment:
    if not isinstance(details, dict):
        raise ExportFormatError(f"An attachment of {where} is not one DesktopChat wrote.")
    try:
        kind = AttachmentKind(details.get("kind", ""))
    except ValueError:
        raise ExportFormatError(f"An attachment of {where} has an unknown kind.") from None
    return Attachment(
        kind=kind,
        name=field(details, "name", str, where),
        mime=field(details, "mime", str, where),
        size=_at_most(field(details, "size", int, where), MAX_INTEGER, "size", where),
        sha256=optional(details, "sha256", str, where),
        text=optional(details, "text", str, where),
        note=optional(details, "note", str, where),
    )


def optional(
    fields: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    *,
    bool_ok: bool = False,
) -> Any:
    """fields[key] if it is of `kind` (bool never counts as a number), None if absent.

    Text comes with lone surrogates repaired; a number SQLite cannot hold (an integer past
    2**63, an infinite or NaN float) is refused as out of range."""
    value = fields.get(key)
    if value is not None and (
        (isinstance(value, bool) and not bool_ok) or not isinstance(value, kind)
    ):
        raise ExportFormatError(f"The '{key}' of {where} has the wrong type.")
    if isinstance(value, str):
        return repaired_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ExportFormatError(f"The '{key}' of {where} is out of range.")
    if isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise ExportFormatError(f"The '{key}' of {where} is out of range.")
    return value


def _at_most(value: Any, maximum: float, key: str, where: str) -> Any:
    """A count or an amount: None, or from 0 to `maximum`."""
    if value is not None and not 0 <= value <= maximum:
        raise ExportFormatError(f"The '{key}' of {where} is out of range.")
    return value


def field(fields: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = optional(fields, key, kind, where)
    if value is None:
        raise ExportFormatError(f"The '{key}' of {where} is missing.")
    return value


def timestamp(fields: dict[str, Any], key: str, where: str) -> float:
    """An ISO 8601 date as Unix seconds; a date without a zone is taken as UTC. A date
    outside 1970–9999 (in UTC) is refused: nothing we write has one, and the export, the
    preview and the command line could not show it."""
    value = field(fields, key, str, where)
    seconds = iso_seconds(value)
    if seconds is None:
        raise ExportFormatError(f"The '{key}' of {where} is not an ISO 8601 date.")
    if not in_time_range(seconds):
        raise ExportFormatError(f"The '{key}' of {where} is a date out of range (1970–9999).")
    return seconds


def iso_seconds(value: str) -> float | None:
    """Unix seconds of an ISO 8601 date ("Z" or an offset; none is UTC), None when it is
    not one. Any year Python reads and any offset give a number, never an exception."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, ValueError):
        return None
