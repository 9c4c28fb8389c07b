"""How a stdio server is started: the login shell's PATH, the command found on it, the
environment it gets, and the tie that ends it when the app ends.

**PATH.** A desktop launch (a menu, the Dock) gets the session's PATH, without what the
person's shell profile adds (nvm, asdf, Homebrew, ~/.local/bin): `npx` would not be found.
The login shell's PATH is read once, off the loop, with `$SHELL -l -c 'printf %s "$PATH"'`
under a timeout; its folders come first, then the current PATH's. When it fails, the current
PATH is used.

**Environment.** The server gets the SDK's minimal variables (HOME, LOGNAME, SHELL, TERM,
USER; on Windows its own list), that PATH, and what its config gives: never DesktopChat's
keys or anything else from our environment (OPENAI_API_KEY …).

**No orphans.** Each server is started in a process group of its own, so stopping it ends
what it started too (`npx` → `node`). If the app itself is killed (kill -9, a crash):
- Linux: the child asks the kernel for SIGKILL when its parent thread dies
  (prctl(PR_SET_PDEATHSIG), set between fork and exec). The tool host process is forked
  from the app's reader thread for it (tools/remote.py), which lives as long as the host;
  the servers are forked from the host's main thread. kill -9 of the app ends the host,
  which ends the servers.
- Everywhere: the server's stdin is a pipe from the app; when the app dies it closes, and an
  MCP server ends on end of input (the protocol's shutdown). A grandchild that ignores both
  outlives us on macOS and Windows; the SDK's Job Objects are not used in this slice.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

LOGIN_PATH_TIMEOUT_S = 5.0
MAX_PATH = 32 * 1024


@dataclass(frozen=True)
class LaunchSpec:
    """Everything needed to reach one server, secrets resolved (never logged: repr hides
    the values)."""

    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    cwd: str = ""
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """The values that came from the keychain: hidden in what the server says (its state)."""
    oauth: bool = False
    oauth_tokens: str = field(default="", repr=False)
    """The OAuth tokens and registered client the keychain holds, as JSON (tools/oauth.py)."""
    oauth_client: str = field(default="", repr=False)


class CommandNotFound(Exception):
    """The command is not a program on PATH (or not an executable file)."""

    def __init__(self, command: str, folders: list[str]) -> None:
        super().__init__(command)
        self.command = command
        self.folders = folders

    def __str__(self) -> str:
        checked = ", ".join(self.folders[:12]) + (" …" if len(self.folders) > 12 else "")
        if os.sep in self.command or (os.altsep and os.altsep in self.command):
            return f"{self.command} was not found, or is not a program that can be run"
        return f"{self.command} was not found on your PATH (checked: {checked or 'nothing'})"


def login_path(
    environ: Mapping[str, str] | None = None, timeout: float = LOGIN_PATH_TIMEOUT_S
) -> str:
    """The login shell's PATH followed by the current one's other folders. Blocking (a shell
    runs, up to `timeout` seconds): call it in a worker thread, once."""
    env = dict(os.environ if environ is None else environ)
    current = env.get("PATH", os.defpath)
    shell = env.get("SHELL", "")
    if sys.platform == "win32" or not shell or not os.path.isabs(shell):
        return current
    try:
        shell_process = subprocess.Popen(
            [shell, "-l", "-c", 'printf %s "$PATH"'],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    except (OSError, ValueError):
        return current
    try:
        out, _ = shell_process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # The shell and whatever its profile started (an agent, a prompt) end together.
        with contextlib.suppress(OSError):
            os.killpg(shell_process.pid, signal.SIGKILL)
        shell_process.communicate()
        return current
    found = out[:MAX_PATH].decode("utf-8", "replace")
    if shell_process.returncode != 0 or not found or "\n" in found or "\x00" in found:
        return current
    return join_paths(found, current)


def join_paths(first: str, then: str) -> str:
    """The folders of `first`, then those of `then` not already there."""
    folders: list[str] = []
    for folder in first.split(os.pathsep) + then.split(os.pathsep):
        if folder and folder not in folders:
            folders.append(folder)
    return os.pathsep.join(folders)


def resolve_command(command: str, path: str, cwd: str = "") -> str:
    """The absolute path of the program `command` names, looked up on `path`. Raises
    CommandNotFound."""
    expanded = os.path.expanduser(command)
    if os.sep in expanded or (os.altsep and os.altsep in expanded):
        if not os.path.isabs(expanded) and cwd:
            expanded = os.path.join(os.path.expanduser(cwd), expanded)
        if os.path.isfile(expanded) and os.access(expanded, os.X_OK):
            return os.path.abspath(expanded)
        raise CommandNotFound(command, [])
    found = shutil.which(expanded, path=path)
    if found is None:
        raise CommandNotFound(command, [f for f in path.split(os.pathsep) if f])
    return os.path.abspath(found)


def server_env(spec_env: Mapping[str, str], path: str) -> dict[str, str]:
    """The SDK's minimal variables, the login PATH, then the server's own."""
    from mcp.client.stdio import get_default_environment  # here: the app imports this module

    return {**get_default_environment(), "PATH": path, **spec_env}


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> Callable[[], None] | None:
    """A function that has the kernel kill this process when the thread that started it
    ends (Linux); None elsewhere. Run it in the child between fork and exec (`parent`
    left out: the caller is the parent), or first thing in a child of ours that was
    started without it (`parent`: the app's pid) — a preexec_fn makes Popen fork, which
    in a large process holds the GIL for tens of milliseconds, where it can otherwise
    vfork (the sync process, started every few minutes, services/sync/process.py).

    libc is loaded here, before the fork: only a call through a ready function pointer and
    two system calls run in the child.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    expected = os.getpid() if parent is None else parent

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != expected:  # the app died before the call: nobody would signal
            with contextlib.suppress(OSError):
                os.kill(os.getpid(), signal.SIGKILL)

    return in_child
