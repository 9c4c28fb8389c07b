"""ChatGPT and Claude exports built to their published shapes, for tests and the bench."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

T0 = 1_700_000_000.0


def chatgpt_node(
    node_id: str,
    parent: str | None,
    children: list[str],
    role: str | None = "user",
    parts: list[Any] | None = None,
    *,
    time: float | None = T0,
    model: str | None = None,
    content: dict[str, Any] | None = None,
    **message_fields: Any,
) -> dict[str, Any]:
    if role is None:
        return {"id": node_id, "message": None, "parent": parent, "children": children}
    metadata = {"model_slug": model} if model else {}
    message = {
        "id": node_id,
        "author": {"role": role, "name": None, "metadata": {}},
        "create_time": time,
        "update_time": None,
        "content": content or {"content_type": "text", "parts": parts or [""]},
        "status": "finished_successfully",
        "end_turn": True,
        "weight": 1.0,
        "metadata": metadata,
        "recipient": "all",
        **message_fields,
    }
    return {"id": node_id, "message": message, "parent": parent, "children": children}


def chatgpt_conversation(
    conversation_id: str, title: str, nodes: list[dict[str, Any]], current: str
) -> dict[str, Any]:
    times = [
        n["message"]["create_time"] for n in nodes if n["message"] and n["message"]["create_time"]
    ]
    return {
        "title": title,
        "create_time": min(times, default=T0),
        "update_time": max(times, default=T0),
        "mapping": {node["id"]: node for node in nodes},
        "moderation_results": [],
        "current_node": current,
        "conversation_id": conversation_id,
        "id": conversation_id,
        "default_model_slug": "gpt-4o",
    }


def chatgpt_branching(conversation_id: str = "c-1", title: str = "Branches") -> dict[str, Any]:
    """root → system (hidden) → user → two replies; the second reply is current."""
    return chatgpt_conversation(
        conversation_id,
        title,
        [
            chatgpt_node("root", None, ["sys"], role=None),
            chatgpt_node("sys", "root", ["u1"], "system", [""], time=None),
            chatgpt_node("u1", "sys", ["a1", "a2"], "user", ["Hello?"], time=T0 + 1),
            chatgpt_node("a1", "u1", [], "assistant", ["First."], time=T0 + 2, model="gpt-4o"),
            chatgpt_node("a2", "u1", [], "assistant", ["Second."], time=T0 + 3, model="o1"),
        ],
        current="a2",
    )


def chatgpt_linear(conversation_id: str, turns: int, text: str = "Some words") -> dict[str, Any]:
    nodes = [chatgpt_node("root", None, ["n0"], role=None)]
    for number in range(turns):
        role = "user" if number % 2 == 0 else "assistant"
        parent = "root" if number == 0 else f"n{number - 1}"
        children = [f"n{number + 1}"] if number + 1 < turns else []
        nodes.append(
            chatgpt_node(
                f"n{number}",
                parent,
                children,
                role,
                [f"{text} {number}"],
                time=T0 + number,
                model="gpt-4o" if role == "assistant" else None,
            )
        )
    return chatgpt_conversation(conversation_id, f"Chat {conversation_id}", nodes, f"n{turns - 1}")


def claude_message(
    uuid: str, sender: str, text: str, *, parent: str | None = None, at: str = "", **more: Any
) -> dict[str, Any]:
    message = {
        "uuid": uuid,
        "text": text,
        "content": [{"type": "text", "text": text}],
        "sender": sender,
        "created_at": at or "2024-05-01T10:00:00.000000Z",
        "updated_at": at or "2024-05-01T10:00:00.000000Z",
        "attachments": [],
        "files": [],
        **more,
    }
    if parent is not None:
        message["parent_message_uuid"] = parent
    return message


def claude_conversation(uuid: str, name: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "name": name,
        "created_at": "2024-05-01T09:59:00.000000Z",
        "updated_at": "2024-05-01T10:05:00.000000Z",
        "account": {"uuid": "acc-1"},
        "chat_messages": messages,
    }


def zipped(files: dict[str, Any]) -> bytes:
    """A zip as the services hand it out: conversations.json and its neighbours."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in files.items():
            data = value if isinstance(value, bytes) else json.dumps(value).encode()
            archive.writestr(name, data)
    return buffer.getvalue()
