"""What the context gauge in the composer card and the side panel's generation options
follow and start: a new estimate when the model, the draft or the conversation changes, the
options the model takes, and the two ways out of a full context (leave out the oldest
turns, summarise and continue). Kept apart from the main window, which only builds this and
hands it its services (DESIGN.md section 5: one place per behaviour).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, QTimer

from desktopchat.domain.errors import ChatError
from desktopchat.domain.model_catalog import takes_reasoning_effort, takes_thinking_budget
from desktopchat.services.chat_events import ResendRefused, SendRefused
from desktopchat.services.context import ContextEstimate, SummaryWontFit
from desktopchat.services.context_actions import ContextService
from desktopchat.services.history import StorageError
from desktopchat.services.pricing import Pricing
from desktopchat.services.usage import UsageService
from desktopchat.ui.library.usage_view import open_usage
from desktopchat.ui.support.translation import describe_error

TYPING_PAUSE_MS = 400
"""The meter follows typing once the person pauses: no estimate per key."""


class ContextControls(QObject):
    def __init__(
        self, window, context: ContextService, usage: UsageService, pricing: Pricing
    ) -> None:
        super().__init__(window)
        self._window = window
        self._context, self._usage, self._pricing = context, usage, pricing
        self.meter = window.composer.meter
        self.options = window.panel
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._tasks: set = set()
        self._closed = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        window = self._window
        window.controller.reply_finished.connect(self.refresh)
        window.controller.reply_failed.connect(self.refresh)
        window.controller.user_message_saved.connect(self.refresh)
        window.controller.send_refused.connect(self.on_controller_send_refused)
        window.controller.resend_refused.connect(self.on_controller_resend_refused)
        window.model_lists.loaded.connect(self.refresh)
        window.picker.chosen.connect(self.refresh)
        window.composer.edited.connect(self._typing.start)
        self._typing.timeout.connect(self.refresh)
        self.meter.leave_out_requested.connect(self.on_meter_leave_out_requested)
        self.meter.summarise_requested.connect(self.on_meter_summarise_requested)
        self.options.changed.connect(self.refresh)
        window.closed.connect(self.on_window_closed)

    def _start(self, work) -> None:
        """Run `work` unless the window has closed; cancelled when it closes."""
        if self._closed:
            work.close()
            return
        task = self._window.tasks.spawn(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def on_window_closed(self) -> None:
        self._closed = True
        self._typing.stop()
        for task in list(self._tasks):
            task.cancel()

    def refresh(self, *_args) -> None:
        """Estimate again for the conversation on screen (reads off the loop)."""
        self._start(self._refresh(self._window.conversation_id))

    async def _refresh(self, conversation_id: int | None) -> None:
        window = self._window
        registry = window.registry
        await registry.load_catalog()
        provider, model = window.picker.provider_id(), window.picker.current_model_id()
        await registry.learn_window(provider, model)  # a local server's own, once per model
        info = registry.model_info(provider, model)
        conversation = estimate = None
        try:
            if conversation_id is not None:
                conversation = await window.history.conversation(conversation_id)
                estimate = await self._context.estimate(conversation_id, window.composer.draft())
        except (StorageError, LookupError):
            return  # said where the history's failures are said
        if window.conversation_id != conversation_id:
            return
        self.meter.show_estimate(estimate, info.label)
        preset_custom = provider.startswith("custom")
        self.options.show_for(
            conversation,
            effort=takes_reasoning_effort(provider, model, custom=preset_custom),
            thinking=takes_thinking_budget(provider, model),
            default_max_tokens=min(window.prefs.max_tokens, info.max_output_tokens or 1 << 31),
        )

    def on_controller_send_refused(self, refused: SendRefused) -> None:
        """Nothing was sent: the message goes back in the box and the meter says why,
        with the two ways out."""
        self._window.switch.give_back(refused.conversation_id, refused.text, refused.attachments)
        self._say_refused(refused.conversation_id, refused.estimate)

    def on_controller_resend_refused(self, refused: ResendRefused) -> None:
        """A Regenerate or an edit resent that cannot fit: nothing changed on screen (the
        old reply stays, the editor keeps its text); the meter says why, with the two ways
        out."""
        self._say_refused(refused.conversation_id, refused.estimate)

    def _say_refused(self, conversation_id: int, estimate: ContextEstimate) -> None:
        window = self._window
        if window.conversation_id == conversation_id:
            model = window.registry.model_info(
                window.picker.provider_id(), window.picker.current_model_id()
            )
            self.meter.show_estimate(estimate, model.label)
            window.statusBar().showMessage(
                self.tr("Not sent: the conversation no longer fits the model's context."), 10000
            )

    def on_meter_leave_out_requested(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is not None:
            self._start(self._leave_out(conversation_id))

    async def _leave_out(self, conversation_id: int) -> None:
        self.meter.set_busy(True)
        try:
            await self._context.leave_out_oldest(conversation_id, self._window.composer.draft())
        finally:
            self.meter.set_busy(False)

    def on_meter_summarise_requested(self) -> None:
        conversation_id = self._window.conversation_id
        if conversation_id is not None:
            self._start(self._summarise(conversation_id))

    async def _summarise(self, conversation_id: int) -> None:
        window = self._window
        window.statusBar().showMessage(self.tr("Summarising the conversation…"))
        self.meter.set_busy(True)
        try:
            old = await window.history.conversation(conversation_id)
            name = old.title if old else ""
            title = self.tr("%1 (continued)").replace("%1", name)
            request = self.tr("Summarise our conversation “%1” so far.").replace("%1", name)
            continued = await self._context.summarise_and_continue(
                conversation_id, title.strip(), request
            )
        except ChatError as error:
            window.statusBar().showMessage(describe_error(error), 10000)
            return
        except SummaryWontFit as refused:
            text = self.tr(
                "Not even part of this conversation fits the model's %1-token context with "
                "room for a summary. Pick a model with a larger context to summarise it."
            )
            window.notices.show_error(text.replace("%1", QLocale().toString(refused.window)))
            window.statusBar().clearMessage()
            return
        except (StorageError, LookupError):
            window.statusBar().clearMessage()  # said where the history's failures are said
            return
        finally:
            self.meter.set_busy(False)
        window.statusBar().clearMessage()
        window.open_conversation(continued.id)

    def open_usage(self) -> None:
        open_usage(self._usage, self._pricing, self._window, self._window.tasks)
