"""Sync through a folder on this computer that another program carries between computers
(Syncthing, Dropbox, Nextcloud, a network share).

A new file is written under a hidden temporary name, flushed to disk, then given its name
with a hard link, which fails rather than replace a file of the same name: a reader (or the
folder's sync program) never sees half a file, and two computers can never overwrite each
other. Where the file system has no hard links (some network shares), a rename that checks
first is used instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from desktopchat.sync.errors import AlreadyThere, TransportError, TransportFailure
from desktopchat.sync.transport import ROOT, Entry

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_NO_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS, errno.EMLINK)


class FolderTransport:
    def __init__(self, folder: Path) -> None:
        self.base = Path(folder).expanduser()
        self.root = self.base / ROOT
        self.description = str(self.base)

    def _check_base(self) -> None:
        if not self.base.is_dir():
            raise TransportError(
                TransportFailure.MISSING_FOLDER,
                f"the sync folder {self.base} does not exist (is the drive or share there?)",
            )

    def _path(self, relative: str) -> Path:
        parts = [p for p in relative.split("/") if p]
        if any(p in (".", "..") or os.sep in p for p in parts):
            raise ValueError(f"not a sync path: {relative!r}")
        return self.root.joinpath(*parts)

    def list(self, folder: str = "") -> list[Entry]:
        self._check_base()
        found = []
        try:
            with os.scandir(self._path(folder)) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        is_folder = entry.is_dir(follow_symlinks=False)
                        size = None if is_folder else entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
                    found.append(Entry(entry.name, size, is_folder))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise _failure(error, f"cannot list {self.root / folder}") from error
        return sorted(found, key=lambda e: e.name)

    def read(self, path: str, limit: int) -> bytes:
        target = self._path(path)
        try:
            # Opened without waiting and read only if it is a regular file: a FIFO or a
            # device planted in the shared folder would hang the sync or be read for ever.
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as file:
                found = os.fstat(file.fileno())
                if not stat.S_ISREG(found.st_mode):
                    raise TransportError(TransportFailure.IO, f"{path} is not a file: not read")
                if found.st_size > limit:
                    raise TransportError(
                        TransportFailure.TOO_BIG, f"{path} is larger than sync writes: not read"
                    )
                data = file.read(limit + 1)
        except FileNotFoundError as error:
            raise TransportError(TransportFailure.NOT_FOUND, f"{path} is gone") from error
        except OSError as error:
            raise _failure(error, f"cannot read {target}") from error
        if len(data) > limit:
            raise TransportError(TransportFailure.TOO_BIG, f"{path} grew past {limit} bytes")
        return data

    def write_new(self, path: str, data: bytes) -> None:
        self._check_base()
        target = self._path(path)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            _name_without_overwrite(temporary, target)
            _sync_folder(target.parent)
        except FileExistsError as error:
            raise AlreadyThere(f"{path} exists already") from error
        except OSError as error:
            raise _failure(error, f"cannot write {target}") from error
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def delete(self, path: str) -> None:
        try:
            self._path(path).unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise _failure(error, f"cannot delete {self.root / path}") from error

    def close(self) -> None:
        pass


def _name_without_overwrite(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from error
        os.rename(temporary, target)


def _sync_folder(folder: Path) -> None:
    """The new name on disk too (POSIX); Windows has no folder descriptors."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _failure(error: OSError, what: str) -> TransportError:
    if error.errno in _FULL:
        return TransportError(TransportFailure.FULL, f"{what}: the disk is full")
    if isinstance(error, PermissionError):
        return TransportError(TransportFailure.FORBIDDEN, f"{what}: permission denied")
    return TransportError(TransportFailure.IO, f"{what}: {error.strerror or error}")
