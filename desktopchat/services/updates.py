"""Whether a newer DesktopChat is out: the once-a-day look at the release feed.

Opt-in (DESIGN.md: no request the person did not agree to): with Preferences.update_checks
anything but True, or no feed address, nothing is read and no connection is opened. When
on, the feed is read at most once every CHECK_INTERVAL_S (the time of the last look is kept
in the preferences, whatever its outcome, so a broken feed is not asked again at every
start), in a worker thread; whatever goes wrong is logged and otherwise silent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktopchat.system.settings import Preferences
    from desktopchat.system.update_feed import Release

log = logging.getLogger(__name__)

CHECK_INTERVAL_S = 24 * 3600.0


def check_due(prefs: Preferences, now: float) -> bool:
    """Whether the feed may be read now: the person said yes, a feed is set, and the last
    look is a day old (or in the future: a clock set back does not stop checks for good)."""
    if prefs.update_checks is not True or not prefs.update_feed.strip():
        return False
    since = now - prefs.update_last_check
    return since >= CHECK_INTERVAL_S or since < 0


async def newer_release(
    prefs: Preferences,
    current: str,
    remember: Callable[[], object],
    now: Callable[[], float] = time.time,
) -> Release | None:
    """The release the feed offers when it is newer than `current` and a check is due; None
    otherwise (not due, off, nothing newer, or the feed could not be used). `remember` is
    called once the check time is set in `prefs`, for the caller to save it."""
    if not check_due(prefs, now()):
        return None
    prefs.update_last_check = now()
    remember()
    release = await asyncio.to_thread(_read_release, prefs.update_feed.strip())
    if release is None or not _newer(release.version, current):
        return None
    log.info("DesktopChat %s is available (running %s)", release.version, current)
    return release


def _read_release(url: str) -> Release | None:
    """In a worker thread: read and parse the feed; None (logged) when it cannot be used."""
    from desktopchat.system.update_feed import FeedProblem, parse_feed, read_feed

    try:
        return parse_feed(read_feed(url))
    except FeedProblem as problem:
        log.warning("update check: %s", problem)
        return None


def _newer(candidate: str, current: str) -> bool:
    from desktopchat.system.update_feed import is_newer

    return is_newer(candidate, current)
