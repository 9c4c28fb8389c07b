"""Projects as rows (schema: storage/project_schema.py): the changes the writer applies
and the reads the project services make.

Reads see what is written, not what is queued (no overlay, unlike conversations): the
project service waits for its own writes before it reads again, which is cheap because
projects change only when the person edits one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from desktopchat.domain.projects import Passage, Project, ProjectFile
from desktopchat.storage.attachment_rows import Blob, write_blobs

_PROJECT_COLUMNS = "id, name, created, updated, system_prompt, provider, model, temperature, tools"
_FILE_COLUMNS = "id, project_id, name, mime, size, length(text) AS chars, added"


@dataclass(frozen=True)
class SaveProject:
    """Add a project, or change its name and defaults (a row that is there is updated)."""

    project: Project

    def apply(self, connection: sqlite3.Connection) -> None:
        p = self.project
        connection.execute(
            f"INSERT INTO projects ({_PROJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated = excluded.updated,"
            " system_prompt = excluded.system_prompt, provider = excluded.provider,"
            " model = excluded.model, temperature = excluded.temperature,"
            " tools = excluded.tools",
            (p.id, p.name, p.created, p.updated, p.system_prompt, p.provider, p.model,
             p.temperature, int(p.tools)),
        )  # fmt: skip

    def describe(self) -> str:
        return f"project {self.project.id}"


@dataclass(frozen=True)
class DeleteProject:
    """With its files; its conversations stay and are moved out (by trigger)."""

    project_id: int

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM projects WHERE id = ?", (self.project_id,))

    def describe(self) -> str:
        return f"deleting project {self.project_id}"


@dataclass(frozen=True)
class AddProjectFile:
    """A file with its text, its bytes (stored once, as a blob) and its passages."""

    file: ProjectFile
    sha256: str
    blob: Blob
    text: str
    passages: Sequence[tuple[int, str]]

    def apply(self, connection: sqlite3.Connection) -> None:
        f = self.file
        write_blobs(connection, {self.sha256: self.blob})
        connection.execute(
            "INSERT INTO project_files (id, project_id, name, mime, size, sha256, text, added)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f.id, f.project_id, f.name, f.mime, f.size, self.sha256, self.text, f.added),
        )
        connection.executemany(
            "INSERT INTO project_passages (file_id, start, text) VALUES (?, ?, ?)",
            [(f.id, start, text) for start, text in self.passages],
        )

    def describe(self) -> str:
        return f"file {self.file.name!r} of project {self.file.project_id}"


@dataclass(frozen=True)
class RemoveProjectFile:
    project_id: int
    file_id: int

    def apply(self, connection: sqlite3.Connection) -> None:
        connection.execute(
            "DELETE FROM project_files WHERE id = ? AND project_id = ?",
            (self.file_id, self.project_id),
        )

    def describe(self) -> str:
        return f"removing file {self.file_id} of project {self.project_id}"


ProjectChange = SaveProject | DeleteProject | AddProjectFile | RemoveProjectFile


def read_projects(connection: sqlite3.Connection) -> list[Project]:
    """Every project, by name (case ignored)."""
    rows = connection.execute(
        f"SELECT {_PROJECT_COLUMNS} FROM projects ORDER BY name COLLATE NOCASE, id"
    ).fetchall()
    return [
        Project(
            id=r[0], name=r[1], created=r[2], updated=r[3], system_prompt=r[4],
            provider=r[5], model=r[6], temperature=r[7], tools=bool(r[8]),
        )
        for r in rows
    ]  # fmt: skip


def read_project_files(connection: sqlite3.Connection, project_id: int) -> list[ProjectFile]:
    """A project's files in the order they were added."""
    rows = connection.execute(
        f"SELECT {_FILE_COLUMNS} FROM project_files WHERE project_id = ? ORDER BY added, id",
        (project_id,),
    ).fetchall()
    return [ProjectFile(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def read_file_texts(connection: sqlite3.Connection, project_id: int) -> list[tuple[str, str]]:
    """(name, text) of each of a project's files, in the order they were added."""
    rows = connection.execute(
        "SELECT name, text FROM project_files WHERE project_id = ? ORDER BY added, id",
        (project_id,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def search_passages(
    connection: sqlite3.Connection, project_id: int, match: str, limit: int
) -> list[Passage]:
    """The passages of a project's files that best match `match` (an FTS5 expression the
    caller built safely), best first by BM25."""
    rows = connection.execute(
        "SELECT f.id, f.name, p.start, p.text FROM project_passages_fts"
        " JOIN project_passages AS p ON p.id = project_passages_fts.rowid"
        " JOIN project_files AS f ON f.id = p.file_id"
        " WHERE project_passages_fts MATCH ? AND f.project_id = ?"
        " ORDER BY bm25(project_passages_fts) LIMIT ?",
        (match, project_id, limit),
    ).fetchall()
    return [Passage(r[0], r[1], r[2], r[3]) for r in rows]


_QUERY_WORDS = 64
"""The most words of a question a passage search asks for."""


def passage_query(text: str) -> str | None:
    """An FTS5 expression that ORs the words of a question (BM25 ranks passages holding
    more, and rarer, of them first); None if it has none worth asking for.

    Words are quoted phrases, so nothing typed is FTS5 syntax (as storage/search.py does);
    words of one or two characters are dropped (they match nearly every passage), and a
    word of four or more also matches as a prefix ("config" finds "configuration").
    """
    words: list[str] = []
    for word in text.split():
        token = "".join(char for char in word if char.isalnum())
        if len(token) < 3 or token.lower() in (w.lower() for w in words):
            continue
        words.append(token)
        if len(words) == _QUERY_WORDS:
            break
    if not words:
        return None
    return " OR ".join(f'"{w}"*' if len(w) >= 4 else f'"{w}"' for w in words)
