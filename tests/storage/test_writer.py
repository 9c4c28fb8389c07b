"""The writer thread: changes land in the order they were made, a lock held by another
connection is waited out in the background (nothing lost, reads see the changes at once),
a quit under a lock says what was not written, and a history deleted under the app is
written out again."""

from __future__ import annotations

import dataclasses
import sqlite3
import stat
import threading

import pytest

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.changes import AddMessage
from desktopchat.storage.db import StorageError, open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.writer import SaveState, SaveStatus


@pytest.fixture
def file_store(db_path):
    db, problem = open_database(db_path)
    assert problem is None
    store = ConversationStore(db, retry_interval=0.02, behind_after=0.0)
    yield store
    store.close(5)


class Statuses:
    """Records the writer's SaveStatus and lets a test wait for one."""

    def __init__(self, store: ConversationStore) -> None:
        self.seen: list[SaveStatus] = []
        self._changed = threading.Condition()
        store.writer.add_listener(self._record)

    def _record(self, status: SaveStatus) -> None:
        with self._changed:
            self.seen.append(status)
            self._changed.notify_all()

    def wait_for(self, state: SaveState) -> SaveStatus:
        with self._changed:
            assert self._changed.wait_for(
                lambda: any(s.state is state for s in self.seen), timeout=10
            ), f"the writer never reported {state}"
            return next(s for s in self.seen if s.state is state)


