"""What the context gauge in the composer card and the side panel's generation options
follow and start: a new estimate when the model, the draft or the conversation changes, the
options the model takes, and the two ways out of a full context (leave out the oldest
turns, summarise and continue). Kept apart from the main window, which only builds this and
hands it the collaborators it uses (DESIGN.md section 5: one place per behaviour).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QLocale, QObject, QTimer, SignalInstance, Slot
from PySide6.QtWidgets import QStatusBar, QWidget

from desktopchat.domain.errors import ChatError
from desktopchat.domain.model_catalog import takes_reasoning_effort, takes_thinking_budget
from desktopchat.domain.types import AttachmentPayload
from desktopchat.services.chat_events import ResendRefused, SendRefused
from desktopchat.services.context import ContextEstimate, SummaryWontFit
from desktopchat.services.context_actions import ContextService
from desktopchat.services.history import HistoryService, StorageError
from desktopchat.services.pricing import Pricing
from desktopchat.services.registry import ProviderRegistry
from desktopchat.services.usage import UsageService
from desktopchat.ui.chat.controller import ChatController
from desktopchat.ui.composer.composer import Composer
from desktopchat.ui.library.usage_view import open_usage
from desktopchat.ui.models.options import ConversationPanel
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.translation import describe_error
from desktopchat.ui.window.notice_bar import NoticeBar

TYPING_PAUSE_MS = 400
"""The meter follows typing once the person pauses: no estimate per key."""


class ContextControls(QObject):
    """`shown` says which conversation is on screen; `give_back` puts a message not sent
    back in its conversation's box; `closed` is the window's: the work under way stops
    with it; `parent` is the usage dialog's."""

    def __init__(
        self,
        context: ContextService,
        usage: UsageService,
        pricing: Pricing,
        *,
        controller: ChatController,
        history: HistoryService,
        registry: ProviderRegistry,
        composer: Composer,
        panel: ConversationPanel,
        picker: ModelPicker,
        notices: NoticeBar,
        status_bar: QStatusBar,
        tasks: Tasks,
        shown: Callable[[], int | None],
        open_conversation: Callable[[int], asyncio.Task],
        give_back: Callable[[int, str, Sequence[AttachmentPayload]], None],
        closed: SignalInstance,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._context, self._usage, self._pricing = context, usage, pricing
        self._controller, self._history, self._registry = controller, history, registry
        self._composer, self._picker = composer, picker
        self._notices, self._status_bar = notices, status_bar
        self._owner, self._shown, self._open = tasks, shown, open_conversation
        self._give_back, self._closed_signal, self._parent = give_back, closed, parent
        self.meter = composer.meter
        self.options = panel
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._tasks: set = set()
        self._closed = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        controller = self._controller
        controller.reply_finished.connect(self.refresh)
        controller.reply_failed.connect(self.refresh)
        controller.user_message_saved.connect(self.refresh)
        controller.send_refused.connect(self.on_controller_send_refused)
        controller.resend_refused.connect(self.on_controller_resend_refused)
        self._composer.edited.connect(self._typing.start)
        self._typing.timeout.connect(self.refresh)
        self.meter.leave_out_requested.connect(self.on_meter_leave_out_requested)
        self.meter.summarise_requested.connect(self.on_meter_summarise_requested)
        self.options.changed.connect(self.refresh)
        self._closed_signal.connect(self.on_window_closed)

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` unless the window has closed; cancelled when it closes."""
        if self._closed:
            work.close()
            return
        task = self._owner.spawn(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @Slot()
    def on_window_closed(self) -> None:
        self._closed = True
        self._typing.stop()
        for task in list(self._tasks):
            task.cancel()

    @Slot()
    def refresh(self) -> None:
        """Estimate again for the conversation on screen (reads off the loop)."""
        self._start(self._refresh(self._shown()))

    async def _refresh(self, conversation_id: int | None) -> None:
        registry = self._registry
        await registry.load_catalog()
        provider, model = self._picker.provider_id(), self._picker.current_model_id()
        await registry.learn_window(provider, model)  # a local server's own, once per model
        info = registry.model_info(provider, model)
        conversation = estimate = None
        try:
            if conversation_id is not None:
                conversation = await self._history.conversation(conversation_id)
                estimate = await self._context.estimate(conversation_id, self._composer.draft())
        except (StorageError, LookupError):
            return  # said where the history's failures are said
        if self._shown() != conversation_id:
            return
        self.meter.show_estimate(estimate, info.label)
        self.options.show_for(
            conversation,
            effort=takes_reasoning_effort(provider, model),
            thinking=takes_thinking_budget(provider, model),
            default_max_tokens=self._context.default_max_tokens(provider, model),
        )

    @Slot(object)
    def on_controller_send_refused(self, refused: SendRefused) -> None:
        """Nothing was sent: the message goes back in the box and the meter says why,
        with the two ways out."""
        self._give_back(refused.conversation_id, refused.text, refused.attachments)
        self._say_refused(refused.conversation_id, refused.estimate)

    @Slot(object)
    def on_controller_resend_refused(self, refused: ResendRefused) -> None:
        """A Regenerate or an edit resent that cannot fit: nothing changed on screen (the
        old reply stays, the editor keeps its text); the meter says why, with the two ways
        out."""
        self._say_refused(refused.conversation_id, refused.estimate)

    def _say_refused(self, conversation_id: int, estimate: ContextEstimate) -> None:
        if self._shown() == conversation_id:
            picker = self._picker
            model = self._registry.model_info(picker.provider_id(), picker.current_model_id())
            self.meter.show_estimate(estimate, model.label)
            self._status_bar.showMessage(
                self.tr("Not sent: the conversation no longer fits the model's context."), 10000
            )

    @Slot()
    def on_meter_leave_out_requested(self) -> None:
        conversation_id = self._shown()
        if conversation_id is not None:
            self._start(self._leave_out(conversation_id))

    async def _leave_out(self, conversation_id: int) -> None:
        self.meter.set_busy(True)
        try:
            await self._context.leave_out_oldest(conversation_id, self._composer.draft())
        finally:
            self.meter.set_busy(False)

    @Slot()
    def on_meter_summarise_requested(self) -> None:
        conversation_id = self._shown()
        if conversation_id is not None:
            self._start(self._summarise(conversation_id))

    async def _summarise(self, conversation_id: int) -> None:
        status = self._status_bar
        status.showMessage(self.tr("Summarising the conversation…"))
        self.meter.set_busy(True)
        try:
            old = await self._history.conversation(conversation_id)
            name = old.title if old else ""
            title = self.tr("%1 (continued)").replace("%1", name)
            request = self.tr("Summarise our conversation “%1” so far.").replace("%1", name)
            continued = await self._context.summarise_and_continue(
                conversation_id, title.strip(), request
            )
        except ChatError as error:
            status.showMessage(describe_error(error), 10000)
            return
        except SummaryWontFit as refused:
            text = self.tr(
                "Not even part of this conversation fits the model's %1-token context with "
                "room for a summary. Pick a model with a larger context to summarise it."
            )
            self._notices.show_error(text.replace("%1", QLocale().toString(refused.window)))
            status.clearMessage()
            return
        except (StorageError, LookupError):
            status.clearMessage()  # said where the history's failures are said
            return
        finally:
            self.meter.set_busy(False)
        status.clearMessage()
        self._open(continued.id)

    @Slot()
    def open_usage(self) -> None:
        open_usage(self._usage, self._pricing, self._parent, self._owner)
