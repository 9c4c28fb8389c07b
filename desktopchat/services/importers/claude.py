"""Claude's "Export data" `conversations.json`: a list of conversations with their messages.

Each conversation has `uuid`, `name`, `created_at`/`updated_at` (ISO 8601) and
`chat_messages`: {uuid, sender (human / assistant), text, content [blocks: text, thinking,
tool_use, tool_result …], attachments [{file_name, file_size, file_type,
extracted_content}], files [{file_name}], created_at, parent_message_uuid}. Newer exports
link messages by `parent_message_uuid` (branches) and name the branch shown in
`current_leaf_message_uuid`; older ones are one list in order, read as one path.

Attachments come over with their extracted text (document attachments without bytes);
files (images) the export does not contain are said, not dropped; tool_use and tool_result
blocks become the reply's tool calls (importers/tool_parts.py).
"""

from __future__ import annotations

from typing import Any

from desktopchat.domain.markdown_import import ImportedConversation
from desktopchat.domain.tool_calls import ToolSteps
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Message,
    Reasoning,
    Role,
)
from desktopchat.services.importers.fields import (
    list_of,
    mapping_of,
    name_of,
    seconds_of,
    size_of,
    stable_id,
    text_of,
    title_of,
)
from desktopchat.services.importers.tool_parts import claude_content
from desktopchat.services.importers.tree import (
    ImportProblem,
    Node,
    build_tree,
    imported_conversation,
    join_notes,
)

PROVIDER = "anthropic"
_ROLES = {"human": Role.USER, "user": Role.USER, "assistant": Role.ASSISTANT}


def is_claude(conversation: Any) -> bool:
    return isinstance(conversation, dict) and "chat_messages" in conversation


def origin_of(raw: dict[str, Any]) -> str:
    key = raw.get("uuid")
    return f"claude:{title_of(key) if isinstance(key, str) and key else stable_id(raw)}"


def parse_conversation(raw: dict[str, Any]) -> ImportedConversation:
    """One conversation of the export; raises ImportProblem when it cannot be read."""
    chat = raw.get("chat_messages")
    if not isinstance(chat, list):
        raise ImportProblem("it has no message list ('chat_messages')")
    created = seconds_of(raw.get("created_at"))
    nodes: list[Node] = []
    previous: str | None = None
    for position, item in enumerate(chat):
        item = mapping_of(item)
        key = item.get("uuid")
        key = key if isinstance(key, str) and key else f"#{position}"
        parent = item.get("parent_message_uuid", previous)
        nodes.append(
            _node(key, parent if isinstance(parent, str) else None, position, item, created)
        )
        previous = key
    return imported_conversation(
        build_tree(nodes),
        raw.get("current_leaf_message_uuid"),
        created,
        seconds_of(raw.get("updated_at")),
        title_of(raw.get("name")),
        origin_of(raw),
    )


def _node(
    key: str, parent: str | None, position: int, item: dict[str, Any], fallback: float | None
) -> Node:
    where = f"message {key!r}"
    created = seconds_of(item.get("created_at"))
    order = (created if created is not None else -1.0, position)
    role = _ROLES.get(item.get("sender"))  # type: ignore[arg-type]
    if role is None:
        return Node(key, parent, order)
    text, reasoning, notes, steps = _blocks(item, where)
    if role is Role.USER and steps.steps:  # a person's message cannot hold calls
        notes += ["A tool call was not imported"] * len(steps.calls())
        steps = ToolSteps()
    attachments = tuple(_attachment(a, where) for a in list_of(item.get("attachments")))
    attachments += tuple(_file(f) for f in list_of(item.get("files")))
    if notes:
        text = join_notes(text, notes)
    if not text.strip() and not attachments and not reasoning and not steps.steps:
        return Node(key, parent, order)
    return Node(
        key,
        parent,
        order,
        Message(
            id=0,
            conversation_id=0,
            role=role,
            text=text,
            created=created if created is not None else (fallback or 0.0),
            provider=PROVIDER if role is Role.ASSISTANT else None,
            reasoning=Reasoning(reasoning) if reasoning else None,
            attachments=attachments,
            tool_steps=steps,
        ),
    )


def _blocks(item: dict[str, Any], where: str) -> tuple[str, str, list[str], ToolSteps]:
    """Text, reasoning, notes and tool calls from the content blocks; the plain `text`
    without them."""
    blocks = [mapping_of(b) for b in list_of(item.get("content"))]
    if not blocks:
        return text_of(item.get("text"), where), "", [], ToolSteps()
    texts, steps = claude_content(blocks, where)
    thoughts, notes = [], []
    for block in blocks:
        kind = block.get("type")
        if kind == "thinking":
            thoughts.append(text_of(block.get("thinking"), where))
        elif kind not in (None, "text", "tool_use", "tool_result"):
            notes.append(f"A part of type {title_of(str(kind))!r} was not imported")
    return "\n\n".join(texts), "\n\n".join(t for t in thoughts if t), notes, steps


def _attachment(raw: Any, where: str) -> Attachment:
    raw = mapping_of(raw)
    text = text_of(raw.get("extracted_content"), f"an attachment of {where}")
    mime = name_of(raw.get("file_type"))
    return Attachment(
        kind=AttachmentKind.DOCUMENT,
        name=title_of(raw.get("file_name")) or "attachment",
        mime=mime if mime is not None and "/" in mime else "text/plain",
        size=size_of(raw.get("file_size")),
        text=text or None,
        note=None if text else "Its text was not in the Claude export",
    )


def _file(raw: Any) -> Attachment:
    raw = mapping_of(raw)
    return Attachment(
        kind=AttachmentKind.IMAGE,
        name=title_of(raw.get("file_name")) or "file",
        mime="image/*",
        size=0,
        note="The file itself is not in the Claude export",
    )
