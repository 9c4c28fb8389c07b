"""The Keys tab of the Settings dialog: one row per provider that needs a key.

A key is typed or pasted, saved to the OS keychain (or kept for this session only when there
is none), removed, and tested against the service from here. A key never leaves its field
except towards the KeyStore or the registry's test call: no label, tooltip, log or preference
ever holds one. Keychain calls can block on D-Bus, so they all run on the keychain's own
thread (KeyStore's async methods) and a keychain that does not answer shows the banner and
leaves keys for this session only. A key that cannot be sent in an HTTP header (an en dash or
an accent pasted with it) is refused at Save and at Test, saying where the culprit is.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.errors import ChatError, redact
from desktopchat.domain.presets import ProviderPreset
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.key_text import UnsendableCharacter, unsendable_character
from desktopchat.system.keychain_problems import KeychainError
from desktopchat.system.keys import KeySource, KeyStore
from desktopchat.ui.settings.key_row import KeyRow
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.support.translation import (
    describe_error,
    describe_keychain,
    keychain_error_words,
)


class KeysTab(QWidget):
    """Rows of keys, a banner when no keychain is available, and the tasks behind them."""

    key_changed = Signal(str)  # provider id whose key was saved or removed
    key_placed = Signal(str, object)  # provider id, KeySource: where its key is now

    def __init__(
        self,
        keys: KeyStore,
        registry: ProviderRegistry,
        presets: Sequence[ProviderPreset],
        remembered: Callable[[str], bool] = lambda _provider_id: False,
    ) -> None:
        """`remembered(provider_id)`: whether a key was given for it and not removed."""
        super().__init__()
        self._keys = keys
        self._remembered = remembered
        self._registry = registry
        self._rows: dict[str, KeyRow] = {}
        # A keychain answer can come after the dialog is gone: its tasks end with it.
        tasks = Tasks()
        self.tasks = tasks
        """Keychain work behind the rows; the dialog adopts it (closing it ends reads and
        tests, never a key being saved or removed)."""
        self.destroyed.connect(lambda: tasks.cancel())

        layout = QVBoxLayout(self)
        self._intro = PlainLabel(
            self.tr(
                "Keys are stored in your system keychain, never in DesktopChat's files. "
                "A key set in the provider's environment variable is used when the "
                "keychain has none."
            )
        )
        self._intro.setWordWrap(True)
        self._intro.hide()
        layout.addWidget(self._intro)
        self._banner, self._banner_text = self._unavailable_banner()
        layout.addWidget(self._banner)

        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setColumnStretch(1, 1)
        self._grid.setVerticalSpacing(4)
        self._next_grid_row = 0
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._grid_host)
        # Blend into the tab page (setWidget turns auto-fill on).
        self._scroll.viewport().setAutoFillBackground(False)
        self._grid_host.setAutoFillBackground(False)
        layout.addWidget(self._scroll, 1)
        for preset in presets:
            self._add_row(preset)

    def _unavailable_banner(self) -> tuple[QFrame, QLabel]:
        banner = QFrame()
        banner.setObjectName("keychainBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setAccessibleName(self.tr("No keychain available"))
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(warning.pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel()
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        layout = QHBoxLayout(banner)
        layout.addWidget(icon)
        layout.addWidget(text, 1)
        banner.hide()
        return banner, text

    def banner_text(self) -> str:
        """What the no-keychain banner says; empty while it is hidden."""
        return self._banner_text.text() if self._banner.isVisibleTo(self) else ""

    async def _show_availability(self) -> None:
        """Say whether keys can be saved; the first check may block on D-Bus, so it runs in
        a thread, and it runs again after a keychain failure (a daemon can die mid-session)."""
        available = await self._keys.aavailable()
        self._intro.setVisible(available)
        self._banner.setVisible(not available)
        if not available:
            self._banner_text.setText(
                self.tr(
                    "<b>Keys can't be saved in a keychain.</b> {reason} A key saved here is "
                    "forgotten when DesktopChat quits."
                ).format(reason=html.escape(self._problem_words()))
            )

    def _problem_words(self) -> str:
        problem = self._keys.problem
        return describe_keychain(problem) if problem is not None else ""

    def _spawn(self, coro: Coroutine[Any, Any, None], *, finish: bool = False) -> None:
        task = self.tasks.spawn(self._while_alive(coro), finish=finish)
        # Cancelled before it began, the task never started `coro`: close it without the
        # "never awaited" warning (closing a finished coroutine does nothing).
        task.add_done_callback(lambda _task: coro.close())

    async def _while_alive(self, coro: Coroutine[Any, Any, None]) -> None:
        """Python 3.11's wait_for can swallow a cancellation that meets an answer (fixed in
        3.12), so a task may still resume after the tab is gone: that is no bug to report."""
        try:
            await coro
        except RuntimeError:
            if shiboken6.isValid(self):
                raise

    def row(self, provider_id: str) -> KeyRow:
        return self._rows[provider_id]

    def set_providers(self, presets: Sequence[ProviderPreset]) -> None:
        """Follow the endpoint list: drop rows that went, rename, add the new ones last."""
        wanted = {preset.id: preset for preset in presets}
        for provider_id in [pid for pid in self._rows if pid not in wanted]:
            self._drop_row(provider_id)
        for preset in presets:
            if preset.id in self._rows:
                self._rows[preset.id].name_label.setText(preset.name)
            else:
                row = self._add_row(preset)
                if self.isVisible():
                    self._spawn(self._show_source(row))

    def focus_row(self, provider_id: str | None) -> None:
        """Put the cursor in this provider's key field (the first one for None)."""
        row = self._rows.get(provider_id or "") or next(iter(self._rows.values()), None)
        if row is None:
            return
        self._scroll.ensureWidgetVisible(row.field)
        row.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_key(self, provider_id: str, key: str) -> None:
        """Save a key that came from elsewhere (the endpoint editor) as if typed here."""
        row = self._rows[provider_id]
        row.field.setText(key)
        self._on_save_clicked(row)

    def forget_typed_keys(self) -> None:
        """Clear what was typed but not saved, so no key lingers in a closed dialog."""
        for row in self._rows.values():
            row.field.clear()
            row.show_button.setChecked(False)
            row.status_label.clear()

    def showEvent(self, event) -> None:
        # Tasks can only start once the loop runs, which it does by the time we are shown;
        # and a key may have been set elsewhere since the last time.
        super().showEvent(event)
        self._spawn(self._refresh())

    async def _refresh(self) -> None:
        await self._show_availability()
        for row in list(self._rows.values()):
            await self._show_source(row)

    def _add_row(self, preset: ProviderPreset) -> KeyRow:
        row = KeyRow(preset, self)
        self._rows[preset.id] = row
        top = self._next_grid_row
        self._next_grid_row += 2
        for column, widget in enumerate(row.widgets()[:6]):
            self._grid.addWidget(widget, top, column)
        details = QHBoxLayout()
        details.setContentsMargins(0, 0, 0, 8)
        details.setSpacing(16)
        details.addWidget(row.source_label)
        details.addWidget(row.status_label, 1)
        details.addWidget(row.session_button)
        self._grid.addLayout(details, top + 1, 1, 1, 5)
        row.save_button.clicked.connect(lambda: self._on_save_clicked(row))
        row.field.returnPressed.connect(lambda: self._on_save_clicked(row))
        row.remove_button.clicked.connect(lambda: self._on_remove_clicked(row))
        row.test_button.clicked.connect(lambda: self._on_test_clicked(row))
        row.session_button.clicked.connect(lambda: self._on_session_clicked(row))
        return row

    def _drop_row(self, provider_id: str) -> None:
        # Orphaned rather than deleted: a task still running for this row may touch it.
        row = self._rows.pop(provider_id)
        for widget in row.widgets():
            widget.hide()
            widget.setParent(None)
        row.setParent(None)

    def _refuses(self, row: KeyRow, key: str) -> bool:
        """Whether the typed key cannot be sent; if so the row says where the culprit is."""
        found = unsendable_character(key)
        if found is not None:
            row.set_status(self._unsendable_text(found))
        return found is not None

    def _unsendable_text(self, found: UnsendableCharacter) -> str:
        if found.shown:
            text = self.tr(
                "The key contains “{character}” ({code}, {name}) at position {position}: it "
                "was probably pasted with formatting. Paste it again from the provider's page."
            )
        else:
            text = self.tr(
                "The key contains an invisible character ({code}, {name}) at position "
                "{position}: it was probably pasted with formatting. Paste it again from the "
                "provider's page."
            )
        return text.format(
            character=found.shown, code=found.code, name=found.name, position=found.position
        )

    def _on_save_clicked(self, row: KeyRow) -> None:
        key = row.field.key()
        if key and not row.busy and not self._refuses(row, key):
            row.set_status(self.tr("Saving…"), busy=True)
            self._spawn(self._save(row, key), finish=True)

    def _on_session_clicked(self, row: KeyRow) -> None:
        key = row.field.key()
        if key and not row.busy and not self._refuses(row, key):
            self._keys.set_for_session(row.provider_id, key)
            row.field.clear()
            row.set_status(self.tr("Saving…"), busy=True)
            self._spawn(self._stored(row, self.tr("Key kept for this session only.")), finish=True)

    def _on_remove_clicked(self, row: KeyRow) -> None:
        """Ask first, as removing an endpoint does: a removed key cannot be brought back
        from here, and the provider's page may not show it again."""
        if row.busy:
            return
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove key"),
            self.tr("Remove the {name} key from the keychain?").format(name=row.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setObjectName("removeKeyQuestion")
        question.button(QMessageBox.StandardButton.Yes).setText(self.tr("Remove"))
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.finished.connect(lambda answer: self._on_remove_answered(row, answer))
        question.open()

    def _on_remove_answered(self, row: KeyRow, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes and not row.busy:
            row.set_status(self.tr("Removing…"), busy=True)
            self._spawn(self._remove(row), finish=True)

    def _on_test_clicked(self, row: KeyRow) -> None:
        key = row.field.key() or None
        if not row.busy and not (key and self._refuses(row, key)):
            row.set_status(self.tr("Testing…"), busy=True)
            self._spawn(self._test(row, key))

    async def _save(self, row: KeyRow, key: str) -> None:
        try:
            where = await self._keys.aset(row.provider_id, key)
        except KeychainError as error:
            row.set_status(
                self.tr("The keychain did not store the key: {reason}").format(
                    reason=redact(keychain_error_words(error), [key])
                )
            )
            row.session_button.show()
            await self._show_availability()
            return
        row.field.clear()
        if where == KeySource.SESSION:
            await self._stored(row, self.tr("No keychain: key kept for this session only."))
        else:
            await self._stored(row, self.tr("Key saved in the keychain."))

    async def _remove(self, row: KeyRow) -> None:
        try:
            await self._keys.adelete(row.provider_id)
        except KeychainError as error:
            row.set_status(
                self.tr("The keychain did not remove the key: {reason}").format(
                    reason=keychain_error_words(error)
                )
            )
            return
        await self._stored(row, self.tr("Key removed."))

    async def _stored(self, row: KeyRow, status: str) -> None:
        """After a save or removal: the registry forgets the old key, the row shows where the
        key comes from now, and the app hears of it."""
        self._registry.invalidate(row.provider_id)
        await self._show_source(row)
        row.set_status(status)
        self.key_placed.emit(row.provider_id, row.source)
        row.remembered = self._remembered(row.provider_id)  # the dialog has noted it now
        row.update_buttons()
        self.key_changed.emit(row.provider_id)

    async def _show_source(self, row: KeyRow) -> None:
        row.source = await self._keys.akey_source(row.provider_id, row.env_var)
        row.remembered = self._remembered(row.provider_id)
        row.source_label.setText(self._source_text(row.source, row.env_var))
        row.update_buttons()

    def _source_text(self, source: KeySource, env_var: str | None) -> str:
        if source == KeySource.KEYCHAIN:
            return self.tr("Keychain")
        if source == KeySource.SESSION:
            return self.tr("This session only")
        if source == KeySource.ENVIRONMENT:
            return self.tr("Environment variable {name}").format(name=env_var)
        return self.tr("Not set")

    async def _test(self, row: KeyRow, key: str | None) -> None:
        status = self.tr("The test failed unexpectedly; the details are in the log file.")
        try:
            models = await self._registry.test_key(row.provider_id, key)
            status = self._models_text(len(models))
        except ChatError as error:
            status = redact(describe_error(error), [key] if key else [])
        finally:
            # Whatever happened (a bug goes on to the excepthook), the row is usable again.
            row.set_status(status)

    def _models_text(self, count: int) -> str:
        if count == 0:
            return self.tr("The key works, but the service lists no models.")
        if count == 1:
            return self.tr("Key works: 1 model available.")
        return self.tr("Key works: %n models available.", "", count)
