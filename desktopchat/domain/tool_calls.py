"""Tool calls as parts of a reply: what the model asked, what the person decided, what the
tool answered. Stored with the reply (one JSON column, migration 7), so reloading, switching
branches, exporting or syncing reads them and never runs a tool again.

A reply that used tools is still one message: its `text` is everything the model wrote, in
order, and its `steps` say where in that text each request ended in tool calls. Step i's own
text is `text[steps[i-1].text_end:steps[i].text_end]`; what follows the last step is the
answer. That keeps search, copy and export of the text as they were, and lets
services/request_turns.py rebuild the exact turns both wire formats want (assistant text +
calls, then the results) from what is stored.

Everything a call carries came from a model or a server: untrusted, shown as plain text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from desktopchat.domain.tools import ToolErrorKind, ToolOutput, ToolPart, text_for_model

STEP_LIMIT = 20
"""How many requests one reply may end in tool calls before the loop stops it."""


class ToolCallStatus(StrEnum):
    """Where a call is in its life; a reply that is no longer streaming has none of the
    first three (a kill leaves them, and reading turns them into INTERRUPTED)."""

    ASKING = "asking"
    """Waiting for the person's decision."""
    RUNNING = "running"
    QUEUED = "queued"
    """Allowed, waiting for the calls before it to be decided."""
    DONE = "done"
    """The tool answered (its answer may say it failed: `output.is_error`)."""
    FAILED = "failed"
    """No answer: `error_kind` and `error_message` say why (timeout, server died …)."""
    DENIED = "denied"
    CANCELLED = "cancelled"
    """Stopped by the person (Stop) while running or waiting."""
    INTERRUPTED = "interrupted"
    """The app ended (a crash, a kill) before the call finished."""


UNFINISHED = frozenset({ToolCallStatus.ASKING, ToolCallStatus.RUNNING, ToolCallStatus.QUEUED})


class Decision(StrEnum):
    """The person's answer to "run this tool?" (or the rule that answered for them)."""

    ALLOW_ONCE = "allow_once"
    ALLOW_CONVERSATION = "allow_conversation"
    """Allowed, and this tool runs without asking for the rest of the conversation."""
    ALLOW_ALWAYS = "allow_always"
    """Allowed, and this tool runs without asking from now on (the server's autoApprove)."""
    RULE = "rule"
    """No question: an allow rule the person made earlier covered it."""
    DENY = "deny"


class LoopEnd(StrEnum):
    """Why a reply's tool loop ended other than with the model's answer."""

    STEP_LIMIT = "step_limit"


