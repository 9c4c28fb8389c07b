"""A page of the branch shown, read without reading the whole conversation.

A 2,000-message conversation holds about a megabyte of text, and building every message of
it costs tens of milliseconds; the view shows the newest page only. So the branch is found
on the conversation's skeleton (ids, parents, roles), and only the page's messages are read
whole (P5: opening a long conversation, switching branches in it).
"""

from __future__ import annotations

from desktopchat.domain.types import Message, Thread
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.tree import children_of, newest_leaf_below, thread_of


def thread_page(
    store: ConversationStore,
    conversation_id: int,
    size: int,
    *,
    before: int | None = None,
    leaf_id: int | None = None,
    skeleton: list[Message] | None = None,
) -> tuple[Thread, bool]:
    """The newest `size` messages of the branch to `leaf_id` (default: the conversation's
    current leaf) ending just before message `before` (or at the branch's end), with their
    siblings; and whether earlier messages exist. `skeleton`: the conversation's, when the
    caller has just read it."""
    if leaf_id is None:
        conversation = store.get_conversation(conversation_id)
        leaf_id = conversation.current_leaf_id if conversation else None
    if skeleton is None:
        skeleton = store.skeleton(conversation_id)
    branch = thread_of(conversation_id, skeleton, leaf_id)
    ids = [m.id for m in branch.messages]
    end = ids.index(before) if before in ids else len(ids)
    start = max(0, end - size)
    wanted = ids[start:end]
    messages = store.messages_by_id(conversation_id, wanted)
    siblings = {i: branch.siblings[i] for i in wanted if i in branch.siblings}
    return Thread(conversation_id, tuple(messages), siblings), start > 0


def sibling_leaf(
    store: ConversationStore,
    conversation_id: int,
    message_id: int,
    step: int,
    skeleton: list[Message] | None = None,
) -> int | None:
    """The newest leaf below the sibling `step` places from `message_id` (‹ -1, › +1, or
    0: below the message itself); None if the message is not in the conversation."""
    if skeleton is None:
        skeleton = store.skeleton(conversation_id)
    by_id = {m.id: m for m in skeleton}
    if message_id not in by_id:
        return None
    children = children_of(skeleton)
    kin = children.get(by_id[message_id].parent_id, [message_id])
    index = max(0, min(len(kin) - 1, kin.index(message_id) + step))
    return newest_leaf_below(kin[index], children)
