"""The app's way to sync (services/sync/service.py): in a worker thread, secrets from the
keychain, the key derived once per session, the last result kept."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.services.sync import service as service_module
from desktopchat.services.sync.service import NeedsSecret, SyncService
from desktopchat.services.sync.target import PASSPHRASE_ACCOUNT, SyncTarget
from desktopchat.sync.crypto import derive_keys
from desktopchat.sync.errors import SyncError, WrongPassphrase
from desktopchat.system.keys import KeyStore
from tests.sync.homes import PASSPHRASE
from tests.sync.test_merge import _conversation


def test_syncs_in_a_thread_with_the_keychains_passphrase(homes, tmp_path, memory_keyring,
                                                        monkeypatch):  # fmt: skip
    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = homes("a"), homes("b")
    _conversation(a, "From A", "hello", "hi")
    keys = KeyStore(backend=memory_keyring, environ={})
    derived = []
    monkeypatch.setattr(
        service_module, "derive_keys", lambda p, k: derived.append(1) or derive_keys(p, k)
    )

    async def scenario():
        service = SyncService(a.store, keys, environ={})
        with pytest.raises(SyncError, match="choose where"):
            await service.sync_now()
        await service.set_target(SyncTarget.folder(shared))
        with pytest.raises(NeedsSecret):
            await service.sync_now()
        await service.keep_passphrase(PASSPHRASE)
        first = await service.sync_now()
        second = await service.sync_now()
        return service, first, second

    service, first, second = asyncio.run(scenario())
    assert memory_keyring.passwords[("desktopchat", PASSPHRASE_ACCOUNT)] == PASSPHRASE
    assert first.sent_messages == 2 and second.sent_messages == 0
    assert len(derived) == 1  # scrypt once per session
    assert service.last is not None and service.last.report is second

    b.sync(SyncTarget.folder(shared).transport())
    assert b.picture() == a.picture()

    async def wrong():
        other = SyncService(b.store, keys, environ={})
        await other.set_target(SyncTarget.folder(shared))
        with pytest.raises(WrongPassphrase):
            await other.sync_now("not the passphrase")
        return other

    assert asyncio.run(wrong()).last.error.startswith("this passphrase does not open")
