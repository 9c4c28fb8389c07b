"""How the commands word what they did: counts with their noun, progress on stderr, days.

Shared by cli/commands.py and cli/sync_command.py, which import each other otherwise not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO


def counted(number: int, noun: str) -> str:
    """ "1 conversation", "2 conversations", "0 conversations"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def progress(stage: str, err: TextIO) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        print(f"\r{stage}: {done}/{total}", end="" if done < total else "\n", file=err, flush=True)

    return show


def day(moment: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(moment).date().isoformat()
