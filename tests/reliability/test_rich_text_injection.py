"""R6 for every widget: text from outside is shown as written, never as Qt rich text.

Qt renders a label, a message box or a tooltip as HTML when its text looks like markup, and
a rich-text document reads the images it names by itself. Hostile text reaches the window
by every road here: a conversation title (the person's first words), a model id from the
server's model list, an error body through Settings → Keys → Test and through a model-list
refresh, a folder name said after an export, and a reply whose link title holds an image
tag. Every image points at a FIFO: a read of it would block the window for good, so a
watcher process opens its other end, counts the open and lets the read end. Then every
label, tooltip and item tooltip of every window is checked, every tooltip is shown as the
app shows it, and a link of the reply is hovered.

Bound checked: the FIFO is opened 0 times (no time bound: a blocked read is released by the
watcher, and counted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QEvent, QPoint, Qt
from PySide6.QtGui import QAction, QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QToolTip,
    QWidget,
)

from desktopchat.ui.transcript.markdown import InertDocument
from tests.file_dialogs import answering_file_dialogs
from tests.reliability.in_window import notice_text, paste_and_send, settings_dialog
from tests.wire_server import Fault, ModelSpec

_WATCHER = """
import errno, os, signal, sys, time
path, opened = sys.argv[1], 0

def report(_signal, _frame):
    print(opened, flush=True)
    os._exit(0)

signal.signal(signal.SIGTERM, report)
print("ready", flush=True)
while True:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno != errno.ENXIO:
            raise
        time.sleep(0.005)
        continue
    opened += 1
    os.close(fd)
"""


class FifoTrap:
    """A FIFO that counts every open of it for reading, and never lets a reader hang.

    A watcher process keeps trying to open the write end, which succeeds only while a
    reader waits; it counts before closing, so the reader's read (end of file) returns only
    once the open is counted. A process, not a thread: a reader blocked inside Qt may hold
    Python's GIL.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self._watcher = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert self._watcher.stdout.readline() == "ready\n"
        self._opened: int | None = None

    def close(self) -> int:
        """Stop watching and remove the FIFO (a later read fails instead of hanging); how
        many times it was opened."""
        if self._opened is None:
            self._watcher.terminate()
            output, _ = self._watcher.communicate()
            self._opened = int(output)
            self.path.unlink()
        return self._opened


@pytest.fixture
def trap() -> Iterator[FifoTrap]:
    folder = Path(tempfile.mkdtemp(prefix="rt"))  # short: the path must fit in a title
    fifo = FifoTrap(folder / "f")
    yield fifo
    fifo.close()
    shutil.rmtree(folder)


def image_tag(trap: FifoTrap) -> str:
    return f"<img src=file://{trap.path}>"


def link_reply(trap: FifoTrap) -> str:
    """A reply with a link whose title is an image tag, and an image with one as its title."""
    tag = image_tag(trap)
    return (
        f'Read [docs](https://docs.python.org/3/ "{tag}") first, '
        f'then ![a picture <b>x</b>](https://example.com/a.png "{tag}").'
    )


def ask(running, question: str, trap: FifoTrap) -> None:
    """Send `question`; the reply is `link_reply`, waited for until it is on screen."""
    running.server.reply.text = link_reply(trap)
    paste_and_send(running, question)
    running.wait_text("Read docs first")
    running.wait_reply_done()


def is_literal(text: str, hostile: str) -> bool:
    """Whether Qt shows `text` with `hostile` in it as characters, not as markup: either Qt
    takes the text as plain, or the rich text, rendered, shows `hostile` as written."""
    if not GuiQt.mightBeRichText(text):
        return True
    rendered = InertDocument()
    rendered.setHtml(text)
    return hostile in rendered.toPlainText()


def every_widget() -> list[QWidget]:
    seen: dict[int, QWidget] = {}
    for top in QApplication.topLevelWidgets():
        for widget in [top, *top.findChildren(QWidget)]:
            seen.setdefault(id(widget), widget)
    return list(seen.values())


def shown_texts(marker: str) -> tuple[list[tuple[str, QLabel]], list[tuple[str, str, QWidget]]]:
    """The labels and the tooltips (widgets', combo box items', list and tree items') of
    every window that hold `marker`."""
    labels: list[tuple[str, QLabel]] = []
    tooltips: list[tuple[str, str, QWidget]] = []
    for widget in every_widget():
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if widget.objectName() == "qtooltip_label":
            continue  # Qt's own tooltip window: checked through QToolTip.text()
        if isinstance(widget, QLabel) and marker in widget.text():
            labels.append((where, widget))
        if marker in widget.toolTip():
            tooltips.append((where, widget.toolTip(), widget))
        if isinstance(widget, QComboBox):
            for row in range(widget.count()):
                tip = widget.itemData(row, Qt.ItemDataRole.ToolTipRole) or ""
                if marker in tip:
                    tooltips.append((f"{where} item {row}", tip, widget))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            # a list model's columnCount is private in Qt 6 (the sidebar's paged model)
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for row in range(model.rowCount()):
                for column in range(columns):
                    tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) or ""
                    if marker in tip:
                        tooltips.append((f"{where} row {row}", tip, widget))
    return labels, tooltips


