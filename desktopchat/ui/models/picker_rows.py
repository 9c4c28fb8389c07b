"""What the model picker's popup lists, as plain rows: favourites and recent models first,
then each provider's models under its name, with a "Loading…", an error or an "add key"
row where a provider has no list; filtered by the words typed.

Kept apart from the widgets so the order and the filter are plain functions of the
providers' state (tests read them without opening a popup).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from PySide6.QtCore import QCoreApplication, QLocale

from desktopchat.domain.model_catalog import takes_reasoning_effort, takes_thinking_budget
from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList

MAX_RECENT = 5
"""Recent models kept (and shown) above the providers' lists."""


class RowKind(Enum):
    HEADER = "header"  # a section's title: not selectable
    MODEL = "model"
    LOADING = "loading"
    FAILED = "failed"  # activating it fetches the list again
    ADD_KEY = "add_key"  # activating it opens Settings → Keys on the provider
    TYPED = "typed"  # use the typed text as a model id of the current provider


@dataclass(frozen=True)
class ModelFacts:
    """What the bundled table and the service say of a model, for its row."""

    vision: bool = False
    reasoning: bool = False
    tools: bool = False
    """It calls tools, as the service (OpenRouter) or the bundled table says."""
    context_length: int | None = None
    input_price: float | None = None
    output_price: float | None = None


@dataclass(frozen=True)
class Row:
    kind: RowKind
    provider_id: str
    text: str
    model: ModelInfo | None = None
    favourite: bool = False
    facts: ModelFacts = ModelFacts()
    detail: str = ""
    """Grey text on the right: the model's context and price, or an error's reason."""

    @property
    def selectable(self) -> bool:
        return self.kind is not RowKind.HEADER and self.kind is not RowKind.LOADING


@dataclass
class ProviderState:
    """One provider as the popup knows it: its list (None: loading), why it failed, and
    whether it has a key (None: not asked yet)."""

    preset: ProviderPreset
    models: ModelList | None = None
    error: str = ""
    keyed: bool | None = None
    loading: bool = field(default=False)


Key = tuple[str, str]
"""(provider id, model id): a favourite or a recent model."""


def facts_of(provider_id: str, info: ModelInfo, figures: ModelFacts | None) -> ModelFacts:
    """The model's marks from its listed modalities and its name; the table's context and
    prices fill what the service did not say."""
    figures = figures or ModelFacts()
    return ModelFacts(
        vision=bool(info.input_modalities and "image" in info.input_modalities),
        reasoning=takes_reasoning_effort(provider_id, info.id)
        or takes_thinking_budget(provider_id, info.id),
        tools=info.tools if info.tools is not None else figures.tools,
        context_length=info.context_length or figures.context_length,
        input_price=info.input_price if info.input_price is not None else figures.input_price,
        output_price=info.output_price if info.output_price is not None else figures.output_price,
    )


def describe(facts: ModelFacts) -> str:
    """ "128k · $2.50 / $10 per M", or the parts of it that are known."""
    parts: list[str] = []
    if facts.context_length:
        thousands = facts.context_length / 1000
        size = f"{thousands:.0f}k" if thousands < 1000 else f"{round(thousands / 1000, 1):g}M"
        parts.append(QCoreApplication.translate("ModelPicker", "%1 context").replace("%1", size))
    if facts.input_price is not None and facts.output_price is not None:
        locale = QLocale()
        parts.append(
            QCoreApplication.translate("ModelPicker", "$%1 / $%2 per M")
            .replace("%1", locale.toString(facts.input_price, "g", 4))
            .replace("%2", locale.toString(facts.output_price, "g", 4))
        )
    return " · ".join(parts)


def _matches(words: Sequence[str], *texts: str) -> bool:
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in words)


@dataclass
class _Listed:
    """One provider's list as rows, built once per list."""

    models: ModelList
    pairs: list[tuple[Row, str]]
    """Each model's row (starred if a favourite) and the lowercase text the filter searches
    (name, id, provider)."""
    index: dict[str, int]
    """Where each model id is in `pairs`."""
    starred: frozenset[str] = frozenset()

    def star(self, starred: frozenset[str]) -> None:
        """Mark the favourites among the rows: only the rows whose star changed are
        replaced, so starring costs nothing per key."""
        for model_id in starred.symmetric_difference(self.starred):
            number = self.index.get(model_id)
            if number is not None:
                row, haystack = self.pairs[number]
                self.pairs[number] = (replace(row, favourite=model_id in starred), haystack)
        self.starred = starred

    def row(self, model_id: str) -> Row | None:
        number = self.index.get(model_id)
        return None if number is None else self.pairs[number][0]


