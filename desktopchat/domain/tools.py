"""What the app knows about tools and the MCP servers that offer them: plain frozen values
the services hand to the UI (which never imports tools/ or the `mcp` SDK), and that the tool
loop will store as parts of a reply.

Everything here that came from a server (tool names, descriptions, output, stderr lines) is
untrusted text: show it as plain text only (DESIGN.md R6, R10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ServerStatus(StrEnum):
    """Where a server is in its life. `disabled` is the person's choice in mcp.json."""

    STARTING = "starting"
    RUNNING = "running"
    FAILED = "failed"
    STOPPED = "stopped"
    DISABLED = "disabled"


@dataclass(frozen=True)
class ServerState:
    """One server as the person sees it in Settings → Tools: its status, in words what went
    wrong (`problem` is the kind, `message` the sentence), its exit code when it exited, and
    the last lines it wrote to stderr (at most 50, each cut at 2,000 characters)."""

    name: str
    status: ServerStatus
    problem: str = ""
    message: str = ""
    exit_code: int | None = None
    stderr_tail: tuple[str, ...] = ()
    tool_count: int = 0


@dataclass(frozen=True)
class ToolSpec:
    """A tool a running server offers. `api_name` is the name sent to a model: unique across
    servers, at most 64 characters of [A-Za-z0-9_-] (both wire formats' limit)."""

    server: str
    name: str
    api_name: str
    description: str = ""
    input_schema: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    annotations: dict[str, Any] = field(default_factory=dict)
    """The server's hints (readOnlyHint, destructiveHint, …): shown to the person when
    asking, never trusted to decide anything."""


@dataclass(frozen=True)
class ToolPart:
    """One piece of a tool's answer: `kind` is "text", "image", "audio" or "resource";
    images and audio carry base64 `data` and their `mime_type`; everything else is text."""

    kind: str
    text: str = ""
    mime_type: str = ""
    data: str = ""


@dataclass(frozen=True)
class ToolOutput:
    """A tool's answer: its parts, whether the tool itself said it failed, and whether it was
    cut (an answer over 16 MiB is dropped and replaced by a note)."""

    parts: tuple[ToolPart, ...]
    is_error: bool = False
    cut: bool = False
    structured: str = ""
    """The structured content as JSON text, when the server sent any."""


class ToolErrorKind(StrEnum):
    """Why a call gave no answer; stored by kind, worded when shown."""

    NOT_RUNNING = "not_running"
    UNKNOWN_SERVER = "unknown_server"
    UNKNOWN_TOOL = "unknown_tool"
    TIMEOUT = "timeout"
    SERVER_DIED = "server_died"
    PROTOCOL = "protocol"
    TOO_LARGE = "too_large"
    CANCELLED = "cancelled"


class ToolCallError(Exception):
    """A call that gave no answer, with its kind and a sentence a person understands."""

    def __init__(self, kind: ToolErrorKind, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


MODEL_TEXT_LIMIT = 100_000
"""What goes back to a model from one tool call, in characters (head and tail kept)."""


def text_for_model(output: ToolOutput, limit: int = MODEL_TEXT_LIMIT) -> str:
    """The answer as the text a model reads: text parts joined, other parts named, and when
    longer than `limit` characters its head and tail with a note of what was left out in
    between (a model that needs the middle can ask for it in pieces)."""
    pieces = []
    for part in output.parts:
        if part.kind == "text":
            pieces.append(part.text)
        elif part.kind in ("image", "audio"):
            pieces.append(f"[{part.kind} {part.mime_type}, {len(part.data) * 3 // 4} bytes]")
        else:
            pieces.append(part.text)
    if output.structured and not pieces:
        pieces.append(output.structured)
    note = "(the tool's answer was over 16 MiB and was dropped)" if output.cut else ""
    return cap_text("\n".join(pieces), limit, cut_note=note)


def cap_text(text: str, limit: int = MODEL_TEXT_LIMIT, cut_note: str = "") -> str:
    """`text` whole if it fits in `limit` characters; otherwise its first and last parts with
    a note saying how much was left out."""
    if len(text) <= limit:
        return f"{text}\n{cut_note}" if cut_note else text
    room = max(limit - 200 - len(cut_note), 0)
    note = f"\n\n[… {len(text) - room:,} characters left out of {len(text):,} …]\n\n"
    if cut_note:
        note += f"{cut_note}\n"
    head = room * 3 // 4
    tail = room - head
    return text[:head] + note + (text[-tail:] if tail else "")
