"""A conversation's messages as a tree: the path that is shown, siblings, leaves.

Pure functions over messages already read (and overlaid with what is still queued), so the
store, the overlay and the tests share one definition of "the path to the current leaf".
Message ids are time-ordered (storage/ids.py), so "newest" is "largest id".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from desktopchat.domain.types import Message, Thread


def children_of(messages: Iterable[Message]) -> dict[int | None, list[int]]:
    """parent id (None for roots) → its children's ids, oldest first."""
    children: dict[int | None, list[int]] = {}
    for message in sorted(messages, key=lambda m: m.id):
        children.setdefault(message.parent_id, []).append(message.id)
    return children


def newest_leaf_below(message_id: int, children: Mapping[int | None, list[int]]) -> int:
    """Follow the newest child from `message_id` down to a leaf (the branch last added)."""
    seen = {message_id}
    while children.get(message_id):
        message_id = children[message_id][-1]
        if message_id in seen:  # a cycle (a damaged or hostile import): stop here
            break
        seen.add(message_id)
    return message_id


def path_to(leaf_id: int | None, by_id: Mapping[int, Message]) -> list[Message]:
    """The messages from the root down to `leaf_id` (empty if it is not there)."""
    path: list[Message] = []
    seen: set[int] = set()
    current = by_id.get(leaf_id) if leaf_id is not None else None
    while current is not None and current.id not in seen:
        seen.add(current.id)
        path.append(current)
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    path.reverse()
    return path


def thread_of(
    conversation_id: int, messages: Iterable[Message], current_leaf_id: int | None
) -> Thread:
    """The branch to show: the path to the current leaf, or, when that leaf is gone or was
    never set, to the newest leaf of the newest root."""
    by_id = {m.id: m for m in messages}
    children = children_of(by_id.values())
    leaf = current_leaf_id if current_leaf_id in by_id else None
    if leaf is None and children.get(None):
        leaf = newest_leaf_below(children[None][-1], children)
    path = path_to(leaf, by_id)
    siblings = {}
    for message in path:
        kin = children.get(message.parent_id, [])
        if len(kin) > 1:
            siblings[message.id] = tuple(kin)
    return Thread(conversation_id, tuple(path), siblings)


def subtree(message_id: int, messages: Iterable[Message]) -> set[int]:
    """The ids of a message and everything below it."""
    children = children_of(messages)
    found: set[int] = set()
    waiting = [message_id]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting.extend(children.get(current, ()))
    return found
