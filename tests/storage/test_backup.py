"""Copies of the history: consistent, owner-only, named by date and reason, counted when
listed, the newest kept (7 daily, 4 weekly), taken before a migration, holding no key, and
a replace carried out on the next start after a copy of what it replaces."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta

from desktopchat.domain.types import Role
from desktopchat.storage import backup, migrations
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.keys import KeyStore
from tests.keyring_memory import run_keys
from tests.storage.test_migrations import _database_of_schema_1


def _history_with(path, titles):
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    for title in titles:
        conversation = store.create_conversation(title=title).result()
        store.add_message(conversation.id, Role.USER, f"text of {title}").result()
    return db, store


def test_a_copy_is_whole_private_and_counted(tmp_path):
    db, store = _history_with(tmp_path / "history.db", ["one", "two"])
    try:
        copy = backup.take_backup(tmp_path / "history.db", tmp_path / "backups")
    finally:
        store.close()
        db.close()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    [info] = backup.list_backups(tmp_path / "backups")
    assert (info.path, info.reason, info.conversations, info.messages) == (copy, "daily", 2, 2)
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [copy.name]


def test_a_copy_holds_no_key(tmp_path, memory_keyring):
    secret = "sk-test-backup-0123456789abcdefghij"
    run_keys(KeyStore(memory_keyring).aset("openai", secret))
    db, store = _history_with(tmp_path / "history.db", ["keys"])
    try:
        copy = backup.take_backup(db.connection, tmp_path / "backups")
    finally:
        store.close()
        db.close()
    assert memory_keyring.passwords  # the key is in the keychain …
    assert secret.encode() not in copy.read_bytes()  # … and nowhere in the copy


def test_a_migration_is_preceded_by_a_copy_of_the_old_schema(tmp_path):
    path = tmp_path / "history.db"
    _database_of_schema_1(path)
    db, problem = open_database(path)
    db.close()
    assert problem is None
    [info] = backup.list_backups(tmp_path / "backups")
    assert info.reason == "before-migration-2" and info.messages == 4
    old = sqlite3.connect(info.path)
    assert migrations.schema_version(old) == 1
    old.close()
    db, _ = open_database(path)  # nothing to migrate: no new copy
    db.close()
    assert len(backup.list_backups(tmp_path / "backups")) == 1


def test_a_copy_is_due_when_the_newest_is_a_day_old_or_older_than_a_change(tmp_path):
    folder = tmp_path / "backups"
    assert not backup.backup_due(folder, None)  # an empty history: nothing to keep
    assert backup.backup_due(folder, 1.0)
    db, store = _history_with(tmp_path / "history.db", ["a"])
    store.close()
    db.close()
    changed = backup.newest_change(tmp_path / "history.db")
    assert changed is not None
    copy = backup.take_backup(tmp_path / "history.db", folder, now=changed + 5)
    taken = backup.list_backups(folder)[0].taken
    assert not backup.backup_due(folder, changed, now=taken + 3600)
    assert backup.backup_due(folder, changed, now=taken + 24 * 3600)
    assert backup.backup_due(folder, taken + 60, now=taken + 120)  # written since the copy
    assert taken == changed + 5  # known to the microsecond, not only to the second
    assert backup.backup_due(folder, taken + 0.001, now=taken + 1)
    assert copy.exists()


def test_an_empty_history_has_no_newest_change_and_a_missing_one_neither(tmp_path):
    db, store = _history_with(tmp_path / "history.db", [])
    store.close()
    db.close()
    assert backup.newest_change(tmp_path / "history.db") is None
    assert backup.newest_change(tmp_path / "nowhere.db") is None


def test_pruning_never_removes_the_copy_a_replace_or_a_migration_made(tmp_path):
    """A replace from a backup, then any other copy the same day: the before-restore copy is
    the only one of the replaced history and stays, however many copies follow."""
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 12, 1, 9, 0)
    names = [f"history-{start:%Y%m%d-%H%M%S}-before-restore.db"]
    names.append(f"history-{start - timedelta(days=40):%Y%m%d-%H%M%S}-before-migration-3.db")
    for minutes in range(1, 5):
        names.append(f"history-{start + timedelta(minutes=minutes):%Y%m%d-%H%M%S}-daily.db")
    for name in names:
        (folder / name).write_bytes(b"")
    deleted = {path.name for path in backup.prune(folder)}
    kept = {info.path.name for info in backup.list_backups(folder, count=False)}
    assert names[0] in kept and names[1] in kept
    assert kept == {names[0], names[1], names[-1]}
    assert deleted == set(names[2:-1])


def test_pruning_keeps_seven_days_and_four_weeks(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 12, 1, 12, 0)
    for days_ago in range(60):
        for hour in (0, 3):
            moment = start - timedelta(days=days_ago, hours=hour)
            (folder / f"history-{moment:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"")
    backup.prune(folder)
    kept = sorted(datetime.fromtimestamp(b.taken) for b in backup.list_backups(folder, count=False))
    assert len(kept) == 11
    assert kept[-7:] == [start - timedelta(days=d) for d in range(6, -1, -1)]
    weekly = kept[:4]
    assert len({moment.isocalendar()[:2] for moment in weekly}) == 4
    assert all(moment < kept[-7] for moment in weekly)


def test_a_replace_happens_on_the_next_open_after_a_copy_of_the_current(tmp_path):
    path = tmp_path / "history.db"
    db, store = _history_with(path, ["yesterday"])
    store.close()
    db.close()
    yesterday = backup.take_backup(path, tmp_path / "backups")
    db, store = _history_with(path, ["today"])
    store.close()
    db.close()
    backup.request_replace(path, yesterday)
    assert backup.pending_replace(path) == yesterday

    db, problem = open_database(path)
    store = ConversationStore(db)
    try:
        assert problem is None
        assert [c.title for c in store.list_conversations()] == ["yesterday"]
    finally:
        store.close()
        db.close()
    assert backup.pending_replace(path) is None
    before = [b for b in backup.list_backups(tmp_path / "backups") if b.reason == "before-restore"]
    assert [b.conversations for b in before] == [2]


def test_a_replace_with_a_vanished_copy_changes_nothing(tmp_path):
    path = tmp_path / "history.db"
    db, store = _history_with(path, ["kept"])
    store.close()
    db.close()
    backup.request_replace(path, tmp_path / "backups" / "history-20200101-000000-daily.db")
    db, _ = open_database(path)
    store = ConversationStore(db)
    try:
        assert [c.title for c in store.list_conversations()] == ["kept"]
    finally:
        store.close()
        db.close()
    assert backup.pending_replace(path) is None


def test_a_replace_waits_while_another_instance_has_the_history_open(tmp_path):
    path = tmp_path / "history.db"
    db, store = _history_with(path, ["old"])
    store.close()
    db.close()
    copy = backup.take_backup(path, tmp_path / "backups")
    running, other = _history_with(path, ["new"])  # another instance, still open
    try:
        backup.request_replace(path, copy)
        assert backup.apply_pending_replace(path) is None
        assert backup.pending_replace(path) == copy  # still asked for
    finally:
        other.close()
        running.close()
    assert backup.apply_pending_replace(path) == copy
