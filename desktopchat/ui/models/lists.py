"""Filling the model picker from the registry: the list in memory at once, or the disk cache
read in the background the first time, a fresh one fetched when there is none; at most one
fetch per provider at a time. Nothing here reads a file or parses a list on the event loop.

The current provider's list selects a model; when the popup opens, every other provider's
list is read the same way (a "Loading…" row meanwhile, the reason when it fails). The window
only hears the outcome for the current provider (a list arrived, a fetch failed) and decides
what it changes: the conversation's model, the status bar.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.services.model_list import ModelList, versions_apart
from desktopchat.services.registry import ProviderRegistry
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.picker_rows import ModelFacts
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.translation import describe_error


class ModelLists(QObject):
    loaded = Signal(str, object)  # provider id, ModelList
    failed = Signal(str, object)  # provider id, ChatError
    shown = Signal(str)  # provider id: a list read or offered in the background selected a model

    def __init__(
        self, picker: ModelPicker, registry: ProviderRegistry, owner: Tasks, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self._picker = picker
        self._registry = registry
        self._tasks: dict[str, asyncio.Task] = {}
        self._reading: asyncio.Task | None = None
        self._others: asyncio.Task | None = None
        self._arranged: dict[str, tuple[ModelList, ModelList]] = {}
        """Each provider's last list and its arrangement: the same list is not arranged
        again (and the picker, seeing the same object, keeps its rows)."""

    def _arrange(self, provider_id: str, models: ModelList) -> ModelList:
        """The list with aliases apart from dated versions (with dates)."""
        known = self._arranged.get(provider_id)
        if known is None or known[0] is not models:
            known = self._arranged[provider_id] = (models, versions_apart(models))
        return known[1]

    def _set_models(self, models: ModelList, current: str) -> None:
        self._picker.set_models(self._arrange(self._picker.provider_id(), models), current)

    def figures(self, provider_id: str, model: str) -> ModelFacts | None:
        """The bundled table's context, prices and tool calling for a model (read once, in
        the background, by whoever needs it first; before that, nothing is known)."""
        entry = self._registry.catalog.entry(provider_id, model)
        if entry is None:
            return None
        return ModelFacts(
            context_length=entry.context_length,
            input_price=entry.input_price,
            output_price=entry.output_price,
            tools=bool(entry.tools),
        )

    def show(self, provider_id: str, current: str | None) -> None:
        """Show the provider's list with `current` selected (None: the first model, a person
        switching provider wants one of its models, not the last provider's); fetch the list
        when there is none yet. A list already in memory is shown at once: switching
        conversations reads nothing."""
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
        known = self._registry.known_models(provider_id)
        if known is not None:
            self._show_list(provider_id, known, current)
        else:
            self._picker.set_selection(provider_id, current or "")
            self._reading = self._owner.spawn(self._show_cached(provider_id, current))

    async def _show_cached(self, provider_id: str, current: str | None) -> None:
        models = await self._registry.cached_models(provider_id)
        if self._picker.provider_id() == provider_id:
            self._show_list(provider_id, models, current)
            self.shown.emit(provider_id)

    def _show_list(self, provider_id: str, models: ModelList, current: str | None) -> None:
        if current is None:
            current = models.models[0].id if models.models else ""
        self._set_models(models, current)
        if not models.models:
            self.refresh(provider_id, asked=False)

    def show_all(self) -> None:
        """The popup opened: read every provider's list that is not in memory yet (from
        the cache, or fetched when there is none), each row saying "Loading…" meanwhile."""
        if self._others is None or self._others.done():
            self._others = self._owner.spawn(self._show_all())

    async def _show_all(self) -> None:
        await self._registry.load_catalog()
        for preset in self._registry.presets():
            known = self._registry.known_models(preset.id)
            if known is not None and known.models:
                self._picker.set_provider_list(preset.id, self._arrange(preset.id, known))
                continue
            if preset.id in self._tasks:
                continue
            self._picker.set_provider_list(preset.id, None)
            cached = await self._registry.cached_models(preset.id)
            if cached.models:
                self._picker.set_provider_list(preset.id, self._arrange(preset.id, cached))
            else:
                self.refresh(preset.id, asked=False)

    def refresh(self, provider_id: str, *, asked: bool = True) -> None:
        """Fetch the provider's model list without blocking; a typed model stays as it is.

        A fetch nobody asked for stays quiet about a missing key: the welcome text and the
        reply's own error already say what to do.
        """
        if provider_id in self._tasks or not provider_id:
            return
        self._picker.set_provider_list(provider_id, None)
        self._tasks[provider_id] = self._owner.spawn(self._refresh(provider_id, asked))

    def refresh_all(self) -> None:
        """The popup's refresh: every provider's list fetched anew."""
        for preset in self._registry.presets():
            self.refresh(preset.id)

    def cancel(self) -> None:
        """Stop every fetch (the window is closing)."""
        for task in [*self._tasks.values(), self._reading, self._others]:
            if task is not None:
                task.cancel()

    async def _refresh(self, provider_id: str, asked: bool) -> None:
        self._picker.set_refreshing(True)
        try:
            models = await self._registry.models(provider_id)
        except ChatError as error:
            current = self._picker.provider_id() == provider_id
            quiet = not asked and error.kind is ErrorKind.NO_KEY
            if current and not quiet:
                self.failed.emit(provider_id, error)
            self._picker.set_provider_list(provider_id, ModelList(), describe_error(error))
            await self._offer_well_known(provider_id)
            return
        finally:
            self._tasks.pop(provider_id, None)
            self._picker.set_refreshing(bool(self._tasks))
        arranged = self._arrange(provider_id, models)
        if self._picker.provider_id() == provider_id:
            first = models.models[0].id if models.models else ""
            self._picker.set_models(arranged, self._picker.current_model_id() or first)
            self.loaded.emit(provider_id, models)
        else:
            self._picker.set_provider_list(provider_id, arranged)

    async def _offer_well_known(self, provider_id: str) -> None:
        """The list could not load: offer the bundled table's well-known ids for this
        service, if it has no list (a typed model stays as it is)."""
        await self._registry.load_catalog()
        if self._picker.models(provider_id).models:
            return
        known = self._registry.well_known_models(provider_id)
        if not known.models:
            return
        if self._picker.provider_id() == provider_id:
            self._set_models(known, self._picker.current_model_id())
            self.shown.emit(provider_id)
        else:
            self._picker.set_provider_list(provider_id, self._arrange(provider_id, known))
