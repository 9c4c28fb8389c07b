"""ProviderRegistry: from a provider id to a ready Provider, with its key and settings.

The one place that combines presets, the person's URL overrides and custom endpoints, the
keychain and the timeout preference. Providers (and so SDK clients) are created on first use
and reused while nothing they depend on changes.

Model lists are capped (services.model_list) and cached on disk so the model selector fills
at start before any SDK is imported. A list is fetched and parsed in a worker thread on a
loop of its own (the SDK builds one object per model: seconds for a hostile server's 300,000),
the cache is read there once per provider and then kept in memory, and written there too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from desktopchat.domain.errors import QT_TRANSLATE_NOOP, ChatError, ErrorKind
from desktopchat.domain.model_catalog import ModelCatalog
from desktopchat.domain.presets import (
    PRESETS,
    ProviderPreset,
    SdkName,
    custom_preset,
    with_base_url,
)
from desktopchat.domain.types import ModelInfo
from desktopchat.providers.base import Provider, RequestTimeouts
from desktopchat.services.local_window import LocalWindows
from desktopchat.services.model_list import MAX_CACHE_BYTES, ModelList, capped
from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.key_text import unsendable_character
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences
from desktopchat.system.small_files import UnusableFile, read_small_bytes

log = logging.getLogger(__name__)
T = TypeVar("T")


_imported_sdks: set[str] = set()
_import_lock = threading.Lock()


def _import_sdk_blocking(sdk: SdkName) -> None:
    from desktopchat.providers.warm_up import warm_up

    with _import_lock:
        if sdk not in _imported_sdks:
            try:
                warm_up(sdk)
            except ImportError as failed:
                # Seen about once in twenty starts of the installed app: PySide's import hook
                # reads each new module's source, and reading pydantic.errors imports
                # pydantic's validators halfway through their own import. The SDK's modules
                # are dropped and imported once more; a second failure is a real one.
                log.warning("the %s SDK import failed once (%s); importing it again", sdk, failed)
                _forget_modules(sdk, "pydantic")
                warm_up(sdk)
    _imported_sdks.add(sdk)


def _forget_modules(*packages: str) -> None:
    """Drop these packages' modules (half imported) from sys.modules, to import them anew."""
    for name in [name for name in sys.modules if name.split(".")[0] in packages]:
        del sys.modules[name]


async def import_sdk(sdk: SdkName) -> None:
    """Import a provider SDK (0.7–1.8 s) and walk its first request's path (providers.warm_up)
    in a worker thread, never on the event loop.

    `sys.modules` cannot tell: it holds a package while another thread is still importing
    it, and importing it again from the loop would wait on that import's lock. So callers
    that come while the warm-up runs wait for it in a thread of their own.
    """
    if sdk not in _imported_sdks:
        await asyncio.to_thread(_import_sdk_blocking, sdk)


async def _create(preset: ProviderPreset, key: str | None, timeouts: RequestTimeouts) -> Provider:
    """Build the provider once its SDK is imported (off the loop)."""
    await import_sdk(preset.sdk)
    from desktopchat.providers.factory import create_provider

    provider = create_provider(preset, key, timeouts=timeouts)
    await asyncio.to_thread(provider.prepare)
    return provider


async def _listed_models(
    preset: ProviderPreset, key: str | None, timeouts: RequestTimeouts
) -> ModelList:
    """The models a throwaway provider lists, capped; its client is closed after."""
    from desktopchat.providers.factory import create_provider

    provider = create_provider(preset, key, timeouts=timeouts)
    try:
        return capped(await provider.list_models())
    finally:
        await provider.aclose()


