"""Backups as the app uses them: a copy when one is due (a worker thread that looks at start
and then every hour while the app runs, so a history in use for days is never without a
copy of its last day), the list File → Restore shows, a look inside one, merging one back,
or replacing the history with one on the next start.

Merging adds the conversations the backup holds and the history does not (by id, or by
origin for imports), whole, with their attachments; nothing already there is changed.
Replacing cannot happen under the open store: it is asked for now (a marker file) and done
by the next start before the history is opened, after a copy of the history it replaces
(storage/backup.py).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from desktopchat.domain.types import Conversation
from desktopchat.services.history_changes import EVERYTHING, Announce, nobody
from desktopchat.storage import backup
from desktopchat.storage.backup import BackupInfo
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.imports import WholeConversation

log = logging.getLogger(__name__)

__all__ = ["BackupInfo", "BackupPreview", "BackupService", "MergeReport"]


@dataclass(frozen=True)
class BackupPreview:
    """What merging a backup would add."""

    info: BackupInfo
    titles: list[str]
    """Titles of the conversations the history does not hold (all of them, newest first)."""
    messages: int


@dataclass(frozen=True)
class MergeReport:
    added: int
    messages: int


CHECK_INTERVAL_S = 3600.0
"""How often a running app looks whether a copy is due."""


class BackupService:
    def __init__(self, store: ConversationStore, announce: Announce = nobody) -> None:
        """`announce`: told once a merge added conversations (HistoryService.announce)."""
        self._store = store
        self._announce = announce
        database = store.writer.database.path
        self.database: Path | None = None if database is None else Path(database)
        self._stopped = threading.Event()
        self._worker: threading.Thread | None = None

    @property
    def folder(self) -> Path | None:
        return None if self.database is None else backup.backups_folder(self.database)

    # At start.

    def start(self, every: float = CHECK_INTERVAL_S) -> threading.Thread | None:
        """Copy the history in a worker thread whenever a copy is due, looking now and then
        `every` seconds until stop(); never blocks, never raises (a failure is logged)."""
        if self.database is None:
            return None
        self._stopped.clear()
        worker = threading.Thread(target=self._watch, args=(every,), name="backup", daemon=True)
        worker.start()
        self._worker = worker
        return worker

    def stop(self, timeout: float | None = None) -> None:
        """End the worker, letting a copy under way finish (it is whole or not there at
        all). Blocking: from the loop, call it in a thread."""
        self._stopped.set()
        if self._worker is not None:
            self._worker.join(timeout)

    def _watch(self, every: float) -> None:
        while not self._stopped.is_set():
            self.back_up_if_due()
            self._stopped.wait(every)

    def back_up_if_due(self) -> Path | None:
        folder = self.folder
        if folder is None or self.database is None:
            return None
        if not backup.backup_due(folder, backup.newest_change(self.database)):
            return None
        try:
            taken = backup.take_backup(self.database, folder)
            backup.prune(folder)
        except (OSError, sqlite3.Error) as error:
            log.warning("could not back up the history: %s", error)
            return None
        log.info("history backed up to %s", taken.name)
        return taken

    # File → Restore from backup…

    async def backups(self) -> list[BackupInfo]:
        folder = self.folder
        if folder is None:
            return []
        return await asyncio.to_thread(backup.list_backups, folder)

    async def preview(self, info: BackupInfo) -> BackupPreview:
        wholes = await asyncio.to_thread(self._missing_from_history, info.path, False)
        titles = [w.conversation.title for w in wholes]
        return BackupPreview(info, titles, sum(len(w.messages) for w in wholes))

    async def merge(self, info: BackupInfo) -> MergeReport:
        report = await asyncio.to_thread(self.merge_now, info.path)
        if report.added:
            self._announce(EVERYTHING)
        return report

    def merge_now(self, path: Path) -> MergeReport:
        wholes = self._missing_from_history(path, True)
        change = self._store.add_whole_conversations(wholes).result(600)
        added = set(change.added)
        messages = sum(len(w.messages) for w in wholes if w.conversation.id in added)
        return MergeReport(len(added), messages)

    def replace_on_next_start(self, info: BackupInfo) -> None:
        if self.database is None:
            raise OSError("the history is not a file: nothing to replace")
        backup.request_replace(self.database, info.path)

    def replace_pending(self) -> Path | None:
        return None if self.database is None else backup.pending_replace(self.database)

    def _missing_from_history(self, path: Path, with_blobs: bool) -> list[WholeConversation]:
        """The backup's conversations the history lacks, read from a migrated copy of it
        (a backup taken before a migration has the old schema).

        Raises OSError when the backup cannot be read (damaged, from a newer DesktopChat,
        not a history at all): the restore dialog says so, whatever SQLite said.
        """
        if not backup.readable(path):
            raise OSError(f"the backup {path.name} cannot be read")
        try:
            return self._read_missing(path, with_blobs)
        except sqlite3.Error as error:
            raise OSError(f"the backup {path.name} cannot be read ({error})") from error

    def _read_missing(self, path: Path, with_blobs: bool) -> list[WholeConversation]:
        present = {c.id for c in self._store.list_conversations()}
        with tempfile.TemporaryDirectory(prefix="desktopchat-restore-") as scratch:
            copy = backup.take_backup(path, Path(scratch))
            db, problem = open_database(copy)
            if problem is not None:
                db.close()
                raise OSError(f"the backup cannot be read ({problem.kind}: {problem.detail})")
            origins = {row[0]: row[1] for row in db.query("SELECT id, origin FROM conversations")}
            source = ConversationStore(db)
            try:
                return [
                    self._whole(source, conversation, origins.get(conversation.id), with_blobs)
                    for conversation in source.list_conversations()
                    if conversation.id not in present
                ]
            finally:
                source.close()
                db.close()

    @staticmethod
    def _whole(
        source: ConversationStore, conversation: Conversation, origin: str | None, with_blobs: bool
    ) -> WholeConversation:
        messages = source.messages(conversation.id)
        blobs = {}
        if with_blobs:
            for message in messages:
                for attachment in message.attachments:
                    if attachment.sha256 and attachment.sha256 not in blobs:
                        data = source.blob(attachment.sha256)
                        if data is not None:
                            blobs[attachment.sha256] = data
        return WholeConversation(conversation, messages, origin, blobs)
