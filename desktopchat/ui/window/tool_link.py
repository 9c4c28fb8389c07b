"""The tool loop's events between the chat controller and the conversation on screen.

The controller turns the service's tool events into signals; this shows them in the view
when their conversation is on screen (a call's lines, the approval cards, the step-limit
note) and hands the person's answers back (`ChatController.decide`). It also says to the
service that the window answers the questions (`answer_tool_questions`): until then no
model is offered tools; then only in conversations whose tools switch is on. A
conversation shown again gets its waiting questions back from the controller
(ConversationSwitch calls `show_questions`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from desktopchat.domain.tool_calls import Decision, LoopEnd, ToolCall, ToolStep
from desktopchat.services.tool_loop import ToolApprovalRequested
from desktopchat.system.settings import Preferences, switches_of
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.transcript.chat_view import ChatView


class MessageBox(Protocol):
    """The composer: the keyboard goes back to it, and a card leaves it alone while the
    person types in it."""

    def focus_input(self) -> None: ...

    def isAncestorOf(self, child: QWidget) -> bool: ...  # Qt's name


class ToolLink(QObject):
    """`viewing(conversation_id)` says whether that conversation is on screen."""

    def __init__(
        self,
        controller: ChatController,
        chat_view: ChatView,
        composer: MessageBox,
        prefs: Preferences,
        *,
        viewing: Callable[[int], bool],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._controller, self._view, self._composer = controller, chat_view, composer
        self._viewing = viewing
        controller.tool_step.connect(self.on_controller_tool_step)
        controller.tool_call_changed.connect(self.on_controller_tool_call_changed)
        controller.tool_question.connect(self.on_controller_tool_question)
        controller.tool_loop_ended.connect(self.on_controller_tool_loop_ended)
        chat_view.tool_decided.connect(self.on_chat_view_tool_decided)
        # Offered where the person's tools switch is on (ui/models/switches.py).
        controller.service.answer_tool_questions(
            True, lambda conversation_id: switches_of(prefs, conversation_id)["tools"]
        )

    @Slot(object, object, object)
    def on_controller_tool_step(self, conversation_id: int, message_id: int, step: ToolStep):
        if self._viewing(conversation_id):
            self._view.show_tool_step(message_id, step)

    @Slot(object, object, object)
    def on_controller_tool_call_changed(
        self, conversation_id: int, message_id: int, call: ToolCall
    ) -> None:
        if self._viewing(conversation_id):
            self._view.show_tool_call(message_id, call)

    @Slot(object)
    def on_controller_tool_question(self, question: ToolApprovalRequested) -> None:
        if self._viewing(question.conversation_id):
            self._view.ask_tool(question, take_focus=self._may_take_focus())

    @Slot(object, object, object)
    def on_controller_tool_loop_ended(
        self, conversation_id: int, message_id: int, end: LoopEnd
    ) -> None:
        if self._viewing(conversation_id):
            self._view.show_tool_loop_end(message_id, end)

    @Slot(str, object, str)
    def on_chat_view_tool_decided(self, call_id: str, decision: Decision, reason: str) -> None:
        """Answer, then the keyboard goes to the next question, or back to the message box."""
        self._controller.decide(call_id, decision, reason)
        waiting = list(self._view.tool_cards().values())
        if waiting:
            waiting[0].arguments.setFocus()
        else:
            self._composer.focus_input()

    def show_questions(self, conversation_id: int) -> None:
        """The conversation is on screen again: its waiting questions, as cards."""
        for question in self._controller.questions(conversation_id):
            self._view.ask_tool(question, take_focus=False)

    def _may_take_focus(self) -> bool:
        """A card takes the keyboard unless the person is typing a message."""
        focus = QApplication.focusWidget()
        typing = isinstance(focus, QPlainTextEdit) and bool(focus.toPlainText().strip())
        return not (
            isinstance(focus, QPlainTextEdit) and typing and self._composer.isAncestorOf(focus)
        )
