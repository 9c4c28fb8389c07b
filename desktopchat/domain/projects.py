"""Projects: named folders of conversations with their own defaults and files
(DESIGN.md §3), and the words that say which project files a reply was given.

Plain values: storage/project_rows.py reads and writes them, services/projects.py and
services/project_files.py use them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

NAME_MAX_CHARS = 200
"""A project's name is cut to this many characters."""


@dataclass(frozen=True)
class Project:
    """A project and the defaults a new conversation in it takes."""

    id: int
    name: str
    created: float
    updated: float
    system_prompt: str = ""
    provider: str | None = None
    model: str | None = None
    temperature: float | None = None
    tools: bool = False
    """Whether a new conversation in the project starts with tools on."""


@dataclass(frozen=True)
class ProjectFile:
    """A file of a project, as listed: its text is read only when a request needs it."""

    id: int
    project_id: int
    name: str
    mime: str
    size: int
    """The file's size in bytes as the person had it."""
    chars: int
    """The length of its extracted text."""
    added: float


@dataclass(frozen=True)
class Passage:
    """A piece of a project file's text, as the full-text index finds it."""

    file_id: int
    name: str
    start: int
    """Where it starts in the file's text, in characters."""
    text: str


@dataclass(frozen=True)
class FileUse:
    """A project file a reply was given: whole (passages 0), or that many passages of it."""

    name: str
    passages: int = 0


def uses_to_record(uses: tuple[FileUse, ...]) -> str | None:
    """How the files a reply used are stored (messages.project_files): JSON, or None."""
    if not uses:
        return None
    return json.dumps([[use.name, use.passages] for use in uses], ensure_ascii=False)


def uses_from_record(record: str | None) -> tuple[FileUse, ...]:
    """The files a reply used, from what was stored; anything malformed (a synced row from
    elsewhere, a hand-edited file) reads as nothing rather than failing the message."""
    if not record:
        return ()
    try:
        items = json.loads(record)
    except (ValueError, RecursionError):
        return ()
    if not isinstance(items, list):
        return ()
    uses = []
    for item in items[:1000]:
        if (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
            and 0 <= item[1] <= 1_000_000
        ):
            uses.append(FileUse(item[0][:NAME_MAX_CHARS], item[1]))
    return tuple(uses)


def split_passages(text: str, size: int = 1500, overlap: int = 200) -> list[tuple[int, str]]:
    """A file's text as (start, passage) pieces of about `size` characters, cut at a
    paragraph or line break, else a space, when one is near the end, and overlapping by
    about `overlap` characters so a sentence cut in two is whole in one of them."""
    pieces: list[tuple[int, str]] = []
    start, length = 0, len(text)
    while start < length:
        end = min(length, start + size)
        if end < length:
            window = text[start + size // 2 : end]
            for mark in ("\n\n", "\n", " "):
                cut = window.rfind(mark)
                if cut >= 0:
                    end = start + size // 2 + cut + len(mark)
                    break
        piece = text[start:end]
        if piece.strip():
            pieces.append((start, piece))
        if end >= length:
            break
        start = max(start + 1, end - overlap)
    return pieces
