"""What a request in a project carries of the project's files (issue 20, item 6).

All of them, whole, when their text fits in what the model's window leaves after the
conversation and the room kept for the answer (services/context_limits.py); otherwise
the passages that best match the person's last message, found by the full-text index
(FTS5, BM25: storage/project_rows.py), as many as fit. Either way they go as a section
of the system prompt, each under its file's name, and the reply keeps which were used
(messages.project_files), which the transcript shows under it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from desktopchat.domain.projects import FileUse, Passage
from desktopchat.domain.types import Conversation, Message, Role
from desktopchat.services.context import text_tokens
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import HistoryService
from desktopchat.storage.project_rows import passage_query, read_file_texts, search_passages

UNKNOWN_WINDOW_BUDGET = 24_000
"""Tokens of project files sent when the model's window is not known."""
WINDOW_SHARE = 0.9
"""Of what the window leaves, the share the files may take (the estimate is rough)."""
MAX_PASSAGES = 60
"""Passages asked of the index for one request."""

SECTION_START = (
    "The person's project files follow. Use them when they help to answer; say which file "
    "you relied on."
)
PASSAGES_START = (
    "Passages of the person's project files that best match the question follow (the "
    "files are too long to send whole). Use them when they help to answer; say which "
    "file you relied on."
)


class ProjectFiles:
    """Adds a project's files to a conversation's request."""

    def __init__(self, history: HistoryService, context: ContextLimits) -> None:
        self._history = history
        self._context = context

    async def prepare(
        self, conversation: Conversation, path: Sequence[Message]
    ) -> tuple[Conversation, tuple[FileUse, ...]]:
        """The conversation as the request sends it (its system prompt with the files'
        section) and the files used; unchanged and () outside a project, or without files
        or a passage that matches."""
        if conversation.project_id is None:
            return conversation, ()
        project_id = conversation.project_id
        store = self._history.store
        reading = functools.partial(read_file_texts, project_id=project_id)
        texts = await self._history.read(store.read_rows, reading)
        if not texts:
            return conversation, ()
        budget = self._budget(conversation, path)
        whole = [_whole(name, text) for name, text in texts]
        if sum(text_tokens(block) for block in whole) <= budget:
            uses = tuple(FileUse(name) for name, _ in texts)
            return _with_section(conversation, SECTION_START, whole), uses
        match = passage_query(_question(path))
        if match is None:
            return conversation, ()
        searching = functools.partial(
            search_passages, project_id=project_id, match=match, limit=MAX_PASSAGES
        )
        found = await self._history.read(store.read_rows, searching)
        chosen = _fitting(found, budget)
        if not chosen:
            return conversation, ()
        counts = Counter(p.name for p in chosen)
        uses = tuple(FileUse(name, count) for name, count in counts.items())
        blocks = [_passage(p) for p in chosen]
        return _with_section(conversation, PASSAGES_START, blocks), uses

    def _budget(self, conversation: Conversation, path: Sequence[Message]) -> int:
        """Tokens the files may take: what the window leaves after the conversation and the
        answer's room, less a margin; a fixed budget when the window is not known."""
        window, reserve = self._context.limits(conversation)
        if window is None:
            return UNKNOWN_WINDOW_BUDGET
        sent = self._context.estimate(conversation, path).tokens
        return max(0, int((window - reserve - sent) * WINDOW_SHARE))


def _question(path: Sequence[Message]) -> str:
    return next((m.text for m in reversed(path) if m.role is Role.USER), "")


def _whole(name: str, text: str) -> str:
    return f"=== File: {name} ===\n{text}\n=== End of {name} ==="


def _passage(passage: Passage) -> str:
    return (
        f"=== {passage.name} (from character {passage.start}) ===\n{passage.text}\n"
        f"=== End of passage ==="
    )


def _fitting(passages: Sequence[Passage], budget: int) -> list[Passage]:
    """The best passages that fit in `budget`, best first (a long one that does not fit is
    skipped and a shorter one after it may still be taken)."""
    chosen, spent = [], 0
    for passage in passages:
        cost = text_tokens(_passage(passage))
        if spent + cost <= budget:
            chosen.append(passage)
            spent += cost
    return chosen


def _with_section(conversation: Conversation, start: str, blocks: list[str]) -> Conversation:
    section = "\n\n".join([start, *blocks])
    prompt = f"{conversation.system_prompt}\n\n{section}" if conversation.system_prompt else section
    return replace(conversation, system_prompt=prompt)
