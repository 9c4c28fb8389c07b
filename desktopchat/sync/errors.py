"""What can go wrong between this computer and the sync folder, as typed exceptions.

Each carries a `kind` (for a caller to choose what to say or offer) and a sentence that
says what happened and what to do, never a key or a passphrase.
"""

from __future__ import annotations

from enum import StrEnum


class TransportFailure(StrEnum):
    UNREACHABLE = "unreachable"
    """No answer: the server is down, the address is wrong, or there is no network."""
    TIMEOUT = "timeout"
    UNAUTHORIZED = "unauthorized"
    """401: the user name or password (app token) is wrong."""
    FORBIDDEN = "forbidden"
    FULL = "full"
    """The disk or the account's quota is full (ENOSPC, 507)."""
    TOO_BIG = "too_big"
    """A file is larger than sync ever writes: not read."""
    NOT_FOUND = "not_found"
    MISSING_FOLDER = "missing_folder"
    PROTOCOL = "protocol"
    """The server answered something a WebDAV server does not."""
    IO = "io"


class SyncError(Exception):
    """Anything sync refuses or cannot do; `str()` is the sentence for the person."""


class TransportError(SyncError):
    def __init__(self, kind: TransportFailure, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class AlreadyThere(SyncError):
    """A new file's name is taken (another computer wrote it first)."""


class WrongPassphrase(SyncError):
    """The passphrase does not open this sync folder: nothing was read or changed."""


class Refused(SyncError):
    """A file that is not ours, was changed, or is cut short: it is not used."""


class Stopped(SyncError):
    """The person stopped the sync: what was applied is kept, the next sync goes on from
    there."""
