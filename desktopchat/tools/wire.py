"""The values the app and the tool host process exchange, to and from JSON: one message a
line. Both sides import this; neither needs the `mcp` SDK for it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from desktopchat.domain.tools import (
    ServerState,
    ServerStatus,
    ToolCallError,
    ToolErrorKind,
    ToolOutput,
    ToolPart,
    ToolSpec,
)
from desktopchat.tools.launch import LaunchSpec


def spec_to_json(spec: LaunchSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "command": spec.command,
        "args": list(spec.args),
        "env": dict(spec.env),
        "cwd": spec.cwd,
        "url": spec.url,
        "headers": dict(spec.headers),
        "secrets": list(spec.secrets),
        "oauth": spec.oauth,
        "oauth_tokens": spec.oauth_tokens,
        "oauth_client": spec.oauth_client,
    }


def spec_from_json(data: dict[str, Any]) -> LaunchSpec:
    return LaunchSpec(
        name=str(data["name"]),
        command=str(data["command"]),
        args=tuple(str(a) for a in data["args"]),
        env={str(k): str(v) for k, v in data["env"].items()},
        cwd=str(data["cwd"]),
        url=str(data["url"]),
        headers={str(k): str(v) for k, v in data["headers"].items()},
        secrets=tuple(str(secret) for secret in data.get("secrets", ())),
        oauth=bool(data.get("oauth")),
        oauth_tokens=str(data.get("oauth_tokens", "")),
        oauth_client=str(data.get("oauth_client", "")),
    )


def state_to_json(state: ServerState) -> dict[str, Any]:
    return asdict(state)


def state_from_json(data: dict[str, Any]) -> ServerState:
    return ServerState(
        name=str(data["name"]),
        status=ServerStatus(data["status"]),
        problem=str(data["problem"]),
        message=str(data["message"]),
        exit_code=data["exit_code"] if isinstance(data["exit_code"], int) else None,
        stderr_tail=tuple(str(line) for line in data["stderr_tail"]),
        tool_count=int(data["tool_count"]),
    )


def tool_from_json(data: dict[str, Any]) -> ToolSpec:
    schema = data["input_schema"]
    annotations = data.get("annotations")
    return ToolSpec(
        server=str(data["server"]),
        name=str(data["name"]),
        api_name=str(data["api_name"]),
        description=str(data["description"]),
        input_schema=schema if isinstance(schema, dict) else {},
        title=str(data["title"]),
        annotations=annotations if isinstance(annotations, dict) else {},
    )


def output_to_json(output: ToolOutput) -> dict[str, Any]:
    return asdict(output)


def output_from_json(data: dict[str, Any]) -> ToolOutput:
    parts = tuple(
        ToolPart(
            kind=str(p["kind"]),
            text=str(p["text"]),
            mime_type=str(p["mime_type"]),
            data=str(p["data"]),
        )
        for p in data["parts"]
    )
    return ToolOutput(
        parts,
        is_error=bool(data["is_error"]),
        cut=bool(data["cut"]),
        structured=str(data["structured"]),
    )


def error_to_json(error: ToolCallError) -> dict[str, str]:
    return {"kind": error.kind.value, "message": error.message}


def error_from_json(data: dict[str, Any]) -> ToolCallError:
    try:
        kind = ToolErrorKind(str(data.get("kind")))
    except ValueError:
        kind = ToolErrorKind.PROTOCOL
    return ToolCallError(kind, str(data.get("message", "")))
