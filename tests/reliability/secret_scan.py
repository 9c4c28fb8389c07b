"""Looking for API keys where they must never be: files, and what a process printed.

A key counts as found when the whole of it, or its first or last 8 characters (what a
service's "Incorrect API key provided: sk-abc…wxyz" echo or a careless log line would show),
appear anywhere: in the raw bytes of any file (as UTF-8 or UTF-16), and in the text of every
SQLite database, read through SQL, since a long text can be split across pages on disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

FRAGMENT = 8


def fragments(key: str) -> set[str]:
    return {key, key[:FRAGMENT], key[-FRAGMENT:]}


def _database_text(path: Path) -> str:
    """Every statement that would rebuild the database, values included; "" if it is not
    a readable database."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    except sqlite3.Error:
        return ""


def _haystacks(path: Path) -> Iterable[bytes]:
    raw = path.read_bytes()
    yield raw
    if raw.startswith(b"SQLite format 3\x00"):
        yield _database_text(path).encode("utf-8", "surrogatepass")


def find_keys(keys: Iterable[str], files: Iterable[Path], texts: Iterable[str] = ()) -> list[str]:
    """Where any fragment of any key was found, as "place: fragment" lines (none: [])."""
    needles = {
        fragment.encode(encoding): fragment
        for key in keys
        for fragment in fragments(key)
        for encoding in ("utf-8", "utf-16-le")
    }
    hits = []
    for path in files:
        for haystack in _haystacks(path):
            hits += [f"{path}: {text}" for needle, text in needles.items() if needle in haystack]
    for number, text in enumerate(texts):
        encoded = text.encode("utf-8", "surrogatepass")
        hits += [
            f"output {number}: {found}" for needle, found in needles.items() if needle in encoded
        ]
    return sorted(set(hits))


def files_under(*folders: Path) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]
