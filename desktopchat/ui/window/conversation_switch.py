"""Which conversation is on screen: switching between them, sending from the box, and
coming back at start-up to the one open at the last quit.

The window shows before the history is read (DESIGN.md P1). Once it is, the person is
taken back to where they were, unless they went on meanwhile: began in the new chat (typed,
attached, sent) or went somewhere themselves (a new chat, another conversation, the search):
what they chose stays on screen. Each conversation's draft is kept by ui/window/drafts.py;
where each was scrolled to, by ui/window/place.py (as the distance from the bottom: a
conversation opens on its newest page, so the bottom is the one fixed point).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from desktopchat.domain.projects import Project
from desktopchat.domain.types import AttachmentPayload, Conversation
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.services.projects import project_settings
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.composer.composer import Composer
from desktopchat.ui.models.lists import ModelLists
from desktopchat.ui.models.options import ConversationPanel
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.switches import ConversationSwitches
from desktopchat.ui.models.system_prompt import SystemPromptEditor
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.transcript.chat_view import PAGE_SIZE, ChatView
from desktopchat.ui.window.drafts import Drafts
from desktopchat.ui.window.notice_bar import NoticeBar
from desktopchat.ui.window.place import WindowPlace


class Projects(Protocol):
    def chosen_project(self) -> Project | None: ...


class ConversationSwitch(QObject):
    """Owns the on-screen conversation id; the window asks it to switch. `shown` and
    `started` tell the window a conversation is on screen, or a new chat's was created."""

    def __init__(
        self,
        history: HistoryService,
        controller: ChatController,
        tasks: Tasks,
        notices: NoticeBar,
        *,
        composer: Composer,
        chat_view: ChatView,
        sidebar: Sidebar,
        place: WindowPlace,
        picker: ModelPicker,
        panel: ConversationPanel,
        system_prompt: SystemPromptEditor,
        switches: ConversationSwitches,
        lists: ModelLists,
        model_changed: Callable[[], None],
        projects: Projects,
        web_search_for_new_chat: Callable[[], bool],
        show_questions: Callable[[int], None],
        shown: Callable[[Conversation | None], None],
        started: Callable[[Conversation], None],
        show_storage_error: Callable[[StorageError], None],
        update_send_state: Callable[[], None],
        is_closed: Callable[[], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._history, self._controller, self._tasks = history, controller, tasks
        self._notices, self._composer, self._view, self._sidebar = (
            notices,
            composer,
            chat_view,
            sidebar,
        )
        self._place, self._picker, self._panel = place, picker, panel
        self._system_prompt, self._switches, self._lists = system_prompt, switches, lists
        self._model_changed, self._projects = model_changed, projects
        self._web_search_for_new_chat = web_search_for_new_chat
        self._show_questions = show_questions
        self._shown, self._started, self._show_storage_error = shown, started, show_storage_error
        self._update_send_state, self._is_closed = update_send_state, is_closed
        self.conversation_id: int | None = None
        self.drafts = Drafts(
            composer, history, tasks, notices, shown=lambda: self.conversation_id, parent=self
        )
        self._starting = False  # a new chat's conversation is being created
        self._new_chat_project: int | None = None
        """The project chosen when the new chat was shown: its conversation starts in it."""
        self._moved = False
        """The person went somewhere themselves (a new chat, a conversation, the search):
        the place of the last run is not restored over it."""
        self.filling_view = False
        """The view is being filled with a conversation: its scrolling is not the person's."""

    # Coming back at start-up.

    async def read_place(self, was_open: int | None) -> int | None:
        """Read the stored drafts, and whether the conversation open at the last quit is
        still there (another instance may have deleted it): it, or None."""
        if was_open is not None and await self._history.conversation(was_open) is None:
            was_open = None
        await self.drafts.load()
        return was_open

    def return_to(self, conversation_id: int | None) -> None:
        """Show the conversation the person was in (None: the new chat), unless they went
        on meanwhile: then what they chose stays, and an empty box takes its stored draft."""
        began = (
            self._moved
            or self._starting
            or self.conversation_id is not None
            or self.drafts.box_holds_something()
        )
        if not began:
            if conversation_id is None:
                self._show_new_chat()
            else:
                self._open(conversation_id)
        elif not self.drafts.box_holds_something():
            self.drafts.show(self.conversation_id)

    @Slot()
    def person_moved(self) -> None:
        """The person went somewhere of their own (Ctrl+K to search the history)."""
        self._moved = True

    # Switching.

    def _leave(self) -> None:
        """Keep what was typed for the conversation being left (its draft, a system prompt
        edit not saved yet) and where it was scrolled to."""
        self._system_prompt.flush()
        self.drafts.flush()
        if self.conversation_id is not None:
            self._place.remember_scroll(self.conversation_id, self._view)

    def show_new_chat(self) -> None:
        """The person asked for a new chat (Ctrl+N, File → New chat, the sidebar's button)."""
        self._moved = True
        self._show_new_chat()

    def _show_new_chat(self) -> None:
        self._leave()
        self.conversation_id = None
        self._place.conversation_opened(None)
        self._sidebar.select_conversation(None)
        self._view.clear_conversation()
        project = self._projects.chosen_project()
        self._new_chat_project = None if project is None else project.id
        self._panel.clear_options()
        self._switches.show(None)
        if project is None:
            self._panel.set_temperature(None)
            self._system_prompt.show_prompt("")
        else:  # a project chosen in the sidebar: the chat starts in it, with its defaults
            picker = self._picker
            start = project_settings(project, picker.provider_id(), picker.current_model_id(), None)
            picker.set_selection(start["provider"], start["model"])
            self._panel.set_temperature(start["temperature"])
            self._system_prompt.show_prompt(start["system_prompt"])
        self.drafts.show(None)
        self._shown(None)
        self._composer.focus_input()

    def open_conversation(self, conversation_id: int) -> asyncio.Task:
        """The person opened a stored conversation (a click, Enter, a search result...)."""
        self._moved = True
        return self._open(conversation_id)

    def _open(self, conversation_id: int) -> asyncio.Task:
        """Switch to a stored conversation at once (its draft in the box, the focus there,
        so what the person types next goes to it) and show it once it is read; damage found
        while reading it is said, and the rest of the history stays usable."""
        self._leave()
        self.conversation_id = conversation_id
        self._place.conversation_opened(conversation_id)
        self._sidebar.select_conversation(conversation_id)
        self._switches.show(conversation_id)
        self.drafts.show(conversation_id)
        self._update_send_state()
        self._composer.focus_input()
        return self._tasks.spawn(self._show(conversation_id))

    def refresh(self) -> None:
        """Show the open conversation again (sync brought changes into it): where it was
        scrolled to and the draft in the box stay; the focus stays where it is."""
        if self.conversation_id is None:
            return
        self._leave()
        self._tasks.spawn(self._show(self.conversation_id))

    def forget(self, conversation_id: int | None) -> None:
        """The conversation was deleted: its draft goes."""
        self.drafts.forget(conversation_id)

    def give_back(
        self, conversation_id: int, text: str, attachments: Sequence[AttachmentPayload]
    ) -> None:
        """A message not sent goes back where it was typed (Drafts.give_back)."""
        self.drafts.give_back(conversation_id, text, attachments)

    # Sending from the box.

    def send(self, text: str) -> None:
        """Send the box's text to the conversation on screen; a new chat's conversation is
        created first."""
        if self._starting:
            return
        if self.conversation_id is None:
            self._starting = True
            self._tasks.spawn(self._start_conversation(text))
            return
        self._system_prompt.flush()
        self._send(text)

    async def _start_conversation(self, text: str) -> None:
        """A new chat's first message: the conversation is created first (a failure to
        save it is said, and the message stays in the box)."""
        try:
            conversation = await self.start_conversation()
        finally:
            self._starting = False
        if conversation is not None:
            self.drafts.forget(None)  # the new chat's draft has become this message
            self._send(text)

    async def start_conversation(self) -> Conversation | None:
        """Make the new chat on screen a stored conversation with the header's and the side
        panel's settings, and show it as the open one; None (and said) when the history
        cannot save it."""
        try:
            conversation = await self._history.start_conversation(
                provider=self._picker.provider_id(),
                model=self._picker.current_model_id(),
                temperature=self._panel.temperature(),
                system_prompt=self._system_prompt.toPlainText(),
                project_id=self._new_chat_project,
                web_search=self._web_search_for_new_chat(),
            )
        except StorageError as error:
            self._show_storage_error(error)
            return None
        if self._is_closed():
            return None
        self.conversation_id = conversation.id
        options = self._panel.generation_fields()
        if options:
            self._history.change_conversation(conversation.id, **options)
        self._switches.started(conversation.id)
        self._place.conversation_opened(conversation.id)
        self._sidebar.select_conversation(conversation.id)
        self._started(conversation)
        return conversation

    def _send(self, text: str) -> None:
        conversation_id = self.conversation_id
        assert conversation_id is not None
        if self._controller.send(conversation_id, text, self._composer.attachments()):
            self._composer.clear()  # the attachments too
            self.drafts.sent(conversation_id, text)

    def conversation_gone(self, conversation_id: int) -> None:
        """Deleted by another instance before its message left: the message goes back into
        the box of a new chat."""
        text = self.drafts.take_unsaved(conversation_id)
        self.drafts.forget(conversation_id)
        if self.conversation_id == conversation_id:
            self._show_new_chat()
        if text and not self._composer.draft():
            self._composer.set_draft(text)

    async def _show(self, conversation_id: int) -> None:
        try:
            conversation = await self._history.conversation(conversation_id)
            page = await self._history.last_page(conversation_id, PAGE_SIZE)
        except StorageError as error:
            self._notices.show_error(
                self.tr("This conversation could not be read: %1").replace("%1", error.detail)
            )
            return
        if self.conversation_id != conversation_id or self._is_closed():
            return  # the person moved on meanwhile
        if conversation is None:  # deleted meanwhile (by another instance)
            self._sidebar.remove_conversation(conversation_id)
            self._show_new_chat()
            return
        focus = QApplication.focusWidget()
        typing = focus is not None and self._composer.isAncestorOf(focus)
        self._panel.set_temperature(conversation.temperature)
        if conversation.provider:
            self._picker.set_selection(conversation.provider, conversation.model)
            self._lists.show(conversation.provider, conversation.model or "")
            self._model_changed()
        self._system_prompt.show_prompt(conversation.system_prompt)
        streaming = self._controller.streaming_reply(conversation_id)
        messages = page.messages
        if streaming is not None:
            messages = [m for m in messages if m.id != streaming.id]
        self.filling_view = True
        try:
            # `total` only has to say whether earlier messages exist.
            total = len(messages) + page.more
            self._view.show_conversation(messages, total=total, siblings=page.siblings)
            if streaming is not None:
                self._view.resume_reply(streaming)
                self._show_questions(conversation_id)
        finally:
            self.filling_view = False
        if streaming is None:
            self._place.restore_scroll(conversation_id, self._view)
        self._shown(conversation)
        if typing:  # the person went on typing while it was read: keep the keys coming
            self._composer.focus_input()
