"""What a request sends: the branch shown, as the provider sees it.

Built from the path to the message being answered (DESIGN.md §3): messages the person left
out are skipped, and so are replies that did not complete (a failed or stopped reply is not
something the model said). Attachments go as the provider needs them: an image's bytes read
from its blob, a document's text. Reasoning is never sent back, except Anthropic's signed
thinking, which its API wants with the turn that produced it (the adapter decides).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    AttachmentPayload,
    ChatTurn,
    Message,
    MessageStatus,
    Role,
)
from desktopchat.storage.history import ConversationStore


def request_turns(store: ConversationStore, path: Sequence[Message]) -> list[ChatTurn]:
    """The turns to send for `path`. Reads blobs: runs in the history's read thread."""
    return [
        ChatTurn(
            m.role,
            m.text,
            attachments=tuple(_payload(store, a) for a in m.attachments),
            signed_reasoning=m.reasoning if m.reasoning and m.reasoning.signature else None,
        )
        for m in path
        if not m.left_out and (m.role is Role.USER or m.status is MessageStatus.COMPLETE)
    ]


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
