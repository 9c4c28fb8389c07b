"""A reply's tool calls stored (migration 7's column): written as they change, read back
whole, a call left running by a crash read as interrupted, broken JSON read as none."""

from __future__ import annotations

from desktopchat.domain.tool_calls import (
    Decision,
    LoopEnd,
    ToolCall,
    ToolCallStatus,
    ToolStep,
    ToolSteps,
    steps_from_json,
    steps_json,
)
from desktopchat.domain.tools import ToolErrorKind, ToolOutput, ToolPart
from desktopchat.domain.types import MessageStatus, Role
from desktopchat.services.sync.records import digest
from desktopchat.storage.sync_rows import MESSAGE_COLUMNS

PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
    "awAAAABJRU5ErkJggg=="
)


def steps() -> ToolSteps:
    shown = ToolCall(
        "call_1",
        "files__read",
        "files",
        "read",
        '{"path": "/tmp/x"}',
        status=ToolCallStatus.DONE,
        decision=Decision.ALLOW_ONCE,
        started=1_700_000_000.5,
        duration=0.25,
        output=ToolOutput(
            (ToolPart("text", "héllo"), ToolPart("image", mime_type="image/png", data=PIXEL)),
            structured='{"ok": true}',
        ),
    )
    running = ToolCall("call_2", "files__list", "files", "list", "{}", ToolCallStatus.RUNNING)
    failed = ToolCall(
        "call_3",
        "x__y",
        "x",
        "y",
        "{",
        ToolCallStatus.FAILED,
        error_kind=ToolErrorKind.TIMEOUT,
        error_message="It took too long.",
    )
    return ToolSteps(
        (ToolStep(5, (shown, running), "thought", "sig=="), ToolStep(9, (failed,))),
        LoopEnd.STEP_LIMIT,
    )


def test_steps_round_trip_through_json_whole():
    assert steps_from_json(steps_json(steps())) == steps()
    assert steps_json(ToolSteps()) is None
    for broken in ("{", "[]", '{"steps": [{"calls": 3}]}', '{"steps": [{"end": 1}]}', "null"):
        assert steps_from_json(broken) == ToolSteps()


def test_a_reply_keeps_its_calls_and_a_crash_leaves_them_interrupted(store):
    conversation = store.create_conversation(title="t").result()
    question = store.add_message(conversation.id, Role.USER, "q").result()
    reply = store.add_message(
        conversation.id, Role.ASSISTANT, "", parent_id=question.id, status=MessageStatus.STREAMING
    ).result()
    store.update_reply(conversation.id, reply.id, text="Hello, done", tool_steps=steps()).result()
    streaming = store.messages(conversation.id)[-1]
    assert streaming.tool_steps == steps(), "still streaming: as it is"
    assert store.recover_interrupted().result() == 1
    after = store.messages(conversation.id)[-1]
    calls = after.tool_steps.calls()
    assert [c.status for c in calls] == [
        ToolCallStatus.DONE,
        ToolCallStatus.INTERRUPTED,
        ToolCallStatus.FAILED,
    ]
    assert calls[0].output.parts[1].data == PIXEL
    assert after.tool_steps.end is LoopEnd.STEP_LIMIT


def test_a_row_without_tool_calls_hashes_as_before_the_column():
    """The first sync after the upgrade sends nothing again."""
    row = list(range(len(MESSAGE_COLUMNS) - 1))
    assert digest([*row, None], []) == digest(row, [])
    assert digest([*row, "{}"], []) != digest(row, [])
