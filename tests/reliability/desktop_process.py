"""The real app, the installed `desktopchat` launcher (tests/installed.py), on a private X
server, driven as a person drives it.

The app has no remote control, on purpose: a test types into its window with xdotool (XTEST
key events, like a keyboard), kills it like a crash does, and reads what it left on disk. Each
process gets its own HOME and XDG folders inside the test's temporary folder, so nothing it
writes can land anywhere else, and its stdout and stderr go to a file the test can search.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktopchat.system.paths import app_paths
from tests.installed import desktopchat_command, desktopchat_env

START_TIMEOUT = 30.0
"""Seconds for the window to appear: generous, CI machines are shared and slow."""
WINDOW_TITLE = "DesktopChat"
"""The main window's title ends with it ("Title — DesktopChat" with a conversation open)."""


LISTED = "conversations listed"
"""What the app logs once its conversation list is read (desktopchat/app/lifetime.py LISTED)."""


def wait_for(condition: Callable[[], object], what: str, timeout: float = START_TIMEOUT):
    """Poll `condition` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.03)
    return result


@contextlib.contextmanager
def xvfb(width: int = 1280, height: int = 800) -> Iterator[str]:
    """An Xvfb on a display number it picks itself (-displayfd); yields its DISPLAY.

    -noreset: by default an X server resets when its last client leaves, and refuses
    connections meanwhile; a test that kills the app and starts it again would race that.
    """
    read_end, write_end = os.pipe()
    screen = f"{width}x{height}x24"
    process = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            screen,
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def write_settings(home: Path, **preferences: object) -> None:
    """Pre-write the app's settings.json (core/settings.py's format) before it starts."""
    config = app_paths({"DESKTOPCHAT_HOME": str(home)}).config
    config.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, **preferences}
    (config / "settings.json").write_text(json.dumps(data), encoding="utf-8")


def app_environment(display: str, home: Path, sandbox: Path, **extra: str) -> dict[str, str]:
    """The process environment: no provider key or URL of the person's, its own HOME."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith(("_API_KEY", "_BASE_URL", "_AUTH_TOKEN"))
        and name not in ("PYTEST_CURRENT_TEST", "QT_QPA_PLATFORM")
    }
    folders = {
        "HOME": sandbox / "home",
        "XDG_CONFIG_HOME": sandbox / "home" / ".config",
        "XDG_CACHE_HOME": sandbox / "home" / ".cache",
        "XDG_DATA_HOME": sandbox / "home" / ".local" / "share",
        "XDG_STATE_HOME": sandbox / "home" / ".local" / "state",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env.update({name: str(folder) for name, folder in folders.items()})
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        DESKTOPCHAT_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONFAULTHANDLER="1",
    )
    env.update(extra)
    return desktopchat_env(env)


class DesktopApp:
    """One running `desktopchat` and its window."""

    def __init__(
        self, display: str, home: Path, output: Path, *args: str, env: dict[str, str]
    ) -> None:
        self.display = display
        self.home = home
        self.paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
        self.output_file = output
        self._env = env
        self._listed = self._log().count(LISTED)
        with output.open("ab") as sink:
            self.process = subprocess.Popen(
                [*desktopchat_command(), *args],
                cwd=env["HOME"],  # started from its home, as a menu or a terminal starts it
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        self.window = ""

    def output(self) -> str:
        return self.output_file.read_text(encoding="utf-8", errors="replace")

    def _xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
        return result.stdout

    def _find_window(self) -> str:
        if self.process.poll() is not None:
            pytest.fail(f"the app exited with {self.process.returncode}:\n{self.output()}")
        found = self._xdotool(
            "search", "--all", "--onlyvisible", "--pid", str(self.process.pid),
            "--name", f"(^| — ){WINDOW_TITLE}$",
        ).split()  # fmt: skip
        return found[0] if found else ""

    def wait_window(self) -> str:
        """Wait until the main window is on screen and its list is read (the app logs
        LISTED; a home that cannot hold a log has none to wait for), then give it the
        keyboard: keys sent before the list is read race the return to where the person
        was."""
        self.window = wait_for(self._find_window, "the main window")
        if self.paths.log_file.parent.is_dir():
            wait_for(lambda: self._log().count(LISTED) > self._listed, "the conversation list")
        self.focus()
        return self.window

    def focus(self) -> None:
        """Keyboard focus to this window (there is no window manager to click for it)."""
        self._xdotool("windowfocus", "--sync", self.window)

    def title(self) -> str:
        return self._xdotool("getwindowname", self.window).strip()

    def type(self, text: str) -> None:
        self._xdotool("type", "--delay", "4", "--", text)

    def key(self, *keys: str) -> None:
        self._xdotool("key", "--delay", "20", *keys)

    def send(self, text: str) -> None:
        """Type a message in the composer (which has the focus) and press Enter."""
        self.type(text)
        self.key("Return")

    def open_latest_conversation(self) -> None:
        """Ctrl+K, Down, Enter: the search box, the first (most recent) conversation, open;
        the composer then has the focus (wait_window waited for the list)."""
        self.key("ctrl+k", "Down", "Return")

    def _log(self) -> str:
        try:
            return self.paths.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:  # none yet, or a home that cannot hold one
            return ""

    def kill(self) -> float:
        """SIGKILL, as a crash or a power cut of the process: nothing runs after it.
        Returns the moment of the kill (time.monotonic())."""
        moment = time.monotonic()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=START_TIMEOUT)
        return moment

    def quit(self) -> int:
        """Ctrl+Q, and the exit code once the process has ended."""
        self.focus()
        self.key("ctrl+q")
        try:
            return self.process.wait(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the app did not quit on Ctrl+Q:\n{self.output()}")

    def stop(self) -> None:
        """Make sure the process is gone (test teardown)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    status: str
    text: str


def read_history(database: Path) -> tuple[list[int], list[StoredMessage]]:
    """Conversation ids and messages as they are on disk, read without writing anything
    (the app may be running, or may have been killed with its WAL not yet checkpointed)."""
    if not database.exists():
        return [], []
    connection = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    try:
        conversations = [row[0] for row in connection.execute("SELECT id FROM conversations")]
        messages = [
            StoredMessage(*row)
            for row in connection.execute(
                "SELECT id, conversation_id, role, status, text FROM messages ORDER BY id"
            )
        ]
    finally:
        connection.close()
    return conversations, messages


def check_integrity(database: Path) -> None:
    """PRAGMA integrity_check, and the search index against the messages (FTS5's own check
    with rank 1 compares the index with its content table): on a copy in memory, so the
    file itself is only read."""
    source = sqlite3.connect(f"{database.absolute().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        streaming = copy.execute("SELECT count(*) FROM messages WHERE status = 'streaming'")
        if streaming.fetchone()[0] == 0:
            copy.execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)"
            )
            copy.execute(
                "INSERT INTO conversations_fts (conversations_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )
    finally:
        copy.close()
        source.close()
