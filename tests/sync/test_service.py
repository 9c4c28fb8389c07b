"""The app's way to sync (services/sync/service.py): in a child process, secrets from the
keychain handed to it on stdin, the last result kept."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.services.sync.process import SyncFailed
from desktopchat.services.sync.service import NeedsSecret, SyncService
from desktopchat.services.sync.target import PASSPHRASE_ACCOUNT, SyncTarget
from desktopchat.sync.errors import SyncError
from desktopchat.system.keys import KeyStore
from tests.sync.homes import PASSPHRASE
from tests.sync.test_merge import _conversation, _one_file_each


def test_syncs_in_a_process_with_the_keychains_passphrase(homes, tmp_path, memory_keyring):
    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = homes("a"), homes("b")
    _conversation(a, "From A", "hello", "hi")
    keys = KeyStore(backend=memory_keyring, environ={})

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
    assert service.last is not None and service.last.report is second

    b.sync(SyncTarget.folder(shared).transport())
    assert b.picture() == a.picture()

    async def wrong():
        other = SyncService(b.store, keys, environ={})
        await other.set_target(SyncTarget.folder(shared))
        with pytest.raises(SyncFailed) as failed:
            await other.sync_now("not the passphrase")
        assert failed.value.kind == "passphrase"
        return other

    assert asyncio.run(wrong()).last.error.startswith("this passphrase does not open")


def test_a_first_sync_counts_its_files_stops_when_asked_and_resumes(homes, tmp_path):
    """A new computer's first sync says n of N files, stops between two files when asked
    (keeping what it read), and the next sync reads only the rest."""
    from desktopchat.sync.errors import Stopped
    from desktopchat.sync.folder import FolderTransport

    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = homes("a"), homes("b")
    _one_file_each(a, shared, 5)
    counts: list[tuple[int, int]] = []

    def files(done, total):
        counts.append((done, total))

    with pytest.raises(Stopped, match="2 of 5"):
        b.sync(FolderTransport(shared), files=files, stop=lambda: len(counts) >= 3)
    assert counts == [(0, 5), (1, 5), (2, 5)]
    kept = b.picture()
    assert len(kept) == 2  # what it read before stopping is in the history
    counts.clear()
    report = b.sync(FolderTransport(shared), files=files)
    assert counts == [(0, 3), (1, 3), (2, 3), (3, 3)]  # only the rest
    assert report.files_read == 3
    assert b.picture() == a.picture()


def test_joining_needs_a_sync_there_and_starting_needs_none(homes, tmp_path):
    from desktopchat.sync.folder import FolderTransport

    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = homes("a"), homes("b")
    with pytest.raises(SyncError, match="holds no sync yet"):
        a.sync(FolderTransport(shared), joining=True)
    assert not (shared / "DesktopChat-sync" / "header.json").exists()
    a.sync(FolderTransport(shared), joining=False)
    with pytest.raises(SyncError, match="already holds a sync"):
        b.sync(FolderTransport(shared), joining=False)
    b.sync(FolderTransport(shared), joining=True)


def test_where_when_and_the_last_success_are_kept_in_the_state_file(homes, tmp_path,
                                                                     memory_keyring):  # fmt: skip
    from desktopchat.services.sync.names import is_set_up
    from desktopchat.services.sync.service import SyncOptions

    shared = tmp_path / "Sync"
    shared.mkdir()
    a = homes("a")
    _conversation(a, "From A", "hello", "hi")
    keys = KeyStore(backend=memory_keyring, environ={})
    database = a.database

    async def scenario():
        service = SyncService(a.store, keys, environ={"DESKTOPCHAT_SYNC_PASSPHRASE": PASSPHRASE})
        nothing = await service.setup()
        assert not is_set_up(database)  # reading the setup made no file
        await service.set_target(SyncTarget.folder(shared), joining=False)
        await service.set_options(SyncOptions(at_start=False, every_minutes=15, at_quit=True))
        await service.sync_now()
        kept = await SyncService(a.store, keys, environ={}).setup()
        await service.stop_syncing()
        return nothing, kept, await service.setup()

    nothing, kept, off = asyncio.run(scenario())
    assert nothing.target is None and nothing.options == SyncOptions()
    assert kept.target == SyncTarget.folder(shared)
    assert kept.options == SyncOptions(False, 15, True)
    assert kept.last_success is not None and kept.last_success.report.sent_messages == 2
    assert off.target is None and not is_set_up(database)
    assert off.last_success == kept.last_success  # what was synced stays said
