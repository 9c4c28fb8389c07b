"""ChatGPT's "Export data" `conversations.json`: a list of conversations, each a tree.

Each conversation has `title`, `create_time`/`update_time` (Unix seconds), `current_node`
(the leaf of the branch last shown) and `mapping`: node id → {id, parent, children,
message}. A message has `author.role` (user, assistant, system, tool), `content`
({content_type, parts} for text and multimodal_text; `thoughts` for reasoning; `text` for
code), `recipient` (not "all" for a tool call), `metadata` (model_slug,
is_visually_hidden_from_conversation) and `create_time`.

Every branch comes over; the current node becomes the current leaf. System prompts, hidden
context, empty nodes, tool calls and tool outputs are not messages here: they are skipped
and their children re-parented (tree.py); tool calls and their outputs become the next
reply's tool calls (importers/tool_parts.py), said as notes when a person's message comes
next; an image that the archive cannot give us is said in the message, not dropped.
"""

from __future__ import annotations

from typing import Any

from desktopchat.domain.markdown_import import ImportedConversation
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Message,
    MessageStatus,
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
from desktopchat.services.importers.tool_parts import imported_call, output_of
from desktopchat.services.importers.tree import (
    ImportProblem,
    Node,
    build_tree,
    imported_conversation,
)

PROVIDER = "openai"
_ROLES = {"user": Role.USER, "assistant": Role.ASSISTANT}
_UNFINISHED = frozenset({"in_progress", "finished_partial_completion"})


def is_chatgpt(conversation: Any) -> bool:
    return isinstance(conversation, dict) and "mapping" in conversation


def origin_of(raw: dict[str, Any]) -> str:
    key = raw.get("conversation_id") or raw.get("id")
    return f"chatgpt:{title_of(key) if isinstance(key, str) and key else stable_id(raw)}"


def parse_conversation(raw: dict[str, Any]) -> ImportedConversation:
    """One conversation of the export; raises ImportProblem when it cannot be read."""
    mapping = raw.get("mapping")
    if not isinstance(mapping, dict):
        raise ImportProblem("it has no message tree ('mapping')")
    created = seconds_of(raw.get("create_time"))
    nodes = [
        _node(key, value, position, created)
        for position, (key, value) in enumerate(mapping.items())
    ]
    return imported_conversation(
        build_tree(nodes),
        raw.get("current_node"),
        created,
        seconds_of(raw.get("update_time")),
        title_of(raw.get("title")),
        origin_of(raw),
    )


def _node(key: str, raw: Any, position: int, fallback_time: float | None) -> Node:
    raw = mapping_of(raw)
    parent = raw.get("parent")
    parent = parent if isinstance(parent, str) else None
    message = mapping_of(raw.get("message"))
    created = seconds_of(message.get("create_time"))
    order = (created if created is not None else -1.0, position)
    base = Node(str(key), parent, order)
    if not message:
        return base
    role = mapping_of(message.get("author")).get("role")
    content = mapping_of(message.get("content"))
    kind = content.get("content_type")
    metadata = mapping_of(message.get("metadata"))
    where = f"message {key!r}"
    if kind == "thoughts":
        thoughts = [mapping_of(t) for t in list_of(content.get("thoughts"))]
        parts = [text_of(t.get("content") or t.get("summary"), where) for t in thoughts]
        return Node(base.key, parent, order, reasoning="\n\n".join(p for p in parts if p))
    if role == "tool":
        name = mapping_of(message.get("author")).get("name")
        label = f" ({title_of(name)})" if isinstance(name, str) and name else ""
        text, _attachments = _content(content, where)
        note = f"A tool's output{label} was not imported"
        return Node(base.key, parent, order, notes=(note,), output=output_of(text, where))
    if role not in _ROLES or metadata.get("is_visually_hidden_from_conversation"):
        return base
    recipient = message.get("recipient")
    if role == "assistant" and recipient not in (None, "all"):
        text, _attachments = _content(content, where)
        call = imported_call(str(key), str(recipient), {"input": text})
        return Node(base.key, parent, order, notes=("A tool call was not imported",), call=call)
    text, attachments = _content(content, where)
    if not text.strip() and not attachments:
        return base
    status = message.get("status")
    model = name_of(metadata.get("model_slug"))
    when = created if created is not None else (fallback_time or 0.0)
    return Node(
        base.key,
        parent,
        order,
        Message(
            id=0,
            conversation_id=0,
            role=_ROLES[role],
            text=text,
            created=when,
            status=MessageStatus.INTERRUPTED if status in _UNFINISHED else MessageStatus.COMPLETE,
            provider=PROVIDER if role == "assistant" else None,
            model=model if role == "assistant" else None,
            attachments=attachments,
        ),
    )


def _content(content: dict[str, Any], where: str) -> tuple[str, tuple[Attachment, ...]]:
    """The text and the attachments (noted, without bytes) of a message's content."""
    kind = content.get("content_type")
    if kind == "code":
        return text_of(content.get("text"), where), ()
    texts: list[str] = []
    attachments: list[Attachment] = []
    for part in list_of(content.get("parts")):
        if isinstance(part, str):
            texts.append(text_of(part, where))
        elif isinstance(part, dict):
            attachments.append(_left_out(part))
    if not texts and isinstance(content.get("text"), str):
        texts.append(text_of(content["text"], where))
    return "\n".join(texts), tuple(attachments)


def _left_out(part: dict[str, Any]) -> Attachment:
    """A part we cannot bring over (an image, audio): kept as a named, noted attachment."""
    kind = part.get("content_type")
    is_image = kind == "image_asset_pointer"
    pointer = part.get("asset_pointer")
    name = pointer.rsplit("/", 1)[-1] if isinstance(pointer, str) and pointer else str(kind)
    return Attachment(
        kind=AttachmentKind.IMAGE if is_image else AttachmentKind.DOCUMENT,
        name=title_of(name) or "attachment",
        mime="image/*" if is_image else "application/octet-stream",
        size=size_of(part.get("size_bytes")),
        note=f"Not in the ChatGPT export's conversations ({title_of(str(kind))})",
    )
