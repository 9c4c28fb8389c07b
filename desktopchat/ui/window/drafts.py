"""Each conversation's unsent draft, and each message sent but not stored yet: what the
person typed is never lost.

Drafts survive a quit, a crash or a `kill -9` (DESIGN.md §7, "never lose the person's
place"): what is typed is saved to the history's drafts table as it is typed, at most every
DRAFT_SAVE_DELAY_MS, and flushed whenever the box changes hands (another conversation, a
send, the window closing). The new chat's draft is stored under conversation 0. The box
belongs to the conversation on screen (`shown`, kept by ui/window/conversation_switch.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Slot

from desktopchat.domain.draft_merge import merged_text
from desktopchat.domain.types import AttachmentPayload
from desktopchat.services.attachments import restored_payloads
from desktopchat.services.history import DraftConflict, HistoryService
from desktopchat.ui.composer.composer import Composer
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.window.notice_bar import NoticeBar

DRAFT_SAVE_DELAY_MS = 500
NEW_CHAT_DRAFT = 0
"""The drafts table's key for the new chat's draft (no conversation exists yet)."""
_NO_DRAFT: tuple[str, tuple[AttachmentPayload, ...]] = ("", ())
DRAFT_EDIT_LIMIT = 1_000_000
"""Characters of a draft the box is filled with (~0.2 s); a longer one comes back as a
text attachment."""


class Drafts(QObject):
    """Owns the drafts and the messages not stored yet; the switch says when the box
    changes hands."""

    def __init__(
        self,
        composer: Composer,
        history: HistoryService,
        tasks: Tasks,
        notices: NoticeBar,
        *,
        shown: Callable[[], int | None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._composer, self._history, self._tasks = composer, history, tasks
        self._notices, self._shown = notices, shown
        self._drafts: dict[int | None, tuple[str, Sequence[AttachmentPayload]]] = {}
        self._pending: int | None = None
        """The conversation whose draft waits for the save timer (None: nothing waits)."""
        self._timer = QTimer(self, singleShot=True, interval=DRAFT_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._unsaved: dict[int, str] = {}
        """Per conversation, the message just sent until the store has it: a storage failure
        gives it back."""
        self._showing = False

    async def load(self) -> None:
        """Read the stored drafts (start-up): each conversation's, and the new chat's, with
        their attachments' bytes. The window shows before they are read (DESIGN.md P1): what
        the person began in the box meanwhile wins over the stored draft of what is shown."""
        for key, (text, attachments) in (await self._history.drafts()).items():
            payloads = await restored_payloads(attachments, self._history.blob)
            self._drafts[None if key == NEW_CHAT_DRAFT else key] = (text, payloads)
        if self.box_holds_something():
            self._drafts[self._shown()] = (self._composer.draft(), self._composer.attachments())

    def box_holds_something(self) -> bool:
        """Text or an attachment in the box."""
        return bool(self._composer.draft() or self._composer.attachments())

    def draft_of(self, conversation_id: int | None) -> str:
        return self._drafts.get(conversation_id, _NO_DRAFT)[0]

    @Slot()
    def on_composer_edited(self) -> None:
        """The box or its attachments changed: save soon. The text itself is read then, not
        per key (a megabyte pasted would be copied on every keystroke). A draft shown anew
        is not an edit."""
        if self._showing:
            return
        shown = self._shown()
        self._pending = NEW_CHAT_DRAFT if shown is None else shown
        self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Save the waiting draft now (before a switch, at quit). The owner flushes before
        the box changes hands, so the box still holds the waiting conversation's draft."""
        self._timer.stop()
        key, self._pending = self._pending, None
        if key is None:
            return
        draft = (self._composer.draft(), self._composer.attachments())
        self._drafts[None if key == NEW_CHAT_DRAFT else key] = draft
        self._save(key, *draft)

    def keep(self, conversation_id: int, text: str) -> None:
        """A message that could not be saved becomes that conversation's draft again."""
        if not self.draft_of(conversation_id):
            self._drafts[conversation_id] = (text, ())
            self._save(conversation_id, text, ())

    def forget(self, conversation_id: int | None) -> None:
        """The conversation's draft was sent, or the conversation deleted: the draft goes."""
        key = NEW_CHAT_DRAFT if conversation_id is None else conversation_id
        if self._pending == key:
            self._timer.stop()
            self._pending = None
        if self._drafts.pop(conversation_id, None) is not None:
            self._save(key, "", ())

    def on_draft_conflict(self, key: int, conflict: DraftConflict) -> None:
        """A draft saved here met a newer one from another instance (R8). The history
        kept both texts, the other below a line; the box (or the draft kept for a
        conversation not shown) takes the other text in too, so the next save holds both
        rather than merging again, and the person is told."""
        self._tasks.spawn(self._take_in(key, conflict))

    async def _take_in(self, key: int, conflict: DraftConflict) -> None:
        added = await restored_payloads(conflict.added_attachments, self._history.blob)
        conversation_id = None if key == NEW_CHAT_DRAFT else key
        if conversation_id == self._shown():
            composer = self._composer
            text = merged_text(composer.draft(), conflict.other_text)
            if text != composer.draft():
                composer.set_draft(text)
            if added:
                composer.set_attachments((*composer.attachments(), *added))
        else:
            text, payloads = self._drafts.get(conversation_id, _NO_DRAFT)
            merged = (merged_text(text, conflict.other_text), (*payloads, *added))
            self._drafts[conversation_id] = merged
        self._notices.show_notice(
            self.tr(
                "A draft was changed in another DesktopChat window too: both texts are kept, "
                "the other one below a line."
            )
        )

    def _save(self, key: int, text: str, attachments: Sequence[AttachmentPayload]) -> None:
        """Queue it (in order: each save is queued in the task's first step, and tasks
        start in the order they were made)."""
        self._tasks.spawn(self._history.save_draft(key, text, attachments), finish=True)

    def show(self, conversation_id: int | None) -> None:
        """Put a conversation's draft in the box. A draft too long to edit there (a box
        of 50 MB took 9.4 s to fill) comes back as a text attachment, nothing of it lost:
        the next save stores it so."""
        text, attachments = self._drafts.get(conversation_id, _NO_DRAFT)
        composer = self._composer
        too_long = len(text) > DRAFT_EDIT_LIMIT
        self._showing = True
        try:
            composer.set_draft("" if too_long else text)
            composer.set_attachments(attachments)
            if too_long:
                composer.tray.add_text(text, self.tr("Long draft.txt"))
        finally:
            self._showing = False
        if too_long:
            self._notices.show_notice(
                self.tr(
                    "This draft has {count} characters, too many to edit in the message box: "
                    "it is kept as a text attachment."
                ).format(count=composer.locale().toString(len(text)))
            )

    # Messages sent, until the store has them.

    def sent(self, conversation_id: int, text: str) -> None:
        """The box's message left for this conversation: its draft goes, the text is kept
        until the store has it."""
        self.forget(conversation_id)
        self._unsaved[conversation_id] = text

    def saved(self, conversation_id: int) -> None:
        """The store has the message sent to this conversation."""
        self._unsaved.pop(conversation_id, None)

    def take_unsaved(self, conversation_id: int) -> str:
        """The message sent to this conversation and not stored ("" if none), given up."""
        return self._unsaved.pop(conversation_id, "")

    def give_back_unsaved(self) -> None:
        """The history failed: messages sent but not saved go back where they were typed."""
        unsaved, self._unsaved = self._unsaved, {}
        for conversation_id, text in unsaved.items():
            if conversation_id != self._shown():
                self.keep(conversation_id, text)
            elif not self._composer.draft():
                self._composer.set_draft(text)

    def give_back(
        self, conversation_id: int, text: str, attachments: Sequence[AttachmentPayload]
    ) -> None:
        """A message that was not sent (it cannot fit the model's context) goes back where
        it was typed, with its attachments: into the box, or that conversation's draft."""
        self._unsaved.pop(conversation_id, None)
        composer = self._composer
        if conversation_id == self._shown() and not composer.draft():
            composer.set_draft(text)
            composer.set_attachments(attachments)
        elif not self.draft_of(conversation_id):
            self._drafts[conversation_id] = (text, attachments)
            self._save(conversation_id, text, attachments)
