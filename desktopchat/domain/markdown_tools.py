"""A reply's tool calls in our Markdown export (format 2) and back.

For people: after the reply's text, one folded block per call, plain — the tool, its
server, its arguments and its result (as the model read it, capped) each in a code fence
longer than any run of backticks inside, so nothing a tool wrote can end the block or turn
into markup. For the reader: the whole steps (every call with its decision, timing and the
complete output, images as base64) in the message's details line, as stored
(domain/tool_calls.py), so an export imports back into the same parts and no tool runs.
"""

from __future__ import annotations

import json
from typing import Any

from desktopchat.domain.markdown_source import fenced
from desktopchat.domain.tool_calls import ToolCall, ToolSteps, steps_from_json, steps_json

_STATUS_WORDS = {
    "done": "",
    "failed": "failed",
    "denied": "not allowed",
    "cancelled": "stopped",
    "interrupted": "interrupted",
}


def tools_details(steps: ToolSteps) -> Any:
    """The value of the details' "tools" key (None: no tool calls)."""
    stored = steps_json(steps)
    return None if stored is None else json.loads(stored)


def tools_from_details(value: Any) -> ToolSteps:
    """The steps an export recorded; anything else (an edited or hostile file) is none."""
    if not isinstance(value, dict):
        return ToolSteps()
    try:
        return steps_from_json(json.dumps(value))
    except (ValueError, RecursionError):
        return ToolSteps()


def tool_blocks(steps: ToolSteps) -> list[str]:
    """The folded blocks a viewer shows, one per call."""
    return [_block(call) for call in steps.calls()]


def _block(call: ToolCall) -> str:
    state = _STATUS_WORDS.get(call.status.value, call.status.value)
    name = " ".join(f"{call.server} · {call.tool}".split()) if call.server else call.api_name
    summary = _plain_summary(f"🔧 {name}" + (f" ({state})" if state else ""))
    result, _is_error = call.result_for_model()
    # "\n" added: a newline ending the text itself stays inside the block, as written.
    arguments = fenced(call.pretty_arguments() + "\n", "text")
    output = fenced(result + "\n", "text")
    return (
        f"<details><summary>{summary}</summary>\n\n"
        f"Arguments:\n\n{arguments}\n"
        f"Result:\n\n{output}\n"
        "</details>\n"
    )


def _plain_summary(text: str) -> str:
    """One line with no markup: HTML's specials as entities, controls as spaces."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
