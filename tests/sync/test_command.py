"""`desktopchat sync` as a person runs it: real processes, DESKTOPCHAT_HOME in a temporary
folder, no display; beside an open history, two computers at once, kill -9 mid-sync."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from desktopchat.domain.types import Role
from tests.installed import desktopchat_command, desktopchat_env
from tests.services.importers.archives import chatgpt_branching, chatgpt_linear, zipped
from tests.sync.homes import PASSPHRASE, Home
from tests.sync.webdav_server import PASSWORD, USER

NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM")


def _env(home: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    env.pop("DESKTOPCHAT_WEBDAV_PASSWORD", None)
    env.update(
        DESKTOPCHAT_HOME=str(home),
        DESKTOPCHAT_SYNC_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    env.update(more)
    return desktopchat_env(env)


def _start(home: Path, *arguments: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*desktopchat_command(), *arguments],
        env=_env(home, **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=home.parent,
    )


def run(home: Path, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    process = _start(home, *arguments, **env)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _archive(tmp_path: Path, name: str, conversations: list) -> Path:
    path = tmp_path / f"{name}.zip"
    path.write_bytes(zipped({"conversations.json": conversations}))
    return path


def test_two_homes_that_imported_different_archives_hold_both_after_a_b_a(tmp_path):
    """The done-when of the issue, over a plain folder, with A's app open all along."""
    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = tmp_path / "home-a", tmp_path / "home-b"
    first = _archive(tmp_path, "one", [chatgpt_branching("g-1", "Branches"),
                                       chatgpt_linear("l-1", 6)])  # fmt: skip
    second = _archive(tmp_path, "two", [chatgpt_linear("l-2", 4), chatgpt_linear("l-3", 2)])
    assert run(a, "import", str(first)).returncode == 0
    assert run(b, "import", str(second)).returncode == 0

    open_app = Home(a)  # the app, open on A's history while the command syncs it
    try:
        x = open_app.store.list_conversations()[0]
        open_app.store.add_message(x.id, Role.USER, "typed in the open app").result(5)
        done = run(a, "sync", "--folder", str(shared))
        assert done.returncode == 0, done.stderr
        assert "sent 2 conversations, 10 messages" in done.stdout, done.stdout
        done = run(b, "sync", "--folder", str(shared))
        assert done.returncode == 0, done.stderr
        assert "received 2 conversations, 10 messages" in done.stdout, done.stdout
        assert "sent 2 conversations, 6 messages" in done.stdout
        done = run(a, "sync")  # remembered
        assert done.returncode == 0, done.stderr
        assert f"synced with {shared.resolve()} (1 other computer there)" in done.stdout
        assert "received 2 conversations, 6 messages" in done.stdout
        titles = {c.title for c in open_app.store.list_conversations()}  # the app sees them
        assert titles == {"Branches", "Chat l-1", "Chat l-2", "Chat l-3"}
    finally:
        open_app.close()
    homes = [Home(a), Home(b)]
    try:
        assert homes[0].picture() == homes[1].picture()
    finally:
        for home in homes:
            home.close()


