"""The release feed: one small JSON file that says which DesktopChat version is the newest.

Read only when the person said yes (Preferences.update_checks), at most once a day, and
never on the loop (services/updates.py runs `read_feed` in a worker thread). Nothing is
downloaded or installed: the feed gives a version, a date, plain-text notes and, per
platform, the address of a download page that the person may open in their browser.

    {"version": "0.6.0", "date": "2026-12-01", "notes": "What changed, plain text.",
     "downloads": {"linux": "https://…", "windows": "https://…", "macos": "https://…"}}

The feed is outside text: its size is capped, its fields are checked, and whatever is wrong
with it makes the check quietly find nothing (the reason goes to the log).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from dataclasses import dataclass
from typing import Any

FEED_LIMIT_BYTES = 64 * 1024
"""A feed is a few hundred bytes; anything bigger than this is refused unread."""
FEED_TIMEOUT_S = 10.0
NOTES_LIMIT = 2000
"""Characters of notes shown; the rest is cut (the download page tells all)."""
_FIELD_LIMIT = 200


class FeedProblem(Exception):
    """The feed could not be read or does not say what a feed says."""


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    notes: str
    download: str
    """The download page for this platform (http or https), or "" when the feed has none."""


def platform_key(platform: str = sys.platform) -> str:
    """The feed's name for this system."""
    if platform.startswith("win"):
        return "windows"
    return "macos" if platform == "darwin" else "linux"


def read_feed(url: str, timeout: float = FEED_TIMEOUT_S, limit: int = FEED_LIMIT_BYTES) -> bytes:
    """GET the feed (blocking: a worker thread's job); at most `limit` bytes, else refused."""
    if not url.lower().startswith(("https://", "http://")):
        raise FeedProblem("the feed address is not an http(s) address")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(limit + 1)
    except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts are OSErrors
        raise FeedProblem(f"cannot read the feed: {error}") from error
    if len(body) > limit:
        raise FeedProblem(f"the feed is larger than {limit} bytes")
    return body


def parse_feed(body: bytes, platform: str | None = None) -> Release:
    """The release a feed describes; FeedProblem if it is not a feed."""
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FeedProblem(f"the feed is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise FeedProblem("the feed is not a JSON object")
    version = _field(data, "version")
    if parse_version(version) is None:
        raise FeedProblem(f"the feed's version {version[:40]!r} is not a version number")
    downloads = data.get("downloads")
    link = downloads.get(platform or platform_key()) if isinstance(downloads, dict) else None
    return Release(
        version=version,
        date=_field(data, "date", required=False),
        notes=_plain(data.get("notes"))[:NOTES_LIMIT],
        download=link if isinstance(link, str) and _is_web_address(link) else "",
    )


def _field(data: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = data.get(name)
    if isinstance(value, str) and value.strip():
        return _plain(value)[:_FIELD_LIMIT]
    if required:
        raise FeedProblem(f"the feed has no {name}")
    return ""


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _plain(value: object) -> str:
    """Text with control characters, bidirectional overrides and lone surrogates taken out
    (the notice shows it as plain text in any case)."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else ""


def _is_web_address(link: str) -> bool:
    return (
        link.lower().startswith(("https://", "http://"))
        and len(link) <= 2000
        and not any(c.isspace() or ord(c) < 32 for c in link)
    )


_VERSION = re.compile(r"v?(\d+(?:\.\d+){0,3})(?:(a|b|rc)(\d+))?", re.IGNORECASE)


def parse_version(text: str) -> tuple[tuple[int, ...], tuple[int, int]] | None:
    """A comparable key for a release number ("1.2", "1.10.0rc1", "v2.0"), or None.

    Release parts compared as numbers (trailing zeros ignored), a pre-release (a, b, rc)
    before its release: all our own release numbers use, so no dependency is needed."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        return None
    parts = [int(part) for part in match[1].split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    stage = {"a": 0, "b": 1, "rc": 2}.get((match[2] or "").lower(), 3)
    return tuple(parts), (stage, int(match[3] or 0))


def is_newer(candidate: str, current: str) -> bool:
    """Whether release `candidate` comes after `current` (False when either is not a
    version number)."""
    new, old = parse_version(candidate), parse_version(current)
    return new is not None and old is not None and new > old
