"""P10 sync over loopback WebDAV: the first sync of 1,000 conversations (about 20,000
messages) to a new computer, one new message reaching the other computer, and the bytes
sync adds per message.

A child process imports the P8 archive (imports.build_archive) into computer A's history,
starts a real WebDAV server (WsgiDAV, tests/sync/webdav_server.py) on 127.0.0.1, syncs A
(its first upload, for information), then times computer B's first sync (an empty history:
everything arrives, scrypt included). Then A adds one message and syncs, B syncs: B's sync
is "one new message reaching the other computer". Overhead: the bytes A wrote for that one
message (sealed change file) minus the message's text; and, for the bulk, the bytes on the
server per message minus the text each message holds. No Qt.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, Options, run_sample, sample_main

MODULE = "tests.bench.sync"
NEW_MESSAGE = "One more question, typed on computer A, to be read on computer B."


def _measure(repeats: int) -> dict[str, Any]:
    from desktopchat.domain.types import Role
    from desktopchat.services.importers.reader import read_import
    from desktopchat.services.importers.service import ImportService
    from desktopchat.services.sync.engine import SyncEngine
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore
    from desktopchat.storage.sync_state import SyncState
    from desktopchat.sync.webdav import WebDavTransport
    from tests.bench.imports import build_archive
    from tests.sync.webdav_server import PASSWORD, USER, start_webdav

    passphrase = "bench passphrase, long enough"
    with tempfile.TemporaryDirectory(prefix="dc-bench-sync-") as folder:
        base = Path(folder)
        archive = base / "chatgpt-export.zip"
        messages = build_archive(archive)

        def open_home(name: str) -> tuple[ConversationStore, SyncState]:
            (base / name).mkdir(exist_ok=True)
            db, problem = open_database(base / name / "history.db")
            if problem is not None:
                raise RuntimeError(f"could not create the benchmark history: {problem}")
            return ConversationStore(db), SyncState(base / name / "sync-state.db")

        def sync(store: ConversationStore, state: SyncState, url: str) -> tuple[float, Any]:
            started = time.perf_counter()
            report = SyncEngine(
                store, state, WebDavTransport(url, USER, PASSWORD), passphrase
            ).run()
            return time.perf_counter() - started, report

        a, a_state = open_home("a")
        ImportService(a).write_now(read_import(archive))
        text_bytes = sum(
            len(row[0].encode())
            for row in a.read_rows(lambda c: c.execute("SELECT text FROM messages").fetchall())
        )
        runs = []
        for number in range(repeats):
            server = start_webdav(base / f"dav-{number}")
            try:
                if number:
                    a_state.close()
                    (base / "a" / "sync-state.db").unlink()
                    a_state = SyncState(base / "a" / "sync-state.db")
                upload_s, upload = sync(a, a_state, server.url)
                b, b_state = open_home(f"b-{number}")
                first_s, first = sync(b, b_state, server.url)
                conversation = a.list_conversations()[0]
                a.add_message(conversation.id, Role.USER, NEW_MESSAGE).result(10)
                send_s, sent = sync(a, a_state, server.url)
                receive_s, received = sync(b, b_state, server.url)
                server_bytes = sum(p.stat().st_size for p in server.root.rglob("*") if p.is_file())
                runs.append(
                    {
                        "upload_s": upload_s,
                        "first_s": first_s,
                        "received_messages": first.received_messages,
                        "send_s": send_s,
                        "receive_s": receive_s,
                        "one_message_bytes": sent.bytes_written,
                        "one_received": received.received_messages,
                        "server_bytes": server_bytes,
                        "files": upload.files_written,
                    }
                )
                b.close()
                b_state.close()
            finally:
                server.stop()
        a.close()
        a_state.close()
    return {"messages": messages, "text_bytes": text_bytes, "runs": runs}


def _sample(args: list[str]) -> dict[str, Any]:
    return _measure(int(args[0]))


def measure(options: Options) -> list[Figure]:
    repeats = 1 if options.quick else min(options.runs, 3)
    result = run_sample(MODULE, options, str(repeats), timeout=1800)
    runs, messages = result["runs"], result["messages"]
    text_per_message = result["text_bytes"] / messages
    overhead = [r["one_message_bytes"] - len(NEW_MESSAGE.encode()) for r in runs]
    bulk = [r["server_bytes"] / messages - text_per_message for r in runs]
    return [
        Figure(
            "P10",
            f"first sync of 1,000 conversations ({messages:,} messages) to a new computer",
            "s",
            [r["first_s"] for r in runs],
            limit=30,
            note=f"{runs[0]['received_messages']:,} messages received over loopback WebDAV",
        ),
        Figure(
            "P10",
            "  the first upload from the computer that had them",
            "s",
            [r["upload_s"] for r in runs],
            note=f"{runs[0]['files']} change files",
        ),
        Figure(
            "P10",
            "one new message: the other computer's sync",
            "s",
            [r["receive_s"] for r in runs],
            limit=2,
            note=f"{runs[0]['one_received']} received",
        ),
        Figure("P10", "  the sending computer's sync", "s", [r["send_s"] for r in runs]),
        Figure(
            "P10",
            "bytes sync adds to one new message",
            "B",
            overhead,
            limit=1024,
            note="its sealed change file minus its text",
        ),
        Figure(
            "P10",
            "  bytes on the server per message, beyond its text (bulk, compressed)",
            "B",
            bulk,
            note=f"{text_per_message:.0f} B of text per message",
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
