"""View → Usage's table: providers by the name people know them by, estimated tokens
marked so."""

from __future__ import annotations

from desktopchat.services.usage import UsageSummary, UsageTotal
from desktopchat.ui.library.usage_view import UsageDialog


def _summary() -> UsageSummary:
    summary = UsageSummary()
    summary.by_model = {
        ("custom-fake-server", "llama"): UsageTotal(2, 100, 40, estimated=2),
        ("custom-removed", "old"): UsageTotal(1, 10, 4, cost=0.01),
    }
    summary.total = UsageTotal(3, 110, 44, cost=0.01, unpriced=2, estimated=2)
    summary.provider_names = {"custom-fake-server": "My llama", "custom-removed": None}
    return summary


def test_providers_are_named_and_estimates_marked(qtbot):
    dialog = UsageDialog(None, None, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show_summary(_summary())

    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert rows[0][:5] == ["My llama", "llama", "2", "≈100", "≈40"]
    assert "Estimated for 2 replies" in table.item(0, 3).toolTip()
    assert rows[1][0] == "A provider no longer set up"
    assert rows[1][3:5] == ["10", "4"] and not table.item(1, 3).toolTip()
    assert not any("custom-" in cell for row in rows for cell in row)
    assert "2 replies estimated" in dialog.summary_label.text()
