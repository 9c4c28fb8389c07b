"""Starting a stdio server: the login shell's PATH, the command found on it, tool names
within the APIs' limits, what goes back to a model."""

from __future__ import annotations

import os
import re
import stat

from desktopchat.domain.tools import ToolOutput, ToolPart, cap_text, text_for_model
from desktopchat.tools.launch import CommandNotFound, join_paths, login_path, resolve_command
from desktopchat.tools.names import api_names


def _script(path, body):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_login_shells_path_comes_first(tmp_path):
    shell = _script(tmp_path / "shell", 'printf %s "/opt/node/bin:/usr/bin"\n')
    found = login_path({"SHELL": str(shell), "PATH": "/usr/bin:/bin"})
    assert found == "/opt/node/bin:/usr/bin:/bin"


def test_a_shell_that_fails_hangs_or_babbles_leaves_the_current_path(tmp_path):
    env = {"PATH": "/usr/bin:/bin"}
    failing = _script(tmp_path / "failing", "exit 1\n")
    hanging = _script(tmp_path / "hanging", "sleep 30\n")
    babbling = _script(tmp_path / "babbling", 'printf "Welcome!\\n/usr/bin"\n')
    assert login_path({**env, "SHELL": str(failing)}) == "/usr/bin:/bin"
    assert login_path({**env, "SHELL": str(hanging)}, timeout=0.5) == "/usr/bin:/bin"
    assert login_path({**env, "SHELL": str(babbling)}) == "/usr/bin:/bin"
    assert login_path({**env, "SHELL": "/no/such/shell"}) == "/usr/bin:/bin"
    assert login_path(env) == "/usr/bin:/bin"


def test_commands_are_resolved_to_an_absolute_path(tmp_path):
    (tmp_path / "bin").mkdir()
    tool = _script(tmp_path / "bin" / "mytool", "")
    assert resolve_command("mytool", f"/nowhere{os.pathsep}{tool.parent}") == str(tool)
    assert resolve_command(str(tool), "") == str(tool)
    try:
        resolve_command("npx", "/a:/b")
    except CommandNotFound as missing:
        assert str(missing) == "npx was not found on your PATH (checked: /a, /b)"
    else:
        raise AssertionError("found")


def test_join_paths_drops_repeats():
    assert join_paths("/a:/b", "/b:/c::") == "/a:/b:/c"


def test_tool_names_fit_both_apis_and_never_clash():
    pairs = [
        ("files", "read_file"),
        ("my server", "do.it"),
        ("a" * 60, "tool"),
        ("a" * 60, "tool2"),
        ("x", "y__z"),
        ("x__y", "z"),
        ("ünï", "cödé"),
    ]
    names = api_names(pairs)
    assert names[("files", "read_file")] == "files__read_file"
    assert len(set(names.values())) == len(pairs)
    for name in names.values():
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name), name
    assert api_names(pairs) == names  # the same from one request to the next


def test_what_goes_back_to_a_model_is_capped_with_head_and_tail():
    text = "".join(f"{i:07d}\n" for i in range(50_000))  # 400,000 characters
    capped = cap_text(text, 100_000)
    assert len(capped) <= 100_000
    assert capped.startswith("0000000\n") and capped.endswith("0049999\n")
    assert "characters left out of 400,000" in capped
    assert cap_text("short") == "short"
    output = ToolOutput(
        (ToolPart("text", text="a"), ToolPart("image", mime_type="image/png", data="AAAA"))
    )
    assert text_for_model(output) == "a\n[image image/png, 3 bytes]"


def test_the_stdout_reader_splits_lines_and_drops_one_too_long(monkeypatch):
    """Lines split across reads, several in one read, and one over the limit answered by an
    error for its request id (the limit made small for the test)."""
    import asyncio
    import json

    import anyio

    from desktopchat.tools import stdio

    monkeypatch.setattr(stdio, "LINE_LIMIT", 1000)
    ok = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {}}).encode()
    long = json.dumps({"jsonrpc": "2.0", "id": "big-7", "result": {"x": "y" * 5000}}).encode()
    data = ok + b"\n" + ok[:10]
    rest = ok[10:] + b"\n\n" + long[:300]
    chunks = [data, rest, long[300:] + b"\n" + ok + b"\n"]

    class Pipe:
        async def read(self, _n):
            return chunks.pop(0) if chunks else b""

    class Process:
        stdout = Pipe()

    async def scenario():
        send, receive = anyio.create_memory_object_stream(10)
        child = stdio.StdioChild([], {}, None)
        await child._read_stdout(Process(), send)
        send.close()
        return [item async for item in receive]

    got = asyncio.run(scenario())
    assert [type(m).__name__ for m in got] == ["SessionMessage"] * 4
    assert got[2].message.id == "big-7" and got[2].message.error.code == stdio.TOO_LARGE_CODE
    assert got[3].message.id == 1


def test_the_stderr_tail_stays_small_whatever_a_server_writes():
    from desktopchat.tools.stdio import StderrTail

    tail = StderrTail()
    for _ in range(200):  # 20 MB on one endless line
        tail.feed(b"z" * 100_000)
    assert len(tail.tail()) == 1 and len(tail.tail()[0]) <= 2001
    tail.feed(b"\n" + b"".join(b"line %d\n" % n for n in range(100_000)))
    lines = tail.tail()
    assert len(lines) == 50 and lines[-1] == "line 99999"
    tail.feed("déjà vu\r\n".encode())
    assert tail.tail()[-1] == "déjà vu"


def test_the_app_side_never_loads_the_sdk():
    """The service and the host's app side import no `mcp`: it loads in the host process
    only (DESIGN.md P6, P11)."""
    import subprocess
    import sys

    code = (
        "import sys, desktopchat.services.tools, desktopchat.tools.remote;"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('mcp', 'mcp_types', 'pydantic')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
