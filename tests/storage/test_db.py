"""Opening the history file, and what happens when it is damaged, newer, read-only or locked.

R2: the app always starts, says what happened, and never overwrites or deletes the file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from desktopchat.domain.types import Role
from desktopchat.storage import migrations
from desktopchat.storage.db import Database, StorageError, open_database
from desktopchat.storage.history import ConversationStore

# SQLite's shared-memory index: every reader rewrites it, and it holds nothing that is not
# in the database and its -wal.
_SHARED_MEMORY = "-shm"


def _files(folder: Path) -> dict[str, bytes]:
    """The bytes of every file in `folder` that holds data."""
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.endswith(_SHARED_MEMORY)
    }


def _history_with_a_message(path: Path) -> None:
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    conversation = store.create_conversation(title="kept").value
    store.add_message(conversation.id, Role.USER, "hello " * 2000)
    assert store.close() == []


def _assert_usable_and_empty(db: Database) -> None:
    store = ConversationStore(db)
    assert store.list_conversations() == []
    conversation = store.create_conversation(title="new").result()
    store.add_message(conversation.id, Role.USER, "works").result()
    assert [m.text for m in store.messages(conversation.id)] == ["works"]
    assert store.close() == []


@pytest.fixture
def make_read_only():
    """Make a file read-only for this process, for real: chmod, or as root (whom
    permissions do not stop) the immutable attribute."""
    undo = []

    def make(path: Path) -> None:
        if getattr(os, "geteuid", lambda: 1)() != 0:
            mode = path.stat().st_mode
            path.chmod(0o444)
            undo.append(lambda: path.chmod(mode))
            return
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no way to make a file read-only")
        result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"running as root and chattr +i is refused: {result.stderr!r}")
        undo.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=True))

    yield make
    for action in reversed(undo):
        action()


def test_a_new_file_is_created_with_its_folder_and_settings(db_path):
    db, problem = open_database(db_path)
    try:
        assert problem is None
        assert db.path == db_path
        assert db_path.is_file()
        pragma = {
            name: db.query(f"PRAGMA {name}")[0][0]
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "synchronous": 1,  # NORMAL
        }
        assert migrations.schema_version(db.connection) == migrations.LATEST_VERSION
    finally:
        db.close()


def test_reopening_keeps_the_history(db_path):
    _history_with_a_message(db_path)

    db, problem = open_database(db_path)
    store = ConversationStore(db)
    try:
        assert problem is None
        [conversation] = store.list_conversations()
        assert conversation.title == "kept"
        assert len(store.messages(conversation.id)) == 1
    finally:
        store.close()


def test_none_opens_an_in_memory_database():
    db, problem = open_database(None)
    try:
        assert problem is None
        assert db.path is None
        _assert_usable_and_empty(db)
    finally:
        db.close()


@pytest.mark.parametrize(
    "garbage",
    [b"this is not a database" * 100, os.urandom(8192), b"SQLite format 3\x00" + b"\xff" * 200],
    ids=["text", "random", "bad-header"],
)
def test_a_damaged_file_is_moved_aside_with_its_sidecars(db_path, garbage):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(garbage)
    sidecars = {"-wal": b"old wal " * 50}
    for suffix, content in sidecars.items():
        db_path.with_name(db_path.name + suffix).write_bytes(content)
    db_path.with_name(db_path.name + _SHARED_MEMORY).write_bytes(b"old index")

    db, problem = open_database(db_path)
    try:
        assert problem.kind == "corrupt"
        assert problem.detail
        moved = problem.moved_to
        assert moved.parent == db_path.parent
        assert moved.name.startswith("history.db.corrupt-")
        assert moved.read_bytes() == garbage
        for suffix, content in sidecars.items():
            assert moved.with_name(moved.name + suffix).read_bytes() == content
            beside_new = db_path.with_name(db_path.name + suffix)
            assert not beside_new.exists() or beside_new.read_bytes() != content
        assert moved.with_name(moved.name + _SHARED_MEMORY).exists()
        assert db.path == db_path
        _assert_usable_and_empty(db)
    finally:
        db.close()
    reopened, problem = open_database(db_path)
    reopened.close()
    assert problem is None


def test_a_rollback_journal_moves_with_a_file_that_is_not_a_database(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"<html>saved over the database</html>")
    journal = db_path.with_name("history.db-journal")
    journal.write_bytes(b"old journal")

    db, problem = open_database(db_path)
    db.close()

    assert problem.kind == "corrupt"
    assert problem.moved_to.read_bytes() == b"<html>saved over the database</html>"
    assert problem.moved_to.with_name(problem.moved_to.name + "-journal").read_bytes() == (
        b"old journal"
    )
    assert not journal.exists()


def test_a_truncated_file_is_moved_aside_and_a_fresh_one_made(db_path):
    _history_with_a_message(db_path)
    with db_path.open("r+b") as file:
        file.truncate(db_path.stat().st_size // 2)
    truncated = db_path.read_bytes()

    db, problem = open_database(db_path)
    try:
        assert problem.kind == "corrupt"
        assert problem.moved_to.read_bytes() == truncated
        _assert_usable_and_empty(db)
    finally:
        db.close()


def test_moving_aside_never_overwrites_an_earlier_copy(db_path, monkeypatch):
    monkeypatch.setattr("desktopchat.storage.db.time.strftime", lambda _format: "20261122-101500")
    db_path.parent.mkdir(parents=True)
    earlier = db_path.with_name("history.db.corrupt-20261122-101500")
    earlier.write_bytes(b"first damaged copy")
    earlier_sidecar = db_path.with_name("history.db.corrupt-20261122-101500-2-wal")
    earlier_sidecar.write_bytes(b"a sidecar of another copy")
    db_path.write_bytes(b"second damaged copy" * 10)

    db, problem = open_database(db_path)
    db.close()

    assert problem.moved_to == db_path.with_name("history.db.corrupt-20261122-101500-3")
    assert problem.moved_to.read_bytes() == b"second damaged copy" * 10
    assert earlier.read_bytes() == b"first damaged copy"
    assert earlier_sidecar.read_bytes() == b"a sidecar of another copy"


def test_a_newer_schema_is_refused_and_left_byte_for_byte(db_path, tmp_path):
    # A newer DesktopChat killed mid-write: its last commits are still in the -wal.
    written = tmp_path / "newer" / "history.db"
    _history_with_a_message(written)
    newer = sqlite3.connect(written, isolation_level=None)
    newer.execute("PRAGMA wal_autocheckpoint = 0")
    newer.execute(
        "INSERT INTO schema_migrations (number, name, applied) VALUES (?, 'newer', 0)",
        (migrations.LATEST_VERSION + 1,),
    )
    shutil.copytree(written.parent, db_path.parent)
    newer.close()
    assert (db_path.parent / "history.db-wal").stat().st_size > 0
    before = _files(db_path.parent)

    db, problem = open_database(db_path)
    try:
        assert problem.kind == "future_schema"
        assert problem.moved_to is None
        assert str(migrations.LATEST_VERSION + 1) in problem.detail
        assert db.path is None
        _assert_usable_and_empty(db)
    finally:
        db.close()
    assert _files(db_path.parent) == before


def test_a_read_only_file_is_reported_and_left_alone(db_path, make_read_only):
    _history_with_a_message(db_path)
    before = db_path.read_bytes()
    make_read_only(db_path)

    db, problem = open_database(db_path)
    try:
        assert problem.kind == "read_only"
        assert problem.moved_to is None
        assert db.path is None
        _assert_usable_and_empty(db)
    finally:
        db.close()
    assert db_path.read_bytes() == before


def test_a_path_that_cannot_be_opened_is_reported_and_left_alone(db_path):
    (db_path / "inside").mkdir(parents=True)  # a folder where the file should be

    db, problem = open_database(db_path)
    try:
        assert problem.kind == "unreadable"
        assert problem.moved_to is None
        _assert_usable_and_empty(db)
    finally:
        db.close()
    assert (db_path / "inside").is_dir()


def test_a_folder_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")

    db, problem = open_database(blocker / "history.db")
    try:
        assert problem.kind == "unreadable"
        assert str(blocker) in problem.detail
        _assert_usable_and_empty(db)
    finally:
        db.close()
    assert blocker.read_text() == "a file where the folder should be"


def test_a_file_locked_beyond_the_busy_timeout_is_reported(db_path):
    _history_with_a_message(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        db, problem = open_database(db_path, busy_timeout=0.05)
        try:
            assert problem.kind == "locked"
            assert db.path is None
            _assert_usable_and_empty(db)
        finally:
            db.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_full_disk_is_a_storage_error_and_loses_nothing_saved(db, store):
    conversation = store.create_conversation(title="c").value
    reply = store.add_message(conversation.id, Role.ASSISTANT, "kept text").result()
    (pages,) = db.query("PRAGMA page_count")[0]
    db.query(f"PRAGMA max_page_count = {pages + 2}")

    with pytest.raises(StorageError) as add_failed:
        store.add_message(conversation.id, Role.USER, "x" * 100_000).result()
    with pytest.raises(StorageError) as update_failed:
        store.update_reply(reply.conversation_id, reply.id, text="y" * 100_000).result()

    assert add_failed.value.kind == update_failed.value.kind == "disk_full"
    assert "full" in add_failed.value.detail
    assert [m.text for m in store.messages(conversation.id)] == ["kept text"]
    db.query("PRAGMA max_page_count = 1000000")
    store.add_message(conversation.id, Role.USER, "room again").result()
    assert len(store.messages(conversation.id)) == 2


def test_writing_through_a_read_only_connection_is_a_storage_error(db_path):
    _history_with_a_message(db_path)
    connection = sqlite3.connect(
        f"{db_path.as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    store = ConversationStore(Database(connection, db_path))
    try:
        with pytest.raises(StorageError) as failed:
            store.create_conversation(title="nope").result()
        assert failed.value.kind == "read_only"
        assert [c.title for c in store.list_conversations()] == ["kept"]
    finally:
        store.close()


def test_a_failed_transaction_is_rolled_back_and_bugs_stay_bugs(db, store):
    with pytest.raises(RuntimeError), db.transaction() as connection:
        connection.execute(
            "INSERT INTO conversations (title, created, updated) VALUES ('gone', 0, 0)"
        )
        raise RuntimeError("interrupted")
    with pytest.raises(sqlite3.OperationalError), db.transaction() as connection:
        connection.execute("INSERT INTO no_such_table VALUES (1)")

    assert store.list_conversations() == []
    store.create_conversation(title="after").result()
    assert [c.title for c in store.list_conversations()] == ["after"]
