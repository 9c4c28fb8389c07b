"""What a link of the conversation says when the pointer rests on it, shown as written.

Qt's own tooltip for a link is the Markdown title of the link (`[a](https://x "title")`),
which md4c puts in the character format, and Qt shows a tooltip as rich text as soon as it
looks like markup: a title like `<img src='file:///dev/zero'>` would read a local file, fill
the memory or, for a FIFO, freeze the window. The view shows these tooltips instead, with
the title and the address escaped (R6).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QTextEdit

from desktopchat.ui.support.plain import plain_tooltip
from desktopchat.ui.transcript.markdown import LinkKind, link_policy


def blocked_text(url: QUrl) -> str:
    """Why a link is not opened, with its address."""
    return QCoreApplication.translate(
        "ChatView", "Not opened (only web and e-mail links open): {address}"
    ).format(address=url.toDisplayString())


def link_tooltip(url: QUrl, title: str = "") -> str:
    """The escaped tooltip of a link: its title over its address, or why it does not open;
    "" for our own action links and for no link."""
    kind = link_policy(url) if url.isValid() and not url.isEmpty() else None
    if kind is LinkKind.EXTERNAL:
        text = url.toDisplayString()
    elif kind is LinkKind.BLOCKED:
        text = blocked_text(url)
    else:
        return ""
    return plain_tooltip(f"{title}\n{text}" if title else text)


def format_at(view: QTextEdit, point: QPoint) -> QTextCharFormat:
    """The character format under a point of the view's viewport (where anchorAt looks)."""
    offset = QPoint(view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    document = view.document()
    position = document.documentLayout().hitTest(
        QPointF(point + offset), Qt.HitTestAccuracy.ExactHit
    )
    if position < 0:
        return QTextCharFormat()
    fragments = document.findBlock(position).begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        if fragment.contains(position):
            return fragment.charFormat()
        fragments += 1
    return QTextCharFormat()
