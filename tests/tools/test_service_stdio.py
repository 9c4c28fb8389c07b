"""The tool service driving a real stdio MCP server (tests/tools/servers/echo_server.py):
tools listed and called, timeouts, cancelling, servers that cannot start or die, restart,
bounded memory, and an environment that holds none of our secrets."""

from __future__ import annotations

import asyncio
import resource
import sys

import pytest

from desktopchat.domain.tools import ServerStatus, ToolCallError, ToolErrorKind, text_for_model
from tests.tools.helpers import echo_entry, make_service, settled, write_config


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


def test_tools_are_listed_and_called(tmp_path, memory_keyring):
    write_config(tmp_path, {"echo": echo_entry()})

    async def scenario():
        service = make_service(tmp_path, memory_keyring, login_shell=True)
        try:
            await service.start()
            state = await settled(service, "echo")
            assert state.status == ServerStatus.RUNNING and state.tool_count > 5
            tools = {t.name: t for t in await service.list_tools()}
            assert tools["echo"].api_name == "echo__echo"
            assert tools["add"].input_schema["properties"].keys() == {"a", "b"}
            said = await service.call_tool("echo", "echo", {"text": "héllo"})
            assert said.parts[0].text == "héllo" and not said.is_error
            summed = await service.call_tool("echo", "add", {"a": 2, "b": 3})
            assert float(summed.parts[0].text) == 5
            image = await service.call_tool("echo", "pixel", {})
            assert image.parts[0].kind == "image" and image.parts[0].mime_type == "image/png"
            rich = await service.call_tool("echo", "rich", {})
            assert rich.parts[0].kind == "text" and rich.parts[0].text.startswith("<b>")
            with pytest.raises(ToolCallError) as unknown:
                await service.call_tool("echo", "nope", {})
            assert unknown.value.kind == ToolErrorKind.UNKNOWN_TOOL
            failed = await service.call_tool("echo", "add", {"a": "x"})
            assert failed.is_error  # the tool's own error is an answer, not an exception
        finally:
            await service.aclose()

    run(scenario())


def test_a_slow_tool_times_out_and_a_cancelled_one_is_told_to_stop(tmp_path, memory_keyring):
    marker = tmp_path / "cancelled"
    write_config(tmp_path, {"echo": echo_entry(env={"CANCEL_MARKER": str(marker)})})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            await settled(service, "echo")
            started = asyncio.get_running_loop().time()
            with pytest.raises(ToolCallError) as slow:
                await service.call_tool("echo", "sleep", {"seconds": 30}, timeout=0.5)
            assert slow.value.kind == ToolErrorKind.TIMEOUT
            assert asyncio.get_running_loop().time() - started < 5
            cancel = asyncio.Event()
            asyncio.get_running_loop().call_later(0.5, cancel.set)
            with pytest.raises(ToolCallError) as stopped:
                await service.call_tool("echo", "sleep", {"seconds": 30}, cancel=cancel)
            assert stopped.value.kind == ToolErrorKind.CANCELLED
            for _ in range(100):
                if marker.exists():
                    break
                await asyncio.sleep(0.05)
            assert marker.read_text() == "cancelled"  # the server heard it
            # Still running, and answering.
            assert (await service.call_tool("echo", "echo", {"text": "ok"})).parts[0].text == "ok"
        finally:
            await service.aclose()

    run(scenario())


def test_a_command_that_is_not_there_says_so(tmp_path, memory_keyring):
    write_config(tmp_path, {"gone": {"command": "npx-not-installed-here"}})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            state = await settled(service, "gone")
            assert state.status == ServerStatus.FAILED
            assert state.problem == "command_not_found"
            assert state.message.startswith("npx-not-installed-here was not found on your PATH")
            assert "(checked: " in state.message
            with pytest.raises(ToolCallError) as call:
                await service.call_tool("gone", "x", {})
            assert call.value.kind == ToolErrorKind.NOT_RUNNING
        finally:
            await service.aclose()

    run(scenario())


