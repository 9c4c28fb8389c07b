"""Turning another app's message graph into our tree: parents before children, hidden
nodes left out without losing what hangs below them.

ChatGPT keeps system prompts, tool calls, tool outputs and "thoughts" as nodes of its tree;
Claude links messages by uuid. Both come here as `Node`s: a node that is shown becomes a
message (with a local id, 1, 2, … in the order written), a node that is not is skipped and
its children are re-parented to the nearest shown ancestor. What a skipped node held that
a person would miss (its reasoning, a note saying a tool's output was left out) is handed
down to the next shown message below it, once: the first branch gets it, the others share
that message's ancestors and are not given a copy. Nothing vanishes silently, nothing is
multiplied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from desktopchat.domain.markdown_import import ImportedConversation
from desktopchat.domain.tool_calls import ToolCall, ToolCallStatus, ToolStep, ToolSteps
from desktopchat.domain.tools import ToolOutput
from desktopchat.domain.types import Conversation, Message, Reasoning, Role


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
    call: ToolCall | None = None
    """A tool call this node made (ChatGPT), for the next shown reply's tool steps."""
    output: ToolOutput | None = None
    """A tool's output this node holds, for the call before it."""


class _Hidden:
    """A skipped node that holds something to hand down, and the one above it: the chain
    of them between two shown messages, shared by every branch below (never copied)."""

    __slots__ = ("above", "node", "taken")

    def __init__(self, node: Node, above: _Hidden | None) -> None:
        self.node = node
        self.above = above
        self.taken = False


def _hand_down(hidden: _Hidden | None) -> list[Node]:
    """The skipped nodes above a shown message whose content no message has taken yet, top
    first; they are taken now. A node with many branches below gives its reasoning to the
    first of them only (a copy per branch made a 4 MB archive a 4 GB history), and each
    node is walked once in all, so a long chain of hidden nodes costs linear time."""
    taken = []
    while hidden is not None and not hidden.taken:
        hidden.taken = True
        taken.append(hidden.node)
        hidden = hidden.above
    taken.reverse()
    return taken


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
    stack: list[tuple[Node, int | None, _Hidden | None]] = [
        (node, None, None) for node in reversed(children.get(None, []))
    ]
    while stack:
        node, shown_parent, hidden = stack.pop()
        holds = bool(node.reasoning or node.notes or node.call or node.output)
        if node.message is None:
            below, below_hidden = shown_parent, _Hidden(node, hidden) if holds else hidden
        else:
            below, below_hidden = len(messages) + 1, None
            carried = _hand_down(_Hidden(node, hidden) if holds else hidden)
            messages.append(_with_carried(node.message, below, shown_parent, carried))
        if below is not None:
            shown[node.key] = below
        below_nodes = reversed(children.get(node.key, []))
        stack.extend((child, below, below_hidden) for child in below_nodes)
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
    message: Message, local_id: int, parent_id: int | None, carried: list[Node]
) -> Message:
    reasoning = message.reasoning
    thoughts = [node.reasoning for node in carried if node.reasoning]
    if thoughts and reasoning is None:
        reasoning = Reasoning("\n\n".join(thoughts))
    text = message.text
    steps = message.tool_steps
    calls = _carried_calls(carried) if message.role is Role.ASSISTANT else []
    if calls:
        steps = ToolSteps((ToolStep(0, tuple(calls)), *steps.steps), steps.end)
    made_calls = bool(calls)
    notes = [n for node in carried for n in node.notes if not (made_calls and _tool_node(node))]
    if notes:
        text = join_notes(text, notes)
    return replace(
        message,
        id=local_id,
        parent_id=parent_id,
        reasoning=reasoning,
        text=text,
        tool_steps=steps,
    )


def _tool_node(node: Node) -> bool:
    return node.call is not None or node.output is not None


def _carried_calls(carried: list[Node]) -> list[ToolCall]:
    """The calls handed down, each with the output that followed it (a reply's calls come
    before its text); an output with no call before it stays a note."""
    calls: list[ToolCall] = []
    for node in carried:
        if node.call is not None:
            calls.append(node.call)
        elif node.output is not None and calls and calls[-1].output is None:
            calls[-1] = replace(calls[-1], status=ToolCallStatus.DONE, output=node.output)
    return calls


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
