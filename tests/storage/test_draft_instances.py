"""R8 for drafts: two app instances (two processes, tests/storage/draft_instance.py) on one
history never lose a draft by saving over each other's.

Each instance saves what its box holds, based on the version it last read or wrote. The
hostile finding: the older instance read a draft at start, the newer one changed it, then
one keystroke in the older one overwrote the newer text. Every order of such saves is
tried here, and the file must end holding every text that was typed last in each window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import desktopchat
from desktopchat.domain.draft_merge import MARKER
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore

_SCRIPT = Path(__file__).with_name("draft_instance.py")


class Instance:
    def __init__(self, path: Path) -> None:
        package_root = str(Path(desktopchat.__file__).resolve().parents[1])
        pythonpath = os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            [sys.executable, str(_SCRIPT), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONPATH=pythonpath),
        )
        assert self.process.stdout.readline() == "ready\n", self.process.stderr.read()

    def ask(self, **command: object) -> dict:
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()
        return json.loads(line)

    def read(self) -> dict[int, str]:
        return {int(key): text for key, text in self.ask(do="read")["drafts"].items()}

    def save(self, key: int, text: str) -> list[list]:
        return self.ask(do="save", key=key, text=text)["conflicts"]

    def quit(self) -> None:
        self.process.stdin.write(json.dumps({"do": "quit"}) + "\n")
        self.process.stdin.flush()
        _, errors = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, errors


def stored_drafts(path: Path) -> dict[int, str]:
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    try:
        return {key: text for key, (text, _) in store.drafts().items()}
    finally:
        store.close()


@pytest.fixture
def two(db_path: Path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    seed = Instance(db_path)
    seed.save(0, "hello")
    seed.quit()
    older, newer = Instance(db_path), Instance(db_path)
    yield older, newer
    for instance in (older, newer):
        if instance.process.poll() is None:
            instance.quit()


def test_a_keystroke_in_the_older_window_keeps_the_newer_draft(two, db_path):
    older, newer = two
    assert older.read() == {0: "hello"}
    assert newer.read() == {0: "hello"}
    assert newer.save(0, "hello from the newer window") == []
    conflicts = older.save(0, "hellox")
    older.quit(), newer.quit()
    kept = stored_drafts(db_path)[0]
    assert kept == "hellox" + MARKER + "hello from the newer window"
    assert conflicts == [[0, "hello from the newer window", kept]]


@pytest.mark.parametrize(
    "older_text",
    ["", "hel", "hello, edited in the older window", "a new text altogether"],
    ids=["cleared", "shortened", "lengthened", "replaced"],
)
@pytest.mark.parametrize(
    "newer_text",
    ["", "hello and more", "something else"],
    ids=["newer-cleared", "newer-lengthened", "newer-replaced"],
)
def test_no_text_typed_last_in_either_window_is_lost(two, db_path, older_text, newer_text):
    older, newer = two
    older.read(), newer.read()
    newer.save(0, newer_text)
    older.save(0, older_text)
    older.quit(), newer.quit()
    kept = stored_drafts(db_path).get(0, "")
    assert older_text in kept and newer_text in kept


def test_one_window_alone_edits_its_draft_freely(two, db_path):
    older, newer = two
    older.read(), newer.read()
    for text in ("hello world", "hello", "", "again"):
        assert older.save(0, text) == []
    older.quit(), newer.quit()
    assert stored_drafts(db_path) == {0: "again"}


def test_the_window_that_took_the_other_text_in_saves_without_a_conflict(two, db_path):
    older, newer = two
    older.read(), newer.read()
    newer.save(0, "newer")
    [[_, _, merged]] = older.save(0, "older")
    assert older.save(0, merged + " and more") == []  # the box now holds both
    older.quit(), newer.quit()
    assert stored_drafts(db_path) == {0: merged + " and more"}
