"""The status line's tooltip quotes what it cut, and what it quotes may come from a server."""

from __future__ import annotations

from desktopchat.ui.window.status_line import WindowStatusBar


def test_a_cut_message_quoting_markup_is_shown_as_written_in_the_tooltip(qtbot, tmp_path):
    """An error's details quoted a server that wrote an image tag naming a FIFO: as Qt rich
    text, the tooltip would have opened it and frozen the window for good."""
    fifo = tmp_path / "fifo"
    hostile = f'A reply failed in another chat: <img src="file://{fifo}"> <b>bold</b> ' * 5
    bar = WindowStatusBar()
    qtbot.addWidget(bar)
    bar.resize(300, bar.height())
    bar.showMessage(hostile)
    assert bar.currentMessage().endswith("…")
    tooltip = bar.toolTip()
    assert "<img" not in tooltip and "<b>" not in tooltip
    assert "&lt;img" in tooltip and str(fifo) in tooltip
