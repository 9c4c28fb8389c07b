"""One provider's row of the Keys tab (ui/settings/keys.py): the masked key field and the
row's widgets with what it knows (where the key comes from now, whether an operation runs).

Apart from the tab, which does the keychain and test work behind the rows, because the key
field is also the endpoint editor's (ui/settings/endpoints.py) and a row only shows state.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktopchat.domain.presets import ProviderPreset
from desktopchat.system.key_text import trim_key
from desktopchat.system.keys import KeySource
from desktopchat.ui.support.plain import PlainLabel


class KeyField(QLineEdit):
    """A masked key entry. Keys never contain whitespace, so the spaces and line breaks that
    come with a pasted key are dropped, and so are the invisible characters around it;
    Return saves the key rather than closing the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.textEdited.connect(self._drop_whitespace)

    def key(self) -> str:
        return trim_key("".join(self.text().split()))

    def _drop_whitespace(self, text: str) -> None:
        cleaned = "".join(text.split())
        if cleaned != text:
            self.setText(cleaned)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class KeyRow(QObject):
    """The widgets of one provider's row and what the row knows: where the key comes from
    now and whether an operation is running (its buttons are disabled meanwhile)."""

    def __init__(self, preset: ProviderPreset, parent: QObject) -> None:
        super().__init__(parent)
        self.provider_id = preset.id
        self.name = preset.name
        self.env_var = preset.env_var
        self.key_optional = preset.custom
        """A custom endpoint may need no key: it can be tested without one."""
        self.source: KeySource | None = None
        self.remembered = False
        """A key was given here and not removed, though none is found now (a session key
        gone with the last quit): Remove forgets it, so requests may go without one."""
        self.busy = False
        self.name_label = PlainLabel(preset.name)
        self.field = KeyField()
        self.field.setPlaceholderText(self.tr("Paste the key here"))
        self.field.setAccessibleName(self.tr("{name} API key").format(name=preset.name))
        self.name_label.setBuddy(self.field)
        self.show_button = QToolButton()
        self.show_button.setCheckable(True)
        self.show_button.setText(self.tr("Show"))
        self.show_button.setAccessibleName(self.tr("Show the {name} key").format(name=preset.name))
        self.save_button = QPushButton(self.tr("Save"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.test_button = QPushButton(self.tr("Test"))
        for button, action in (
            (self.save_button, self.tr("Save the {name} key")),
            (self.remove_button, self.tr("Remove the {name} key")),
            (self.test_button, self.tr("Test the {name} key")),
        ):
            button.setAccessibleName(action.format(name=preset.name))
        self.source_label = PlainLabel(self.tr("Checking…"))
        self.source_label.setAccessibleName(
            self.tr("Where the {name} key comes from").format(name=preset.name)
        )
        self.status_label = PlainLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.session_button = QPushButton(self.tr("Keep for this session only"))
        self.session_button.hide()
        self.show_button.toggled.connect(self._on_show_button_toggled)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.update_buttons()

    def widgets(self) -> Sequence[QWidget]:
        return (
            self.name_label,
            self.field,
            self.show_button,
            self.save_button,
            self.remove_button,
            self.test_button,
            self.source_label,
            self.status_label,
            self.session_button,
        )

    def set_status(self, status: str, *, busy: bool = False) -> None:
        """Say what is happening; while busy, the row's buttons are disabled."""
        self.busy = busy
        self.status_label.setText(status)
        self.update_buttons()

    def update_buttons(self) -> None:
        idle, typed = not self.busy, bool(self.field.key())
        self.save_button.setEnabled(idle and typed)
        self.session_button.setEnabled(idle and typed)
        self.remove_button.setEnabled(
            idle
            and (
                self.source in (KeySource.KEYCHAIN, KeySource.SESSION)
                or (self.source is KeySource.NONE and self.remembered)
            )
        )
        has_key = self.source not in (None, KeySource.NONE)
        self.test_button.setEnabled(idle and (typed or has_key or self.key_optional))

    def _on_show_button_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.field.setEchoMode(mode)
        self.show_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _on_field_text_changed(self, _text: str) -> None:
        self.session_button.hide()
        self.update_buttons()
