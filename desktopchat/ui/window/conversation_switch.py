"""Which conversation is on screen, and the person's place in each: switching between them,
each one's unsent draft, and where it was scrolled to.

Drafts survive a quit, a crash or a `kill -9` (DESIGN.md §7, "never lose the person's
place"): what is typed is saved to the history's drafts table as it is typed, at most every
DRAFT_SAVE_DELAY_MS, and flushed whenever the box changes hands (another conversation, a
send, the window closing). The new chat's draft is stored under conversation 0. Scroll
positions are kept per conversation as the distance from the bottom (a conversation opens on
its newest page, so the bottom is the one fixed point) and go to the preferences with the
window's layout (ui/window/place.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktopchat.domain.draft_merge import merged_text
from desktopchat.domain.types import AttachmentPayload, Conversation
from desktopchat.services.attachments import restored_payloads
from desktopchat.services.history import DraftConflict, StorageError
from desktopchat.services.projects import project_settings
from desktopchat.ui.transcript.chat_view import PAGE_SIZE

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow

DRAFT_SAVE_DELAY_MS = 500
NEW_CHAT_DRAFT = 0
"""The drafts table's key for the new chat's draft (no conversation exists yet)."""
_NO_DRAFT: tuple[str, tuple[AttachmentPayload, ...]] = ("", ())
DRAFT_EDIT_LIMIT = 1_000_000
"""Characters of a draft the box is filled with (~0.2 s); a longer one comes back as a
text attachment."""


class ConversationSwitch(QObject):
    """Owns the on-screen conversation id and the drafts; the window asks it to switch."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.conversation_id: int | None = None
        self._drafts: dict[int | None, tuple[str, Sequence[AttachmentPayload]]] = {}
        self._pending_draft: int | None = None
        """The conversation whose draft waits for the save timer (None: nothing waits)."""
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_SAVE_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush_draft)
        self._unsaved: dict[int, str] = {}
        """Per conversation, the message just sent until the store has it: a storage failure
        gives it back."""
        self._starting = False  # a new chat's conversation is being created
        self._new_chat_project: int | None = None
        """The project chosen when the new chat was shown: its conversation starts in it."""
        self._showing_draft = False
        self.filling_view = False
        """The view is being filled with a conversation: its scrolling is not the person's."""

    # Drafts.

    async def load_drafts(self) -> None:
        """Read the stored drafts (start-up): each conversation's, and the new chat's, with
        their attachments' bytes. The window shows before they are read (DESIGN.md P1): what
        the person began in the box meanwhile wins over the stored new chat's draft."""
        history = self._window.history
        for key, (text, attachments) in (await history.drafts()).items():
            payloads = await restored_payloads(attachments, history.blob)
            self._drafts[None if key == NEW_CHAT_DRAFT else key] = (text, payloads)
        if self.began_new_chat() and self.conversation_id is None:
            composer = self._window.composer
            self._drafts[None] = (composer.draft(), composer.attachments())

    def began_new_chat(self) -> bool:
        """Whether the person has begun something before the history was read: typed or
        attached in the new chat's box, or sent it (a conversation is on screen, or being
        created)."""
        composer = self._window.composer
        return (
            self.conversation_id is not None
            or self._starting
            or bool(composer.draft() or composer.attachments())
        )

    def draft_of(self, conversation_id: int | None) -> str:
        return self._drafts.get(conversation_id, _NO_DRAFT)[0]

    def on_composer_edited(self) -> None:
        """The box or its attachments changed: save soon. The text itself is read then, not
        per key (a megabyte pasted would be copied on every keystroke). A draft shown anew
        is not an edit."""
        if self._showing_draft:
            return
        self._pending_draft = self._key()
        self._draft_timer.start()

    def flush_draft(self) -> None:
        """Save the waiting draft now (before a switch, at quit). The owner flushes before
        the box changes hands, so the box still holds the waiting conversation's draft."""
        self._draft_timer.stop()
        key, self._pending_draft = self._pending_draft, None
        if key is None:
            return
        composer = self._window.composer
        draft = (composer.draft(), composer.attachments())
        self._drafts[None if key == NEW_CHAT_DRAFT else key] = draft
        self._save_draft(key, *draft)

    def keep_draft(self, conversation_id: int, text: str) -> None:
        """A message that could not be saved becomes that conversation's draft again."""
        if not self.draft_of(conversation_id):
            self._drafts[conversation_id] = (text, ())
            self._save_draft(conversation_id, text, ())

    def forget(self, conversation_id: int | None) -> None:
        """The conversation's draft was sent, or the conversation deleted: the draft goes."""
        key = NEW_CHAT_DRAFT if conversation_id is None else conversation_id
        if self._pending_draft == key:
            self._draft_timer.stop()
            self._pending_draft = None
        if self._drafts.pop(conversation_id, None) is not None:
            self._save_draft(key, "", ())

    def on_draft_conflict(self, key: int, conflict: DraftConflict) -> None:
        """A draft saved here met a newer one from another instance (R8). The history
        kept both texts, the other below a line; the box (or the draft kept for a
        conversation not shown) takes the other text in too, so the next save holds both
        rather than merging again, and the person is told."""
        self._window.tasks.spawn(self._take_in(key, conflict))

    async def _take_in(self, key: int, conflict: DraftConflict) -> None:
        window = self._window
        added = await restored_payloads(conflict.added_attachments, window.history.blob)
        conversation_id = None if key == NEW_CHAT_DRAFT else key
        if conversation_id == self.conversation_id:
            composer = window.composer
            text = merged_text(composer.draft(), conflict.other_text)
            if text != composer.draft():
                composer.set_draft(text)
            if added:
                composer.set_attachments((*composer.attachments(), *added))
        else:
            text, payloads = self._drafts.get(conversation_id, _NO_DRAFT)
            merged = (merged_text(text, conflict.other_text), (*payloads, *added))
            self._drafts[conversation_id] = merged
        window.notices.show_notice(
            self.tr(
                "A draft was changed in another DesktopChat window too: both texts are kept, "
                "the other one below a line."
            )
        )

    def _save_draft(self, key: int, text: str, attachments: Sequence[AttachmentPayload]) -> None:
        """Queue it (in order: each save is queued in the task's first step, and tasks
        start in the order they were made)."""
        self._window.tasks.spawn(
            self._window.history.save_draft(key, text, attachments), finish=True
        )

    def _show_draft(self, conversation_id: int | None) -> None:
        """Put a conversation's draft in the box. A draft too long to edit there (a box
        of 50 MB took 9.4 s to fill) comes back as a text attachment, nothing of it lost:
        the next save stores it so."""
        text, attachments = self._drafts.get(conversation_id, _NO_DRAFT)
        composer = self._window.composer
        too_long = len(text) > DRAFT_EDIT_LIMIT
        self._showing_draft = True
        try:
            composer.set_draft("" if too_long else text)
            composer.set_attachments(attachments)
            if too_long:
                composer.tray.add_text(text, self.tr("Long draft.txt"))
        finally:
            self._showing_draft = False
        if too_long:
            self._window.notices.show_notice(
                self.tr(
                    "This draft has {count} characters, too many to edit in the message box: "
                    "it is kept as a text attachment."
                ).format(count=composer.locale().toString(len(text)))
            )

    def _key(self) -> int:
        return NEW_CHAT_DRAFT if self.conversation_id is None else self.conversation_id

    # Switching.

    def _leave(self) -> None:
        """Keep what was typed for the conversation being left (its draft, a system prompt
        edit not saved yet) and where it was scrolled to."""
        window = self._window
        window.system_prompt.flush()
        self.flush_draft()
        if self.conversation_id is not None:
            window.place.remember_scroll(self.conversation_id, window.chat_view)

    def show_new_chat(self) -> None:
        window = self._window
        self._leave()
        self.conversation_id = None
        window.place.conversation_opened(None)
        window.sidebar.select_conversation(None)
        window.chat_view.clear_conversation()
        project = window.projects.chosen_project()
        self._new_chat_project = None if project is None else project.id
        window.panel.clear_options()
        window.switches.show(None)
        if project is None:
            window.panel.set_temperature(None)
            window.system_prompt.show_prompt("")
        else:  # a project chosen in the sidebar: the chat starts in it, with its defaults
            picker = window.picker
            start = project_settings(project, picker.provider_id(), picker.current_model_id(), None)
            picker.set_selection(start["provider"], start["model"])
            window.panel.set_temperature(start["temperature"])
            window.system_prompt.show_prompt(start["system_prompt"])
        self._show_draft(None)
        window.conversation_shown()
        window.composer.focus_input()

    def open_conversation(self, conversation_id: int) -> asyncio.Task:
        """Switch to a stored conversation at once (its draft in the box, the focus there,
        so what the person types next goes to it) and show it once it is read; damage found
        while reading it is said, and the rest of the history stays usable."""
        window = self._window
        self._leave()
        self.conversation_id = conversation_id
        window.place.conversation_opened(conversation_id)
        window.sidebar.select_conversation(conversation_id)
        window.switches.show(conversation_id)
        self._show_draft(conversation_id)
        window.update_send_state()
        window.composer.focus_input()
        return window.tasks.spawn(self._show(conversation_id))

    def refresh(self) -> None:
        """Show the open conversation again (sync brought changes into it): where it was
        scrolled to and the draft in the box stay; the focus stays where it is."""
        if self.conversation_id is None:
            return
        self._leave()
        self._window.tasks.spawn(self._show(self.conversation_id))

    # Sending from the box.

    def send(self, text: str) -> None:
        """Send the box's text to the conversation on screen; a new chat's conversation is
        created first."""
        if self._starting:
            return
        if self.conversation_id is None:
            self._starting = True
            self._window.tasks.spawn(self._start_conversation(text))
            return
        self._window.system_prompt.flush()
        self._send(text)

    async def _start_conversation(self, text: str) -> None:
        """A new chat's first message: the conversation is created first (a failure to
        save it is said, and the message stays in the box)."""
        try:
            conversation = await self.start_conversation()
        finally:
            self._starting = False
        if conversation is not None:
            self.forget(None)  # the new chat's draft has become this message
            self._send(text)

    async def start_conversation(self) -> Conversation | None:
        """Make the new chat on screen a stored conversation with the header's and the side
        panel's settings, and show it as the open one; None (and said) when the history
        cannot save it."""
        window = self._window
        try:
            conversation = await window.history.start_conversation(
                provider=window.picker.provider_id(),
                model=window.picker.current_model_id(),
                temperature=window.panel.temperature(),
                system_prompt=window.system_prompt.toPlainText(),
                project_id=self._new_chat_project,
                web_search=window.web_search.for_new_chat(),
            )
        except StorageError as error:
            window.show_storage_error(error)
            return None
        if window.is_closed():
            return None
        self.conversation_id = conversation.id
        options = window.panel.generation_fields()
        if options:
            window.history.change_conversation(conversation.id, **options)
        window.switches.started(conversation.id)
        window.place.conversation_opened(conversation.id)
        window.sidebar.select_conversation(conversation.id)
        window.conversation_started(conversation)
        return conversation

    def _send(self, text: str) -> None:
        conversation_id = self.conversation_id
        assert conversation_id is not None
        composer = self._window.composer
        if self._window.controller.send(conversation_id, text, composer.attachments()):
            composer.clear()  # the attachments too
            self.forget(conversation_id)
            self._unsaved[conversation_id] = text

    def saved(self, conversation_id: int) -> None:
        """The store has the message sent to this conversation."""
        self._unsaved.pop(conversation_id, None)

    def give_back_unsaved(self) -> None:
        """The history failed: messages sent but not saved go back where they were typed."""
        unsaved, self._unsaved = self._unsaved, {}
        composer = self._window.composer
        for conversation_id, text in unsaved.items():
            if conversation_id != self.conversation_id:
                self.keep_draft(conversation_id, text)
            elif not composer.draft():
                composer.set_draft(text)

    def give_back(
        self, conversation_id: int, text: str, attachments: Sequence[AttachmentPayload]
    ) -> None:
        """A message that was not sent (it cannot fit the model's context) goes back where
        it was typed, with its attachments: into the box, or that conversation's draft."""
        self._unsaved.pop(conversation_id, None)
        composer = self._window.composer
        if conversation_id == self.conversation_id and not composer.draft():
            composer.set_draft(text)
            composer.set_attachments(attachments)
        elif not self.draft_of(conversation_id):
            self._drafts[conversation_id] = (text, attachments)
            self._save_draft(conversation_id, text, attachments)

    def conversation_gone(self, conversation_id: int) -> None:
        """Deleted by another instance before its message left: the message goes back into
        the box of a new chat."""
        text = self._unsaved.pop(conversation_id, "")
        self.forget(conversation_id)
        if self.conversation_id == conversation_id:
            self.show_new_chat()
        composer = self._window.composer
        if text and not composer.draft():
            composer.set_draft(text)

    async def _show(self, conversation_id: int) -> None:
        window = self._window
        try:
            conversation = await window.history.conversation(conversation_id)
            page = await window.history.last_page(conversation_id, PAGE_SIZE)
        except StorageError as error:
            window.notices.show_error(
                self.tr("This conversation could not be read: %1").replace("%1", error.detail)
            )
            return
        if self.conversation_id != conversation_id or window.is_closed():
            return  # the person moved on meanwhile
        if conversation is None:  # deleted meanwhile (by another instance)
            window.sidebar.remove_conversation(conversation_id)
            self.show_new_chat()
            return
        focus = QApplication.focusWidget()
        typing = focus is not None and window.composer.isAncestorOf(focus)
        window.panel.set_temperature(conversation.temperature)
        if conversation.provider:
            window.picker.set_selection(conversation.provider, conversation.model)
            window.model_lists.show(conversation.provider, conversation.model or "")
            window.model_choice.on_model_changed()
        window.system_prompt.show_prompt(conversation.system_prompt)
        streaming = window.controller.streaming_reply(conversation_id)
        messages = page.messages
        if streaming is not None:
            messages = [m for m in messages if m.id != streaming.id]
        self.filling_view = True
        try:
            # `total` only has to say whether earlier messages exist.
            total = len(messages) + page.more
            window.chat_view.show_conversation(messages, total=total, siblings=page.siblings)
            if streaming is not None:
                window.chat_view.resume_reply(streaming)
                window.tool_link.show_questions(conversation_id)
        finally:
            self.filling_view = False
        if streaming is None:
            window.place.restore_scroll(conversation_id, window.chat_view)
        window.conversation_shown(conversation)
        if typing:  # the person went on typing while it was read: keep the keys coming
            window.composer.focus_input()