def texts_not_literal(trap: FifoTrap) -> tuple[list[str], list[tuple[str, str]], int]:
    """The labels that are not plain text and the tooltips that are markup while holding
    the hostile tag, and how many texts hold it; each such label is laid out and each such
    tooltip shown as Qt shows it, so a rich one would load its image now."""
    marker, tag = str(trap.path), image_tag(trap)
    labels, tooltips = shown_texts(marker)
    rich_labels = [
        where for where, label in labels if label.textFormat() != Qt.TextFormat.PlainText
    ]
    rich_tooltips = [(where, tip) for where, tip, _widget in tooltips if not is_literal(tip, tag)]
    for _where, label in labels:
        label.sizeHint()
    for _where, tip, widget in tooltips:
        QToolTip.showText(widget.mapToGlobal(QPoint(4, 4)), tip, widget)
        QToolTip.hideText()
    return rich_labels, rich_tooltips, len(labels) + len(tooltips)


def test_no_window_shows_outside_text_as_rich_text(make_app, wire_server, trap):
    tag = image_tag(trap)
    wire_server.models.append(ModelSpec(f"evil-{tag}", name=f"Friendly {tag}"))
    running = make_app()
    # The person's first words become the title; the reply holds a trapped link title.
    ask(running, f"{tag}<b>x</b>", trap)
    # The model picker shows a model whose id holds the tag (in its tooltip).
    running.window.picker.set_selection("openai", f"evil-{tag}")
    # A model-list refresh that fails with markup in its error body.
    wire_server.queue(Fault.http(403, f"{tag}<b>model list down</b>"))
    running.window.model_lists.refresh(running.window.picker.provider_id())  # as Refresh does
    running.qtbot.waitUntil(
        lambda: (
            str(trap.path) in running.window.statusBar().currentMessage() + notice_text(running)
        ),
        timeout=5000,
    )
    # Export all into a folder whose name holds an image tag: the name is said in a box.
    folder = Path(f"{trap.path.parent}/<img src=file:{trap.path}>")
    folder.mkdir(parents=True)
    with answering_file_dialogs(folder):
        running.window.findChild(QAction, "exportAll").trigger()
        running.settle()  # the dialog answered, the files written off the loop
    # Settings → Keys → Test answered by a 401 whose message is a fake, rich warning.
    dialog = settings_dialog(running, "openai")
    row = dialog.keys_tab.row("openai")
    running.qtbot.waitUntil(lambda: row.source is not None and not row.busy, timeout=5000)
    wire_server.queue(
        Fault.http(
            401,
            f"{tag}<h1 style='color:red'>Re-verify your key at "
            "<a href='https://evil.example/'>https://evil.example/</a></h1>",
        )
    )
    running.qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    running.qtbot.waitUntil(lambda: str(trap.path) in row.status_label.text(), timeout=5000)

    rich_labels, rich_tooltips, checked = texts_not_literal(trap)

    assert (rich_labels, rich_tooltips, trap.close()) == ([], [], 0)
    assert checked >= 5  # the title's and the picker's tooltips, the status, export and Test


def hover(running, text: str) -> str:
    """Rest the pointer on `text` in the conversation as a person would (moving there, then
    Qt's tooltip event); what the tooltip says afterwards."""
    view = running.window.chat_view
    cursor = view.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), f"no “{text}” in the conversation"
    middle = QTextCursor(view.document())
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    view.setTextCursor(middle)
    view.ensureCursorVisible()
    point = view.cursorRect(middle).center()
    running.qtbot.mouseMove(view.viewport(), point)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text()


def test_hovering_links_of_a_reply_reads_nothing(app, trap):
    tag = image_tag(trap)
    ask(app, "Any reading?", trap)

    link_tip = hover(app, "docs")
    image_tip = hover(app, "a picture")

    opened = trap.close()
    rendered = InertDocument()
    rendered.setHtml(link_tip)
    assert (rendered.toPlainText(), opened) == (f"{tag}\nhttps://docs.python.org/3/", 0)
    assert is_literal(image_tip, "https://example.com/a.png"), image_tip
