"""The one small interface every place changes are kept behind: a folder (what Syncthing,
Dropbox or Nextcloud clients provide), WebDAV, and later S3.

Paths are relative to the sync root (`DesktopChat-sync/` inside what the person chose),
"/"-separated, two levels at most (`<device>/<file>`). A computer only ever writes new
files (never rewrites one) and only deletes its own, so nothing needs a lock: that is what
lets a plain shared folder carry sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ROOT = "DesktopChat-sync"
"""The folder, inside what the person chose, that holds everything sync writes."""


@dataclass(frozen=True)
class Entry:
    name: str
    size: int | None
    is_folder: bool


class Transport(Protocol):
    description: str
    """Where it goes, for messages (never a password)."""

    def list(self, folder: str = "") -> list[Entry]:
        """What `folder` holds (the root for ""); [] when it does not exist. Names that
        begin with "." (half-written files, the OS's own) are left out."""
        ...

    def read(self, path: str, limit: int) -> bytes:
        """The whole file; TransportError(TOO_BIG) past `limit` bytes, (NOT_FOUND) when gone."""
        ...

    def write_new(self, path: str, data: bytes) -> None:
        """Write a file that does not exist yet, whole or not at all (readers never see half
        of it); AlreadyThere when the name is taken. Creates the folder as needed."""
        ...

    def delete(self, path: str) -> None:
        """Delete one of this computer's own files; one already gone is fine."""
        ...

    def close(self) -> None: ...
