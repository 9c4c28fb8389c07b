"""Import as the window and the command line run it: read (off the loop), show what the
file holds, then write it in chunks with progress, and say what was added and skipped."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktopchat.domain.markdown_import import ImportedConversation
from desktopchat.services.history_changes import EVERYTHING, Announce, nobody
from desktopchat.services.importers.long_lived import Freezer
from desktopchat.services.importers.reader import ParsedImport, Problem, Progress, read_import
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.imports import WholeConversation, with_ids

CHUNK = 50
"""Conversations per write: progress moves every chunk, and a lock held by another program
holds back one chunk, not the import."""
WRITE_TIMEOUT = 600.0


@dataclass(frozen=True)
class ImportReport:
    added: int
    skipped: int
    """Already in the history (imported before): nothing written for them."""
    messages: int
    """Messages of the conversations added."""
    problems: list[Problem] = field(default_factory=list)
    """Left out while reading, and conversations that could not be written."""


class ImportService:
    """Reads files into conversations and writes them to the store, never on the loop."""

    def __init__(self, store: ConversationStore, announce: Announce = nobody) -> None:
        """`announce`: told once an import added conversations (HistoryService.announce)."""
        self._store = store
        self._announce = announce

    async def read(self, path: Path, progress: Progress | None = None) -> ParsedImport:
        """Raises ImportProblem (the file as a whole is unusable) or OSError."""
        return await asyncio.to_thread(read_import, Path(path), progress)

    async def write(self, parsed: ParsedImport, progress: Progress | None = None) -> ImportReport:
        report = await asyncio.to_thread(self.write_now, parsed, progress)
        if report.added:
            self._announce(EVERYTHING)
        return report

    def write_now(self, parsed: ParsedImport, progress: Progress | None = None) -> ImportReport:
        """Write, blocking this thread until it is on disk (the command line, a worker).
        Never raises for what it writes: a conversation or a chunk the history refused is
        in the report's problems with the reason, and importing again adds what is missing."""
        total = len(parsed.conversations)
        added, messages = 0, 0
        problems = list(parsed.problems)
        # Every chunk is queued before the first is awaited: preparing the next chunks
        # (Python) overlaps writing the first (SQLite, which lets go of the interpreter).
        freezer = Freezer()  # the prepared copies too, until written (long_lived.py)
        queued = []
        for start in range(0, total, CHUNK):
            prepared = [self._prepared(c) for c in parsed.conversations[start : start + CHUNK]]
            queued.append(self._store.add_whole_conversations(prepared))
            freezer.tick(len(prepared))
        for number, chunk in enumerate(queued, start=1):
            try:
                change = chunk.result(WRITE_TIMEOUT)
            except Exception as error:  # the whole chunk (a full disk, a bug): said, not raised
                start = (number - 1) * CHUNK
                problems += [
                    Problem(imported.conversation.title or "?", f"not written ({error})")
                    for imported in parsed.conversations[start : start + CHUNK]
                ]
            else:
                written = set(change.added)
                added += len(written)
                messages += sum(
                    len(whole.messages)
                    for whole in change.conversations
                    if whole.conversation.id in written
                )
                problems += [Problem(title, reason) for title, reason in change.failed]
            if progress is not None:
                progress(min(number * CHUNK, total), total)
        skipped = total - added - (len(problems) - len(parsed.problems))
        return ImportReport(added, skipped, messages, problems)

    def _prepared(self, imported: ImportedConversation) -> WholeConversation:
        return with_ids(
            imported.conversation,
            imported.messages,
            imported.origin,
            imported.blobs,
            self._store.new_id,
        )


def read_and_write(
    store: ConversationStore, path: Path, progress: Callable[[str, int, int], None] | None = None
) -> tuple[ParsedImport, ImportReport]:
    """Both steps in this thread, for the command line."""
    service = ImportService(store)
    parsed = read_import(Path(path), _stage(progress, "reading"))
    return parsed, service.write_now(parsed, _stage(progress, "writing"))


def _stage(progress: Callable[[str, int, int], None] | None, stage: str) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)
