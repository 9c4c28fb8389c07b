"""Web search through the provider's own search (issue 19 item 8): which models can search,
and what a reply that searched keeps — how many searches it made and the sources it cites.

Three ways, each the service's own (nothing is fetched by DesktopChat):
- Anthropic's `web_search` server tool, on the Claude models that take it; $10 per 1,000
  searches, counted by the API in `usage.server_tool_use.web_search_requests`;
- OpenAI's search models in Chat Completions (`gpt-4o-search-preview`, `gpt-5-search-api`
  …), asked with `web_search_options`; they search on every request;
- OpenRouter's web plugin (`plugins: [{"id": "web"}]`, what the `:online` suffix means),
  for any model; OpenRouter reports the whole cost, the searches included.

Sources come from outside: their titles and addresses are plain text wherever shown, and
only an http or https address is ever opened (`opens_in_browser`). What is kept is bounded
(`MAX_SOURCES`, the lengths below) so a hostile stream cannot grow a reply without end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from desktopchat.domain.errors import well_formed

MAX_SOURCES = 100
"""The most sources one reply keeps (the first ones cited)."""
MAX_TITLE = 300
MAX_URL = 2048
MAX_CITED = 1000
MAX_SEARCHES = 10_000
"""More searches than one reply makes: a larger count from a server is not one."""
ANTHROPIC_MAX_USES = 5
"""The most searches Claude may make for one request (the tool's `max_uses`)."""


class SearchWay(StrEnum):
    """How a provider searches the web for a model."""

    ANTHROPIC_TOOL = "anthropic_tool"
    OPENAI_SEARCH_MODEL = "openai_search_model"
    OPENROUTER_PLUGIN = "openrouter_plugin"


_CLAUDE_SEARCH = re.compile(
    r"claude-(3-5-sonnet|3-5-haiku|3-7-sonnet|(opus|sonnet|haiku)-[4-9]|[4-9]-)"
)
"""Claude models that take the web_search tool (Anthropic's documentation lists 3.5 Sonnet
and Haiku, 3.7 Sonnet and every model from 4 on); Claude 3 Opus and Haiku do not."""


def search_way(provider_id: str, model: str) -> SearchWay | None:
    """How this model searches the web with this provider; None when it cannot."""
    name = model.lower()
    if provider_id == "openrouter" and name:
        return SearchWay.OPENROUTER_PLUGIN
    if provider_id == "anthropic" and _CLAUDE_SEARCH.match(name):
        return SearchWay.ANTHROPIC_TOOL
    if provider_id == "openai" and "search" in name and not name.startswith("text-"):
        return SearchWay.OPENAI_SEARCH_MODEL
    return None


def opens_in_browser(url: str) -> bool:
    """Whether an address may be opened: http or https with a host, nothing else
    (`javascript:`, `file:`, `data:` and the like stay text)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class Citation:
    """One source a reply cites: its title and address as the service gave them, and the
    passage it quoted where it says (Anthropic's `cited_text`)."""

    title: str
    url: str
    cited_text: str = ""


def citation(title: object, url: object, cited_text: object = "") -> Citation | None:
    """A citation from a service's fields, cleaned: one-line, well-formed, cut to length;
    None without an address."""
    address = _line(url, MAX_URL)
    if not address:
        return None
    return Citation(_line(title, MAX_TITLE), address, _text(cited_text, MAX_CITED))


@dataclass(frozen=True)
class WebSearch:
    """What a reply's web search left: the searches made (where the service counts them)
    and the sources cited, each address once, in the order first cited."""

    searches: int = 0
    sources: tuple[Citation, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.searches and not self.sources

    def cited(self, source: Citation) -> WebSearch:
        """With `source` added, unless its address is already there or the list is full."""
        if len(self.sources) >= MAX_SOURCES or any(s.url == source.url for s in self.sources):
            return self
        return replace(self, sources=(*self.sources, source))

    def searched(self, count: int) -> WebSearch:
        return replace(self, searches=min(max(count, 0), MAX_SEARCHES))


NO_WEB_SEARCH = WebSearch()


def web_search_json(search: WebSearch | None) -> str | None:
    """The stored form (the `web_search` column); None for a reply that did not search."""
    record = None if search is None else web_search_record(search)
    return None if record is None else json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def web_search_record(search: WebSearch) -> dict[str, Any] | None:
    """The stored form as a JSON value (also an export's details); None: no search."""
    if search.empty:
        return None
    return {
        "searches": search.searches,
        "sources": [_source_record(source) for source in search.sources],
    }


def web_search_from_json(text: str | None) -> WebSearch:
    """The stored record; anything malformed (a synced, imported or edited one) is read as
    far as it is well formed and bounded, never raised."""
    if not text:
        return NO_WEB_SEARCH
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return NO_WEB_SEARCH
    return web_search_from_record(data)


def web_search_from_record(data: object) -> WebSearch:
    if not isinstance(data, dict):
        return NO_WEB_SEARCH
    count = data.get("searches")
    result = WebSearch().searched(count if type(count) is int else 0)
    sources = data.get("sources")
    for item in sources if isinstance(sources, list) else ():
        if isinstance(item, dict):
            found = citation(item.get("title"), item.get("url"), item.get("cited", ""))
            if found is not None:
                result = result.cited(found)
    return result


def _source_record(source: Citation) -> dict[str, str]:
    record = {"title": source.title, "url": source.url}
    if source.cited_text:
        record["cited"] = source.cited_text
    return record


def _line(value: object, limit: int) -> str:
    """One line of text: controls and line breaks as spaces, runs of spaces as one."""
    if not isinstance(value, str):
        return ""
    text = "".join(c if c.isprintable() else " " for c in well_formed(value[: limit * 2]))
    return " ".join(text.split())[:limit]


def _text(value: object, limit: int) -> str:
    return well_formed(value[:limit]).strip() if isinstance(value, str) else ""
