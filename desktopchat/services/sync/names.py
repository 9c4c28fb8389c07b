"""The names sync's secrets go by, in the keychain and the environment, shared by the app
and `desktopchat sync`; and whether sync is set up at all, which the app asks before
loading anything of sync. Light: the command line's help imports it."""

import sqlite3
from pathlib import Path

from desktopchat.storage.sync_state import STATE_FILE

PASSPHRASE_ACCOUNT = "sync-passphrase"
PASSPHRASE_ENV = "DESKTOPCHAT_SYNC_PASSPHRASE"
WEBDAV_PASSWORD_ENV = "DESKTOPCHAT_WEBDAV_PASSWORD"


def is_set_up(database: Path | str | None) -> bool:
    """Whether this history syncs somewhere: its sync state file names a place (blocking
    file reads: call it in a thread). Only sqlite3 is used, so a history that does not sync
    loads nothing of sync."""
    if database is None:
        return False
    state = Path(database).with_name(STATE_FILE)
    if not state.exists():
        return False
    try:
        connection = sqlite3.connect(f"{state.as_uri()}?mode=ro", uri=True, timeout=5.0)
        try:
            row = connection.execute("SELECT 1 FROM meta WHERE key = 'target'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return True  # unreadable here: the sync itself says what is wrong
    return row is not None
