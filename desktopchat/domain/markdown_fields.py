"""What both formats of our Markdown export share when read back: the error raised for a
file that cannot be read exactly, and reading typed fields and a message's details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.errors import ChatError
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Message,
    MessageStatus,
    Reasoning,
    Role,
    Usage,
)


class ExportFormatError(ValueError):
    """The text is not a DesktopChat Markdown export we can read back exactly."""


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
        key: optional(details, key, int, where)
        for key in ("input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens")
    }
    cost = optional(details, "cost", (int, float), where)
    cost_source = optional(details, "cost_source", str, where)
    has_usage = any(v is not None for v in (*counts.values(), cost, cost_source))
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
        usage=Usage(**counts, cost=cost, cost_source=cost_source) if has_usage else None,
        error=error,
        error_text=None if error else optional(details, "error", str, where),
        duration=optional(details, "duration", (int, float), where),
        reasoning=reasoning,
        attachments=attachments,
        served_model=optional(details, "served_model", str, where),
        left_out=optional(details, "left_out", bool, where, bool_ok=True) or False,
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
        size=field(details, "size", int, where),
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
    """fields[key] if it is of `kind` (bool never counts as a number), None if absent."""
    value = fields.get(key)
    if value is not None and (
        (isinstance(value, bool) and not bool_ok) or not isinstance(value, kind)
    ):
        raise ExportFormatError(f"The '{key}' of {where} has the wrong type.")
    return value


def field(fields: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = optional(fields, key, kind, where)
    if value is None:
        raise ExportFormatError(f"The '{key}' of {where} is missing.")
    return value


def timestamp(fields: dict[str, Any], key: str, where: str) -> float:
    """An ISO 8601 date as Unix seconds; a date without a zone is taken as UTC."""
    value = field(fields, key, str, where)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ExportFormatError(f"The '{key}' of {where} is not an ISO 8601 date.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