@dataclass(frozen=True)
class ToolCall:
    """One call a model asked for, and what became of it."""

    call_id: str
    """The provider's id for the call (tool_call_id / tool_use_id), sent back with the result."""
    api_name: str
    """The name the model used (ToolSpec.api_name)."""
    server: str
    """Empty when the name matched no tool offered."""
    tool: str
    arguments: str
    """The arguments as the model wrote them (JSON text; may be invalid JSON)."""
    status: ToolCallStatus = ToolCallStatus.ASKING
    decision: Decision | None = None
    reason: str = ""
    """The person's reason for a denial, sent to the model."""
    started: float | None = None
    """Unix seconds when the tool started running."""
    duration: float | None = None
    """Seconds the tool ran."""
    output: ToolOutput | None = None
    """The whole answer as the server gave it (the model gets it capped)."""
    error_kind: ToolErrorKind | None = None
    error_message: str = ""

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    def pretty_arguments(self) -> str:
        """The arguments indented for a person to read; as written when not JSON."""
        try:
            return json.dumps(json.loads(self.arguments), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            return self.arguments

    def result_for_model(self, limit: int | None = None) -> tuple[str, bool]:
        """(text, is_error): what goes back to the model for this call, capped."""
        capped = {} if limit is None else {"limit": limit}
        if self.status is ToolCallStatus.DONE and self.output is not None:
            return text_for_model(self.output, **capped), self.output.is_error
        if self.status is ToolCallStatus.DENIED:
            said = f" Their reason: {self.reason}" if self.reason else ""
            return f"The person did not allow this tool call.{said}", True
        if self.status is ToolCallStatus.FAILED:
            return f"The tool call failed: {self.error_message or self.error_kind}", True
        return "The tool call was stopped before it finished.", True


@dataclass(frozen=True)
class ToolStep:
    """One request of a reply that ended in tool calls (parallel calls share a step)."""

    text_end: int
    """Where in the reply's text this request's own text ends."""
    calls: tuple[ToolCall, ...]
    thinking: str = ""
    thinking_signature: str = ""
    """Anthropic's signed thinking of this request, which its API wants back before the
    tool_use blocks while the loop goes on (empty: none)."""


@dataclass(frozen=True)
class ToolSteps:
    """A reply's tool steps and how its loop ended (None: the model answered)."""

    steps: tuple[ToolStep, ...] = ()
    end: LoopEnd | None = None

    def calls(self) -> list[ToolCall]:
        return [call for step in self.steps for call in step.calls]

    def with_call(self, call: ToolCall) -> ToolSteps:
        """The same steps with `call` (matched by call id) replaced."""
        steps = tuple(
            replace(s, calls=tuple(call if c.call_id == call.call_id else c for c in s.calls))
            for s in self.steps
        )
        return replace(self, steps=steps)

    def settled(self) -> ToolSteps:
        """As read once the reply stopped streaming: a call left unfinished by a crash or a
        kill is INTERRUPTED, never shown as still running."""
        if all(call.finished for call in self.calls()):
            return self
        steps = tuple(
            replace(
                s,
                calls=tuple(
                    c if c.finished else replace(c, status=ToolCallStatus.INTERRUPTED)
                    for c in s.calls
                ),
            )
            for s in self.steps
        )
        return replace(self, steps=steps)


NO_TOOL_STEPS = ToolSteps()
"""A reply that used no tools (most)."""


def step_texts(text: str, steps: Sequence[ToolStep]) -> tuple[list[str], str]:
    """Each step's own text, and the answer after the last step."""
    pieces, start = [], 0
    for step in steps:
        end = min(max(step.text_end, start), len(text))
        pieces.append(text[start:end])
        start = end
    return pieces, text[start:]


# ---- JSON, as stored (one column) and as synced


def steps_json(steps: ToolSteps) -> str | None:
    """The column's value; None for a reply without tool calls."""
    if not steps.steps and steps.end is None:
        return None
    return json.dumps(
        {"v": 1, "end": steps.end, "steps": [_step_record(s) for s in steps.steps]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def steps_from_json(text: str | None) -> ToolSteps:
    """The stored steps; anything malformed (a synced or imported row from a newer or
    broken writer) is dropped rather than raised, so the reply still shows."""
    if not text:
        return ToolSteps()
    try:
        data = json.loads(text)
        steps = tuple(_step_of(s) for s in data.get("steps", ()))
        end = LoopEnd(data["end"]) if data.get("end") else None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return ToolSteps()
    return ToolSteps(steps, end)


def _step_record(step: ToolStep) -> dict[str, Any]:
    record: dict[str, Any] = {"end": step.text_end, "calls": [_call_record(c) for c in step.calls]}
    if step.thinking_signature:
        record["thinking"] = [step.thinking, step.thinking_signature]
    return record


def _call_record(call: ToolCall) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": call.call_id,
        "name": call.api_name,
        "server": call.server,
        "tool": call.tool,
        "args": call.arguments,
        "status": call.status,
        "decision": call.decision,
        "reason": call.reason,
        "started": call.started,
        "duration": call.duration,
        "error_kind": call.error_kind,
        "error": call.error_message,
    }
    if call.output is not None:
        record["output"] = output_record(call.output)
    return {k: v for k, v in record.items() if v not in (None, "")}


def output_record(output: ToolOutput) -> dict[str, Any]:
    """A tool's answer as JSON-ready data (images and audio as their base64)."""
    return {
        "parts": [{k: v for k, v in vars(p).items() if v or k == "kind"} for p in output.parts],
        "is_error": output.is_error,
        "cut": output.cut,
        "structured": output.structured,
    }


def output_of(data: dict[str, Any]) -> ToolOutput:
    parts = tuple(
        ToolPart(
            kind=str(p["kind"]),
            text=str(p.get("text", "")),
            mime_type=str(p.get("mime_type", "")),
            data=str(p.get("data", "")),
        )
        for p in data.get("parts", ())
    )
    return ToolOutput(
        parts,
        is_error=bool(data.get("is_error")),
        cut=bool(data.get("cut")),
        structured=str(data.get("structured", "")),
    )


def _step_of(data: dict[str, Any]) -> ToolStep:
    thinking = data.get("thinking")
    text, signature = thinking if isinstance(thinking, list) and len(thinking) == 2 else ("", "")
    calls = tuple(_call_of(c) for c in data["calls"])
    return ToolStep(int(data["end"]), calls, str(text), str(signature))


def _call_of(data: dict[str, Any]) -> ToolCall:
    output = data.get("output")
    return ToolCall(
        call_id=str(data["id"]),
        api_name=str(data.get("name", "")),
        server=str(data.get("server", "")),
        tool=str(data.get("tool", "")),
        arguments=str(data.get("args", "")),
        status=ToolCallStatus(data.get("status", ToolCallStatus.INTERRUPTED)),
        decision=Decision(data["decision"]) if data.get("decision") else None,
        reason=str(data.get("reason", "")),
        started=_number(data.get("started")),
        duration=_number(data.get("duration")),
        output=output_of(output) if isinstance(output, dict) else None,
        error_kind=ToolErrorKind(data["error_kind"]) if data.get("error_kind") else None,
        error_message=str(data.get("error", "")),
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
