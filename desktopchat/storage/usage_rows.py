"""The usage of replies, added up by SQLite per day, provider and model, for the Usage view:
100,000 replies are summed in the query, without loading a row each.

Read from the usage ledger (migration 5), not from the messages: what a deleted reply or
conversation spent stays counted (DESIGN.md §3, "Usage is a ledger").
"""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.storage.history import ConversationStore


@dataclass(frozen=True)
class UsageGroup:
    """The replies of one day (local time, ISO date), provider and model, added up;
    `cost` sums the known costs, `unpriced` counts replies whose cost is unknown, and
    `estimated` those whose counts the app estimated (the server reported none)."""

    day: str
    provider: str
    model: str
    replies: int
    input_tokens: int
    output_tokens: int
    reasoning_tokens: int
    cached_tokens: int
    cost: float
    unpriced: int
    estimated: int = 0


def usage_groups(
    store: ConversationStore, *, conversation_id: int | None = None, since: float | None = None
) -> list[UsageGroup]:
    """Every reply that spent something, grouped (blocking: the history's read thread)."""
    where = ["1"]
    parameters: list[object] = []
    if conversation_id is not None:
        where.append("conversation_id = ?")
        parameters.append(conversation_id)
    if since is not None:
        where.append("created >= ?")
        parameters.append(since)
    sql = (
        "SELECT date(created, 'unixepoch', 'localtime') AS day,"
        " coalesce(provider, '') AS provider, coalesce(model, '') AS model, count(*),"
        " total(input_tokens), total(output_tokens), total(reasoning_tokens),"
        " total(cached_tokens), total(cost), count(*) - count(cost), total(estimated)"
        f" FROM usage_ledger WHERE {' AND '.join(where)}"
        " GROUP BY day, provider, model ORDER BY day"
    )
    return [
        UsageGroup(
            row[0],
            row[1],
            row[2],
            row[3],
            int(row[4]),
            int(row[5]),
            int(row[6]),
            int(row[7]),
            row[8],
            row[9],
            int(row[10]),
        )
        for row in store._query(sql, tuple(parameters))
    ]