def test_webdav_from_the_command_line_remembered_and_refused(tmp_path, webdav):
    a, b = tmp_path / "home-a", tmp_path / "home-b"
    archive = _archive(tmp_path, "one", [chatgpt_linear("l-1", 3)])
    assert run(a, "import", str(archive)).returncode == 0
    password = {"DESKTOPCHAT_WEBDAV_PASSWORD": PASSWORD}

    done = run(a, "sync", "--webdav", webdav.url, "--user", USER, **password)
    assert done.returncode == 0, done.stderr
    assert f"synced with {webdav.url} as {USER}" in done.stdout
    again = run(a, "sync", **password)
    assert again.returncode == 0 and "sent 0 conversations, 0 messages" in again.stdout

    wrong = run(b, "sync", "--webdav", webdav.url, "--user", USER,
                DESKTOPCHAT_WEBDAV_PASSWORD="nope")  # fmt: skip
    assert wrong.returncode == 1
    assert "refused the user name or password (401)" in wrong.stderr
    no_password = run(b, "sync", "--webdav", webdav.url, "--user", USER)
    assert no_password.returncode == 1 and "no WebDAV password" in no_password.stderr
    wrong_phrase = run(b, "sync", "--webdav", webdav.url, "--user", USER,
                       DESKTOPCHAT_SYNC_PASSPHRASE="not it", **password)  # fmt: skip
    assert wrong_phrase.returncode == 1
    assert "does not open the sync folder" in wrong_phrase.stderr
    assert run(b, "sync").returncode == 1  # nothing remembered from the failures

    done = run(b, "sync", "--webdav", webdav.url, "--user", USER, **password)
    assert done.returncode == 0 and "received 1 conversation, 3 messages" in done.stdout
    for secret in (PASSPHRASE, PASSWORD):
        for path in [*b.rglob("*"), *webdav.root.rglob("*")]:
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_where_to_is_asked_for_and_down_servers_fail(tmp_path):
    home = tmp_path / "home"
    nowhere = run(home, "sync")
    assert nowhere.returncode == 1 and "--folder PATH" in nowhere.stderr
    down = run(home, "sync", "--webdav", "http://127.0.0.1:9/dav", "--user", "me",
               DESKTOPCHAT_WEBDAV_PASSWORD="x")  # fmt: skip
    assert down.returncode == 1 and "cannot reach" in down.stderr
    missing = run(home, "sync", "--folder", str(tmp_path / "unplugged"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_two_computers_at_once_and_kill_9_mid_sync_then_resume(tmp_path):
    shared = tmp_path / "Sync"
    shared.mkdir()
    a, b = tmp_path / "home-a", tmp_path / "home-b"
    many = [chatgpt_linear(f"a-{n}", 20, "Words from A " * 20) for n in range(150)]
    assert run(a, "import", str(_archive(tmp_path, "a", many))).returncode == 0
    others = [chatgpt_linear(f"b-{n}", 10, "Words from B " * 20) for n in range(60)]
    assert run(b, "import", str(_archive(tmp_path, "b", others))).returncode == 0

    killed = 0
    # From before the key is derived to well into the transfer: a quiet machine syncs this
    # in under a second, a busy one in several.
    for delay in (0.2, 0.35, 0.5, 0.7, 1.0, 1.5, 2.4):
        processes = [_start(a, "sync", "--folder", str(shared)),
                     _start(b, "sync", "--folder", str(shared))]  # fmt: skip
        time.sleep(delay)
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.communicate(timeout=60)
    assert killed >= 2  # the kills landed mid-sync

    for home in (a, b, a, b):  # then each side finishes, and they converge
        done = run(home, "sync", "--folder", str(shared))
        assert done.returncode == 0, done.stderr
    homes = [Home(a), Home(b)]
    try:
        pictures = [home.picture() for home in homes]
        assert pictures[0] == pictures[1]
        assert len(pictures[0]) == 210
        assert sum(len(messages) for _, messages in pictures[0].values()) == 150 * 20 + 60 * 10
    finally:
        for home in homes:
            home.close()
    final = run(a, "sync", "--folder", str(shared))
    assert "sent 0 conversations, 0 messages, 0 deletions" in final.stdout
    assert "received 0 conversations, 0 messages, 0 deletions" in final.stdout


def test_no_passphrase_and_no_terminal_fails_clearly(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "Sync").mkdir()
    done = run(home, "sync", "--folder", str(tmp_path / "Sync"), DESKTOPCHAT_SYNC_PASSPHRASE="")
    assert done.returncode == 1 and "no sync passphrase" in done.stderr


def test_an_address_with_a_password_in_it_is_refused_and_never_remembered(tmp_path):
    """`https://me:token@host/dav` would be stored in the sync state and printed in every
    message as typed: the password belongs in the keychain."""
    home = tmp_path / "home"
    done = run(home, "sync", "--webdav", "http://me:s3cret-token@127.0.0.1:9/dav", "--user", "me",
               DESKTOPCHAT_WEBDAV_PASSWORD="x")  # fmt: skip
    assert done.returncode == 2 and "password" in done.stderr
    assert "s3cret-token" not in done.stdout + done.stderr
    for written in home.rglob("*"):
        if written.is_file():
            assert b"s3cret-token" not in written.read_bytes(), written
