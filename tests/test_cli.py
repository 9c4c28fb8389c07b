"""The command line as a person runs it: the `desktopchat` command (the installed launcher;
`python -m desktopchat` in a checkout without one, see tests/installed.py) in a real process,
with DESKTOPCHAT_HOME in a temporary folder and no display at all: no DISPLAY, no Wayland,
no QT_QPA_PLATFORM.

Every process here finds a PySide6 (and shiboken6) that ends it with status 97 the moment
it is imported, ahead of the real one: a command that touched Qt could not pass, whatever
it printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.cli import missing_display
from desktopchat.cli.output import counted
from tests.installed import LAUNCHER_ENV, desktopchat_command, installed_launcher
from tests.services.importers.archives import chatgpt_branching, chatgpt_linear, zipped

REPO = Path(__file__).resolve().parents[1]
QT_IMPORTED = 97
NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM")


@pytest.fixture
def run(tmp_path_factory):
    """run(home, *arguments) → the finished `desktopchat` process."""
    poisoned = tmp_path_factory.mktemp("no-qt")
    for name in ("PySide6", "shiboken6"):
        (poisoned / name).mkdir()
        (poisoned / name / "__init__.py").write_text(
            f"import os, sys\nsys.stderr.write('{name} imported\\n')\nos._exit({QT_IMPORTED})\n"
        )
    runtime = tmp_path_factory.mktemp("runtime")  # no Wayland socket in it
    # The installed launcher must import the installed package, never the tree.
    path = [str(poisoned)] + ([] if installed_launcher() else [str(REPO)])
    env = {name: value for name, value in os.environ.items() if name not in NO_DISPLAY}
    env.update(PYTHONPATH=os.pathsep.join(path), XDG_RUNTIME_DIR=str(runtime))

    def run(home: Path, *arguments: str, command: list[str] | None = None):
        done = subprocess.run(
            [*(command or desktopchat_command()), *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            env={**env, "DESKTOPCHAT_HOME": str(home)},
            cwd=runtime,
        )
        assert done.returncode != QT_IMPORTED, f"Qt was imported: {done.stderr}"
        return done

    return run


def test_import_export_and_backup_from_the_command_line(run, tmp_path):
    home = tmp_path / "home"
    archive = tmp_path / "chatgpt.zip"
    archive.write_bytes(
        zipped({"conversations.json": [chatgpt_branching(), chatgpt_linear("l", 4)]})
    )

    first = run(home, "import", str(archive))
    assert first.returncode == 0, first.stderr
    assert "a chatgpt export of 2 conversations, 7 messages" in first.stdout
    assert "imported 2 conversations (7 messages); 0 already there" in first.stdout
    again = run(home, "import", str(archive))
    assert again.returncode == 0, again.stderr
    assert "imported 0 conversations (0 messages); 2 already there" in again.stdout

    out = tmp_path / "out"
    exported = run(home, "export", "--all", str(out))
    assert exported.returncode == 0, exported.stderr
    assert f"exported 2 conversations to {out}" in exported.stdout
    files = sorted(out.glob("*.md"))
    assert len(files) == 2
    branches = next(f for f in files if "Branches" in f.name).read_text()
    assert "Second." in branches and "First." not in branches  # the branch shown

    reimported = run(home, "import", str(out))
    assert "imported 2 conversations" in reimported.stdout  # Markdown: new origins

    backed_up = run(home, "backup")
    assert backed_up.returncode == 0, backed_up.stderr
    assert "history copied to" in backed_up.stdout
    assert list((home / "data" / "backups").glob("history-*-manual.db"))


def test_export_without_all_and_by_title(run, tmp_path):
    home = tmp_path / "home"
    archive = tmp_path / "chatgpt.json"
    archive.write_text(
        json.dumps([chatgpt_branching(), chatgpt_linear("l", 2)]),
        encoding="utf-8",
    )
    assert run(home, "import", str(archive)).returncode == 0

    everything = run(home, "export", str(tmp_path / "all"), "--branches")
    assert everything.returncode == 0, everything.stderr
    assert "exported 2 conversations" in everything.stdout
    files = sorted((tmp_path / "all").glob("*.md"))
    assert len(files) == 2
    text = next(f for f in files if "Branches" in f.name).read_text(encoding="utf-8")
    assert "First." in text and "Second." in text  # every branch

    one = run(home, "export", str(tmp_path / "one"), "--title", "branCH", "--title", "x")
    assert one.returncode == 0, one.stderr
    assert f"exported 1 conversation to {tmp_path / 'one'}" in one.stdout
    [only] = (tmp_path / "one").glob("*.md")
    assert "Branches" in only.name

    none = run(home, "export", str(tmp_path / "none"), "--title", "Paris")
    assert none.returncode == 1
    assert "no conversation's title contains 'Paris'; nothing exported" in none.stderr
    assert not (tmp_path / "none").exists()


def test_help_names_every_command_and_the_window_options(run, tmp_path):
    shown = run(tmp_path, "--help")
    assert shown.returncode == 0, shown.stderr
    for word in ("import", "export", "backup", "--debug", "--version", "window"):
        assert word in shown.stdout
    exporting = run(tmp_path, "export", "--help")
    assert exporting.returncode == 0
    assert "usage: desktopchat export" in exporting.stdout and "--branches" in exporting.stdout
    version = run(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("DesktopChat ")


@pytest.mark.parametrize(
    "arguments",
    [
        ["exprot", "x"],
        ["--bogus"],
        ["import"],
        ["export"],
        ["export", "--all", "--title", "b", "a"],
        ["backup", "extra"],
    ],
)
def test_wrong_arguments_exit_2_with_a_usage_line(run, tmp_path, arguments):
    done = run(tmp_path, *arguments)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: desktopchat")
    assert done.stdout == ""


def test_counts_are_said_in_words():
    assert counted(1, "conversation") == "1 conversation"
    assert counted(2, "conversation") == "2 conversations"
    assert counted(0, "message") == "0 messages"


def test_a_missing_file_fails_clearly(run, tmp_path):
    done = run(tmp_path / "home", "import", str(tmp_path / "nowhere.zip"))
    assert done.returncode == 1
    assert "cannot import" in done.stderr and "no such file" in done.stderr
    assert done.stdout == ""


def test_a_file_that_is_no_export_fails_clearly(run, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    done = run(tmp_path / "home", "import", str(bad))
    assert done.returncode == 1
    assert "cannot import" in done.stderr and "list of conversations" in done.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a display is always there")
def test_the_window_without_a_display_says_so_in_one_line(run, tmp_path):
    done = run(tmp_path / "home", "--debug")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "no display" in done.stderr and "desktopchat --help" in done.stderr
    assert "xcb" not in done.stderr


def test_python_m_desktopchat_is_the_same_command(run, tmp_path):
    module = run(tmp_path, "--help", command=[sys.executable, "-m", "desktopchat"])
    assert module.returncode == 0
    assert module.stdout == run(tmp_path, "--help").stdout


@pytest.mark.skipif(installed_launcher() is None, reason="no installed launcher")
@pytest.mark.skipif(sys.platform == "win32", reason="a GUI-subsystem program prints nothing")
@pytest.mark.skipif(bool(os.environ.get(LAUNCHER_ENV)), reason="a frozen build has one launcher")
def test_the_gui_launcher_is_the_same_command(run, tmp_path):
    gui = installed_launcher().with_name("desktopchat-gui")
    done = run(tmp_path, "--version", command=[str(gui)])
    assert done.returncode == 0 and done.stdout.startswith("DesktopChat ")


def test_which_environments_have_no_display(tmp_path):
    runtime = {"XDG_RUNTIME_DIR": str(tmp_path)}
    assert "no display" in missing_display(runtime, "linux")
    assert "no display" in missing_display({}, "freebsd14")
    assert missing_display({**runtime, "DISPLAY": ":0"}, "linux") is None
    assert missing_display({**runtime, "WAYLAND_DISPLAY": "wayland-1"}, "linux") is None
    assert missing_display({**runtime, "QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display(runtime, "darwin") is None
    assert missing_display({}, "win32") is None
    (tmp_path / "wayland-0").touch()
    assert missing_display(runtime, "linux") is None
