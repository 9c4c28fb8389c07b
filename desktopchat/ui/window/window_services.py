"""What the app (app/assembly.py) builds once and hands to the main window: the services it
works with, and the ones made on first use (so start-up does not load them, DESIGN.md P1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktopchat.services.context_actions import ContextService
from desktopchat.services.history import HistoryService
from desktopchat.services.pricing import Pricing
from desktopchat.services.projects import ProjectService
from desktopchat.services.prompts import PromptLibrary
from desktopchat.services.registry import ProviderRegistry
from desktopchat.services.usage import UsageService
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.support.asyncutils import Tasks

if TYPE_CHECKING:
    from desktopchat.services.backups import BackupService
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.lazy import Lazy
    from desktopchat.services.sync.service import SyncService
    from desktopchat.services.tools import ToolService


@dataclass
class Services:
    """Everything the window works with, built once by app/assembly.py and passed in."""

    history: HistoryService
    controller: ChatController
    registry: ProviderRegistry
    keys: KeyStore
    settings: SettingsStore
    prefs: Preferences
    context: ContextService
    usage: UsageService
    pricing: Pricing
    prompts: PromptLibrary
    """Saved prompts (Edit → Prompts…, `/` in the message box); read on first use."""
    imports: Callable[[], ImportService]
    """File → Import…; made on first use, so the importers are not loaded at start (P1)."""
    backups: Callable[[], BackupService]
    """The daily copy and File → Restore from backup…; made on first use, like imports."""
    tasks: Tasks = field(default_factory=Tasks)
    """The window's tasks (its parts', its dialogs'): app.shut_down drains them before the
    history closes."""
    projects: ProjectService | None = None
    """Projects (services/projects.py); made from the history when not given."""
    tools: Lazy[ToolService] | None = None
    """MCP servers and allow rules (services/tools.py), made on first use: by app.run once
    the window shows if mcp.json exists, or by Settings → Tools; stopped by app.shut_down
    before the history closes."""
    sync: Callable[[], SyncService] | None = None
    """Sync (Settings → Sync); made only once sync is set up, like imports (P1, P6)."""
    sync_set_up: Callable[[], bool] = lambda: False
    """Whether a sync state file is beside the history: a stat, called in a thread."""
