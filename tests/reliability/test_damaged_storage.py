"""R2 at the window: a history file that is damaged, truncated, read-only, locked by another
process or written by a newer DesktopChat, and a disk that fills up.

Each time the app starts anyway, says what happened above the conversation, never
overwrites the file it could not use, and stays usable: a person can chat. (tests/storage
checks open_database itself; here the whole app is built as app.run() builds it.)
"""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.app.lifetime import shut_down
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage import db as storage_db
from desktopchat.storage import migrations
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths
from tests.reliability.in_window import chat_round, notice_text, paste_and_send
from tests.storage.test_db import make_read_only  # noqa: F401  (the fixture, shared)

PAGE = 4096


def write_history(path: Path, messages: int = 40) -> None:
    """A real history of several pages: one conversation with long messages."""
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    conversation = store.create_conversation(
        title="kept", provider="openai", model="wire-large"
    ).value
    parent = None
    for number in range(messages):
        text = f"message {number} " + "words " * 300
        parent = store.add_message(conversation.id, Role.USER, text, parent_id=parent).value.id
    assert store.close() == []


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def garbage_inside(path: Path) -> None:
    """The header and the schema page intact, every page after them overwritten: a file
    that opens, with data that cannot be read."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(PAGE)
        file.write(os.urandom(size - PAGE))


def garbage_at_the_end(path: Path) -> None:
    """The second half of the file overwritten: the tables open, some messages cannot be
    read; nothing tells until they are."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2 // PAGE * PAGE)
        file.write(os.urandom(size - size // 2 // PAGE * PAGE))


def truncated(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def header_only(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(60)


DAMAGES = [garbage, garbage_inside, truncated, header_only]


def files_beside(path: Path) -> dict[str, bytes]:
    """Every file in the history's folder but SQLite's shared-memory index, and but an
    empty write-ahead log (a read-only SQLite connection creates one: it holds nothing)."""
    return {
        entry.name: entry.read_bytes()
        for entry in sorted(path.parent.iterdir())
        if entry.is_file()
        and not entry.name.endswith("-shm")
        and not (entry.name.endswith("-wal") and entry.stat().st_size == 0)
    }


def assert_said(running, problem) -> None:
    """The start-up notice is an error that names the problem in the app's words."""
    said = notice_text(running)
    assert "Your history could not be opened" in said
    assert problem.detail.rstrip(". ") in said
    assert running.window.notices.property("error") is True


def assert_chat_works(running) -> None:
    chat_round(running, "Are you still there?", "Still here.")
    messages = running.store.messages(running.window.conversation_id)
    assert [(m.role, m.text, m.status) for m in messages] == [
        (Role.USER, "Are you still there?", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "Still here.", MessageStatus.COMPLETE),
    ]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__)
def test_a_damaged_history_is_set_aside_said_and_a_fresh_one_used(start_window, damage):
    database = app_paths().database
    write_history(database)
    damage(database)
    damaged = database.read_bytes()

    running, problem = start_window()

    assert problem is not None and problem.kind == "corrupt"
    assert_said(running, problem)
    assert str(problem.moved_to) in notice_text(running)
    assert problem.moved_to.read_bytes() == damaged, "the damaged file is kept as it was"
    assert_chat_works(running)
    assert running.store.list_conversations()[0].title == "Are you still there?"


@pytest.mark.qt_no_exception_capture
@pytest.mark.xfail(
    strict=True,
    reason="damage found mid-session is said, but the damaged history is not yet moved aside "
    "and replaced while the app runs, so later writes keep failing (each one said)",
)
def test_damage_found_only_when_read_is_said_and_the_rest_works(start_window):
    """Checking a whole file at start costs ~0.3 s per 100 MB, too slow for the start-up
    budget (P1), so damage deep in the file shows only when that part is read."""
    database = app_paths().database
    write_history(database)
    garbage_at_the_end(database)
    damaged = database.read_bytes()

    running, problem = start_window()
    assert problem is None
    running.open_conversation("kept")

    assert "could not be" in notice_text(running)
    running.window.show_new_chat()
    assert_chat_works(running)
    running.window.close()
    assert database.read_bytes()[: len(damaged) // 2] == damaged[: len(damaged) // 2]


@pytest.fixture
def shorter_busy_timeout(monkeypatch):
    """The app waits 5 s for a lock at start; the test does not need to."""
    monkeypatch.setattr(
        storage_db, "open_database", functools.partial(storage_db.open_database, busy_timeout=0.3)
    )


_HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def locked_by_another_process():
    """Another program holding the history's write lock until the test ends."""
    holders = []

    def lock(path: Path) -> None:
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD_LOCK, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout.readline() == "locked\n"

    yield lock
    for holder in holders:
        holder.communicate("done\n", timeout=10)


def newer_schema(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(
        "INSERT INTO schema_migrations (number, name, applied) VALUES (?, 'from the future', 0)",
        (migrations.LATEST_VERSION + 1,),
    )
    connection.close()


def test_a_history_from_a_newer_version_is_left_untouched(start_window):
    database = app_paths().database
    write_history(database)
    newer_schema(database)
    before = files_beside(database)

    running, problem = start_window()

    assert problem.kind == "future_schema"
    assert_said(running, problem)
    assert_chat_works(running)
    running.window.close()
    assert files_beside(database) == before


def test_a_read_only_history_is_left_untouched(start_window, make_read_only):  # noqa: F811
    database = app_paths().database
    write_history(database)
    make_read_only(database)
    before = files_beside(database)

    running, problem = start_window()

    assert problem.kind == "read_only"
    assert_said(running, problem)
    assert_chat_works(running)
    running.window.close()
    assert files_beside(database) == before


def test_a_history_locked_by_another_program_is_left_untouched(
    start_window, shorter_busy_timeout, locked_by_another_process
):
    database = app_paths().database
    write_history(database)
    locked_by_another_process(database)
    before = files_beside(database)

    running, problem = start_window()

    assert problem.kind == "locked"
    assert_said(running, problem)
    assert_chat_works(running)
    running.window.close()
    assert files_beside(database) == before


def fill_the_disk(running) -> None:
    """ENOSPC for the app's own connection from now on: SQLite's page limit, which fails a
    write exactly as a full disk does (SQLITE_FULL)."""
    assert running.store.wait_written(5), "what was sent before is on disk first"
    database = running.store._db
    (pages,) = database.query("PRAGMA page_count")[0]
    database.query(f"PRAGMA max_page_count = {pages}")


def free_the_disk(running) -> None:
    running.store._db.query("PRAGMA max_page_count = 1073741823")


def test_a_full_disk_while_sending_is_said_and_the_message_is_kept(start_window):
    running, _problem = start_window()
    chat_round(running, "first", "First answer.")
    fill_the_disk(running)

    long_question = "a question too long for the disk " * 2000
    paste_and_send(running, long_question)
    running.wait_reply_done()

    assert "Your history could not be saved" in notice_text(running)
    assert "full" in notice_text(running)
    assert running.composer.toPlainText() == long_question.rstrip(), "the message is kept"


def fill_the_disk_mid_reply(running) -> None:
    chat_round(running, "first", "First answer.")
    running.server.reply.text = "a long answer " * 40_000
    running.server.reply.chunks = 400
    running.server.reply.tokens_per_second = 2000
    running.send("second")

    def part_saved() -> bool:
        messages = running.store.messages(running.window.conversation_id)
        return len(messages) == 4 and bool(messages[-1].text)

    running.qtbot.waitUntil(part_saved, timeout=5000)
    fill_the_disk(running)
    running.wait_reply_done(timeout=10_000)


def test_a_disk_filling_up_mid_reply_is_said_and_the_app_goes_on(start_window):
    running, _problem = start_window()
    fill_the_disk_mid_reply(running)

    assert "Your history could not be saved" in notice_text(running)
    free_the_disk(running)
    chat_round(running, "third", "Third answer.")
    conversation = running.window.conversation_id
    texts = [(m.role, m.text) for m in running.store.messages(conversation)]
    assert texts[:2] == [(Role.USER, "first"), (Role.ASSISTANT, "First answer.")]
    assert texts[2][0] is Role.USER and texts[2][1] == "second"
    assert texts[3][1].startswith("a long answer"), "what was saved before the disk filled"
    assert texts[-2:] == [(Role.USER, "third"), (Role.ASSISTANT, "Third answer.")]


def test_a_reply_cut_by_a_full_disk_is_closed_on_screen(start_window):
    running, _problem = start_window()
    fill_the_disk_mid_reply(running)

    assert not running.window.chat_view.is_streaming()
    assert "Interrupted" in running.view_text()


@pytest.fixture
def small_disk(isolated_home: Path) -> Iterator[Path]:
    """The history's folder on a 1 MB tmpfs, for a real ENOSPC; skipped where mounting is
    not allowed (the max_page_count tests above cover the same paths without it)."""
    folder = app_paths().data
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk is full; return it (deleting it frees the space)."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_real_full_disk_is_said_and_nothing_saved_is_lost(small_disk, start_window):
    running, problem = start_window()
    assert problem is None
    chat_round(running, "first", "First answer.")
    assert running.store.wait_written(5), "what was sent before is on disk first"
    filler = fill(small_disk)

    question = "a long question " * 5000
    paste_and_send(running, question)
    running.wait_reply_done()
    assert "Your history could not be saved" in notice_text(running)
    assert running.composer.toPlainText() == question.rstrip()

    filler.unlink()
    running.composer.clear()
    chat_round(running, "after", "Room again.")
    conversation = running.window.conversation_id
    running.window.close()
    running.run(shut_down(running.services))
    db, reopened_problem = open_database(app_paths().database)
    try:
        assert reopened_problem is None
        assert db.query("PRAGMA integrity_check")[0][0] == "ok"
        texts = [m.text for m in ConversationStore(db).messages(conversation)]
        assert texts == ["first", "First answer.", "after", "Room again."]
    finally:
        db.close()