def test_a_server_that_exits_at_start_shows_its_code_and_last_words(tmp_path, memory_keyring):
    env = {"EXIT_AT_START": "2", "STDERR_AT_START": "Error: missing --root argument"}
    write_config(tmp_path, {"bad": echo_entry(env=env)})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            state = await settled(service, "bad")
            assert state.status == ServerStatus.FAILED and state.exit_code == 2
            assert "exit code 2" in state.message
            assert "Error: missing --root argument" in state.stderr_tail
        finally:
            await service.aclose()

    run(scenario())


def test_a_server_that_dies_mid_call_says_so_and_restarts(tmp_path, memory_keyring):
    write_config(tmp_path, {"echo": echo_entry()})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        changes = []
        service.subscribe(lambda: changes.append([s.status for s in service.states()]))
        try:
            await service.start()
            await settled(service, "echo")
            with pytest.raises(ToolCallError) as died:
                await service.call_tool("echo", "crash", {})
            assert died.value.kind == ToolErrorKind.SERVER_DIED
            for _ in range(100):
                state = service.states()[0]
                if state.status == ServerStatus.FAILED:
                    break
                await asyncio.sleep(0.05)
            assert state.status == ServerStatus.FAILED and state.exit_code == 3
            assert "about to crash: goodbye" in state.stderr_tail
            assert "exit code 3" in state.message
            assert [ServerStatus.FAILED] in changes
            await service.restart("echo")
            assert (await settled(service, "echo")).status == ServerStatus.RUNNING
            assert (await service.call_tool("echo", "echo", {"text": "back"})).parts[
                0
            ].text == "back"
        finally:
            await service.aclose()

    run(scenario())


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def test_floods_and_huge_answers_cost_bounded_memory(tmp_path, memory_keyring):
    write_config(tmp_path, {"echo": echo_entry()})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            await settled(service, "echo")
            before = _peak_rss_mb()
            flood = await service.call_tool("echo", "flood", {"lines": 300_000})  # ~33 MB
            assert flood.parts[0].text == "flooded"
            await asyncio.sleep(0.3)
            tail = (await service.live_state("echo")).stderr_tail
            assert 0 < len(tail) <= 50 and all(len(line) <= 2001 for line in tail)
            huge = await service.call_tool("echo", "huge", {"megabytes": 50}, timeout=120)
            assert huge.cut and huge.is_error
            assert "16 MiB" in text_for_model(huge)
            assert _peak_rss_mb() - before < 150, "a 50 MB answer was held whole"
            # The server runs on.
            assert (await service.call_tool("echo", "echo", {"text": "ok"})).parts[0].text == "ok"
        finally:
            await service.aclose()

    run(scenario())


def test_a_server_gets_none_of_our_secrets(tmp_path, memory_keyring, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-ours")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-ours")
    monkeypatch.setenv("SOME_PASSWORD", "hunter2")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    write_config(tmp_path, {"echo": echo_entry(env={"LOG_LEVEL": "debug"})})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            await settled(service, "echo")
            names = (await service.call_tool("echo", "environment", {})).parts[0].text.split()
            for ours in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "SOME_PASSWORD", "PYTHONPATH"):
                assert ours not in names
            assert {"PATH", "HOME", "LOG_LEVEL"} <= set(names)
        finally:
            await service.aclose()

    run(scenario())


def test_a_server_that_prints_its_keychain_secret_shows_it_hidden(tmp_path, memory_keyring):
    """R4: the token a server was given from the keychain, printed on its stderr (as many
    do at a failed start), never reaches Settings → Tools as it is."""
    from desktopchat.system.keys import DEFAULT_SERVICE
    from desktopchat.system.mcp_config import secret_account

    token = "ghp_0123456789abcdefghijABCDEFGHIJ"
    memory_keyring.passwords[
        (DEFAULT_SERVICE, secret_account("leaky", "env", "STDERR_AT_START"))
    ] = f"starting with token {token}"
    entry = echo_entry(env={"EXIT_AT_START": "2", "STDERR_AT_START": {"keychain": True}})
    write_config(tmp_path, {"leaky": entry})

    async def scenario():
        service = make_service(tmp_path, memory_keyring)
        try:
            await service.start()
            state = await settled(service, "leaky")
            assert state.status == ServerStatus.FAILED and state.stderr_tail
            assert not any(token in line for line in state.stderr_tail)
            assert token not in state.message
        finally:
            await service.aclose()

    run(scenario())