def holding_the_lock(path) -> sqlite3.Connection:
    """Another connection (as a database browser would) in BEGIN IMMEDIATE."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_changes_from_several_threads_land_in_the_order_they_were_queued(file_store):
    conversation = file_store.create_conversation(title="order").value
    queued: list[int] = []
    queue_lock = threading.Lock()

    def writer(name: str) -> None:
        for turn in range(50):
            with queue_lock:  # the order they are queued in is the order to keep
                message = file_store.add_message(conversation.id, Role.USER, f"{name} {turn}")
                queued.append(message.value.id)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert file_store.wait_written(10)

    assert [m.id for m in file_store.messages(conversation.id)] == queued
    assert queued == sorted(queued), "ids grow in the order they were given"


def test_a_reply_updated_many_times_keeps_the_last_text(file_store):
    conversation = file_store.create_conversation(title="stream").value
    reply = file_store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).value
    for size in range(1, 200):
        file_store.update_reply(reply.conversation_id, reply.id, text="x" * size)
    file_store.update_reply(
        reply.conversation_id, reply.id, text="done", status=MessageStatus.COMPLETE
    )
    assert file_store.wait_written(10)

    other, _ = open_database(file_store._db.path)
    try:
        (text, status) = other.query("SELECT text, status FROM messages")[0]
        assert (text, status) == ("done", "complete")
    finally:
        other.close()


def test_a_lock_held_by_another_connection_is_waited_out(file_store, db_path):
    statuses = Statuses(file_store)
    conversation = file_store.create_conversation(title="before the lock").result(5)
    other = holding_the_lock(db_path)
    try:
        question = file_store.add_message(conversation.id, Role.USER, "while locked")
        behind = statuses.wait_for(SaveState.BEHIND)

        assert not question.saved.done(), "nothing can be written while the lock is held"
        assert behind.pending >= 1 and behind.waiting_since is not None
        # Reads are not blocked, and see the change that waits.
        assert [m.text for m in file_store.messages(conversation.id)] == ["while locked"]
        assert file_store.get_conversation(conversation.id).updated == question.value.created
    finally:
        other.execute("ROLLBACK")
        other.close()

    question.result(10)
    assert statuses.wait_for(SaveState.SAVED).pending == 0
    reader = sqlite3.connect(db_path)
    try:
        assert reader.execute("SELECT text FROM messages").fetchall() == [("while locked",)]
    finally:
        reader.close()


def test_a_lock_held_past_the_stall_limit_is_said_and_nothing_is_dropped(db_path):
    db, _ = open_database(db_path)
    store = ConversationStore(db, retry_interval=0.02, behind_after=0.0, stall_after=0.05)
    statuses = Statuses(store)
    other = holding_the_lock(db_path)
    try:
        queued = store.create_conversation(title="held")
        assert statuses.wait_for(SaveState.STALLED).pending == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert queued.result(10).title == "held"
    assert store.close(5) == []


def test_quitting_under_a_lock_returns_what_was_not_written(db_path):
    db, _ = open_database(db_path)
    store = ConversationStore(db, retry_interval=0.02)
    other = holding_the_lock(db_path)
    try:
        queued = store.create_conversation(title="never written")
        unsaved = store.close(0.2)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert [change.describe() for change in unsaved] == ["new conversation 'never written'"]
    assert queued.saved.exception().kind == "locked"
    reader = sqlite3.connect(db_path)
    try:
        assert reader.execute("SELECT count(*) FROM conversations").fetchone() == (0,)
    finally:
        reader.close()


def test_a_history_deleted_under_the_app_is_written_out_again(file_store, db_path):
    statuses = Statuses(file_store)
    conversation = file_store.create_conversation(title="kept").value
    file_store.add_message(conversation.id, Role.USER, "before").result(5)
    for name in (db_path, db_path.with_name(db_path.name + "-wal")):
        name.unlink(missing_ok=True)

    file_store.add_message(conversation.id, Role.USER, "after").result(5)

    moved = next(s for s in statuses.seen if s.moved_to is not None)
    assert (moved.moved_to, moved.moved_kind) == (db_path, "deleted")
    assert db_path.exists()
    assert [m.text for m in file_store.messages(conversation.id)] == ["before", "after"]
    reader = sqlite3.connect(db_path)
    try:
        texts = reader.execute("SELECT text FROM messages ORDER BY id").fetchall()
        assert texts == [("before",), ("after",)]
    finally:
        reader.close()


def test_a_history_replaced_under_the_app_is_left_alone_and_written_beside(file_store, db_path):
    statuses = Statuses(file_store)
    conversation = file_store.create_conversation(title="mine").value
    file_store.add_message(conversation.id, Role.USER, "before").result(5)
    stranger = db_path.with_name("stranger.db")
    stranger.write_bytes(b"someone else's file")
    stranger.replace(db_path)

    file_store.add_message(conversation.id, Role.USER, "after").result(5)

    moved = next(s for s in statuses.seen if s.moved_to is not None)
    assert moved.moved_kind == "replaced" and moved.moved_to != db_path
    assert db_path.read_bytes() == b"someone else's file"
    reader = sqlite3.connect(moved.moved_to)
    try:
        texts = reader.execute("SELECT text FROM messages ORDER BY id").fetchall()
        assert texts == [("before",), ("after",)]
    finally:
        reader.close()


def test_the_history_and_its_sidecars_are_the_owners_alone(file_store, db_path):
    file_store.create_conversation(title="private").result(5)
    for suffix in ("", "-wal", "-shm"):
        name = db_path.with_name(db_path.name + suffix)
        assert stat.S_IMODE(name.stat().st_mode) == 0o600, name


def test_an_older_history_made_readable_by_others_is_made_private(db_path):
    db, _ = open_database(db_path)
    db.close()
    db_path.chmod(0o644)
    db, _ = open_database(db_path)
    db.close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_write_a_constraint_refuses_fails_with_a_storage_error(file_store, caplog):
    # Not a bare sqlite3.IntegrityError, which callers that listen for StorageError dropped.
    conversation = file_store.create_conversation(title="t").result()
    message = file_store.add_message(conversation.id, Role.USER, "first").result()
    twice = dataclasses.replace(message, text="second")

    with pytest.raises(StorageError) as refused:
        file_store.writer.submit(AddMessage(twice)).result(10)

    assert refused.value.kind == "conflict"
    assert isinstance(refused.value.__cause__, sqlite3.IntegrityError)
    assert "could not write" in caplog.text
    assert [m.text for m in file_store.messages(conversation.id)] == ["first"]
