"""Tool calls in other apps' archives, as our tool parts (domain/tool_calls.py), so an
imported conversation shows them folded like our own and never runs them.

Claude: an assistant message's content blocks `tool_use` {id, name, input} and
`tool_result` {tool_use_id, content (text or blocks), is_error}, in order with its text.
ChatGPT: an assistant node with a `recipient` other than "all" is a call (its content the
call's input: code, a search), and a node of `author.role` "tool" its output; both hidden
nodes are handed down to the next shown reply (importers/tree.py).

Everything here is untrusted: texts are checked like every imported text (fields.py),
arguments kept as JSON text, and nothing here is ever run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from desktopchat.domain.tool_calls import ToolCall, ToolCallStatus, ToolStep, ToolSteps
from desktopchat.domain.tools import ToolOutput, ToolPart
from desktopchat.services.importers.fields import list_of, mapping_of, text_of, title_of

ARCHIVE_SERVER = "archive"
"""The server named on imported calls: the other app ran them, not one of ours."""


def imported_call(call_id: str, name: str, arguments: Any) -> ToolCall:
    """A call as an archive recorded it; INTERRUPTED until its output is found."""
    text = arguments if isinstance(arguments, str) else _json(arguments)
    tool = title_of(name) or "tool"
    return ToolCall(
        title_of(call_id) or tool,
        tool,
        ARCHIVE_SERVER,
        tool,
        text,
        status=ToolCallStatus.INTERRUPTED,
    )


def answered(call: ToolCall, output: ToolOutput) -> ToolCall:
    return replace(call, status=ToolCallStatus.DONE, output=output)


def output_of(content: Any, where: str, *, is_error: bool = False) -> ToolOutput:
    """A tool's answer from a text or a list of blocks ({type: text, text} …)."""
    if isinstance(content, str):
        return ToolOutput((ToolPart("text", text_of(content, where)),), is_error=is_error)
    parts = []
    for block in list_of(content):
        block = mapping_of(block)
        kind = block.get("type")
        if kind == "text" or isinstance(block.get("text"), str):
            parts.append(ToolPart("text", text_of(block.get("text"), where)))
        elif kind is not None:
            parts.append(ToolPart("resource", f"[{title_of(str(kind))} not in the archive]"))
    return ToolOutput(tuple(parts), is_error=is_error)


def with_outputs(calls: Sequence[ToolCall], outputs: dict[str, ToolOutput]) -> tuple[ToolCall, ...]:
    return tuple(
        answered(call, outputs[call.call_id]) if call.call_id in outputs else call for call in calls
    )


def claude_content(blocks: Sequence[dict[str, Any]], where: str) -> tuple[list[str], ToolSteps]:
    """Texts and tool steps of a Claude message's blocks (thinking and others are read by
    the caller); a step ends where the text before its first call ends."""
    texts: list[str] = []
    steps: list[tuple[int, list[ToolCall]]] = []
    outputs: dict[str, ToolOutput] = {}
    last_was_tool = False
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            piece = text_of(block.get("text"), where)
            if piece:
                texts.append(piece)
                last_was_tool = False
        elif kind == "tool_use":
            call = imported_call(
                str(block.get("id") or ""), str(block.get("name") or ""), block.get("input")
            )
            if not last_was_tool:
                steps.append((len("\n\n".join(texts)), []))
            steps[-1][1].append(call)
            last_was_tool = True
        elif kind == "tool_result":
            key = title_of(block.get("tool_use_id"))
            is_error = block.get("is_error") is True
            outputs[key] = output_of(block.get("content"), where, is_error=is_error)
    return texts, ToolSteps(
        tuple(ToolStep(end, with_outputs(calls, outputs)) for end, calls in steps)
    )


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return "{}"