async def _on_own_loop(make: Callable[[], Awaitable[T]]) -> T:
    """Run `make()` on a fresh event loop in a worker thread and await its result here.

    Cancelling the caller cancels the work there too (at its next await), so a closing
    window does not wait for a long fetch to end on its own.
    """
    state: dict[str, Any] = {"cancelled": False}

    async def main() -> T:
        if state["cancelled"]:
            raise asyncio.CancelledError
        state["loop"], state["task"] = asyncio.get_running_loop(), asyncio.current_task()
        return await make()

    def run() -> T | None:
        try:
            return asyncio.run(main())
        except asyncio.CancelledError:
            return None  # the caller has gone: nobody reads this

    try:
        # None only when this caller was cancelled: then nobody reads it.
        return cast(T, await asyncio.to_thread(run))
    except asyncio.CancelledError:
        state["cancelled"] = True
        loop, task = state.get("loop"), state.get("task")
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # that loop has already ended
                loop.call_soon_threadsafe(task.cancel)
        raise


def _read_cache(path: Path) -> ModelList:
    """A cached list, read in a worker thread; an empty one if missing, too big or broken."""
    try:
        return ModelList.from_json(read_small_bytes(path, MAX_CACHE_BYTES).decode("utf-8"))
    except (OSError, UnusableFile, ValueError, TypeError, KeyError, RecursionError):
        return ModelList()


