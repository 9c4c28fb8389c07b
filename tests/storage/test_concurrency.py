"""R8: two app instances writing the same history at once lose nothing and corrupt nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import desktopchat
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore

_TURNS = 150

# One instance: open (racing the other to create the file), say ready, wait for "go", then
# save turns as the app does (queued for the writer thread, not awaited): the question, a
# streaming reply, its final text.
_WRITER = """
import sys
from pathlib import Path
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore

path, name, turns = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
db, problem = open_database(path)
assert problem is None, problem
store = ConversationStore(db)
conversation = store.create_conversation(title=name).result()
print("ready", flush=True)
sys.stdin.readline()
for turn in range(turns):
    store.add_message(conversation.id, Role.USER, f"{name} question {turn}")
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING
    ).value
    store.update_reply(reply.conversation_id, reply.id, text=f"{name} partial {turn}")
    store.update_reply(
        reply.conversation_id, reply.id, text=f"{name} answer {turn}", status=MessageStatus.COMPLETE
    )
assert store.close(60) == [], "everything queued was written"
"""


def _start_instance(path: Path, name: str) -> subprocess.Popen[str]:
    package_root = str(Path(desktopchat.__file__).resolve().parents[1])
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), name, str(_TURNS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_instances_writing_at_once_lose_nothing(db_path):
    instances = [_start_instance(db_path, name) for name in ("alpha", "beta")]
    try:
        for instance in instances:
            assert instance.stdout.readline() == "ready\n", instance.stderr.read()
        for instance in instances:
            instance.stdin.write("go\n")
            instance.stdin.flush()
        for instance in instances:
            _, errors = instance.communicate(timeout=60)
            assert instance.returncode == 0, errors
    finally:
        for instance in instances:
            if instance.poll() is None:
                instance.kill()
                instance.wait()

    db, problem = open_database(db_path)
    store = ConversationStore(db)
    try:
        assert problem is None
        assert db.query("PRAGMA integrity_check")[0][0] == "ok"
        conversations = {c.title: c for c in store.list_conversations()}
        assert sorted(conversations) == ["alpha", "beta"]
        for name, conversation in conversations.items():
            messages = store.messages(conversation.id)
            expected = [
                (role, f"{name} {kind} {turn}")
                for turn in range(_TURNS)
                for role, kind in ((Role.USER, "question"), (Role.ASSISTANT, "answer"))
            ]
            assert [(m.role, m.text) for m in messages] == expected
            assert {m.status for m in messages} == {MessageStatus.COMPLETE}
        assert len(store.search("answer", limit=1000)) == 2 * _TURNS
        assert store.search("partial") == []
    finally:
        store.close()
