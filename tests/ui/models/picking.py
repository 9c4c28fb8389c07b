"""Picking a model as a person does: open the popup, type, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.picker_rows import RowKind


def pick(qtbot, picker: ModelPicker, model: str, provider: str | None = None) -> None:
    """Open the popup, type `model` and press Enter once its row (of `provider`, or the row
    offering the typed id) is the selected one."""
    picker.click()
    popup = picker.popup
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClicks(popup.search, model)

    def wanted(row) -> bool:
        if row is None or row.model is None or row.model.id != model:
            return False
        return provider is None or row.provider_id == provider

    # The lists load when the popup opens: wait for the row, then go down to it.
    qtbot.waitUntil(lambda: any(wanted(row) for row in popup.rows.rows), timeout=20_000)
    for _ in popup.rows.rows:
        if wanted(popup.current()):
            break
        qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    assert wanted(popup.current())
    assert popup.current() is not None and popup.current().kind in (RowKind.MODEL, RowKind.TYPED)
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
