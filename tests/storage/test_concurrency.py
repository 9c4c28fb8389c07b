"""R8: app instances writing the same history at once lose nothing, overwrite nothing and
corrupt nothing.

Separate processes on one file (tests/storage/concurrent_instance.py), started together:
two chat as the app does (questions, replies streamed in many small saves, edits that
branch, turns left out, renames) while two others import whole conversations, their ids
given in bursts that start on the same millisecond (the bursts of two instances once gave
the same ids). Each checks the result of every write it queued; the file must then hold
exactly what each says it wrote: every message, in its conversation, with its own text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import desktopchat
from desktopchat.domain.types import MessageStatus
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore

_INSTANCES = (
    ("alpha", "chat", 60),
    ("beta", "chat", 60),
    ("gamma", "import", 100),
    ("delta", "import", 100),
)
_SCRIPT = Path(__file__).with_name("concurrent_instance.py")


def _start_instance(path: Path, name: str, kind: str, size: int) -> subprocess.Popen[str]:
    package_root = str(Path(desktopchat.__file__).resolve().parents[1])
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, str(_SCRIPT), str(path), name, kind, str(size)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _run_together(path: Path) -> list[dict]:
    """Start every instance, let them go at once, return what each says it wrote."""
    instances = [_start_instance(path, *spec) for spec in _INSTANCES]
    try:
        for instance in instances:
            assert instance.stdout.readline() == "ready\n", instance.stderr.read()
        for instance in instances:
            instance.stdin.write("go\n")
            instance.stdin.flush()
        written = []
        for instance in instances:
            output, errors = instance.communicate(timeout=120)
            assert instance.returncode == 0, errors
            written.append(json.loads(output))
        return written
    finally:
        for instance in instances:
            if instance.poll() is None:
                instance.kill()
                instance.wait()


def test_instances_importing_streaming_and_editing_at_once_lose_and_overwrite_nothing(db_path):
    written = _run_together(db_path)

    titles = {int(k): v for w in written for k, v in w["titles"].items()}
    expected = {int(k): v for w in written for k, v in w["messages"].items()}
    assert len(titles) == 2 + 2 * 100
    assert len(expected) == sum(len(w["messages"]) for w in written), "an id given twice"
    db, problem = open_database(db_path)
    store = ConversationStore(db)
    try:
        assert problem is None
        assert db.query("PRAGMA integrity_check")[0][0] == "ok"
        assert {c.id: c.title for c in store.list_conversations()} == titles
        found = {}
        for conversation_id in titles:
            for message in store.messages(conversation_id):
                assert message.status is MessageStatus.COMPLETE, message
                found[message.id] = {
                    "conversation": message.conversation_id,
                    "role": message.role.value,
                    "text": message.text,
                    "left_out": message.left_out,
                }
        (stored,) = db.query("SELECT count(*) FROM messages")[0]
        assert stored == len(expected)
        lost = expected.keys() - found.keys()
        assert not lost, f"{len(lost)} messages lost, e.g. {expected[min(lost)]}"
        wrong = {i: (expected[i], found[i]) for i in expected if found[i] != expected[i]}
        assert not wrong, f"{len(wrong)} messages overwritten, e.g. {next(iter(wrong.values()))}"
        answers = sum("answer" in m["text"] for m in expected.values())
        assert len(store.search("answer", limit=10_000)) == answers
    finally:
        store.close()
