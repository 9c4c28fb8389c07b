"""Names and values a tool server gets (environment variables, HTTP headers), one row each:
name, value, "secret", remove. A secret's value is typed masked and goes to the keychain.

Editing a server shows a kept secret as an empty masked field whose placeholder says it is
kept: left empty, the keychain keeps it; typed, it is replaced. Its value never comes back
to the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class RowWords:
    """What a screen reader says of a row's name, value and remove button."""

    name: str
    value: str
    remove: str


@dataclass(frozen=True)
class RowValue:
    """What one row holds. `kept`: a secret already in the keychain, not retyped."""

    name: str
    value: str
    secret: bool
    kept: bool


class ValueRow(QWidget):
    removed = Signal(object)

    def __init__(self, always_secret: bool, words: RowWords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kept = False
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Name"))
        self.name.setAccessibleName(words.name)
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("Value"))
        self.value.setAccessibleName(words.value)
        self.secret = QCheckBox(self.tr("Secret"))
        self.secret.setToolTip(self.tr("Kept in the keychain, never in mcp.json"))
        self.secret.setChecked(always_secret)
        self.secret.setVisible(not always_secret)
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setAccessibleName(words.remove)
        self.remove.setToolTip(self.remove.accessibleName())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.secret)
        layout.addWidget(self.remove)
        self.secret.toggled.connect(self.on_secret_toggled)
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        self.on_secret_toggled(self.secret.isChecked())

    def set_kept_secret(self, name: str) -> None:
        self.name.setText(name)
        self.secret.setChecked(True)
        self.kept = True
        self.value.setPlaceholderText(self.tr("Kept in the keychain; type to replace"))

    def on_secret_toggled(self, on: bool) -> None:
        self.value.setEchoMode(QLineEdit.EchoMode.Password if on else QLineEdit.EchoMode.Normal)

    def row_value(self) -> RowValue:
        value = self.value.text()
        secret = self.secret.isChecked()
        return RowValue(self.name.text().strip(), value, secret, self.kept and secret and not value)


class ValueRows(QWidget):
    """A list of rows and an "Add" button; `always_secret` for headers."""

    def __init__(
        self, add_label: str, words: RowWords, always_secret: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._words = words
        self._always_secret = always_secret
        self.rows: list[ValueRow] = []
        self._layout = QVBoxLayout()
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add = QPushButton(add_label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._layout)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.add.clicked.connect(lambda: self.add_row().name.setFocus())

    def add_row(self, name: str = "", value: str = "", secret: bool = False) -> ValueRow:
        row = ValueRow(self._always_secret, self._words)
        row.name.setText(name)
        row.value.setText(value)
        if secret:
            row.secret.setChecked(True)
        row.removed.connect(self.on_row_removed)
        self.rows.append(row)
        self._layout.addWidget(row)
        return row

    def on_row_removed(self, row: ValueRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        row.deleteLater()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].name.setFocus()
        else:
            self.add.setFocus()

    def values(self) -> list[RowValue]:
        """Every row with a name or a value (an empty row is ignored)."""
        found = [row.row_value() for row in self.rows]
        return [v for v in found if v.name or v.value or v.kept]
