"""Ids (storage/ids.py): never the same in two instances, always increasing in one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from desktopchat.storage import ids
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.ids import IdAllocator, claim_field, compose, parts

NOW = 1_780_000_000.0  # 2026


class Clock:
    """A clock the test moves by hand, shared by several allocators."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def claims() -> Iterator[sqlite3.Connection]:
    """The id_fields table of a history, for instances that claim their fields in it."""
    database, problem = open_database(None)
    assert problem is None
    yield database.connection
    database.close()


def test_two_instances_bursting_on_one_clock_never_give_the_same_id(claims):
    # The defect (R8): each id was max(last + 1, time | random), so a burst climbed to the
    # top of its millisecond's range, where the other instance's burst climbed too: 14,034
    # ids of 1.8 million given twice. Now each instance numbers ids within its own field.
    clock = Clock()
    first = IdAllocator(clock=clock, field=claim_field(claims))
    second = IdAllocator(clock=clock, field=claim_field(claims))
    made: list[int] = []
    for burst in range(1_000):
        clock.now = NOW + burst / 1000
        for allocator in (first, second):
            made += [allocator.next_id() for _ in range(300)]

    assert len(made) == 600_000
    assert len(set(made)) == len(made)
    assert first.field != second.field


def test_claimed_fields_differ_however_many_instances_start(claims):
    fields = [claim_field(claims) for _ in range(300)]

    assert len(set(fields)) == len(fields)


def test_ids_carry_the_time_in_milliseconds_then_the_field():
    clock = Clock()
    allocator = IdAllocator(clock=clock, field=1234)
    made = allocator.next_id()

    ms, field, _ = parts(made)
    assert ms == int(NOW * 1000)
    assert field == 1234
    assert 0 < made < 2**63
    # Where the previous scheme put the time (ms << 20), so old and new ids share a scale.
    assert made >> 20 == int(NOW * 1000)


def test_ids_grow_when_the_clock_goes_back():
    clock = Clock()
    allocator = IdAllocator(clock=clock, field=7)
    made = [allocator.next_id() for _ in range(10)]
    clock.now -= 3600  # the clock is set back an hour
    made += [allocator.next_id() for _ in range(10)]
    clock.now += 7200
    made += [allocator.next_id() for _ in range(10)]

    assert made == sorted(made) and len(set(made)) == len(made)
    assert {parts(m)[1] for m in made} == {7}
    assert parts(made[20])[0] == int((NOW + 3600) * 1000)  # back on the clock once it passes


def test_a_burst_longer_than_the_sequence_borrows_the_next_milliseconds():
    clock = Clock()
    allocator = IdAllocator(clock=clock, field=7, start=lambda: 0)
    made = [allocator.next_id() for _ in range(ids.SEQUENCES * 3 + 1)]

    assert made == sorted(made) and len(set(made)) == len(made)
    assert [parts(m)[0] - int(NOW * 1000) for m in made[:: ids.SEQUENCES]] == [0, 1, 2, 3]
    clock.now += 0.0015  # the clock has not caught up yet: still counting on from there
    assert allocator.next_id() > made[-1]


def test_the_sequence_starts_at_random_and_overflows_into_the_next_millisecond():
    clock = Clock()
    allocator = IdAllocator(clock=clock, field=7, start=lambda: ids.SEQUENCES - 1)
    made = [allocator.next_id() for _ in range(3)]

    assert [parts(m)[2] for m in made] == [ids.SEQUENCES - 1, 0, 1]
    ms = int(NOW * 1000)
    assert [parts(m)[0] for m in made] == [ms, ms + 1, ms + 1]


@pytest.mark.parametrize("field", [0, 100, 200, ids.FIELDS - 1])
def test_new_ids_start_above_the_floor_whatever_field_they_carry(field):
    # The largest id in the file was made a minute ahead (a clock that was fast), in the
    # old random scheme or by an instance of field 100 in the new one.
    ahead = int((NOW + 60) * 1000)
    for floor in (compose(ahead, 100, 5), (ahead << 20) | 0xFFFFF, (ahead << 20) | 0):
        allocator = IdAllocator(floor=floor, clock=Clock(), field=field)
        made = [allocator.next_id() for _ in range(ids.SEQUENCES + 2)]
        assert made[0] > floor
        assert made == sorted(made)
        assert parts(made[0])[0] <= ahead + 1  # no more than one millisecond above it


def test_ids_of_the_autoincrement_days_are_below_every_new_one():
    allocator = IdAllocator(floor=41_000, clock=Clock())

    assert allocator.next_id() > 41_000


def test_time_lasts_until_the_year_2248():
    assert compose(2**ids.TIME_BITS - 1, ids.FIELDS - 1, ids.SEQUENCES - 1) == 2**63 - 1
    year_2248 = 8_771_000_000.0  # 2247-12-10
    assert IdAllocator(clock=Clock(year_2248), field=0).next_id() < 2**63
    with pytest.raises(OverflowError):
        IdAllocator(clock=Clock(2**ids.TIME_BITS / 1000), field=0).next_id()


def test_two_stores_on_one_history_claim_different_fields_and_free_them(db_path):
    opened = [open_database(db_path)[0] for _ in range(2)]
    stores = [ConversationStore(db) for db in opened]
    try:
        fields = [store._ids.field for store in stores]
        assert fields[0] != fields[1]
        claimed = {row[0] for row in stores[0]._db.query("SELECT field FROM id_fields")}
        assert claimed == set(fields)
    finally:
        stores[0].close()
    remaining = stores[1]._db.query("SELECT field FROM id_fields")
    stores[1].close()

    assert [row[0] for row in remaining] == [fields[1]]


def test_a_claim_left_by_a_crash_is_taken_back_after_a_while(claims):
    claims.execute("INSERT INTO id_fields (field, seen) VALUES (5, ?)", (NOW,))
    later = NOW + ids.CLAIM_LIFETIME + 1
    claim_field(claims, now=later)

    fields = {row[0] for row in claims.execute("SELECT field FROM id_fields")}
    assert 5 not in fields and len(fields) == 1


def test_a_fresh_claim_is_never_given_twice_even_when_nearly_every_field_is_held(claims):
    claims.executemany(
        "INSERT INTO id_fields (field, seen) VALUES (?, ?)",
        [(field, NOW) for field in range(ids.FIELDS) if field != 4321],
    )

    assert claim_field(claims, now=NOW) == 4321


def test_a_history_locked_at_start_still_gets_a_field_no_claim_holds(db_path):
    db, _ = open_database(db_path, busy_timeout=0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.executemany(
        "INSERT INTO id_fields (field, seen) VALUES (?, ?)",
        [(field, NOW) for field in range(ids.FIELDS) if field != 4321],
    )
    holder.execute("COMMIT")
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        store = ConversationStore(db)
        field = store._ids.field
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.close()

    assert field == 4321


def test_an_instance_that_writes_renews_its_claim_and_a_quit_never_mentions_it(db_path):
    db, _ = open_database(db_path)
    store = ConversationStore(db)
    store._db.query("UPDATE id_fields SET seen = 0")  # claimed long ago
    store._claim_kept -= ids.KEEP_CLAIM_EVERY + 1
    store.create_conversation(title="t").result()
    (seen,) = store._db.query("SELECT seen FROM id_fields")[0]

    assert seen > 1_000_000_000  # renewed now, not 1970
    assert store.close() == []
