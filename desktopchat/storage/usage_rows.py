"""The usage of stored replies, read for the Usage view without loading their text."""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.domain.types import Usage
from desktopchat.storage.history import ConversationStore


@dataclass(frozen=True)
class UsageRecord:
    """One reply's usage, when and by which provider and model."""

    created: float
    provider: str
    model: str
    usage: Usage


def usage_records(
    store: ConversationStore, *, conversation_id: int | None = None, since: float | None = None
) -> list[UsageRecord]:
    """Replies that reported any usage (blocking: the history's read thread)."""
    sql = (
        "SELECT created, provider, model, input_tokens, output_tokens, reasoning_tokens,"
        " cached_tokens, cost, cost_source FROM messages WHERE role = 'assistant'"
        " AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL OR cost IS NOT NULL)"
    )
    parameters: list[object] = []
    if conversation_id is not None:
        sql += " AND conversation_id = ?"
        parameters.append(conversation_id)
    if since is not None:
        sql += " AND created >= ?"
        parameters.append(since)
    return [
        UsageRecord(
            row["created"],
            row["provider"] or "",
            row["model"] or "",
            Usage(
                row["input_tokens"],
                row["output_tokens"],
                row["reasoning_tokens"],
                row["cached_tokens"],
                row["cost"],
                row["cost_source"],
            ),
        )
        for row in store._query(sql, tuple(parameters))
    ]
