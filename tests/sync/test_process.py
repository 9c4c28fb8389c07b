"""The sync process (services/sync/child.py, process.py): stopped in the middle it keeps
what it read and the next sync reads the rest; an app killed in the middle of a sync
leaves no sync process behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desktopchat.services.sync.process import SyncFailed
from desktopchat.services.sync.service import SyncRun, SyncService
from desktopchat.services.sync.target import SyncTarget
from desktopchat.system.keys import KeyStore
from tests.sync.homes import PASSPHRASE
from tests.sync.processes import alive, sync_children
from tests.sync.test_merge import _one_file_each

REPO = Path(__file__).resolve().parents[2]


def test_stopped_in_the_middle_it_keeps_what_it_read_and_the_next_sync_reads_the_rest(
    homes, tmp_path, memory_keyring
):
    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = homes("a"), homes("b")
    _one_file_each(a, shared, 30)
    keys = KeyStore(backend=memory_keyring, environ={})
    counts: list[tuple[int, int]] = []

    async def scenario():
        service = SyncService(b.store, keys, environ={"DESKTOPCHAT_SYNC_PASSPHRASE": PASSPHRASE})
        await service.set_target(SyncTarget.folder(shared), joining=True)
        run = SyncRun()

        def files(done: int, total: int) -> None:
            counts.append((done, total))
            run.stop()  # at the first count: the child is between two files

        run.files = files
        with pytest.raises(SyncFailed) as stopped:
            await service.sync_now(run=run)
        kept = len(b.picture())
        return stopped.value, kept, await service.sync_now()

    stopped, kept, report = asyncio.run(scenario())
    assert stopped.kind == "stopped" and counts[0] == (0, 30)
    assert kept < 30  # it stopped before the end…
    assert report.files_read == 30 - kept  # …and the next sync read only the rest
    assert b.picture() == a.picture()


class _Hanging(BaseHTTPRequestHandler):
    """A WebDAV server that never answers: the sync process waits on it."""

    release = threading.Event()

    def do_PROPFIND(self):
        self.release.wait(60)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_app_killed_in_the_middle_of_a_sync_leaves_no_sync_process(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/dav/"
    app = textwrap.dedent(
        f"""
        import asyncio
        from desktopchat.services.sync.service import SyncService
        from desktopchat.services.sync.target import SyncTarget
        from desktopchat.storage.db import open_database
        from desktopchat.storage.history import ConversationStore
        from desktopchat.system.keys import KeyStore

        db, _ = open_database({str(tmp_path / "history.db")!r})
        secrets = {{"DESKTOPCHAT_SYNC_PASSPHRASE": "p", "DESKTOPCHAT_WEBDAV_PASSWORD": "w"}}
        service = SyncService(ConversationStore(db), KeyStore(environ={{}}), environ=secrets)

        async def main():
            await service.set_target(SyncTarget.webdav({url!r}, "me"))
            await service.sync_now()

        asyncio.run(main())
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", app], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}
    )
    try:
        deadline = time.monotonic() + 30
        children: set[int] = set()
        while not children and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.05)
            children = sync_children(parent.pid)
        assert children, "the sync process did not start"
        parent.kill()  # kill -9: the app cannot end anything itself
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = {pid for pid in children if alive(pid)}
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, "the sync process outlived the app"
    finally:
        if parent.poll() is None:
            parent.kill()
        _Hanging.release.set()
        server.shutdown()
        server.server_close()
