"""The one assembly of the app's parts: the history, keychain, providers and services wired
together into the window's Services.

Apart from the start-up order so that the GUI and reliability tests build exactly what
ships; the services that are not needed at start (imports, backups, sync, MCP tools) are
made here on first use, their modules imported only then (P1, P6).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from desktopchat.system.paths import AppPaths

if TYPE_CHECKING:
    from concurrent.futures import Future
    from pathlib import Path

    from desktopchat.services.backups import BackupService
    from desktopchat.services.history import HistoryService, StorageProblem
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.sync.service import SyncService
    from desktopchat.services.tools import ToolService
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore
    from desktopchat.system.settings import Preferences, SettingsStore
    from desktopchat.ui.window.window_services import Services

log = logging.getLogger("desktopchat")


def build_services(
    paths: AppPaths, settings: SettingsStore, prefs: Preferences
) -> tuple[Services, StorageProblem | None]:
    """Open the history and wire the store, keychain, providers and chat service together.

    The one assembly of the app's parts: run() uses it, and so do the GUI tests, so what is
    tested is what ships. Replies a crash left streaming are marked interrupted first (the
    change is queued ahead of everything else, so every read sees it).
    """
    from desktopchat.services.chat import ChatService
    from desktopchat.services.context_actions import ContextService
    from desktopchat.services.context_limits import ContextLimits
    from desktopchat.services.history import HistoryService
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.pricing import OVERRIDES_FILE, Pricing
    from desktopchat.services.projects import ProjectService
    from desktopchat.services.prompts import PromptLibrary
    from desktopchat.services.registry import ProviderRegistry
    from desktopchat.services.tool_support import REFUSED_FILE, ToolSupport
    from desktopchat.services.usage import UsageService
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.system.keys import KeyStore
    from desktopchat.system.prompt_file import PROMPTS_FILE, PromptFile
    from desktopchat.ui.chat.controller import ChatController
    from desktopchat.ui.window.window_services import Services

    db, problem = open_database(paths.database)
    store = ConversationStore(db)
    store.recover_interrupted().add_done_callback(_log_recovered)
    history = HistoryService(store)
    keys = KeyStore()
    registry = ProviderRegistry(keys, lambda: prefs, cache_dir=paths.cache)
    pricing = Pricing(
        lambda: registry.catalog,
        listed=registry.known_models,
        is_local=registry.is_local,
        overrides_path=paths.config / OVERRIDES_FILE,
    )
    limits = ContextLimits(registry.model_info, lambda: prefs.max_tokens, registry.learn_window)
    tools = Lazy(lambda: _tool_service(paths.config, keys))
    service = ChatService(
        history,
        registry.provider,
        price=pricing.priced,
        web_search_price=pricing.web_search_price,
        context=limits,
        tools=lambda: tools.made,  # never made for a reply: no servers, no tools
        tool_support=ToolSupport.remembered_in(
            paths.config / REFUSED_FILE,
            lambda provider, model: registry.model_info(provider, model).tools,
        ),
    )
    context = ContextService(history, registry.provider, limits)
    controller = ChatController(service)
    usage = UsageService(history, registry.provider_name)
    services = Services(
        history,
        controller,
        registry,
        keys,
        settings,
        prefs,
        context,
        usage,
        pricing,
        prompts=PromptLibrary(PromptFile(paths.config / PROMPTS_FILE)),
        projects=ProjectService(history),
        imports=lambda: _import_service(history),
        backups=lambda: _backup_service(history),
        sync=lambda: _sync_service(history, keys),
        sync_set_up=lambda: _sync_set_up(store),
        # Made on first use: by run() after the window shows when mcp.json exists, or by
        # Settings → Tools; nothing of it is imported or read before (P1, P6).
        tools=tools,
    )
    return services, problem


def _import_service(history: HistoryService) -> ImportService:
    """The importers are loaded when the person first imports, not at start (P1)."""
    from desktopchat.services.importers.service import ImportService

    return ImportService(history.store, history.announce)


def _tool_service(config: Path, keys: KeyStore) -> ToolService:
    from desktopchat.services.tools import ToolService

    return ToolService(config, keys)


def _backup_service(history: HistoryService) -> BackupService:
    from desktopchat.services.backups import BackupService

    return BackupService(history.store, history.announce)


def _sync_service(history: HistoryService, keys: KeyStore) -> SyncService:
    """Sync is loaded when it is set up (a state file found after the window shows) or
    the person opens Settings → Sync, never at start (P1, P6)."""
    from desktopchat.services.sync.service import SyncService

    return SyncService(history.store, keys, announce=history.announce)


def _sync_set_up(store: ConversationStore) -> bool:
    from desktopchat.services.sync.names import is_set_up

    return is_set_up(store.writer.database.path)


def _log_recovered(counted: Future[int]) -> None:
    if counted.exception() is None and counted.result():
        log.info(
            "%d reply(ies) left streaming by the last run marked interrupted", counted.result()
        )
