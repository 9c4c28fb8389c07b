"""Write a file so that a crash, a full disk or a kill leaves either the old file or the new
one, never half of either, and no half-written temporary file beside them."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from pathlib import Path

_NO_UNNAMED_FILES = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL)
"""What open(O_TMPFILE) says where the kernel or the filesystem has no unnamed files."""


def write_text_atomic(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write text to a file beside `path`, flush it to disk, then rename it over.

    Raises OSError (ENOSPC, EACCES, ENOENT …) with nothing left behind.
    """
    write_bytes_atomic(path, text.encode("utf-8"), mode=mode)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """As write_text_atomic, for bytes (attachments written beside an export)."""
    path = Path(path)
    if not _write_unnamed(path, data, mode):
        _write_named(path, data, mode)


def _write_unnamed(path: Path, data: bytes, mode: int) -> bool:
    """Linux: write into an unnamed file in the folder (O_TMPFILE), name it once it is whole
    and on disk, then rename it over `path`. A kill while writing leaves nothing at all (an
    unnamed file vanishes with the process). False where there are no unnamed files."""
    unnamed = getattr(os, "O_TMPFILE", None)
    if unnamed is None:
        return False
    try:
        fd = os.open(path.parent, unnamed | os.O_WRONLY, mode)
    except OSError as error:
        if error.errno in _NO_UNNAMED_FILES:
            return False
        raise
    try:
        _write_all(fd, data)
        os.fchmod(fd, mode)
        os.fsync(fd)
        name = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        # A folder descriptor makes os.link call linkat(…, AT_SYMLINK_FOLLOW), which names
        # the file behind /proc/self/fd/N rather than that link itself.
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder)
        except OSError:
            return False  # no /proc to name it through: write a named file instead
        finally:
            os.close(folder)
    finally:
        os.close(fd)
    try:
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return True


def _write_named(path: Path, data: bytes, mode: int) -> None:
    """Elsewhere: a named temporary file, removed if anything fails before the rename."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
