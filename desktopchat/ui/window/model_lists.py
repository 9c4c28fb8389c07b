"""Filling the model bar from the registry: the list in memory at once, or the disk cache
read in the background the first time, a fresh one fetched when there is none; at most one
fetch per provider at a time. Nothing here reads a file or parses a list on the event loop.

Kept apart from the main window so the window only hears the outcome (a list arrived, a
fetch failed) and decides what it changes: the conversation's model, the status bar.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.services.model_list import ModelList, versions_apart
from desktopchat.services.registry import ProviderRegistry
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.model_bar import ModelBar


class ModelLists(QObject):
    loaded = Signal(str, object)  # provider id, ModelList
    failed = Signal(str, object)  # provider id, ChatError
    shown = Signal(str)  # provider id: a list read or offered in the background selected a model

    def __init__(
        self, bar: ModelBar, registry: ProviderRegistry, owner: Tasks, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self._bar = bar
        self._registry = registry
        self._tasks: dict[str, asyncio.Task] = {}
        self._reading: asyncio.Task | None = None
        self._arranged: tuple[ModelList, ModelList] | None = None
        """The last list shown and its arrangement: the same list is not arranged again
        (and the bar, seeing the same object, does not refill)."""

    def _set_models(self, models: ModelList, current: str) -> None:
        """Hand the bar the list with aliases apart from dated versions (with dates)."""
        if self._arranged is None or self._arranged[0] is not models:
            self._arranged = (models, versions_apart(models))
        self._bar.set_models(self._arranged[1], current)

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
            self._bar.set_models(ModelList(), current or "")
            self._reading = self._owner.spawn(self._show_cached(provider_id, current))

    async def _show_cached(self, provider_id: str, current: str | None) -> None:
        models = await self._registry.cached_models(provider_id)
        if self._bar.provider_id() == provider_id:
            self._show_list(provider_id, models, current)
            self.shown.emit(provider_id)

    def _show_list(self, provider_id: str, models: ModelList, current: str | None) -> None:
        if current is None:
            current = models.models[0].id if models.models else ""
        self._set_models(models, current)
        if not models.models:
            self.refresh(provider_id, asked=False)

    def refresh(self, provider_id: str, *, asked: bool = True) -> None:
        """Fetch the provider's model list without blocking; a typed model stays as it is.

        A fetch nobody asked for stays quiet about a missing key: the welcome text and the
        reply's own error already say what to do.
        """
        if provider_id in self._tasks or not provider_id:
            return
        self._tasks[provider_id] = self._owner.spawn(self._refresh(provider_id, asked))

    def cancel(self) -> None:
        """Stop every fetch (the window is closing)."""
        for task in [*self._tasks.values(), self._reading]:
            if task is not None:
                task.cancel()

    async def _refresh(self, provider_id: str, asked: bool) -> None:
        self._bar.set_refreshing(True)
        try:
            models = await self._registry.models(provider_id)
        except ChatError as error:
            quiet = not asked and error.kind is ErrorKind.NO_KEY
            if self._bar.provider_id() == provider_id and not quiet:
                self.failed.emit(provider_id, error)
            await self._offer_well_known(provider_id)
            return
        finally:
            self._tasks.pop(provider_id, None)
            self._bar.set_refreshing(bool(self._tasks))
        if self._bar.provider_id() == provider_id:
            current = self._bar.current_model_id() or (models.models[0].id if models.models else "")
            self._set_models(models, current)
            self.loaded.emit(provider_id, models)

    async def _offer_well_known(self, provider_id: str) -> None:
        """The list could not load: offer the bundled table's well-known ids for this
        service, if the bar has no list (a typed model stays as it is)."""
        await self._registry.load_catalog()
        if self._bar.provider_id() != provider_id or self._bar.model_combo.count():
            return
        known = self._registry.well_known_models(provider_id)
        if known.models:
            self._set_models(known, self._bar.current_model_id())
            self.shown.emit(provider_id)
