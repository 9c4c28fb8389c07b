"""The actions of our own links in the conversation, and their `dc-action:` URLs.

Our controls in the document (icons under a message, "Retry", "Show earlier messages", a
tool call's line, a reply's thinking...) are links, so they are Tab stops that Enter
activates. Each link's URL names its action and the numbers it is about, e.g.
`dc-action:copy_code/12/0` (message 12, its first code block). The action is a
`MessageAction` from writing the URL to handling it: a link is parsed once, here, and one
naming no action we know (or with anything but numbers after it) does nothing. The view
handles those about its own document and emits the rest (`ChatView.action_requested`) to
the window's message actions (ui/chat/message_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QUrl

ACTION_SCHEME = "dc-action"


class MessageAction(StrEnum):
    """What one of our links does (its value is the URL's first part)."""

    COPY = "copy"
    COPY_CODE = "copy_code"
    EDIT = "edit"
    REGENERATE = "regenerate"
    DELETE = "delete"
    RETRY = "retry"
    RETRY_NOW = "retry_now"
    """A streaming reply waiting to send its request again: now, not after the delay."""
    SETTINGS = "settings"
    """A reply failed for its key: open Settings."""
    LOAD_EARLIER = "load_earlier"
    BRANCH_PREVIOUS = "branch_previous"
    BRANCH_NEXT = "branch_next"
    REASONING = "reasoning"
    """Fold or unfold a reply's thinking."""
    TOOL = "tool"
    """Fold or unfold a tool call's block."""
    TOOL_ALL = "tool_all"
    """Show a tool call's whole result (up to a limit)."""
    STOP = "stop"
    """Stop a running tool call, and the reply with it."""
    ATTACHMENT = "attachment"
    """Open an attached picture whole."""


WINDOW_ACTIONS = frozenset(
    {
        MessageAction.COPY,
        MessageAction.REGENERATE,
        MessageAction.RETRY,
        MessageAction.RETRY_NOW,
        MessageAction.SETTINGS,
        MessageAction.LOAD_EARLIER,
        MessageAction.BRANCH_PREVIOUS,
        MessageAction.BRANCH_NEXT,
        MessageAction.DELETE,
        MessageAction.STOP,
    }
)
"""The actions on one message that the window does (the view emits them; copying is done
already): the others are about the view's own document."""


@dataclass(frozen=True)
class ActionLink:
    """A parsed link of ours: the action and the numbers it is about (a message id, then
    for some an index inside that message)."""

    action: MessageAction
    numbers: tuple[int, ...]


def action_url(action: MessageAction, *numbers: int) -> str:
    """The href of an action link, e.g. "dc-action:copy/12"."""
    return f"{ACTION_SCHEME}:" + "/".join([action.value, *map(str, numbers)])


def parse_action(url: QUrl) -> ActionLink | None:
    """The action link `url` is, None if it is not a well-formed one of a known action."""
    if url.scheme().lower() != ACTION_SCHEME:
        return None
    name, *numbers = url.path().split("/")
    if not all(n.isascii() and n.isdigit() for n in numbers):
        return None
    try:
        action = MessageAction(name)
    except ValueError:  # an action of a newer version, or a link a model wrote
        return None
    return ActionLink(action, tuple(int(n) for n in numbers))
