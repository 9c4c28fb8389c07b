"""The tool loop end to end below the UI: ChatService over the real store, the real SDKs
against the wire server, and a real stdio MCP server (tests/tools/servers/echo_server.py)
run by the real ToolService in its tool host process."""

from __future__ import annotations

import asyncio
import json
from contextlib import aclosing

import pytest

from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.tool_calls import Decision, LoopEnd, ToolCallStatus
from desktopchat.domain.tools import ToolErrorKind
from desktopchat.domain.types import MessageStatus
from desktopchat.providers.factory import create_provider
from desktopchat.services.chat import ChatService, ReplyFinished, ReplyNotice, ToolLoopEnded
from desktopchat.services.history import HistoryService
from desktopchat.services.request_turns import request_turns
from desktopchat.services.tool_loop import (
    ToolApprovalRequested,
    ToolCallFinished,
    ToolCallsRequested,
    ToolCallStarted,
)
from desktopchat.services.tool_support import ToolSupport
from tests.tools.helpers import echo_entry, make_service, settled, write_config
from tests.wire_script import Reply, WireToolCall

KEY = "sk-test-tools-0123456789abcdef"
ECHO = WireToolCall("call_a", "echo__echo", '{"text": "héllo"}')
ADD = WireToolCall("call_b", "echo__add", '{"a": 2, "b": 3}')


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


class Setup:
    def __init__(self, store, wire, tools, sdk: str, **options) -> None:
        url = wire.openai_url if sdk == "openai" else wire.url
        preset = with_base_url(get_preset(sdk), url)

        async def source(_provider_id: str):
            return create_provider(preset, KEY)

        self.store = store
        self.wire = wire
        self.tools = tools
        self.chat = ChatService(HistoryService(store), source, tools=lambda: tools, **options)
        self.chat.answer_tool_questions()
        model = "wire-large" if sdk == "openai" else "claude-test"
        self.conversation = store.create_conversation(provider=sdk, model=model).result()

    async def send(self, text: str, on_event=None) -> list[object]:
        seen = []
        async with aclosing(self.chat.send(self.conversation.id, text)) as events:
            async for event in events:
                seen.append(event)
                if on_event is not None:
                    on_event(event)
        return seen

    def reply(self):
        return self.store.messages(self.conversation.id)[-1]


async def with_tools(tmp_path, keyring, body, **entry):
    write_config(tmp_path, {"echo": echo_entry(**entry)})
    service = make_service(tmp_path, keyring)
    try:
        await service.start()
        await settled(service, "echo")
        return await body(service)
    finally:
        await service.aclose()


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_parallel_calls_an_allow_rule_covers_run_and_the_answer_follows(
    tmp_path, memory_keyring, store, wire_server, sdk
):
    wire_server.replies.extend(
        [Reply(text="Checking.", tool_calls=(ECHO, ADD)), Reply(text=" It said héllo.")]
    )

    async def body(service):
        setup = Setup(store, wire_server, service, sdk)
        events = await setup.send("Echo please")
        kinds = [type(e) for e in events]
        assert ToolApprovalRequested not in kinds, "the rule answered"
        assert kinds.count(ToolCallStarted) == 2 and kinds.count(ToolCallFinished) == 2
        step = next(e for e in events if isinstance(e, ToolCallsRequested)).step
        assert step.text_end == len("Checking.")
        assert isinstance(events[-1], ReplyFinished)
        reply = setup.reply()
        assert reply.text == "Checking. It said héllo." and reply.status is MessageStatus.COMPLETE
        calls = reply.tool_steps.calls()
        assert [c.status for c in calls] == [ToolCallStatus.DONE] * 2
        assert [c.decision for c in calls] == [Decision.RULE] * 2
        assert (
            calls[0].output.parts[0].text == "héllo" and float(calls[1].output.parts[0].text) == 5
        )
        assert calls[0].duration is not None and calls[0].started is not None
        # The second request carried the results.
        sent = json.dumps(wire_server.requests[-1].body["messages"], ensure_ascii=False)
        assert "call_a" in sent and "héllo" in sent
        # What is stored rebuilds the same turns, and no tool runs for it.
        turns = request_turns(store, store.messages(setup.conversation.id))
        assert turns[1].tool_calls == step.calls[:0] + tuple(calls)
        assert turns[2].text == " It said héllo."

    run(with_tools(tmp_path, memory_keyring, body, autoApprove=["echo", "add"]))


