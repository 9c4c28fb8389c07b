"""The command line as a person runs it: `python -m desktopchat import X`, `export --all
DIR`, `backup`, in a real process with DESKTOPCHAT_HOME in a temporary folder; no window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.services.importers.archives import chatgpt_branching, chatgpt_linear, zipped

REPO = Path(__file__).resolve().parents[1]


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DESKTOPCHAT_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "desktopchat", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )


def test_import_export_and_backup_from_the_command_line(tmp_path):
    home = tmp_path / "home"
    archive = tmp_path / "chatgpt.zip"
    archive.write_bytes(
        zipped({"conversations.json": [chatgpt_branching(), chatgpt_linear("l", 4)]})
    )

    first = run(home, "import", str(archive))
    assert first.returncode == 0, first.stderr
    assert "a chatgpt export of 2 conversation(s), 7 message(s)" in first.stdout
    assert "imported 2 conversation(s) (7 messages); 0 already there" in first.stdout
    again = run(home, "import", str(archive))
    assert "imported 0 conversation(s) (0 messages); 2 already there" in again.stdout

    out = tmp_path / "out"
    exported = run(home, "export", "--all", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "exported 2 conversation(s)" in exported.stdout
    files = sorted(out.glob("*.md"))
    assert len(files) == 2
    branches = next(f for f in files if "Branches" in f.name).read_text()
    assert "Second." in branches and "First." not in branches  # the branch shown

    reimported = run(home, "import", str(out))
    assert "imported 2 conversation(s)" in reimported.stdout  # Markdown: new origins

    backed_up = run(home, "backup")
    assert backed_up.returncode == 0 and "history copied to" in backed_up.stdout
    assert list((home / "data" / "backups").glob("history-*-manual.db"))


def test_a_file_that_is_no_export_fails_clearly(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    done = run(tmp_path / "home", "import", str(bad))
    assert done.returncode == 1
    assert "cannot import" in done.stderr and "list of conversations" in done.stderr
