"""What a person chooses, as the app holds it: Preferences and the few names around them
(themes, languages, custom endpoints, the window's place, each conversation's switches).

Apart from the file they are kept in (system/settings.py, which also gives these names to
the rest of the app) and from the checks a value read from that file goes through
(system/settings_values.py), which both need them. There is deliberately no field for an
API key: keys live in the keychain (system/keys.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "fr")
_SLUG_LIMIT = 40


@dataclass(frozen=True)
class CustomEndpoint:
    """A person's own OpenAI-compatible server; its key, if any, is in the keychain under
    `id`."""

    id: str
    name: str
    base_url: str


@dataclass
class Preferences:
    theme: str = "system"
    language: str = "system"
    max_tokens: int = 4096
    request_timeout: float = 60.0
    """Seconds to wait for the first byte of a reply."""
    send_on_enter: bool = True
    last_provider: str | None = None
    last_model: str | None = None
    window_geometry: str = ""
    """Base64 of QWidget.saveGeometry()."""
    splitter_state: str = ""
    sidebar_folded: bool = False
    """The person folded the sidebar (Ctrl+B); a fold made by a narrow window is not kept."""
    sidebar_width: int = 0
    """The sidebar's width before it was folded (0: none yet); the splitter's state holds
    the rail's width while it is folded."""
    open_conversation: int | None = None
    """The conversation on screen when the app last stopped (None: a new chat)."""
    scroll_positions: dict[str, int] = field(default_factory=dict)
    """Conversation id → how far above its bottom it was scrolled, in pixels."""
    base_url_overrides: dict[str, str] = field(default_factory=dict)
    """Provider id → base URL: LM Studio or Ollama on another port, Qwen's China region."""
    custom_endpoints: list[CustomEndpoint] = field(default_factory=list)
    key_places: dict[str, str] = field(default_factory=dict)
    """Account → where the person put its key: "keychain", "session" (kept until quit) or
    "lost" (a session key gone with the last quit, already said). Names only, never a key:
    so a start can say which session keys are gone, and a custom endpoint whose key is
    missing says so instead of going without it."""
    keychain_notice: bool = True
    """Whether to say at start that there is no keychain ("Don't show again" turns it off)."""
    favourite_models: list[list[str]] = field(default_factory=list)
    """[provider id, model id] pairs starred in the model picker, in the order starred."""
    recent_models: list[list[str]] = field(default_factory=list)
    """[provider id, model id] pairs picked most recently, newest first."""
    side_panel: bool = False
    """Whether the conversation's settings panel is open."""
    conversation_switches: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Conversation id ("new" for the chat not sent yet) → {"tools": …, "web_search": …}:
    whether its replies may use tools and web search. Kept here, not in the history (the
    history's schema has no place for them): a conversation never set uses the defaults
    (tools on, web search off)."""
    update_checks: bool | None = None
    """Whether DesktopChat may read the release feed once a day; None until the person
    answers the first start's question (and, like False, no request is ever made)."""
    update_feed: str = ""
    """The release feed's address (https); empty: not configured, nothing is checked."""
    update_last_check: float = 0.0
    """When the feed was last read (seconds since the epoch): at most one check a day."""


PLACE_FIELDS = frozenset(
    {
        "window_geometry",
        "splitter_state",
        "open_conversation",
        "scroll_positions",
        "favourite_models",
        "recent_models",
        "side_panel",
        "conversation_switches",
        "sidebar_folded",
        "sidebar_width",
        "update_last_check",
    }
)
"""The window's place, what the header keeps (favourite and recent models, the side panel,
each conversation's switches) and the time of the last update check: the window saves these itself
(ui/window/place.py), Settings never (so an open dialog cannot write an older value back)."""


SWITCHES = ("tools", "web_search")
SWITCH_DEFAULTS = {"tools": True, "web_search": False}
NEW_CHAT_SWITCHES = "new"
"""The key of the chat not sent yet in Preferences.conversation_switches."""


def switches_of(prefs: Preferences, conversation_id: int | None) -> dict[str, bool]:
    """Whether a conversation's replies may use tools and web search (the defaults filled
    in): what the person set in its side panel or composer."""
    key = NEW_CHAT_SWITCHES if conversation_id is None else str(conversation_id)
    return {**SWITCH_DEFAULTS, **prefs.conversation_switches.get(key, {})}


KEY_PLACES = ("keychain", "session", "lost")


def new_endpoint_id(name: str, existing: Iterable[str]) -> str:
    """A stable, readable id for a custom endpoint ("custom-<slug>"), unique among
    `existing`: it is also the endpoint's account name in the keychain."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_LIMIT].strip("-")
    base = f"custom-{slug or 'endpoint'}"
    taken = set(existing)
    candidate, counter = base, 1
    while candidate in taken:
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
