"""Where this computer syncs to, remembered in the sync state file after the first time
(never a password or the passphrase), and the transport that reaches it.

The transports are imported when one is made: the app only names the place (the sync
process reaches it), and the WebDAV client with httpx under it costs ~0.4 s to import,
which on the window's loop would be a stall (DESIGN.md P9)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktopchat.services.sync.names import (
    PASSPHRASE_ACCOUNT,
    PASSPHRASE_ENV,
    WEBDAV_PASSWORD_ENV,
)
from desktopchat.storage.sync_state import SyncState

if TYPE_CHECKING:
    from desktopchat.sync.transport import Transport

__all__ = ["PASSPHRASE_ACCOUNT", "PASSPHRASE_ENV", "WEBDAV_PASSWORD_ENV", "SyncTarget"]


@dataclass(frozen=True)
class SyncTarget:
    kind: str
    """"folder" or "webdav"."""
    location: str
    user: str | None = None

    @classmethod
    def folder(cls, path: Path) -> SyncTarget:
        return cls("folder", str(Path(path).expanduser().resolve()))

    @classmethod
    def webdav(cls, url: str, user: str) -> SyncTarget:
        """Raises ValueError for an address that carries a login: it would be remembered and
        printed as it is, password included; the password belongs in the keychain."""
        parts = urlsplit(url.strip())
        if parts.username is not None or parts.password is not None:
            raise ValueError(
                "the address holds a user name or password: give the user with --user; "
                "the password is asked for and kept in the keychain"
            )
        return cls("webdav", url.strip(), user)

    @property
    def needs_password(self) -> bool:
        return self.kind == "webdav"

    @property
    def password_account(self) -> str:
        """The keychain account of the WebDAV password (system/keys.py)."""
        return f"webdav:{self.user}@{self.location}"

    def describe(self) -> str:
        if self.kind == "webdav":
            return f"{self.location} as {self.user}"
        return self.location

    def transport(self, password: str | None = None, timeout: float | None = None) -> Transport:
        """`timeout`: seconds a WebDAV request may wait (shorter at quit than usual)."""
        if self.kind == "folder":
            from desktopchat.sync.folder import FolderTransport

            return FolderTransport(Path(self.location))
        from desktopchat.sync.webdav import WebDavTransport

        if timeout is None:
            return WebDavTransport(self.location, self.user or "", password or "")
        return WebDavTransport(self.location, self.user or "", password or "", timeout=timeout)


def remembered(state: SyncState) -> SyncTarget | None:
    text = state.get("target")
    if text is None:
        return None
    try:
        value = json.loads(text)
        return SyncTarget(str(value["kind"]), str(value["location"]), value.get("user"))
    except (ValueError, KeyError, TypeError):
        return None


def remember(state: SyncState, target: SyncTarget) -> None:
    state.put(
        "target",
        json.dumps({"kind": target.kind, "location": target.location, "user": target.user}),
    )
