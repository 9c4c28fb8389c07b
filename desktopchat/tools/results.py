"""A tool's answer from the SDK's types into ours (domain/tools.py), as plain values the
rest of the app may hold without importing `mcp`."""

from __future__ import annotations

import json

import mcp_types as types

from desktopchat.domain.tools import ToolOutput, ToolPart


def tool_output(result: types.CallToolResult) -> ToolOutput:
    parts = [_part(item) for item in result.content]
    structured = ""
    if result.structured_content is not None:
        structured = json.dumps(result.structured_content, ensure_ascii=False)
    return ToolOutput(tuple(parts), is_error=bool(result.is_error), structured=structured)


def _part(item: object) -> ToolPart:
    if isinstance(item, types.TextContent):
        return ToolPart("text", text=item.text)
    if isinstance(item, types.ImageContent):
        return ToolPart("image", mime_type=item.mime_type, data=item.data)
    if isinstance(item, types.AudioContent):
        return ToolPart("audio", mime_type=item.mime_type, data=item.data)
    if isinstance(item, types.EmbeddedResource):
        resource = item.resource
        text = getattr(resource, "text", None)
        if isinstance(text, str):
            return ToolPart("resource", text=text, mime_type=resource.mime_type or "")
        return ToolPart("resource", text=f"[resource {resource.uri}]")
    if isinstance(item, types.ResourceLink):
        return ToolPart("resource", text=f"[link {item.uri}]")
    return ToolPart("text", text=f"[{type(item).__name__}]")
