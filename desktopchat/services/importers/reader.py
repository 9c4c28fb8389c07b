"""Which importer reads a file, and what a person is shown before anything is written.

Runs in a worker thread: parsing a 200 MB archive takes seconds. A conversation that cannot
be read is left out and named in `problems`; the others still come.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktopchat.domain.markdown_import import (
    ExportFormatError,
    ImportedConversation,
    markdown_to_conversation,
)
from desktopchat.domain.types import Message
from desktopchat.services.importers import chatgpt, claude
from desktopchat.services.importers.archive import Budget, JsonList, decoded, read_json_file
from desktopchat.services.importers.fields import title_of
from desktopchat.services.importers.long_lived import Freezer
from desktopchat.services.importers.tree import ImportProblem

Progress = Callable[[int, int], None]
"""(done, total): called from the worker thread now and then."""

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_MARKDOWN_BYTES = 256 << 20
MAX_ATTACHMENT_BYTES = 512 << 20


@dataclass(frozen=True)
class Problem:
    """A conversation left out, and why (English, for the log and the report)."""

    title: str
    reason: str


@dataclass(frozen=True)
class ParsedImport:
    """What a file holds, read and checked, nothing written yet."""

    source: str
    """"chatgpt", "claude" or "markdown"."""
    conversations: list[ImportedConversation]
    problems: list[Problem] = field(default_factory=list)

    @property
    def message_count(self) -> int:
        return sum(len(c.messages) for c in self.conversations)

    @property
    def date_range(self) -> tuple[float, float] | None:
        """The first and the last moment of the conversations; None when there are none."""
        if not self.conversations:
            return None
        first = min(c.conversation.created for c in self.conversations)
        last = max(c.conversation.updated for c in self.conversations)
        return first, last


def read_import(
    path: Path, progress: Progress | None = None, budget: Budget | None = None
) -> ParsedImport:
    """Read a `.zip`, `.json`, `.md` or a folder of `.md` files; raises ImportProblem when
    the file as a whole is unusable, and OSError when it cannot be read. All that is read,
    inflated and kept is spent from `budget` (archive.MAX_IMPORT_BYTES when none given)."""
    path = Path(path)
    budget = budget if budget is not None else Budget()
    if path.is_dir():
        paths = sorted(p for p in path.iterdir() if _is_markdown(p))
        return _read_markdown_files(paths, progress, budget)
    if _is_markdown(path):
        return _read_markdown_files([path], progress, budget)
    data = read_json_file(path, budget=budget)
    return parse_export(data, progress)


def parse_export(data: Any, progress: Progress | None = None) -> ParsedImport:
    """Conversations from the JSON of a ChatGPT or Claude export: a list (or a JsonList,
    read as it goes), or an object with a "conversations" list."""
    if isinstance(data, dict) and isinstance(data.get("conversations"), list):
        data = data["conversations"]
    if not isinstance(data, list | JsonList):
        raise ImportProblem("it is not a list of conversations")
    source, parse = "", None
    conversations, problems = [], []
    freezer = Freezer()  # what is read lives until written: out of the full passes
    for number, raw in enumerate(data, start=1):
        if parse is None and isinstance(raw, dict):
            source, parse = _format_of(raw)
        try:
            if parse is None or not isinstance(raw, dict):
                raise ImportProblem("it is not a conversation")
            conversations.append(parse(raw))
        except (ImportProblem, ValueError, TypeError, OverflowError, RecursionError) as problem:
            # ImportProblem says why; anything else is a value no reader foresaw, and it
            # leaves out this conversation only, never the rest of the file.
            title = title_of(raw.get("title") or raw.get("name")) if isinstance(raw, dict) else ""
            problems.append(Problem(title or f"#{number}", str(problem)))
        freezer.tick()
        if progress is not None and number % 50 == 0:
            _report(progress, data, number)
    if progress is not None:
        progress(100, 100)
    return ParsedImport(source or "chatgpt", conversations, problems)


def _format_of(
    first: dict[str, Any],
) -> tuple[str, Callable[[dict[str, Any]], ImportedConversation]]:
    if chatgpt.is_chatgpt(first):
        return "chatgpt", chatgpt.parse_conversation
    if claude.is_claude(first):
        return "claude", claude.parse_conversation
    raise ImportProblem("it is neither a ChatGPT nor a Claude export")


def _report(progress: Progress, data: list[Any] | JsonList, number: int) -> None:
    """Progress in percent: of the elements of a list, of the text of a JsonList."""
    fraction = data.fraction if isinstance(data, JsonList) else number / max(len(data), 1)
    progress(int(fraction * 100), 100)


def _is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file()


def _read_markdown_files(
    paths: list[Path], progress: Progress | None, budget: Budget
) -> ParsedImport:
    conversations, problems = [], []
    found = _Found(budget)
    for number, path in enumerate(paths, start=1):
        try:
            conversations.append(read_markdown_file(path, found))
        except (ImportProblem, ExportFormatError, OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path.name, str(error)))
        if progress is not None:
            progress(number, len(paths))
    return ParsedImport("markdown", conversations, problems)


def read_markdown_file(path: Path, found: _Found | None = None) -> ImportedConversation:
    """One of our exports; its origin is the hash of its bytes, so importing the same file
    again adds nothing. Its text is spent from the import's budget, and so are its
    attachments' bytes, each read once in the whole import (`found`)."""
    found = found if found is not None else _Found(Budget())
    size = path.stat().st_size
    if size > MAX_MARKDOWN_BYTES:
        raise ImportProblem(f"the file is larger than {MAX_MARKDOWN_BYTES:,} bytes")
    found.budget.spend(size, f"reading {path.name}")
    data = path.read_bytes()
    origin = f"markdown:{hashlib.sha256(data).hexdigest()[:32]}"
    try:
        text = decoded(data, found.budget)
    finally:
        found.budget.refund(size)
    del data
    imported = markdown_to_conversation(text)
    blobs = found.beside(path.parent, imported.files)
    messages = [_without_missing_bytes(m, blobs) for m in imported.messages]
    return ImportedConversation(imported.conversation, messages, origin=origin, blobs=blobs)


