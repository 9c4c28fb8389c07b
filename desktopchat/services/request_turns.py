"""What a request sends: the branch shown, as the provider sees it.

Built from the path to the message being answered (DESIGN.md §3): messages the person left
out are skipped, and so are replies that did not complete (a failed or stopped reply is not
something the model said). A reply that used tools becomes the turns it was made of
(its text and calls per step, the results, the answer). Attachments go as the provider
needs them: an image's bytes read from its blob, a document's text. Reasoning is never
sent back, except Anthropic's signed thinking, which its API wants with the turn that
produced it (the adapter decides).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktopchat.domain.tool_calls import ToolStep, step_texts
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    AttachmentPayload,
    ChatTurn,
    Message,
    MessageStatus,
    Reasoning,
    Role,
)
from desktopchat.storage.history import ConversationStore


def request_turns(store: ConversationStore, path: Sequence[Message]) -> list[ChatTurn]:
    """The turns to send for `path`. Reads blobs: runs in the history's read thread."""
    turns: list[ChatTurn] = []
    for m in path:
        if m.left_out or not (m.role is Role.USER or m.status is MessageStatus.COMPLETE):
            continue
        if m.tool_steps.steps:
            turns.extend(tool_turns(m.text, m.tool_steps.steps))
            continue
        turns.append(
            ChatTurn(
                m.role,
                m.text,
                attachments=tuple(_payload(store, a) for a in m.attachments),
                signed_reasoning=m.reasoning if m.reasoning and m.reasoning.signature else None,
            )
        )
    return turns


def tool_turns(text: str, steps: Sequence[ToolStep]) -> list[ChatTurn]:
    """A reply that used tools as the turns it was: each step's text with its calls (and
    signed thinking), then the answer after the last step when there is one. The results
    go with the calls (the adapters send them as their wire format wants)."""
    pieces, answer = step_texts(text, steps)
    turns = [
        ChatTurn(
            Role.ASSISTANT,
            piece,
            signed_reasoning=Reasoning(step.thinking, step.thinking_signature)
            if step.thinking_signature
            else None,
            tool_calls=step.calls,
        )
        for piece, step in zip(pieces, steps, strict=True)
    ]
    if answer:
        turns.append(ChatTurn(Role.ASSISTANT, answer))
    return turns


def _payload(store: ConversationStore, attachment: Attachment) -> AttachmentPayload:
    data = None
    if attachment.kind is AttachmentKind.IMAGE and attachment.sha256:
        data = store.blob(attachment.sha256)
    return AttachmentPayload(
        kind=attachment.kind,
        name=attachment.name,
        mime=attachment.mime,
        data=data,
        text=attachment.text,
        note=attachment.note if data is None and attachment.text is None else None,
    )
