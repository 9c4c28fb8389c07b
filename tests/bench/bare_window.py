"""The reference for start-up and idle memory (P1, P6): a bare PySide6 window of the kinds of
widgets DesktopChat's main window shows, and nothing else (no qasync, no keyring, no data).

Run as a script (`python tests/bench/bare_window.py`), alternately with the app, so both pay
the same interpreter start and the same state of the file cache.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

TITLE = "BareReference"


def build_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle(TITLE)
    for menu in ("&File", "&Edit", "&View", "&Help"):
        window.menuBar().addMenu(menu).addAction("Item")
    conversations = QListWidget()
    conversations.addItems([f"Conversation {n}" for n in range(20)])
    right = QWidget()
    column = QVBoxLayout(right)
    column.addWidget(QComboBox())
    column.addWidget(QSlider(Qt.Orientation.Horizontal))
    column.addWidget(QTextBrowser(), 1)
    column.addWidget(QPlainTextEdit())
    column.addWidget(QPushButton("Send"))
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(conversations)
    splitter.addWidget(right)
    window.setCentralWidget(splitter)
    window.resize(1100, 720)
    return window


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = build_window()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
