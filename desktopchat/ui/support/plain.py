"""One rule for text from outside (R6): it is shown as written, never as Qt rich text.

Qt guesses. A QLabel, a QMessageBox and every tooltip treat their text as HTML as soon as
Qt::mightBeRichText() finds something that looks like a tag in it, and a rich-text document
loads the images it names by itself: a `file:` image is read from disk, `/dev/zero` is read
until memory runs out, a FIFO blocks the window for good. Model output, error bodies, model
ids, conversation titles and file names can look like markup on purpose, so:

* labels are `PlainLabel`s, always plain text, whatever they hold;
* tooltips have no plain-text mode, so text from data goes through `plain_tooltip()`, which
  escapes it and keeps its spaces and line breaks;
* message boxes come from `plain_message_box()` (its informative text follows the format).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

TOOLTIP_START = "<p style='white-space:pre-wrap'>"
TOOLTIP_END = "</p>"


class PlainLabel(QLabel):
    """A QLabel that shows its text literally: Qt's guess is never asked."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` exactly as written ("" stays "": no tooltip)."""
    if not text:
        return ""
    return TOOLTIP_START + html.escape(text, quote=False) + TOOLTIP_END


def plain_message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    parent: QWidget | None,
) -> QMessageBox:
    """A message box whose text (and informative text) is shown literally."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def tell(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """Say something in a plain message box with one OK button, opened (not exec'd: no nested
    event loop) and deleted when closed."""
    box = plain_message_box(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def ask_to_delete(
    parent: QWidget,
    heading: str,
    question: str,
    delete: str,
    on_delete: Callable[[], object],
    name: str,
) -> QMessageBox:
    """Ask before deleting, in a plain message box opened (no nested event loop) and deleted
    when closed: Cancel is the default, the Yes button says `delete`, and `on_delete` runs
    only when that button was chosen. `name` is the box's object name (tests find it)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    box = plain_message_box(QMessageBox.Icon.Question, heading, question, buttons, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    delete_button = box.button(QMessageBox.StandardButton.Yes)
    delete_button.setText(delete)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def on_answered(_result: int) -> None:
        if box.clickedButton() is delete_button:
            on_delete()

    box.finished.connect(on_answered)
    box.open()
    return box
