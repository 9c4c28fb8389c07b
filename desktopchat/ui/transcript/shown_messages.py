"""The messages the conversation pane shows, a page at a time, and drawing them.

The pane shows the newest PAGE_SIZE messages of a branch; earlier ones are a "Show earlier
messages" link away, and come in above what is on screen. This keeps which messages are
shown, in order, how each failed (worded once, when it happened or was read) and which is
last (only the last reply offers Regenerate), so that drawing a message again (an edit, a
new sibling, a thumbnail ready, a change of theme) gives what the first drawing gave.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from desktopchat.domain.types import Attachment, Message, Role
from desktopchat.ui.transcript.chat_document import ConversationDocument
from desktopchat.ui.transcript.reply_failure import Failure

PAGE_SIZE = 200


class ShownMessages:
    """The page of messages in one document, by id and in order, with their failures."""

    def __init__(
        self,
        conversation: ConversationDocument,
        edit_block: Callable[[], AbstractContextManager[None]],
        streaming: Callable[[int], bool],
    ) -> None:
        """`streaming(id)`: whether that reply is streaming (its footer is not ours)."""
        self._conversation = conversation
        self._edit_block = edit_block
        self._streaming = streaming
        self.by_id: dict[int, Message] = {}
        self.order: list[int] = []
        self.failures: dict[int, Failure] = {}
        self._load_earlier_id: int | None = None
        """The first shown message, when earlier ones are not shown (the link's target)."""

    def show(self, messages: Sequence[Message], total: int | None) -> None:
        """Draw the newest page of `messages` instead of what is shown; older ones (beyond
        the page, or beyond `messages` when `total` says there are more) get the link."""
        shown = list(messages[-PAGE_SIZE:])
        more = len(messages) > len(shown) or (total is not None and total > len(messages))
        self.by_id = {message.id: message for message in shown}
        self.order = [message.id for message in shown]
        self.failures = {m.id: f for m in shown if (f := Failure.of_stored(m)) is not None}
        self._load_earlier_id = shown[0].id if more and shown else None
        self._conversation.clear()
        with self._edit_block():
            self._conversation.set_load_earlier(self._load_earlier_id)
            for message in shown:
                self._conversation.append(
                    message,
                    message.text,
                    is_last=self.is_last(message.id),
                    failure=self.failures.get(message.id),
                )

    def prepend(self, messages: Sequence[Message], *, more: bool) -> None:
        """Draw an earlier page above the first message (those already shown are skipped)."""
        new = [message for message in messages if message.id not in self.by_id]
        with self._edit_block():
            for message in new:
                self.by_id[message.id] = message
                if (failure := Failure.of_stored(message)) is not None:
                    self.failures[message.id] = failure
            self._conversation.prepend([(m, m.text, self.failures.get(m.id)) for m in new])
            self.order[:0] = [message.id for message in new]
            self._load_earlier_id = self.order[0] if more and self.order else None
            self._conversation.set_load_earlier(self._load_earlier_id)

    def clear(self) -> None:
        """Nothing shown (the document is cleared by the caller, with what else it holds)."""
        self.by_id.clear()
        self.order.clear()
        self.failures.clear()
        self._load_earlier_id = None

    def append(self, message: Message) -> None:
        """Draw a complete message at the end (not one shown already)."""
        if message.id not in self.failures and (failure := Failure.of_stored(message)):
            self.failures[message.id] = failure
        with self._edit_block():
            self.add_last(message)
            self._conversation.append(
                message, message.text, is_last=True, failure=self.failures.get(message.id)
            )

    def add_last(self, message: Message) -> None:
        """Record `message` as the new last one; the previous last loses "Regenerate"."""
        previous = self.by_id.get(self.order[-1]) if self.order else None
        self.by_id[message.id] = message
        self.order.append(message.id)
        if (
            previous is not None
            and previous.role is Role.ASSISTANT
            and not self._streaming(previous.id)
        ):
            self._conversation.set_footer(
                previous, previous.text, is_last=False, failure=self.failures.get(previous.id)
            )

    def update(self, message: Message) -> None:
        """Draw a shown message again, as it now is (an edit, a failure read again)."""
        self.by_id[message.id] = message
        failure = Failure.of_stored(message)  # None unless FAILED
        if failure is None:
            self.failures.pop(message.id, None)
        elif message.id not in self.failures:
            self.failures[message.id] = failure
        self.render(message, message.text)

    def render(self, message: Message, text: str) -> None:
        """Draw a shown message again with `text` (what streamed, when it is longer)."""
        with self._edit_block():
            self._conversation.render(
                message,
                text,
                is_last=self.is_last(message.id),
                failure=self.failures.get(message.id),
            )

    def rerender(self, wanted: Callable[[Message], bool], *, editing: int | None) -> None:
        """Draw again the shown messages `wanted` says, except those streaming and the one
        `editing` (its editor is over it)."""
        if not self.order:  # nothing shown, or the empty state
            return
        with self._edit_block():
            self._conversation.set_load_earlier(self._load_earlier_id)
            for message_id in self.order:
                message = self.by_id[message_id]
                busy = message_id == editing or self._streaming(message_id)
                if not busy and wanted(message):
                    self._conversation.render(
                        message,
                        message.text,
                        is_last=self.is_last(message_id),
                        failure=self.failures.get(message_id),
                    )

    def is_last(self, message_id: int) -> bool:
        return bool(self.order) and message_id == self.order[-1]

    def stored_attachment(self, message_id: int, index: int) -> Attachment | None:
        """A shown message's attachment whose bytes are stored (one that can be opened)."""
        message = self.by_id.get(message_id)
        if message is None or index >= len(message.attachments):
            return None
        attachment = message.attachments[index]
        return attachment if attachment.sha256 else None

    def last_of_person(self) -> int | None:
        """The person's last shown message (Up in an empty composer edits it)."""
        for message_id in reversed(self.order):
            if self.by_id[message_id].role is Role.USER:
                return message_id
        return None
