"""The model picker's capability marks: reads images, reasons, calls tools. The tools mark
comes from the service's list (OpenRouter's supported parameters) or else from the bundled
table (`"tools": true`); each mark is an icon of the app's set with its own tooltip, and a
screen reader hears the marks as words."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip, QWidget

from desktopchat.domain.presets import get_preset
from desktopchat.domain.types import ModelInfo
from desktopchat.services.model_list import ModelList
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import Preferences
from desktopchat.ui.models.lists import ModelLists
from desktopchat.ui.models.picker import ModelPicker
from desktopchat.ui.models.picker_delegate import RowLayout, marks
from desktopchat.ui.models.picker_popup import PickerPopup
from desktopchat.ui.models.picker_rows import ModelFacts, ProviderState, build_rows
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import plain_tooltip
from tests.ui.models.test_model_picker import Kept


def test_tools_mark_comes_from_the_service_or_else_the_table():
    models = ModelList(
        (
            ModelInfo("said-yes", tools=True),
            ModelInfo("said-no", tools=False),
            ModelInfo("not-said"),
        ),
        3,
    )
    state = ProviderState(get_preset("openrouter"), models, keyed=True)
    rows = build_rows([state], [], [], "", "openrouter", lambda _p, _m: ModelFacts(tools=True))
    tools = {row.model.id: row.facts.tools for row in rows if row.model is not None}
    assert tools == {"said-yes": True, "said-no": False, "not-said": True}
    rows = build_rows([state], [], [], "", "openrouter", lambda _p, _m: None)
    assert [row.facts.tools for row in rows[1:]] == [True, False, False]


def test_the_table_marks_its_tool_calling_models(qtbot, qloop, tmp_path):
    """The real table: gpt-5 is `"tools": true` in desktopchat/data/model_table.json."""
    registry = ProviderRegistry(KeyStore(), Preferences, cache_dir=tmp_path)
    task = asyncio.get_event_loop().create_task(registry.load_catalog())
    qtbot.waitUntil(task.done, timeout=5000)
    lists = ModelLists(
        ModelPicker(Kept(), lambda: None, lambda _p, _m: None), registry, Tasks(), None
    )
    facts = lists.figures("openai", "gpt-5")
    assert facts is not None and facts.tools and facts.context_length == 400_000
    assert lists.figures("openai", "no-such-model") is None


def test_each_mark_is_an_icon_with_its_tooltip_and_words_for_screen_readers(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    popup = PickerPopup(host)
    state = ProviderState(
        get_preset("openrouter"),
        ModelList((ModelInfo("openai/o3", input_modalities=("text", "image"), tools=True),), 1),
        keyed=True,
    )
    rows = build_rows([state], [], [], "", "openrouter", lambda _p, _m: None)
    popup.set_rows(rows)
    popup.show()
    qtbot.waitExposed(popup)
    row = rows[1]
    assert marks(row) == "vision · reasoning · tools"
    index = popup.rows.index(1)
    assert "vision · reasoning · tools" in popup.rows.data(
        index, Qt.ItemDataRole.AccessibleTextRole
    )
    view = popup.view
    rect = view.visualRect(index)
    places = RowLayout(row, rect, view.fontMetrics())
    assert [icon for _, icon, _ in places.marks] == ["eye", "lightbulb", "tools"]
    assert places.name.right() < places.marks[0][0].left()
    tips = []
    for place, _, _ in places.marks:
        centre = place.center()
        event = QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre))
        QToolTip.hideText()
        view.viewportEvent(event)
        tips.append(QToolTip.text())
    assert tips == ["Reads images", "Reasons before it answers", "Calls tools"]
    away = QPoint(rect.left() + 60, rect.center().y())
    QToolTip.hideText()
    view.viewportEvent(QHelpEvent(QEvent.Type.ToolTip, away, view.viewport().mapToGlobal(away)))
    assert QToolTip.text() == plain_tooltip("openai/o3")  # elsewhere: the model id
