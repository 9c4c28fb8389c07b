"""Ids the app gives its own rows before they are written.

A conversation must go on while another program holds the history's write lock: the question
is sent and the reply streams and shows, and both are written when the lock goes. So a new
conversation or message gets its id here, at once, rather than from SQLite's AUTOINCREMENT
once the INSERT has run; everything that refers to it (the UI, the next save of a streaming
reply, the next turn) can use it straight away.

An id is three fields, most significant first (63 bits: SQLite's INTEGER, positive)::

    | milliseconds since 1970: 43 bits | instance field: 14 bits | sequence: 6 bits |

- the **instance field** is drawn once per instance (each ConversationStore) and every id it
  makes carries it, so two instances that drew different fields can never make the same id,
  whatever their clocks and however fast they go. On one history file the field is also
  *claimed* in the file (`claim_field`, table `id_fields`): an instance picks a field no
  other one holds, inside a write transaction, so two instances on the same file never share
  one. A claim is released when the store closes; one left by a crash is taken back after
  CLAIM_LIFETIME without a sign of life (an open instance renews its claim while it writes,
  see `KEEP_CLAIM_EVERY`). Reusing a dead instance's field is safe: a new instance starts
  above the largest id in the file, so above everything the dead one wrote.
- the **sequence** numbers the ids of one instance within one millisecond. It starts at a
  random value each millisecond (not at 0: two computers that drew the same field then still
  differ in a millisecond they both use, see below) and counts up; when it runs out, the id
  borrows the next millisecond, so a burst runs slightly ahead of the clock (an import of
  20,000 messages by at most a few hundred ms) instead of failing or repeating.
- **ordered**: conversations and messages are sorted by id, so ids must grow. Within an
  instance they always do (a clock set back changes nothing: the instance goes on from its
  last millisecond), and they start above the largest id already in the file (the floor),
  so a new message never sorts before an old one. Across instances they follow the time
  they were made, to the millisecond (ids of one millisecond are ordered by instance field).
- **never reused**, as AUTOINCREMENT promised: a late save of a deleted reply cannot land on
  the one that replaced it (and writes are scoped to their conversation besides).
- **compatible**: the time sits where it sat in the ids of the previous scheme (milliseconds
  shifted left by 20 bits, then 20 random bits) and AUTOINCREMENT's before it, so new ids
  sort after every old one; 43 bits of milliseconds last until the year 2248.

The split of the 20 bits below the time is a trade-off. The instance field is as wide as it
can be (it is what separates computers that will share a history through sync); the 6 bits
of sequence give 64 ids per millisecond (64,000 a second) before a burst borrows ahead,
more than a person makes and enough that an import runs only a little ahead of the clock.

Collision probability:

- two instances on one file: none (distinct claimed fields). If the claim cannot be written
  (the file locked by another program for longer than the busy timeout at start), the field
  is drawn among those not claimed and the rest below applies.
- two instances on different computers (sync, later): they must draw the same field, 1 in
  16,384 per pair of runs, and then make an id in the same millisecond with the same
  sequence: 1 in 64 for single ids (random start), about (m + n) / 64 for bursts of m and n.
  For single ids that is 2^-20 per millisecond both use, as in the previous scheme; for
  bursts it is 2^-14 at worst. The previous scheme, by contrast, gave about five ids twice
  in every pair of bursts of 300 made in one millisecond, on one computer as on two (both
  bursts climbed to the top of the millisecond's range: 14,298 of 1.8 million ids, two
  instances on one clock, 3,000 bursts of 300 each; none now, tests/storage/test_ids.py).
  Concretely: two computers that each make 100,000 ids a year spread over their waking
  hours share about one millisecond a year, so a shared id is expected about once in a
  million years per pair of computers.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable

from desktopchat.storage.db import Database, StorageError

log = logging.getLogger(__name__)

TIME_BITS = 43
FIELD_BITS = 14
SEQUENCE_BITS = 6
LOW_BITS = FIELD_BITS + SEQUENCE_BITS
"""Everything below the time (20, as in the previous scheme: old and new ids share a clock)."""

FIELDS = 1 << FIELD_BITS
SEQUENCES = 1 << SEQUENCE_BITS
_LAST_MS = (1 << TIME_BITS) - 1

CLAIM_LIFETIME = 30 * 24 * 3600.0
"""A claim not renewed for this long belongs to an instance that crashed (or sleeps)."""
KEEP_CLAIM_EVERY = 3600.0
"""How often, at most, an instance that writes renews its claim."""


def compose(ms: int, field: int, sequence: int) -> int:
    """The id of (millisecond, instance field, sequence)."""
    return (ms << LOW_BITS) | (field << SEQUENCE_BITS) | sequence


def parts(identifier: int) -> tuple[int, int, int]:
    """(millisecond, instance field, sequence) of an id (an old random one splits too)."""
    return (
        identifier >> LOW_BITS,
        (identifier >> SEQUENCE_BITS) & (FIELDS - 1),
        identifier & (SEQUENCES - 1),
    )


class IdAllocator:
    """Gives increasing ids that no other instance can give; safe to call from any thread."""

    def __init__(
        self,
        floor: int = 0,
        clock: Callable[[], float] = time.time,
        field: int | None = None,
        start: Callable[[], int] | None = None,
    ) -> None:
        self.field = secrets.randbelow(FIELDS) if field is None else field
        if not 0 <= self.field < FIELDS:
            raise ValueError(f"instance field out of range: {self.field}")
        self._clock = clock
        self._start = start or (lambda: secrets.randbelow(SEQUENCES))
        self._lock = threading.Lock()
        # The last (millisecond, sequence) given: the first id goes just above the floor.
        ms, field_of_floor, sequence = parts(max(floor, 0))
        if self.field > field_of_floor:
            self._last = (ms, -1)  # (ms, field, 0) is already above the floor
        elif self.field == field_of_floor:
            self._last = (ms, sequence)
        else:
            self._last = (ms, SEQUENCES - 1)  # only the next millisecond is above it

    def next_id(self) -> int:
        now = int(self._clock() * 1000)
        with self._lock:
            last_ms, last_sequence = self._last
            if now > last_ms:
                ms, sequence = now, self._start()
            elif last_sequence + 1 < SEQUENCES:
                ms, sequence = last_ms, last_sequence + 1
            else:  # this millisecond is used up (or the clock went back): borrow the next
                ms, sequence = last_ms + 1, 0
            if ms > _LAST_MS:
                raise OverflowError("ids ran out of milliseconds (the year 2248)")
            self._last = (ms, sequence)
            return compose(ms, self.field, sequence)


def claim_field(connection: sqlite3.Connection, now: float | None = None) -> int:
    """Claim an instance field no other live instance of this file holds; in the caller's
    write transaction (BEGIN IMMEDIATE), so two instances starting at once cannot both
    take the same one. Claims older than CLAIM_LIFETIME are taken back first."""
    now = time.time() if now is None else now
    connection.execute("DELETE FROM id_fields WHERE seen < ?", (now - CLAIM_LIFETIME,))
    field = free_field(connection)
    connection.execute("INSERT INTO id_fields (field, seen) VALUES (?, ?)", (field, now))
    return field


def free_field(connection: sqlite3.Connection) -> int:
    """A random field that no claim in the file holds (any field when all are held)."""
    taken = {row[0] for row in connection.execute("SELECT field FROM id_fields")}
    if len(taken) >= FIELDS:
        log.warning("every instance field is claimed; drawing one at random")
        return secrets.randbelow(FIELDS)
    while True:
        field = secrets.randbelow(FIELDS)
        if field not in taken:
            return field


def instance_field(db: Database) -> int | None:
    """This instance's id field, claimed in the file so no other instance of it holds the
    same; None (a random field) for a history in memory, which no one else can open.

    A file another program keeps locked beyond the busy timeout gets a field no claim holds
    yet, unclaimed: only an instance starting during that lock could draw the same one.
    """
    if db.path is None:
        return None
    try:
        with db.transaction() as connection:
            return claim_field(connection)
    except StorageError as error:
        log.warning("could not claim an id field (%s); drawing an unclaimed one", error)
    try:
        return db.read(free_field)
    except StorageError:
        return None


def largest_id(db: Database) -> int:
    """The largest id AUTOINCREMENT or IdAllocator ever gave in this file: new ids go above."""
    rows = db.query("SELECT coalesce(max(seq), 0) FROM sqlite_sequence")
    return int(rows[0][0])