def test_a_denied_call_tells_the_model_why_and_an_allowed_one_runs(
    tmp_path, memory_keyring, store, wire_server
):
    wire_server.replies.extend([Reply(text="", tool_calls=(ECHO, ADD)), Reply(text="Fine.")] * 2)

    async def body(service):
        setup = Setup(store, wire_server, service, "openai")
        questions = []

        def answer(event):
            if isinstance(event, ToolApprovalRequested):
                questions.append(event)
                if event.call.tool == "echo":
                    assert setup.chat.decide(event.call.call_id, Decision.DENY, "not that one")
                else:
                    assert setup.chat.decide(event.call.call_id, Decision.ALLOW_CONVERSATION)

        await setup.send("Go", answer)
        assert [q.call.tool for q in questions] == ["echo", "add"]
        assert questions[0].arguments == '{\n  "text": "héllo"\n}'
        assert questions[0].description == "Say the text back."
        assert questions[0].annotations["readOnlyHint"] is True
        assert questions[0].annotations["title"] == "<b>Echo</b>", "as sent: shown plain"
        calls = setup.reply().tool_steps.calls()
        assert calls[0].status is ToolCallStatus.DENIED and calls[0].reason == "not that one"
        assert calls[1].status is ToolCallStatus.DONE
        assert calls[1].decision is Decision.ALLOW_CONVERSATION
        assert service.is_allowed("echo", "add", setup.conversation.id)
        assert not service.is_allowed("echo", "add", setup.conversation.id + 1)
        tool_messages = [
            m for m in wire_server.requests[-1].body["messages"] if m["role"] == "tool"
        ]
        assert "not that one" in tool_messages[0]["content"]
        assert not setup.chat.decide("call_a", Decision.ALLOW_ONCE), "answered already"
        # Regenerate asks the model again, and the person again, except for what they
        # allowed for the whole conversation.
        questions.clear()
        async with aclosing(setup.chat.regenerate(setup.conversation.id)) as events:
            async for event in events:
                answer(event)
        assert [q.call.tool for q in questions] == ["echo"]
        assert len(store.messages(setup.conversation.id)) == 3, "the first reply stays"

    run(with_tools(tmp_path, memory_keyring, body))


def test_a_tool_error_a_timeout_and_an_unknown_tool_go_back_as_errors(
    tmp_path, memory_keyring, store, wire_server
):
    calls = (
        WireToolCall("bad", "echo__add", '{"a": "x"}'),
        WireToolCall("slow", "echo__sleep", '{"seconds": 30}'),
        WireToolCall("ghost", "nowhere__nothing", "{}"),
    )
    wire_server.replies.extend([Reply(text="", tool_calls=calls), Reply(text="Sorry.")])

    async def body(service):
        setup = Setup(store, wire_server, service, "anthropic", tool_timeout=lambda _s: 1.0)
        await setup.send("Try")
        bad, slow, ghost = setup.reply().tool_steps.calls()
        assert bad.status is ToolCallStatus.DONE and bad.output.is_error
        assert slow.status is ToolCallStatus.FAILED and slow.error_kind is ToolErrorKind.TIMEOUT
        assert ghost.status is ToolCallStatus.FAILED
        assert ghost.error_kind is ToolErrorKind.UNKNOWN_TOOL
        results = wire_server.requests[-1].body["messages"][-1]["content"]
        assert [r.get("is_error") for r in results] == [True, True, True]
        assert setup.reply().text == "Sorry."

    run(with_tools(tmp_path, memory_keyring, body, autoApprove=["add", "sleep"]))


def test_stop_mid_tool_cancels_it_and_keeps_the_reply_interrupted(
    tmp_path, memory_keyring, store, wire_server
):
    marker = tmp_path / "cancelled"
    slow = WireToolCall("slow", "echo__sleep", '{"seconds": 60}')
    wire_server.replies.append(Reply(text="Waiting.", tool_calls=(slow,)))

    async def body(service):
        setup = Setup(store, wire_server, service, "openai")
        started = asyncio.Event()

        def on_event(event):
            if isinstance(event, ToolCallStarted):
                started.set()

        turn = asyncio.ensure_future(setup.send("Sleep", on_event))
        await started.wait()
        # A stop in the instant between the order leaving and its line being written
        # would not reach the server (tools/remote.py `_ask`): a person is slower.
        await asyncio.sleep(1.0)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await turn
        store.wait_written()
        reply = setup.reply()
        assert reply.status is MessageStatus.INTERRUPTED and reply.text == "Waiting."
        assert reply.tool_steps.calls()[0].status is ToolCallStatus.CANCELLED
        for _ in range(100):  # the server was told to stop
            if marker.exists():
                break
            await asyncio.sleep(0.05)
        assert marker.read_text() == "cancelled"

    run(
        with_tools(
            tmp_path,
            memory_keyring,
            body,
            autoApprove=["sleep"],
            env={"CANCEL_MARKER": str(marker)},
        )
    )