def _write_cache(path: Path, models: ModelList, provider_id: str) -> None:
    """Write a list atomically (in a worker thread); a failure only costs the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, models.to_json())
    except OSError as error:
        log.warning("could not cache the model list of %s: %s", provider_id, error)


SESSION_KEY_GONE = QT_TRANSLATE_NOOP(
    "ChatError",
    "its key was kept for a session only and was forgotten when DesktopChat quit; enter it "
    "again, or remove it in Settings → Keys to send requests without a key",
)
KEY_NOT_IN_KEYCHAIN = QT_TRANSLATE_NOOP(
    "ChatError",
    "its key is no longer in the keychain; enter it again, or remove it in Settings → Keys "
    "to send requests without a key",
)


class ProviderRegistry:
    """Builds and caches providers; the settings are read through a callable so a change in
    the Settings dialog applies to the next request without rewiring anything."""

    def __init__(
        self,
        keys: KeyStore,
        preferences: Callable[[], Preferences],
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self._keys = keys
        self._preferences = preferences
        self._cache_dir = cache_dir
        self._providers: dict[str, tuple[tuple[object, ...], Provider]] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._lists: dict[str, ModelList] = {}
        self._reading: dict[str, asyncio.Future[ModelList]] = {}
        self._windows = LocalWindows()
        self.catalog = ModelCatalog()
        """The bundled model table, once load_catalog has read it."""

    def presets(self) -> list[ProviderPreset]:
        """Built-ins with the person's URL overrides, then custom endpoints, in display order."""
        prefs = self._preferences()
        result = [
            with_base_url(p, prefs.base_url_overrides[p.id])
            if prefs.base_url_overrides.get(p.id)
            else p
            for p in PRESETS
        ]
        # A custom endpoint's key is optional: _key_for sends a dummy one when none is stored,
        # so listing presets never waits on the keychain.
        result.extend(
            custom_preset(e.id, e.name, e.base_url, has_key=True) for e in prefs.custom_endpoints
        )
        return result

    def preset(self, provider_id: str) -> ProviderPreset:
        for preset in self.presets():
            if preset.id == provider_id:
                return preset
        raise ChatError(ErrorKind.BAD_REQUEST, detail=f"Unknown provider “{provider_id}”.")

    def provider_name(self, provider_id: str) -> str | None:
        """The name a person knows a provider by (a custom endpoint's own name); None for
        an id no longer set up (a removed endpoint)."""
        return next((p.name for p in self.presets() if p.id == provider_id), None)

    def _timeouts(self) -> RequestTimeouts:
        return RequestTimeouts(first_byte=self._preferences().request_timeout)

    async def _key_for(self, preset: ProviderPreset) -> str | None:
        """The key to send. A custom endpoint without one gets a dummy key, unless the
        person gave it a key that is gone now (kept for a session that ended, or in a
        keychain that cannot be read): that request would go without the key it needs, so
        it is a NO_KEY error saying so."""
        if preset.local:
            return preset.dummy_key
        key = await self._keys.aget(preset.id, preset.env_var)
        if key is None and preset.custom:
            place = self._preferences().key_places.get(preset.id)
            if place is not None:
                raise self._key_gone(preset, place)
            return preset.dummy_key or "no-key"
        return key

    def _key_gone(self, preset: ProviderPreset, place: str) -> ChatError:
        problem = self._keys.problem
        if place == "keychain" and problem is not None:
            detail = str(problem)
        elif place == "keychain":
            detail = KEY_NOT_IN_KEYCHAIN
        else:
            detail = SESSION_KEY_GONE
        return ChatError(ErrorKind.NO_KEY, provider=preset.name, detail=detail)

    def _no_key(self, preset: ProviderPreset) -> ChatError:
        """NO_KEY, saying why the keychain could not be read when it could not: the key may
        well be in a keychain that is locked, not answering, or whose service has gone."""
        problem = self._keys.problem
        detail = str(problem) if problem is not None else ""
        return ChatError(ErrorKind.NO_KEY, provider=preset.name, detail=detail)

    @staticmethod
    def _check_sendable(preset: ProviderPreset, key: str | None) -> None:
        """A key that cannot go in an HTTP header (pasted with an en dash, an accent, a
        zero-width space; saved by an older version or set in the environment) is said to
        be the key's problem here, before the HTTP library fails on it mid-request."""
        found = unsendable_character(key) if key else None
        if found is not None:
            raise ChatError(ErrorKind.AUTH, provider=preset.name, detail=found.describe())

    async def provider(self, provider_id: str) -> Provider:
        """The provider for this id, with the key looked up now (keychain, then environment).

        Raises ChatError(NO_KEY) when the service needs a key and none is set.
        """
        preset = self.preset(provider_id)
        key = await self._key_for(preset)
        if key is None and preset.needs_key:
            raise self._no_key(preset)
        self._check_sendable(preset, key)
        timeouts = self._timeouts()
        fingerprint = (preset, hash(key), timeouts)
        cached = self._providers.get(provider_id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        provider = await _create(preset, key, timeouts)
        if cached is not None:
            self._close_later(cached[1])
        self._providers[provider_id] = (fingerprint, provider)
        return provider

    async def test_key(self, provider_id: str, key: str | None) -> list[ModelInfo]:
        """List models with this key (or the stored one), without caching anything."""
        preset = self.preset(provider_id)
        if key is None:
            key = await self._key_for(preset)
        if key is None and preset.needs_key:
            raise self._no_key(preset)
        self._check_sendable(preset, key)
        return list((await self._fetch(preset, key)).models)

    async def models(self, provider_id: str) -> ModelList:
        """Ask the service for its models (capped) and remember them, here and on disk."""
        preset = self.preset(provider_id)
        key = await self._key_for(preset)
        if key is None and preset.needs_key:
            raise self._no_key(preset)
        self._check_sendable(preset, key)
        return await self.keep_models(provider_id, await self._fetch(preset, key))

    async def _fetch(self, preset: ProviderPreset, key: str | None) -> ModelList:
        await import_sdk(preset.sdk)
        timeouts = self._timeouts()
        return await _on_own_loop(lambda: _listed_models(preset, key, timeouts))

    async def keep_models(self, provider_id: str, models: ModelList) -> ModelList:
        """Remember a list found another way (the first-run probe) as if fetched."""
        self._lists[provider_id] = models
        path = self._cache_path(provider_id)
        if path is not None:
            await asyncio.to_thread(_write_cache, path, models, provider_id)
        return models

    def known_models(self, provider_id: str) -> ModelList | None:
        """The list in memory, without reading anything; None until fetched or cached."""
        return self._lists.get(provider_id)

    async def cached_models(self, provider_id: str) -> ModelList:
        """The list from memory, or from the disk cache the first time (in a worker thread;
        callers that come meanwhile share that one read); empty if never fetched."""
        known = self._lists.get(provider_id)
        if known is not None:
            return known
        reading = self._reading.get(provider_id)
        if reading is None:
            path = self._cache_path(provider_id)
            if path is None:
                return ModelList()
            reading = asyncio.ensure_future(self._read_cached(provider_id, path))
            self._reading[provider_id] = reading
        return await asyncio.shield(reading)

    async def load_catalog(self) -> ModelCatalog:
        """Read the bundled model table (in a worker thread), once."""
        if not self.catalog.providers:
            from desktopchat.services.pricing import read_bundled_catalog

            self.catalog = await asyncio.to_thread(read_bundled_catalog)
        return self.catalog

    def well_known_models(self, provider_id: str) -> ModelList:
        """The table's models of a built-in service: offered when its list cannot load."""
        return capped(self.catalog.well_known(provider_id))

    async def learn_window(self, provider_id: str, model: str) -> None:
        """Ask a local server (or the person's own) for the window it holds this model in,
        once per server and model (services/local_window.py); model_info has it after."""
        try:
            preset = self.preset(provider_id)
        except ChatError:
            return
        if not LocalWindows.asked_of(preset) or self._windows.answered(preset, model):
            return  # asked once per session, a "does not say" included: no keychain call
        try:
            key = await self._key_for(preset)
        except ChatError:  # a key that is gone: asked without one; the request says why
            key = None
        sendable = key is not None and unsendable_character(key) is None
        await self._windows.learn(preset, model, key if sendable else None)

    def model_info(self, provider_id: str, model: str) -> ModelInfo:
        """What is known of a model: its entry in the service's list, its window as a local
        server holds it (which comes first), gaps (context window, output limit) filled
        from the bundled table."""
        listed = self._lists.get(provider_id)
        info = next((m for m in listed.models if m.id == model), None) if listed else None
        info = info or ModelInfo(model)
        preset = next((p for p in self.presets() if p.id == provider_id), None)
        window = self._windows.known(preset, model) if preset is not None else None
        if window:
            info = replace(info, context_length=window)
        entry = self.catalog.entry(provider_id, model)
        if entry is None:
            return info
        return replace(
            info,
            context_length=info.context_length or entry.context_length,
            max_output_tokens=info.max_output_tokens or entry.max_output_tokens,
            tools=entry.tools if info.tools is None else info.tools,
        )

    def is_local(self, provider_id: str) -> bool:
        """Whether a provider runs on this machine (its replies cost nothing)."""
        try:
            return self.preset(provider_id).local
        except ChatError:
            return False

    async def _read_cached(self, provider_id: str, path: Path) -> ModelList:
        """Read the disk cache once and keep it, even if whoever asked has moved on (the
        read is shielded); a list fetched meanwhile is newer and is what it gives."""
        try:
            read = await asyncio.to_thread(_read_cache, path)
        finally:
            self._reading.pop(provider_id, None)
        return self._lists.setdefault(provider_id, read)

    def _cache_path(self, provider_id: str) -> Path | None:
        if self._cache_dir is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in provider_id)
        return self._cache_dir / f"models-{safe}.json"

    def invalidate(self, provider_id: str | None = None) -> None:
        """Forget providers whose key, URL or endpoint changed (all when None)."""
        ids = list(self._providers) if provider_id is None else [provider_id]
        for pid in ids:
            cached = self._providers.pop(pid, None)
            if cached is not None:
                self._close_later(cached[1])

    def _close_later(self, provider: Provider) -> None:
        with contextlib.suppress(RuntimeError):  # no running loop: nothing is open
            task = asyncio.get_running_loop().create_task(provider.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        """Close every SDK client (at shutdown)."""
        providers = [entry[1] for entry in self._providers.values()]
        self._providers.clear()
        for provider in providers:
            await provider.aclose()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
