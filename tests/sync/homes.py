"""Homes that sync: each a DESKTOPCHAT_HOME-shaped folder with its own history and sync
state, synced in this process (the engine) or by the `desktopchat sync` command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktopchat.services.sync.engine import SyncEngine
from desktopchat.services.sync.report import SyncReport
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.sync_state import STATE_FILE, SyncState
from desktopchat.sync.crypto import KdfParameters, Keys, derive_keys
from desktopchat.sync.transport import Transport
from desktopchat.system.paths import app_paths

PASSPHRASE = "correct horse battery staple"
_DERIVED: dict[tuple[str, KdfParameters], Keys] = {}


def derive_once(passphrase: str, parameters: KdfParameters) -> Keys:
    """scrypt costs ~0.3 s a sync on a busy runner: the tests derive each key once."""
    key = (passphrase, parameters)
    if key not in _DERIVED:
        _DERIVED[key] = derive_keys(passphrase, parameters)
    return _DERIVED[key]


@dataclass
class Home:
    folder: Path
    _store: ConversationStore | None = None
    _db: Any = None
    reports: list[SyncReport] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return app_paths({"DESKTOPCHAT_HOME": str(self.folder)}).database

    @property
    def store(self) -> ConversationStore:
        if self._store is None:
            paths = app_paths({"DESKTOPCHAT_HOME": str(self.folder)})
            paths.ensure()
            self._db, problem = open_database(paths.database)
            assert problem is None, problem
            self._store = ConversationStore(self._db)
        return self._store

    def sync(
        self, transport: Transport, passphrase: str = PASSPHRASE, **options: Any
    ) -> SyncReport:
        self.store.wait_written(10)
        state = SyncState(self.database.with_name(STATE_FILE))
        try:
            options.setdefault("derive", derive_once)
            report = SyncEngine(self.store, state, transport, passphrase, **options).run()
        finally:
            state.close()
            transport.close()
        self.reports.append(report)
        return report

    def picture(self) -> dict[int, tuple[str, dict[int, tuple[int | None, str, str]]]]:
        """Every conversation: (title, {message id: (parent, role, text)})."""
        store = self.store
        store.wait_written(10)
        return {
            c.id: (
                c.title,
                {m.id: (m.parent_id, m.role.value, m.text) for m in store.messages(c.id)},
            )
            for c in store.list_conversations()
        }

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._db.close()
            self._store = None


HomeFactory = Callable[[str], Home]