def test_the_step_limit_ends_the_loop_with_a_note_and_results_are_capped_for_the_model(
    tmp_path, memory_keyring, store, wire_server
):
    huge = WireToolCall("big", "echo__huge", '{"megabytes": 1}')
    wire_server.reply = Reply(text="Again.", tool_calls=(huge,))

    async def body(service):
        setup = Setup(store, wire_server, service, "openai", tool_step_limit=3)
        events = await setup.send("Loop")
        assert ToolLoopEnded(setup.reply().id, LoopEnd.STEP_LIMIT) in events
        reply = setup.reply()
        assert reply.tool_steps.end is LoopEnd.STEP_LIMIT and len(reply.tool_steps.steps) == 3
        assert reply.status is MessageStatus.COMPLETE
        assert len(wire_server.requests) == 3
        kept = reply.tool_steps.calls()[0].output.parts[0].text
        assert len(kept) == 1024 * 1024, "kept whole"
        sent = [m for m in wire_server.requests[-1].body["messages"] if m["role"] == "tool"]
        assert all(len(m["content"]) <= 100_000 for m in sent) and "left out" in sent[0]["content"]

    run(with_tools(tmp_path, memory_keyring, body, autoApprove=["huge"]))


def test_tools_refused_are_remembered_and_the_request_sent_without(
    tmp_path, memory_keyring, store, wire_server
):
    wire_server.reply.reject_tools = "This model does not support tools"
    remembered = []

    async def body(service):
        support = ToolSupport(remember=remembered.append)
        setup = Setup(store, wire_server, service, "openai", tool_support=support)
        events = await setup.send("Hi")
        assert ReplyNotice(setup.reply().id, "tools", "This model does not support tools") in events
        assert setup.reply().text == wire_server.reply.text
        assert remembered == [["openai/wire-large"]]
        asked = len(wire_server.requests)
        await setup.send("Again")
        assert len(wire_server.requests) == asked + 1, "not offered again"
        assert "tools" not in wire_server.last_request.body

    run(with_tools(tmp_path, memory_keyring, body))


def test_without_anyone_to_answer_no_tool_is_offered(tmp_path, memory_keyring, store, wire_server):
    async def body(service):
        setup = Setup(store, wire_server, service, "openai")
        setup.chat.answer_tool_questions(False)
        await setup.send("Hi")
        assert "tools" not in wire_server.last_request.body

    run(with_tools(tmp_path, memory_keyring, body))


def test_a_model_known_not_to_take_tools_is_told_once(tmp_path, memory_keyring, store, wire_server):
    async def body(service):
        support = ToolSupport(known=lambda _provider, _model: False)
        setup = Setup(store, wire_server, service, "openai", tool_support=support)
        first = await setup.send("Hi")
        second = await setup.send("Again")
        assert [e.parameter for e in first if isinstance(e, ReplyNotice)] == ["tools"]
        assert not [e for e in second if isinstance(e, ReplyNotice)]
        assert all("tools" not in r.body for r in wire_server.requests if r.body)

    run(with_tools(tmp_path, memory_keyring, body))


def test_a_kill_mid_tool_loses_nothing_received(tmp_path, wire_server):
    """kill -9 while a tool runs: the question, the text before the call and the call with
    its arguments are on disk; the call reads as interrupted, the reply too (R1)."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore

    slow = WireToolCall("slow", "echo__sleep", '{"seconds": 600}')
    wire_server.reply = Reply(text="Let me wait.", tool_calls=(slow,))
    write_config(tmp_path, {"echo": echo_entry(autoApprove=["sleep"])})
    database = tmp_path / "history.db"
    root = Path(__file__).parents[2]
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.services.tool_kill_child",
            str(database),
            str(tmp_path),
            wire_server.openai_url,
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "RUNNING"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    db, problem = open_database(database)
    assert problem is None
    store = ConversationStore(db)
    try:
        assert store.recover_interrupted().result() == 1
        conversation = store.list_conversations()[0]
        question, reply = store.messages(conversation.id)
        assert question.text == "Sleep"
        assert reply.text == "Let me wait." and reply.status is MessageStatus.INTERRUPTED
        (call,) = reply.tool_steps.calls()
        assert call.status is ToolCallStatus.INTERRUPTED and call.started is not None
        assert call.arguments == '{"seconds": 600}' and call.decision is Decision.RULE
        assert reply.tool_steps.steps[0].text_end == len("Let me wait.")
    finally:
        store.close()


def test_refusals_are_remembered_across_runs(tmp_path):
    from desktopchat.services.tool_support import REFUSED_FILE

    async def first_run():
        support = ToolSupport.remembered_in(tmp_path / REFUSED_FILE, lambda _p, _m: None)
        await support.ready()
        assert support.takes_tools("ollama", "gemma:2b")
        support.refused("ollama", "gemma:2b")
        assert not support.takes_tools("ollama", "gemma:2b")
        for _ in range(200):
            if (tmp_path / REFUSED_FILE).exists():
                return
            await asyncio.sleep(0.01)

    async def next_run():
        support = ToolSupport.remembered_in(tmp_path / REFUSED_FILE, lambda _p, _m: True)
        await support.ready()
        return support.takes_tools("ollama", "gemma:2b"), support.takes_tools("ollama", "qwen3")

    run(first_run())
    assert run(next_run()) == (False, True)
    (tmp_path / REFUSED_FILE).write_text("[[[[[" * 10_000)
    assert run(next_run()) == (True, True), "an unreadable file is no refusal"
