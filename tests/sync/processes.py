"""The sync processes a process started (Linux's /proc), to check that none is left."""

from __future__ import annotations

from pathlib import Path

from desktopchat.services.sync.process import CHILD_MODULE


def sync_children(parent: int) -> set[int]:
    """The sync processes (services/sync/child.py) that `parent` started and that still run."""
    found: set[int] = set()
    for listing in Path(f"/proc/{parent}/task").glob("*/children"):
        try:
            found.update(int(pid) for pid in listing.read_text().split())
        except OSError:
            continue
    return {pid for pid in found if alive(pid) and CHILD_MODULE in _command_line(pid)}


def alive(pid: int) -> bool:
    """Running (a zombie, ended but not yet reaped, counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
