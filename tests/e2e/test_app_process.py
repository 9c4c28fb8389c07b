"""The installed `desktopchat` launcher (tests/installed.py) as a real process, checked from
outside as a person would: it starts and stays up, talks to the (wire) LM Studio it is
pointed at, writes its files where DESKTOPCHAT_HOME says, ends cleanly on SIGTERM, and after
a crash marks the reply that was streaming as interrupted. The app has no remote control, so
the process is observed through its files, its log and the requests the wire server
receives."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktopchat import __version__
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths
from tests.installed import desktopchat_command, desktopchat_env
from tests.wire_server import WireServer

SHOWN = "main window shown"
START_TIMEOUT = 15.0


def app_environment(home: Path) -> dict[str, str]:
    env: dict[str, str] = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith(("_API_KEY", "_BASE_URL")) and name != "PYTEST_CURRENT_TEST"
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        DESKTOPCHAT_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONFAULTHANDLER="1",
    )
    return desktopchat_env(env)


def run_app(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*desktopchat_command(), *args],
        cwd=home,
        env=app_environment(home),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


class RunningApp:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
        self.process = subprocess.Popen(
            desktopchat_command(),
            cwd=home,
            env=app_environment(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def log(self) -> str:
        try:
            return self.paths.log_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def wait_shown(self) -> None:
        def shown() -> bool:
            if self.process.poll() is not None:
                _out, err = self.process.communicate()
                pytest.fail(f"the app exited with {self.process.returncode}:\n{err}")
            return SHOWN in self.log()

        wait_for(shown, "the main window")

    def terminate(self) -> tuple[int, str]:
        """SIGTERM, as a logout or `kill` sends; the exit code and what went to stderr."""
        self.process.send_signal(signal.SIGTERM)
        try:
            _out, err = self.process.communicate(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
            pytest.fail(f"the app did not end on SIGTERM:\n{err}")
        return self.process.returncode, err


@pytest.fixture
def home(tmp_path: Path, wire_server: WireServer) -> Path:
    """A DESKTOPCHAT_HOME whose settings point LM Studio at the wire server."""
    root = tmp_path / "portable"
    config = app_paths({"DESKTOPCHAT_HOME": str(root)}).config
    config.mkdir(parents=True)
    settings = {
        "version": 1,
        "base_url_overrides": {"lmstudio": wire_server.openai_url},
        "last_provider": "lmstudio",
        "last_model": "wire-large",
    }
    (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return root


@pytest.fixture
def running(home: Path) -> Iterator[Callable[[], RunningApp]]:
    started: list[RunningApp] = []

    def start() -> RunningApp:
        app = RunningApp(home)
        started.append(app)
        return app

    yield start
    for app in started:
        if app.process.poll() is None:
            app.process.kill()
            app.process.communicate()


def test_version_and_help(tmp_path):
    version = run_app(tmp_path, "--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"DesktopChat {__version__}")
    usage = run_app(tmp_path, "--help")
    assert usage.returncode == 0
    assert "usage: desktopchat" in usage.stdout
    assert "DESKTOPCHAT_HOME" in usage.stdout
    assert not (tmp_path / "data").exists(), "asking for help writes nothing"


def test_the_app_starts_talks_to_its_server_and_ends_cleanly(
    running,
    home,
    wire_server,
):
    app = running()
    app.wait_shown()
    wait_for(
        lambda: any(r.path == "/v1/models" for r in wire_server.requests),
        "the model list request",
    )
    models_cache = app.paths.cache / "models-lmstudio.json"
    wait_for(models_cache.exists, "the model list cache")
    cached = json.loads(models_cache.read_text())["models"]
    assert [m["id"] for m in cached] == ["wire-large", "wire-small"]
    assert app.paths.database.exists()
    time.sleep(0.3)
    assert app.process.poll() is None, "the app stays up"

    code, stderr = app.terminate()

    assert code == 0, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert " ERROR " not in app.log()
    settings = json.loads(app.paths.settings_file.read_text(encoding="utf-8"))
    assert settings["window_geometry"], "the window layout is saved on the way out"
    assert (settings["last_provider"], settings["last_model"]) == ("lmstudio", "wire-large")
    assert wire_server.requests[-1].header("authorization") == "Bearer lm-studio"


def test_a_reply_left_streaming_by_a_crash_is_marked_interrupted(running, home):
    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
    paths.ensure()
    db, problem = open_database(paths.database)
    assert problem is None
    store = ConversationStore(db)
    conversation = store.create_conversation(title="Before the crash", provider="lmstudio").value
    question = store.add_message(conversation.id, Role.USER, "Tell me a story").value
    reply = store.add_message(
        conversation.id,
        Role.ASSISTANT,
        "Once upon a",
        parent_id=question.id,
        status=MessageStatus.STREAMING,
    ).value
    assert store.close() == []

    app = running()
    app.wait_shown()
    code, stderr = app.terminate()
    assert code == 0, stderr

    db, _problem = open_database(paths.database)
    store = ConversationStore(db)
    try:
        recovered = store.get_message(reply.id)
    finally:
        store.close()
    assert (recovered.text, recovered.status) == ("Once upon a", MessageStatus.INTERRUPTED)
    assert "1 reply(ies) left streaming by the last run marked interrupted" in app.log()
