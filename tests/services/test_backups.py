"""Restoring: yesterday's backup merged back without losing today's chats; a preview of what
a merge adds; a backup of an older schema merged through a migrated copy."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from desktopchat.domain.projects import Project
from desktopchat.domain.types import AttachmentKind, AttachmentPayload, Role
from desktopchat.services.backups import BackupService
from desktopchat.storage import backup
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.project_rows import DeleteProject, SaveProject


@pytest.fixture
def store(file_store):
    return file_store


def chat(store, title, text, **attachments):
    conversation = store.create_conversation(title=title).result()
    store.add_message(conversation.id, Role.USER, text, parent_id=None, **attachments).result()
    return conversation


def test_yesterdays_backup_comes_back_without_losing_todays_chats(store):
    photo = AttachmentPayload(AttachmentKind.IMAGE, "p.png", "image/png", data=b"\x89PNG..")
    yesterday = chat(store, "yesterday", "old words", attachments=[photo])
    service = BackupService(store)
    taken = service.back_up_if_due()
    assert taken is not None and service.back_up_if_due() is None  # one a day
    store.delete_conversation(yesterday.id).result()
    today = chat(store, "today", "new words")

    [info] = [b for b in backup.list_backups(service.folder)]
    report = service.merge_now(info.path)

    assert (report.added, report.messages) == (1, 1)
    titles = {c.id: c.title for c in store.list_conversations()}
    assert titles == {yesterday.id: "yesterday", today.id: "today"}
    [message] = store.thread(yesterday.id).messages
    assert message.text == "old words"
    assert store.blob(message.attachments[0].sha256) == b"\x89PNG.."
    assert service.merge_now(info.path).added == 0  # nothing twice


def test_a_merged_conversation_goes_back_in_its_project_with_its_files_used(store):
    now = time.time()
    project = Project(store.new_id(), "Greenhouse", now, now)
    store.queue(SaveProject(project)).result()
    kept = store.create_conversation(title="in a project", project_id=project.id).result()
    question = store.add_message(kept.id, Role.USER, "When?", parent_id=None).result()
    used = '[{"name": "notes.md"}]'
    store.add_message(
        kept.id, Role.ASSISTANT, "At night.", parent_id=question.id, project_files=used
    ).result()
    gone = store.create_conversation(title="project gone", project_id=project.id).result()
    service = BackupService(store)
    service.back_up_if_due()
    [info] = backup.list_backups(service.folder)
    store.delete_conversation(kept.id).result()
    store.delete_conversation(gone.id).result()

    service.merge_now(info.path)

    assert store.get_conversation(kept.id).project_id == project.id
    assert store.thread(kept.id).messages[-1].project_files == used
    store.queue(DeleteProject(project.id)).result()
    store.delete_conversation(kept.id).result()
    service.merge_now(info.path)
    assert store.get_conversation(kept.id).project_id is None, "its project is no more"


def test_a_preview_lists_what_a_merge_would_add(store):
    chat(store, "kept", "a")
    service = BackupService(store)
    service.back_up_if_due()
    [info] = asyncio.run(service.backups())
    assert (info.conversations, info.messages) == (1, 1)
    preview = asyncio.run(service.preview(info))
    assert preview.titles == []
    store.delete_conversation(store.list_conversations()[0].id).result()
    preview = asyncio.run(service.preview(info))
    assert (preview.titles, preview.messages) == (["kept"], 1)


def test_a_replace_is_asked_now_and_done_at_the_next_start(store, tmp_path):
    chat(store, "before", "x")
    service = BackupService(store)
    service.back_up_if_due()
    [info] = backup.list_backups(service.folder)
    chat(store, "after", "y")
    service.replace_on_next_start(info)
    assert service.replace_pending() == info.path.absolute()
    store.close()
    db, _ = open_database(tmp_path / "history.db")
    reopened = ConversationStore(db)
    try:
        assert [c.title for c in reopened.list_conversations()] == ["before"]
    finally:
        reopened.close()
        db.close()


def test_the_copy_runs_in_a_worker_thread_when_due_and_again_after_a_change(store):
    service = BackupService(store)
    assert service.back_up_if_due() is None  # an empty history: nothing to keep
    chat(store, "a", "b")
    worker = service.start(every=0.05)
    try:
        assert worker is not None and worker.name == "backup"
        _wait_for(lambda: len(backup.list_backups(service.folder)) == 1)
        assert service.back_up_if_due() is None  # nothing changed since
        chat(store, "written after the copy, the same day", "c")
        _wait_for(lambda: backup.list_backups(service.folder)[0].conversations == 2)
    finally:
        service.stop(30)
    assert not worker.is_alive()
    assert len(backup.list_backups(service.folder)) == 1  # the day's newest is kept


def test_the_first_days_chats_have_a_copy_although_the_first_start_made_one(store, tmp_path):
    """The first start copies an empty-looking history; a chat, a quit and a restart the same
    day: the restart's look finds the copy older than the chat and takes another."""
    service = BackupService(store)
    folder = service.folder
    folder.mkdir()
    backup.take_backup(tmp_path / "history.db", folder)  # the first start's copy
    chat(store, "day one", "words worth keeping")
    restarted = BackupService(store)
    taken = restarted.back_up_if_due()
    assert taken is not None
    assert backup.list_backups(folder)[0].messages == 1


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_an_in_memory_history_has_no_copies():
    db, _ = open_database(None)
    store = ConversationStore(db)
    try:
        service = BackupService(store)
        assert service.start() is None and service.folder is None
    finally:
        store.close()
        db.close()


def _planted(folder, name: str):
    folder.mkdir(exist_ok=True)
    return folder / f"history-20261201-0300{name}-daily.db"


def test_a_planted_copy_with_a_recursive_view_is_listed_as_unreadable_at_once(store):
    """A view that never ends, named as our table: counting it spun a CPU for ever, held
    the restore list (real copies could no longer be picked) and kept Quit waiting."""
    chat(store, "real", "words")
    service = BackupService(store)
    service.back_up_if_due()
    hostile = _planted(service.folder, "01")
    connection = sqlite3.connect(hostile)
    connection.executescript(
        """
        CREATE VIEW conversations AS
            WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever)
            SELECT n AS id FROM forever;
        CREATE TABLE messages (id INTEGER PRIMARY KEY);
        """
    )
    connection.close()
    started = time.monotonic()
    listed = asyncio.run(service.backups())
    assert time.monotonic() - started < 10
    by_name = {info.path.name: info for info in listed}
    assert by_name[hostile.name].conversations is None  # said "cannot be read"
    real = next(info for info in listed if info.path != hostile)
    assert real.conversations == 1
    with pytest.raises(OSError, match="cannot be read"):
        asyncio.run(service.preview(by_name[hostile.name]))


@pytest.mark.parametrize("content", ["damaged", "future"])
def test_a_damaged_or_future_copy_is_refused_in_words_on_preview_and_merge(
    store, tmp_path, content
):
    service = BackupService(store)
    planted = _planted(tmp_path / "backups", "02")
    if content == "damaged":
        planted.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    else:
        connection = sqlite3.connect(planted)
        connection.executescript(
            """
            CREATE TABLE conversations (id INTEGER PRIMARY KEY);
            CREATE TABLE messages (id INTEGER PRIMARY KEY);
            CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT, applied REAL);
            INSERT INTO schema_migrations VALUES (999, 'from a newer DesktopChat', 0);
            """
        )
        connection.close()
    [info] = asyncio.run(service.backups())
    for attempt in (service.preview, service.merge):
        with pytest.raises(OSError):
            asyncio.run(attempt(info))
    assert store.list_conversations() == []
