"""The columns of a conversation's row that describe it, in one list: what a person or the
app may change (storage/changes.py) and what a sync record carries (storage/sync_rows.py),
so a new setting is both changeable and synced."""

from __future__ import annotations

SETTABLE = (
    "title",
    "provider",
    "model",
    "temperature",
    "system_prompt",
    "current_leaf_id",
    "max_tokens",
    "reasoning_effort",
    "thinking_budget",
    "continues",
    "pinned",
)
"""What `update_conversation` may change."""

RECORDED = (SETTABLE[0], "created", "updated", *SETTABLE[1:])
"""What a sync record carries: the settable fields and when it was made and last changed."""
