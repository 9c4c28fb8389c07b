"""Reading the app's own small files (preferences, price corrections, cached model lists,
the restore marker) so that nothing put in their place can hang or exhaust the app.

A FIFO where a file should be would block the open until something writes to it (Quit
never ends); a link to `/dev/zero` or any large file would be read until memory runs out;
JSON nested a hundred thousand deep raises RecursionError, which is not a ValueError and
escaped the callers' handlers (a skipped shutdown lost a queued draft). Here a file is
opened without waiting, must be a regular file, is read up to a limit, and every way it
can be unusable is one exception with a kind the caller may show.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any


class UnusableFile(Exception):
    """The file as a whole cannot be used: `kind` is one of "unreadable", "too_large",
    "not_text", "not_json", "too_deep"; `detail` says more where there is more."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def _open_without_waiting(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_small_bytes(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them. Raises
    FileNotFoundError when there is none, UnusableFile otherwise. Blocking (a disk read)."""
    try:
        with open(path, "rb", opener=_open_without_waiting) as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # a FIFO, a device
                raise UnusableFile("unreadable", "not a regular file")
            raw = file.read(limit + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnusableFile("unreadable", exc.__class__.__name__) from exc
    if len(raw) > limit:
        raise UnusableFile("too_large")
    return raw


def read_small_json(path: Path, limit: int) -> Any:
    """The JSON value in the file at `path` (see read_small_bytes)."""
    raw = read_small_bytes(path, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnusableFile("not_text") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnusableFile("not_json", str(exc.lineno)) from exc
    except RecursionError as exc:
        raise UnusableFile("too_deep") from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise UnusableFile("not_json", "") from exc
