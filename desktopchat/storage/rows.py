"""Rows of the history as domain values: which columns are read and how they become
Conversations and Messages (shared by the store's reads)."""

from __future__ import annotations

import sqlite3

from desktopchat.domain.errors import ChatError
from desktopchat.domain.reply_end import reply_end_from_json
from desktopchat.domain.tool_calls import ToolSteps, steps_from_json
from desktopchat.domain.types import Conversation, Message, MessageStatus, Reasoning, Role
from desktopchat.domain.web_search import web_search_from_json
from desktopchat.storage.changes import USAGE_COLUMNS, usage_of

CONVERSATION_COLUMNS = (
    "id, title, created, updated, provider, model, temperature, system_prompt,"
    " current_leaf_id, max_tokens, reasoning_effort, thinking_budget, continues, pinned,"
    " project_id, web_search"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, role, text, created, status, provider, model, error, error_kind,"
    " error_details, duration, parent_id, reasoning, reasoning_signature, reasoning_seconds,"
    " served_model, left_out, usage_estimated, tool_steps, project_files, web_search,"
    " reply_end, " + ", ".join(USAGE_COLUMNS)
)


def conversation_of(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        title=row["title"],
        created=row["created"],
        updated=row["updated"],
        provider=row["provider"],
        model=row["model"],
        temperature=row["temperature"],
        system_prompt=row["system_prompt"],
        current_leaf_id=row["current_leaf_id"],
        max_tokens=row["max_tokens"],
        reasoning_effort=row["reasoning_effort"],
        thinking_budget=row["thinking_budget"],
        continues=row["continues"],
        pinned=bool(row["pinned"]),
        project_id=row["project_id"],
        web_search=bool(row["web_search"]),
    )


def message_of(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        text=row["text"],
        created=row["created"],
        status=MessageStatus(row["status"]),
        provider=row["provider"],
        model=row["model"],
        usage=usage_of(row),
        error=_stored_error(row["error_kind"], row["error_details"]),
        error_text=row["error"],
        duration=row["duration"],
        parent_id=row["parent_id"],
        reasoning=_reasoning(row),
        served_model=row["served_model"],
        left_out=bool(row["left_out"]),
        tool_steps=_tool_steps(row),
        project_files=row["project_files"],
        web_search=web_search_from_json(row["web_search"]),
        reply_end=reply_end_from_json(row["reply_end"]),
    )


def _tool_steps(row: sqlite3.Row) -> ToolSteps:
    """The reply's tool calls; a call left unfinished by a crash reads as interrupted once
    the reply is no longer streaming."""
    steps = steps_from_json(row["tool_steps"])
    return steps if row["status"] == MessageStatus.STREAMING else steps.settled()


def _reasoning(row: sqlite3.Row) -> Reasoning | None:
    if row["reasoning"] is None:
        return None
    return Reasoning(row["reasoning"], row["reasoning_signature"], row["reasoning_seconds"])


def _stored_error(kind: str | None, details: str | None) -> ChatError | None:
    """The error a failed reply stored, or None (no error, or a row from before schema 2,
    whose words are in `error_text`)."""
    return None if kind is None else ChatError.from_record(kind, details)
