"""What replies used and cost: per conversation, and by day, provider and model for the
Usage view.

Read from the history in its read thread (storage/usage_rows.py) and added up there too:
a history of 100,000 replies is summed off the loop. A cost that is not known is never
counted as 0: totals say how many replies had no known price.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktopchat.domain.types import Usage
from desktopchat.services.history import HistoryService
from desktopchat.storage.usage_rows import UsageRecord, usage_records


@dataclass
class UsageTotal:
    """Sums over some replies; `cost` sums the known costs, `unpriced` counts the others."""

    replies: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    unpriced: int = 0

    def add(self, usage: Usage) -> None:
        self.replies += 1
        self.input_tokens += usage.input_tokens or 0
        self.output_tokens += usage.output_tokens or 0
        self.reasoning_tokens += usage.reasoning_tokens or 0
        self.cached_tokens += usage.cached_tokens or 0
        if usage.cost is None:
            self.unpriced += 1
        else:
            self.cost += usage.cost

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def cost_known(self) -> bool:
        """Whether `cost` is the whole cost (no reply without a price)."""
        return self.unpriced == 0


@dataclass
class UsageSummary:
    total: UsageTotal = field(default_factory=UsageTotal)
    by_day: dict[str, UsageTotal] = field(default_factory=dict)
    """ISO dates (local time), oldest first."""
    by_provider: dict[str, UsageTotal] = field(default_factory=dict)
    by_model: dict[tuple[str, str], UsageTotal] = field(default_factory=dict)
    """(provider, model) → total."""


def summarise(records: Iterable[UsageRecord]) -> UsageSummary:
    summary = UsageSummary()
    for record in sorted(records, key=lambda r: r.created):
        day = time.strftime("%Y-%m-%d", time.localtime(record.created))
        for total in (
            summary.total,
            summary.by_day.setdefault(day, UsageTotal()),
            summary.by_provider.setdefault(record.provider, UsageTotal()),
            summary.by_model.setdefault((record.provider, record.model), UsageTotal()),
        ):
            total.add(record.usage)
    return summary


def _summary_of(store, conversation_id: int | None, since: float | None) -> UsageSummary:
    return summarise(usage_records(store, conversation_id=conversation_id, since=since))


class UsageService:
    """The Usage view's and the conversation header's way to the figures."""

    def __init__(self, history: HistoryService) -> None:
        self._history = history

    async def summary(self, since: float | None = None) -> UsageSummary:
        """Every reply's usage since `since` (Unix seconds; None: all)."""
        return await self._history.read(_summary_of, self._history.store, None, since)

    async def conversation_total(self, conversation_id: int) -> UsageTotal:
        """What a conversation's replies (every branch) used and cost."""
        summary = await self._history.read(_summary_of, self._history.store, conversation_id, None)
        return summary.total
