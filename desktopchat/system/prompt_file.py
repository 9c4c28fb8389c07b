"""The prompt library's file, `prompts.json` in the config folder, and the files a person
imports and exports.

Why a file and not the history database: prompts are the person's own tools, like their
settings and mcp.json, not conversation data. A JSON file beside them is easy to back up,
copy to another computer or edit by hand, needs no migration, and is already the format of
an export. What the database gives (backups, two instances on one file) is given here the
settings' way: writes are atomic (system/atomic.py), and each save merges with what another
instance wrote since (domain/prompts.py `merge_libraries`).

A file that cannot be read, or only in part, is never written over: it is renamed
`prompts.json.bad-<time>` for the person to look at, and the problem is kept for the window
to say once. Every method blocks (disk): the service calls them in a worker thread.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktopchat.domain.prompts import (
    FILE_BYTES_LIMIT,
    NotALibrary,
    Prompt,
    library_json,
    merge_libraries,
    read_library,
)
from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

PROMPTS_FILE = "prompts.json"


def new_prompt_id() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class PromptFileProblem:
    """What load() found wrong: `kind` as UnusableFile's or NotALibrary's, or "repaired"
    (some entries left out: `left_out`); where the file went, or why it could not move."""

    kind: str
    left_out: int = 0
    moved_to: Path | None = None
    move_failed: str | None = None


class PromptFile:
    """Loads and saves the library; see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._loaded: tuple[Prompt, ...] | None = None
        self._blocked: str | None = None
        """Set when a damaged file could not be moved aside: saving would destroy it."""
        self._lock = threading.Lock()

    def load(self) -> tuple[tuple[Prompt, ...], PromptFileProblem | None]:
        with self._lock:
            problem = None
            try:
                prompts, left_out = read_prompts(self.path)
            except FileNotFoundError:
                prompts, left_out = (), 0
            except (UnusableFile, NotALibrary) as unusable:
                prompts, left_out = (), 0
                problem = self._move_aside(unusable.args[0])
            if left_out:
                problem = self._move_aside("repaired", left_out)
            self._loaded = prompts
            return prompts, problem

    def save(self, prompts: tuple[Prompt, ...]) -> tuple[Prompt, ...]:
        """Merge `prompts` with what the file holds now and write it atomically; return the
        library as written. Raises OSError (full disk, no permission, the damaged file that
        could not be moved aside)."""
        with self._lock:
            if self._blocked is not None:
                raise OSError(self._blocked)
            merged = prompts
            if self._loaded is not None:
                try:
                    theirs, _ = read_prompts(self.path)
                except (FileNotFoundError, UnusableFile, NotALibrary):
                    theirs = self._loaded  # gone or spoilt since: ours is all there is
                merged = merge_libraries(self._loaded, prompts, theirs)
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_json(self.path, library_json(merged))
            self._loaded = merged
            return merged

    def _move_aside(self, kind: str, left_out: int = 0) -> PromptFileProblem:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.bad-{stamp}-{counter}")
        try:
            os.rename(self.path, target)
        except OSError as exc:
            self._blocked = exc.strerror or str(exc)
            return PromptFileProblem(kind, left_out, move_failed=self._blocked)
        return PromptFileProblem(kind, left_out, moved_to=target)


def read_prompts(path: Path) -> tuple[tuple[Prompt, ...], int]:
    """The prompts in a library or export file and how many entries were left out. Raises
    FileNotFoundError, UnusableFile (unreadable, too large, not JSON…) or NotALibrary.
    Reads at most FILE_BYTES_LIMIT bytes, without waiting on a FIFO."""
    read = read_library(read_small_json(path, FILE_BYTES_LIMIT), new_prompt_id)
    return read.prompts, read.left_out


def export_prompts(path: Path, prompts: tuple[Prompt, ...]) -> None:
    """Write an export (names and bodies) atomically; raises OSError."""
    write_json(path, library_json(prompts, with_state=False), mode=0o644)


def write_json(path: Path, data: dict[str, Any], mode: int = 0o600) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=mode)