class RowCache:
    """Each provider's model rows and their search texts, kept between calls of
    `build_rows`: typing filters thousands of models per key, so a key costs one substring
    test per model and per word, not a row built (or a facts lookup) per model."""

    def __init__(self) -> None:
        self._lists: dict[str, _Listed] = {}

    def listed(
        self,
        state: ProviderState,
        figures: Callable[[str, str], ModelFacts | None],
        starred: frozenset[str] = frozenset(),
    ) -> _Listed:
        """The provider's rows for its current list (built when the list changed), its
        favourites (model ids) `starred`."""
        preset, models = state.preset, state.models or ModelList()
        known = self._lists.get(preset.id)
        if known is None or known.models is not models:
            pairs = []
            for info in models.models:
                facts = facts_of(preset.id, info, figures(preset.id, info.id))
                row = Row(RowKind.MODEL, preset.id, info.label, info, False, facts, describe(facts))
                pairs.append((row, f"{info.label} {info.id} {preset.name}".casefold()))
            index = {info.id: number for number, info in enumerate(models.models)}
            known = self._lists[preset.id] = _Listed(models, pairs, index)
        known.star(starred)
        return known

    def forget(self, provider_id: str) -> None:
        """The provider's list changed: its rows are built again when next needed."""
        self._lists.pop(provider_id, None)


def _filtered(listed: _Listed, words: Sequence[str]) -> list[Row]:
    """The rows whose search text holds every word. One pass per word over what the
    previous word kept: the first (typed first) usually leaves few."""
    pairs = listed.pairs
    for word in words:
        pairs = [pair for pair in pairs if word in pair[1]]
    return [row for row, _ in pairs]


def build_rows(
    states: Sequence[ProviderState],
    favourites: Sequence[Key],
    recent: Sequence[Key],
    typed: str,
    current_provider: str,
    figures: Callable[[str, str], ModelFacts | None],
    cache: RowCache | None = None,
) -> list[Row]:
    """The popup's rows for the filter `typed` (words, any order, any case). `cache` keeps
    each provider's rows between calls (typing rebuilds the rows per key: thousands of
    models)."""
    cache = RowCache() if cache is None else cache
    words = typed.casefold().split()
    by_id = {state.preset.id: state for state in states}
    starred = set(favourites)

    def listed_of(state: ProviderState) -> _Listed:
        stars = frozenset(m for p, m in favourites if p == state.preset.id)
        return cache.listed(state, figures, stars)

    def model_row(key: Key) -> Row:
        listed = listed_of(by_id[key[0]]).row(key[1])
        if listed is None:  # no longer (or not yet) listed: still offered by its id
            info = ModelInfo(key[1])
            facts = facts_of(key[0], info, figures(key[0], key[1]))
            listed = Row(RowKind.MODEL, key[0], info.label, info, False, facts, describe(facts))
        return replace(listed, favourite=True) if key in starred else listed

    rows: list[Row] = []
    shown_ids: set[str] = set()
    for title, keys in (
        (QCoreApplication.translate("ModelPicker", "Favourites"), favourites),
        (QCoreApplication.translate("ModelPicker", "Recent"), recent[:MAX_RECENT]),
    ):
        starred_or_recent: list[Row] = []
        for key in keys:
            if key[0] not in by_id:
                continue
            row = model_row(key)
            name = by_id[key[0]].preset.name
            if row.model is not None and _matches(words, row.text, row.model.id, name):
                starred_or_recent.append(replace(row, text=f"{name} · {row.text}"))
                shown_ids.add(row.model.id)
        if starred_or_recent:
            rows += [Row(RowKind.HEADER, "", title), *starred_or_recent]
    keyless: list[Row] = []
    for state in states:
        preset = state.preset
        named = _matches(words, preset.name)
        section: list[Row] = []
        if state.keyed is False:
            if named:
                keyless.append(
                    Row(
                        RowKind.ADD_KEY,
                        preset.id,
                        preset.name,
                        detail=QCoreApplication.translate("ModelPicker", "add key"),
                    )
                )
            continue
        if state.models is None or (state.loading and not state.models.models):
            if named:
                section.append(
                    Row(
                        RowKind.LOADING,
                        preset.id,
                        QCoreApplication.translate("ModelPicker", "Loading…"),
                    )
                )
        elif state.error and not state.models.models:
            if named:
                section.append(
                    Row(
                        RowKind.FAILED,
                        preset.id,
                        QCoreApplication.translate("ModelPicker", "Could not load: retry"),
                        detail=state.error,
                    )
                )
        else:
            listed = listed_of(state)
            section = _filtered(listed, words)
            if section and typed.strip() in listed.index:
                shown_ids.add(typed.strip())
        if section:
            rows += [Row(RowKind.HEADER, preset.id, preset.name), *section]
    text = typed.strip()
    if (
        len(text.split()) == 1  # a model id has no spaces
        and current_provider in by_id
        and text not in shown_ids
    ):
        name = by_id[current_provider].preset.name
        rows.append(
            Row(
                RowKind.TYPED,
                current_provider,
                QCoreApplication.translate("ModelPicker", "Use “%1” with %2")
                .replace("%2", name)
                .replace("%1", text),
                ModelInfo(text),
            )
        )
    if keyless:  # last: what cannot be used yet
        rows += [
            Row(RowKind.HEADER, "", QCoreApplication.translate("ModelPicker", "Without a key yet")),
            *keyless,
        ]
    return rows


def remember(keys: Sequence[Key], key: Key, limit: int) -> list[Key]:
    """`key` first, without a second copy, at most `limit` keys."""
    return [key, *(k for k in keys if k != key)][:limit]
