"""Ids the app gives its own rows before they are written.

A conversation must go on while another program holds the history's write lock: the question
is sent and the reply streams and shows, and both are written when the lock goes. So a new
conversation or message gets its id here, at once, rather than from SQLite's AUTOINCREMENT
once the INSERT has run; everything that refers to it (the UI, the next save of a streaming
reply, the next turn) can use it straight away.

An id is the time in milliseconds shifted left by 20 bits, plus 20 random bits:

- ordered: conversations and messages are sorted by id, so ids must grow. Within this run
  they always do (each is at least the previous one + 1, whatever the clock does), and they
  start above the largest id already in the file, so a clock set back never files a new
  message before an old one. Across two instances they follow the time they were made.
- unique across instances without asking anyone: two instances (R8) get the same id only if
  they make a row in the same millisecond and draw the same 20 random bits (one in a
  million of the first case); SQLite then refuses the second INSERT (a bug report, nothing
  overwritten).
- never reused, as AUTOINCREMENT promised: a late save of a deleted reply cannot land on the
  one that replaced it.
- within SQLite's 63 bits until the year 2262. Ids made by AUTOINCREMENT before this scheme
  are small numbers, so every new id sorts after them.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

RANDOM_BITS = 20


class IdAllocator:
    """Gives increasing, practically unique ids; safe to call from any thread."""

    def __init__(self, floor: int = 0, clock: Callable[[], float] = time.time) -> None:
        self._last = floor
        self._clock = clock
        self._lock = threading.Lock()

    def next_id(self) -> int:
        candidate = (int(self._clock() * 1000) << RANDOM_BITS) | secrets.randbits(RANDOM_BITS)
        with self._lock:
            self._last = max(self._last + 1, candidate)
            return self._last
