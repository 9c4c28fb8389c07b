"""Turning another app's message graph into our tree: parents before children, hidden
nodes left out without losing what hangs below them.

ChatGPT keeps system prompts, tool calls, tool outputs and "thoughts" as nodes of its tree;
Claude links messages by uuid. Both come here as `Node`s: a node that is shown becomes a
message (with a local id, 1, 2, … in the order written), a node that is not is skipped and
its children are re-parented to the nearest shown ancestor. What a skipped node held that
a person would miss (its reasoning, a note saying a tool's output was left out) is handed
down to the next shown message of each branch below it, so nothing vanishes silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from desktopchat.domain.markdown_import import ImportedConversation
from desktopchat.domain.types import Conversation, Message, Reasoning


class ImportProblem(ValueError):
    """One conversation (or the whole file) cannot be read; the sentence says why."""


@dataclass(frozen=True)
class Node:
    """One node of a foreign tree. `message` None: not shown (skipped, children kept)."""

    key: str
    parent_key: str | None
    order: tuple[float, int]
    message: Message | None = None
    reasoning: str = ""
    """Reasoning this node holds (a ChatGPT "thoughts" node), for the next shown reply."""
    notes: tuple[str, ...] = ()
    """What this node held that could not be brought over, said in the next shown message."""


@dataclass
class _Carried:
    reasoning: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def plus(self, node: Node) -> _Carried:
        reasoning = self.reasoning + ([node.reasoning] if node.reasoning else [])
        return _Carried(reasoning, self.notes + list(node.notes))


@dataclass(frozen=True)
class BuiltTree:
    messages: list[Message]
    """Parents before children; ids 1…n; parent_id a local id or None."""
    shown: dict[str, int]
    """For every node key: the local id of itself or its nearest shown ancestor."""

    def message_for(self, key: str | None) -> int | None:
        return self.shown.get(key) if key is not None else None


def build_tree(nodes: Sequence[Node]) -> BuiltTree:
    """The shown messages of `nodes` as a tree; raises ImportProblem on a loop."""
    by_key = {node.key: node for node in nodes}
    parent = {
        node.key: node.parent_key
        if node.parent_key in by_key and node.parent_key != node.key
        else None
        for node in nodes
    }
    _refuse_loops(parent)
    children: dict[str | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(parent[node.key], []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda node: node.order)
    messages: list[Message] = []
    shown: dict[str, int] = {}
    stack: list[tuple[Node, int | None, _Carried]] = [
        (node, None, _Carried()) for node in reversed(children.get(None, []))
    ]
    while stack:
        node, shown_parent, carried = stack.pop()
        if node.message is None:
            below, below_carried = shown_parent, carried.plus(node)
        else:
            below, below_carried = len(messages) + 1, _Carried()
            messages.append(_with_carried(node.message, below, shown_parent, carried.plus(node)))
        if below is not None:
            shown[node.key] = below
        below_nodes = reversed(children.get(node.key, []))
        stack.extend((child, below, below_carried) for child in below_nodes)
    return BuiltTree(messages, shown)


def _refuse_loops(parent: dict[str, str | None]) -> None:
    """A node that is its own ancestor would make the walk from the roots miss it (and an
    app that follows parents hang): the conversation is refused rather than cut."""
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()
        key: str | None = start
        while key is not None and key not in done:
            if key in on_path:
                raise ImportProblem("its messages refer to each other in a loop")
            path.append(key)
            on_path.add(key)
            key = parent[key]
        done.update(path)


def _with_carried(
    message: Message, local_id: int, parent_id: int | None, carried: _Carried
) -> Message:
    reasoning = message.reasoning
    if carried.reasoning and reasoning is None:
        reasoning = Reasoning("\n\n".join(carried.reasoning))
    text = message.text
    if carried.notes:
        text = join_notes(text, carried.notes)
    return replace(message, id=local_id, parent_id=parent_id, reasoning=reasoning, text=text)


def join_notes(text: str, notes: Iterable[str]) -> str:
    """The text with a line per note of what was left out, in italics, after it."""
    lines = "\n".join(f"_[{note}]_" for note in dict.fromkeys(notes))
    return f"{text}\n\n{lines}" if text else lines


def imported_conversation(
    built: BuiltTree,
    leaf_key: object,
    created: float | None,
    updated: float | None,
    title: str,
    origin: str,
) -> ImportedConversation:
    """A conversation from an archive's tree: its current leaf where the archive names one
    (else the last message), its times from the archive or, missing, from its messages."""
    leaf = built.message_for(leaf_key if isinstance(leaf_key, str) else None)
    times = [m.created for m in built.messages]
    created = created if created is not None else min(times, default=0.0)
    updated = updated or max(times, default=created)
    conversation = Conversation(
        id=0,
        title=title,
        created=created,
        updated=max(updated, created),
        current_leaf_id=leaf or (built.messages[-1].id if built.messages else None),
    )
    return ImportedConversation(conversation, built.messages, origin=origin)
