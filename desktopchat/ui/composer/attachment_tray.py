"""The attachments of the message being written: chips above the message box.

Files come in by path (the paperclip's file picker, a drop, a file manager's copied files),
as a pasted image, or as a long pasted text. Each is read off the loop (services/
attachments for files, image_prep for scaling) while its chip says "Reading…"; nothing is
sent until Send, and the tray says why Send must wait (a file still being read, one that
cannot be sent, more than the message may hold, images for a text-only model).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktopchat.domain.types import AttachmentKind, AttachmentPayload
from desktopchat.services.attachments import (
    LIMITS,
    NO_TEXT_NOTE,
    AttachmentProblem,
    ByteBudget,
    Ingested,
    Note,
    estimate_tokens,
    ingest_text,
    message_load,
)
from desktopchat.ui.composer.attachment_chip import (
    AttachmentChip,
    ChipState,
    TrayItem,
    warning_colour,
)
from desktopchat.ui.composer.flow_layout import FlowLayout
from desktopchat.ui.composer.image_prep import (
    PreparedImage,
    in_image_worker,
    ingest_and_prepare,
    prepare_bytes_off_loop,
    prepare_image_off_loop,
)
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel


class AttachmentTray(QWidget):
    """Chips in rows that wrap, and a line saying what stops Send, if anything.
    Hidden while empty. `changed` fires on every add, removal and finished read."""

    changed = Signal()
    rechecked = Signal()
    """What the model takes changed: the same attachments, judged again (Send's state)."""
    focus_released = Signal()
    """The last chip was removed from the keyboard: focus belongs back in the message box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentTray")
        self._keys = itertools.count(1)
        self._items: dict[int, TrayItem] = {}
        self._chips: dict[int, AttachmentChip] = {}
        self._tasks: dict[int, asyncio.Task] = {}
        self.tasks = Tasks()
        """Files being read and pictures scaled; the window adopts it (ends with it)."""
        self._reads_images: bool | None = None
        self._budget = ByteBudget(LIMITS.bytes_per_message)
        self._budgeted: dict[int, int] = {}
        """Per item read from a file, the bytes it holds against the budget."""
        self._left_out = 0
        """Files of the last paste or drop left out: the message holds no more."""

        self._row = QWidget(self)
        self._row_layout = FlowLayout(self._row)
        self._problem = PlainLabel(self)
        self._problem.setObjectName("attachmentProblem")
        self._problem.setWordWrap(True)
        self._problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._row)
        layout.addWidget(self._problem)
        self.hide()

    # --- adding ---------------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Files to attach, up to the message's count (Limits.attachments_per_message);
        the tray says how many were left out. Their bytes count against the message's
        budget as they are read (services/attachments.ByteBudget)."""
        paths = list(paths)
        room = max(0, LIMITS.attachments_per_message - len(self._items))
        self._left_out = len(paths) - min(room, len(paths))
        for path in paths[:room]:
            item = self._add(TrayItem(next(self._keys), path.name, 0), announce=False)
            self._start(item, self._read_file(item, path))
        self._changed()

    def add_image(self, image: QImage, name: str) -> None:
        """A pasted image. QImage is implicitly shared with an atomic count, so the worker
        reads it safely, and nothing here writes to it: no copy on the loop."""
        item = self._add(TrayItem(next(self._keys), name, image.sizeInBytes()))
        item.kind = AttachmentKind.IMAGE
        self._start(item, self._prepare_pasted(item, image))

    def add_image_bytes(self, data: bytes, mime: str, name: str) -> None:
        """A pasted image as the clipboard encoded it (`mime`): decoded, scaled and
        re-encoded in a worker, as a file is."""
        item = self._add(TrayItem(next(self._keys), name, len(data)))
        item.kind = AttachmentKind.IMAGE
        self._start(item, self._prepare_pasted_bytes(item, data, mime))

    def add_text(self, text: str, name: str) -> None:
        """A long pasted text, kept as a text attachment."""
        ingested = ingest_text(text, name)
        item = self._add(TrayItem(next(self._keys), name, ingested.size))
        self._take_document(item, ingested)

    def set_attachments(self, payloads: Sequence[AttachmentPayload]) -> None:
        """Show a saved draft's attachments (replacing any): documents at once, images once
        their thumbnails are made."""
        self.clear()
        for payload in payloads:
            size = len(payload.data or b"") or len((payload.text or "").encode())
            item = self._add(TrayItem(next(self._keys), payload.name, size, kind=payload.kind))
            item.payload = payload
            if payload.kind is AttachmentKind.IMAGE and payload.data:
                self._start(item, self._thumbnail_of(item, payload.data, payload.mime))
            else:
                item.state = ChipState.READY
                item.tokens = None if payload.text is None else estimate_tokens(payload.text)
                item.note = Note.NO_TEXT if payload.note == NO_TEXT_NOTE else None
                self._refresh(item)

    # --- what the composer asks ------------------------------------------------------------

    def attachments(self) -> tuple[AttachmentPayload, ...]:
        """The attachments ready to send, in the order they were added."""
        return tuple(
            item.payload
            for item in self._items.values()
            if item.state is ChipState.READY and item.payload is not None
        )

    def take_attachments(self) -> tuple[AttachmentPayload, ...]:
        """The attachments to send, and an empty tray."""
        payloads = self.attachments()
        self.clear()
        return payloads

    def is_empty(self) -> bool:
        return not self._items

    def set_model_reads_images(self, reads: bool | None) -> None:
        """What the chosen model takes: False marks image chips and stops Send."""
        self._reads_images = reads
        for item in self._items.values():
            self._refresh(item)
        self._show_state()
        self.rechecked.emit()  # not `changed`: the attachments are the same, no draft to save

    def problem(self) -> str | None:
        """Why the message cannot be sent as it is, in words; None when it can."""
        items = self._items.values()
        states = {item.state for item in items}
        if ChipState.READING in states:
            return self.tr("Wait until the attachments are read.")
        if ChipState.FAILED in states:
            return self.tr("Remove the attachments that cannot be sent.")
        load = message_load(self.attachments())
        if load.images and self._reads_images is False:
            return self.tr("This model reads text only: pick a vision model, or remove the images.")
        if load.too_many_images:
            return self.tr("At most {count} images go in one message.").format(
                count=LIMITS.images_per_message
            )
        if load.too_much_text:
            return self.tr(
                "The documents hold {chars} characters; at most {limit} go in one message."
            ).format(
                chars=self.locale().toString(load.chars),
                limit=self.locale().toString(LIMITS.chars_per_message),
            )
        return None

    def clear(self) -> None:
        self._left_out = 0
        for key in list(self._items):
            self.remove(key)

    def remove(self, key: int) -> None:
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()
        self._items.pop(key, None)
        self._budget.give_back(self._budgeted.pop(key, 0))
        chip = self._chips.pop(key, None)
        if chip is not None:
            focus = QApplication.focusWidget()
            had_focus = focus is not None and (focus is chip or chip.isAncestorOf(focus))
            chip.deleteLater()
            chip.hide()
            if had_focus:
                self._focus_neighbour(key)
        self._changed()

    def chips(self) -> list[AttachmentChip]:
        return [self._chips[key] for key in self._items]

    # --- behind the chips ------------------------------------------------------------------

    def _add(self, item: TrayItem, *, announce: bool = True) -> TrayItem:
        self._items[item.key] = item
        chip = AttachmentChip(item, self._row)
        chip.remove_requested.connect(self.remove)
        self._chips[item.key] = chip
        self._row_layout.addWidget(chip)
        if announce:
            self._changed()
        return item

    def _start(self, item: TrayItem, work) -> None:
        task = self.tasks.spawn(work)
        self._tasks[item.key] = task
        task.add_done_callback(lambda _task, key=item.key: self._tasks.pop(key, None))

    async def _read_file(self, item: TrayItem, path: Path) -> None:
        try:
            ingested, prepared = await in_image_worker(ingest_and_prepare, path, self._budget)
        except AttachmentProblem as problem:
            self._fail(item, problem)
            return
        if item.key not in self._items:  # removed while it was read
            if prepared is None:
                self._budget.give_back(ingested.size)
            return
        item.size = ingested.size
        if prepared is not None:
            item.kind = AttachmentKind.IMAGE
            self._take_image(item, prepared)
        else:
            self._budgeted[item.key] = ingested.size
            self._take_document(item, ingested)

    async def _prepare_pasted(self, item: TrayItem, image: QImage) -> None:
        try:
            self._take_image(item, await prepare_image_off_loop(image))
        except AttachmentProblem as problem:
            self._fail(item, problem)

    async def _prepare_pasted_bytes(self, item: TrayItem, data: bytes, mime: str) -> None:
        try:
            self._take_image(item, await prepare_bytes_off_loop(data, mime))
        except AttachmentProblem as problem:
            self._fail(item, problem)

    async def _thumbnail_of(self, item: TrayItem, data: bytes, mime: str) -> None:
        try:
            prepared = await prepare_bytes_off_loop(data, mime)
        except AttachmentProblem:
            prepared = None  # a saved image Qt cannot read now: sent as it was saved
        if item.key in self._items:
            item.state = ChipState.READY
            if prepared is not None:
                item.thumbnail = prepared.thumbnail
                item.dimensions = (prepared.width, prepared.height)
            self._refresh(item)
            self._changed()

    def _take_image(self, item: TrayItem, prepared: PreparedImage) -> None:
        if item.key not in self._items:
            return
        payload = AttachmentPayload(AttachmentKind.IMAGE, item.name, prepared.mime, prepared.data)
        item.payload, item.state = payload, ChipState.READY
        item.thumbnail, item.dimensions = prepared.thumbnail, (prepared.width, prepared.height)
        self._refresh(item)
        self._changed()

    def _take_document(self, item: TrayItem, ingested: Ingested) -> None:
        if item.key not in self._items:
            return
        item.kind, item.payload, item.state = ingested.kind, ingested.payload(), ChipState.READY
        item.tokens, item.note = ingested.tokens, ingested.note
        self._refresh(item)
        self._changed()

    def _fail(self, item: TrayItem, problem: AttachmentProblem) -> None:
        if item.key not in self._items:
            return
        item.state, item.problem = ChipState.FAILED, problem
        item.size = problem.size or item.size
        self._refresh(item)
        self._changed()

    def _refresh(self, item: TrayItem) -> None:
        chip = self._chips.get(item.key)
        if chip is not None:
            chip.show_item(item, self._reads_images)

    def _changed(self) -> None:
        self._show_state()
        self.changed.emit()

    def _show_state(self) -> None:
        self.setVisible(bool(self._items))
        problem = self.problem() if self._items else None
        if problem is None and self._left_out and self._items:
            problem = self.tr(
                "Files left out: %n. One message holds at most {limit} attachments.",
                "",
                self._left_out,
            ).format(limit=LIMITS.attachments_per_message)
        self._problem.setText(problem or "")
        self._problem.setStyleSheet(f"color: {warning_colour(self.palette())};")
        self._problem.setVisible(problem is not None)

    def _focus_neighbour(self, removed: int) -> None:
        """After a chip is removed from the keyboard, focus goes to the chip that took its
        place (or the one before it; or the message box when none is left)."""
        following = [chip for chip in self.chips() if chip.key > removed]
        chips = following or self.chips()[-1:]
        if chips:
            chips[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.focus_released.emit()
