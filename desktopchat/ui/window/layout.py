"""The main window's layout: where each part sits, and the window's size and sidebar width,
kept in the preferences between runs.

Sizes are stored as base64 of Qt's own state blobs. A value that cannot be decoded (a
hand-edited or damaged settings file) is ignored: the window opens at its default size
rather than not at all.
"""

from __future__ import annotations

import base64
import binascii

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.system.settings import Preferences

DEFAULT_SIZE = (1100, 720)
DEFAULT_SIDEBAR_WIDTH = 260
SIDEBAR_MIN_WIDTH = 180
MIN_WIDTH = 640
"""The window stays usable this narrow (DESIGN.md §7): the header stays one row."""


def arrange(
    window: QMainWindow,
    sidebar: QWidget,
    above: list[QWidget],
    conversation: QWidget,
    welcome: QWidget,
    below: QWidget,
    side: QWidget,
) -> tuple[QSplitter, QStackedWidget]:
    """The sidebar beside a column: the bars `above`, the conversation (or, on a first run,
    the welcome in its place) taking the height left, and `below` it the composer; the
    `side` panel (fixed width, shown or hidden) right of the conversation and the composer,
    under the header, so the header never moves when it opens."""
    column_widget = QWidget()
    column = QVBoxLayout(column_widget)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for widget in above:
        column.addWidget(widget)
    pages = QStackedWidget(objectName="conversationPages")
    pages.addWidget(conversation)
    pages.addWidget(welcome)
    body = QHBoxLayout()
    body.setContentsMargins(0, 0, 0, 0)
    body.setSpacing(0)
    conversation_column = QVBoxLayout()
    conversation_column.setSpacing(0)
    conversation_column.addWidget(pages, 1)
    conversation_column.addWidget(below)
    body.addLayout(conversation_column, 1)
    body.addWidget(side)
    column.addLayout(body, 1)
    sidebar.setMinimumWidth(SIDEBAR_MIN_WIDTH)
    splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
    splitter.addWidget(sidebar)
    splitter.addWidget(column_widget)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)
    window.setCentralWidget(splitter)
    window.setMinimumWidth(MIN_WIDTH)
    return splitter, pages


def _decoded(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None


def _encoded(state: QByteArray) -> str:
    return base64.b64encode(bytes(state)).decode("ascii")


def restore_window_state(window: QMainWindow, splitter: QSplitter, prefs: Preferences) -> None:
    geometry = _decoded(prefs.window_geometry)
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*DEFAULT_SIZE)
    sizes = _decoded(prefs.splitter_state)
    if sizes is None or not splitter.restoreState(sizes):
        splitter.setSizes([DEFAULT_SIDEBAR_WIDTH, DEFAULT_SIZE[0] - DEFAULT_SIDEBAR_WIDTH])


def remember_window_state(window: QMainWindow, splitter: QSplitter, prefs: Preferences) -> None:
    prefs.window_geometry = _encoded(window.saveGeometry())
    prefs.splitter_state = _encoded(splitter.saveState())