class _Found:
    """The attachments' bytes one import has read, by sha256 and by file: a folder of
    exports whose files all name one large attachment reads (and keeps) it once, not once
    a file (28 KB on disk made 4 GB)."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._by_sha: dict[str, bytes] = {}
        self._read_files: set[Path] = set()

    def beside(self, folder: Path, files: dict[str, str]) -> dict[str, bytes]:
        """The attachments' bytes, read only from inside `folder` (a hostile file cannot
        make us read elsewhere) and only when their sha256 is the one recorded."""
        root = folder.resolve()
        found = {}
        for sha256, relative in files.items():
            if sha256 in self._by_sha:  # the same bytes, already read and checked
                found[sha256] = self._by_sha[sha256]
                continue
            candidate = (folder / relative).resolve()
            if not candidate.is_relative_to(root) or candidate in self._read_files:
                continue  # outside, or read already and not these bytes
            self._read_files.add(candidate)
            data = self._read(candidate)
            if data is not None and hashlib.sha256(data).hexdigest() == sha256:
                self._by_sha[sha256] = found[sha256] = data
            elif data is not None:
                self.budget.refund(len(data))
        return found

    def _read(self, path: Path) -> bytes | None:
        if not path.is_file():
            return None
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            return None
        self.budget.spend(size, f"the attachment {path.name}")
        data = path.read_bytes()
        if len(data) != size:  # it changed while read: spend what it is
            self.budget.refund(size)
            self.budget.spend(len(data), f"the attachment {path.name}")
        return data


def _without_missing_bytes(message: Message, blobs: dict[str, bytes]) -> Message:
    """Attachments whose bytes were not found beside the file keep their name, say so."""
    if all(a.sha256 is None or a.sha256 in blobs for a in message.attachments):
        return message
    attachments = tuple(
        a
        if a.sha256 is None or a.sha256 in blobs
        else replace(a, sha256=None, note=a.note or "The file was not found beside the export")
        for a in message.attachments
    )
    return replace(message, attachments=attachments)
