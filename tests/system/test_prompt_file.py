"""The prompt library's file (system/prompt_file.py): a damaged file is moved aside, never
written over; two instances merge; a kill mid-write leaves a whole file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktopchat.domain.prompts import Prompt
from desktopchat.system.prompt_file import PromptFile, export_prompts, read_prompts


def prompt(pid: str, name: str, body: str = "b", updated: int = 1) -> Prompt:
    return Prompt(pid * 8, name, body, {}, updated)


def test_saves_and_loads_back(tmp_path):
    file = PromptFile(tmp_path / "config" / "prompts.json")
    assert file.load() == ((), None)
    saved = file.save((prompt("a", "One", "{{x}}"),))
    again, problem = PromptFile(file.path).load()
    assert problem is None and again == saved
    assert (file.path.stat().st_mode & 0o777) == 0o600


def test_a_damaged_file_is_moved_aside_and_never_written_over(tmp_path):
    path = tmp_path / "prompts.json"
    path.write_bytes(b'{"prompts": [ {"name": "cut sh')
    file = PromptFile(path)
    prompts, problem = file.load()
    assert prompts == () and problem is not None and problem.kind == "not_json"
    assert problem.moved_to is not None
    assert problem.moved_to.read_bytes() == b'{"prompts": [ {"name": "cut sh'
    file.save((prompt("a", "New"),))
    assert problem.moved_to.read_bytes() == b'{"prompts": [ {"name": "cut sh'


def test_a_file_with_some_bad_entries_keeps_the_good_and_a_copy_of_the_whole(tmp_path):
    path = tmp_path / "prompts.json"
    path.write_text(json.dumps({"prompts": [{"name": "Good", "body": "x"}, {"body": 3}]}))
    prompts, problem = PromptFile(path).load()
    assert [p.name for p in prompts] == ["Good"]
    assert problem is not None and problem.kind == "repaired" and problem.left_out == 1
    assert "body" in problem.moved_to.read_text()


def test_a_fifo_in_its_place_does_not_hang(tmp_path):
    path = tmp_path / "prompts.json"
    os.mkfifo(path)
    _, problem = PromptFile(path).load()
    assert problem is not None and problem.kind == "unreadable"


def test_two_instances_keep_each_others_prompts(tmp_path):
    path = tmp_path / "prompts.json"
    first, second = PromptFile(path), PromptFile(path)
    first.load()
    second.load()
    first.save((prompt("a", "From the first"),))
    merged = second.save((prompt("b", "From the second"),))
    assert [p.name for p in merged] == ["From the second", "From the first"]
    assert [p.name for p in read_prompts(path)[0]] == ["From the second", "From the first"]


def test_export_has_no_ids_or_values_and_reads_back(tmp_path):
    path = tmp_path / "out.json"
    export_prompts(path, (Prompt("ab" * 8, "A", "B", {"x": "secret"}, 3),))
    assert "secret" not in path.read_text() and "abab" not in path.read_text()
    assert [(p.name, p.body) for p in read_prompts(path)[0]] == [("A", "B")]


_WRITER = """
import sys
from pathlib import Path
from desktopchat.domain.prompts import Prompt
from desktopchat.system.prompt_file import PromptFile
file = PromptFile(Path(sys.argv[1]))
file.load()
round = 0
while True:
    round += 1
    count = 2000 + round % 2
    file.save(tuple(Prompt(f"{i:016x}", f"p{i}", "x" * 1500, {}, round) for i in range(count)))
    print(round, flush=True)
"""


def test_killed_while_writing_leaves_a_whole_library(tmp_path):
    """Bound: a SIGKILL at any time during a save leaves the old library or the new one."""
    path = tmp_path / "prompts.json"
    for delay in (0.05, 0.13, 0.21, 0.34):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
        assert child.stdout is not None
        child.stdout.readline()  # one whole save done: there is an old library
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        prompts, problem = PromptFile(path).load()
        assert problem is None
        assert len(prompts) in (2000, 2001)
