"""What replies used and cost: per conversation, and by day, provider and model for the
Usage view.

Added up by SQLite in the history's read thread (storage/usage_rows.py): a history of
100,000 replies is summed off the loop, in a query. The figures come from the usage ledger,
so deleting replies or conversations never lowers them. A cost that is not known is never
counted as 0: totals say how many replies had no known price, and how many had their
tokens estimated because the server reported none. Providers are named as the person knows
them (a custom endpoint by its own name), never by the id the history stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from desktopchat.services.history import HistoryService
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.usage_rows import UsageGroup, usage_groups


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
    estimated: int = 0
    """Replies whose tokens the app estimated (the server reported none)."""

    def add(self, group: UsageGroup) -> None:
        self.replies += group.replies
        self.input_tokens += group.input_tokens
        self.output_tokens += group.output_tokens
        self.reasoning_tokens += group.reasoning_tokens
        self.cached_tokens += group.cached_tokens
        self.cost += group.cost
        self.unpriced += group.unpriced
        self.estimated += group.estimated

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
    """(provider id, model) → total."""
    provider_names: dict[str, str | None] = field(default_factory=dict)
    """Provider id → the name to show; None: a provider no longer set up (a custom endpoint
    removed since), whose id means nothing to the person."""


def summarise(groups: Iterable[UsageGroup]) -> UsageSummary:
    summary = UsageSummary()
    for group in sorted(groups, key=lambda g: g.day):
        for total in (
            summary.total,
            summary.by_day.setdefault(group.day, UsageTotal()),
            summary.by_provider.setdefault(group.provider, UsageTotal()),
            summary.by_model.setdefault((group.provider, group.model), UsageTotal()),
        ):
            total.add(group)
    return summary


def _summary_of(
    store: ConversationStore, conversation_id: int | None, since: float | None
) -> UsageSummary:
    return summarise(usage_groups(store, conversation_id=conversation_id, since=since))


class UsageService:
    """The Usage view's and the conversation header's way to the figures."""

    def __init__(
        self,
        history: HistoryService,
        provider_name: Callable[[str], str | None] = lambda _provider_id: None,
    ) -> None:
        """`provider_name(id)`: the display name of a provider set up now, else None
        (ProviderRegistry.provider_name)."""
        self._history = history
        self._provider_name = provider_name

    async def summary(self, since: float | None = None) -> UsageSummary:
        """Every reply's usage since `since` (Unix seconds; None: all), deleted ones too."""
        summary = await self._history.read(_summary_of, self._history.store, None, since)
        summary.provider_names = {
            provider: self._provider_name(provider) for provider in summary.by_provider
        }
        return summary

    async def conversation_total(self, conversation_id: int) -> UsageTotal:
        """What a conversation's replies (every branch, deleted ones too) used and cost."""
        summary = await self._history.read(_summary_of, self._history.store, conversation_id, None)
        return summary.total
