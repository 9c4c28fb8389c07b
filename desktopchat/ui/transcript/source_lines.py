"""The sources a reply cites, under its text: "Sources", then one numbered line each — the
page's title as a link and its address, muted.

Titles and addresses come from the web through the provider: they are inserted as plain
text (QTextCursor.insertText, never HTML), and only an http or https address becomes a
link, which the view opens in the browser on click (view_links.py: the same policy as
every link in a conversation). Anything else (`javascript:`, `file:`) is shown, inert.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QTextCursor

from desktopchat.domain.types import Message
from desktopchat.domain.web_search import Citation, opens_in_browser
from desktopchat.ui.transcript.formats import ChatFormats
from desktopchat.ui.transcript.markdown import link_format

ADDRESS_SHOWN = 80
"""The most characters of an address shown on its line (the link holds all of it)."""


def sources_heading() -> str:
    return QCoreApplication.translate("ChatView", "Sources")


def write_sources(cursor: QTextCursor, message: Message, formats: ChatFormats) -> None:
    """The list after the block `cursor` is at the end of; the cursor ends after it.
    Nothing for a reply without sources."""
    sources = message.web_search.sources
    if not sources:
        return
    cursor.insertBlock(formats.attachment_block, formats.small_muted)
    cursor.insertText(sources_heading(), formats.role)
    for number, source in enumerate(sources, start=1):
        cursor.insertBlock(formats.attachment_block, formats.small_muted)
        cursor.insertText(f"{number}. ", formats.small_muted)
        _write_source(cursor, source, formats)


def _write_source(cursor: QTextCursor, source: Citation, formats: ChatFormats) -> None:
    title = source.title or source.url
    address = _shown_address(source.url)
    if opens_in_browser(source.url):
        href = QUrl(source.url).toString(QUrl.ComponentFormattingOption.FullyEncoded)
        cursor.insertText(title, link_format(formats.small_link, href))
    else:
        cursor.insertText(title, formats.small_muted)
    if address != title:
        cursor.insertText(" · " + address, formats.small_muted)


def _shown_address(url: str) -> str:
    return url if len(url) <= ADDRESS_SHOWN else url[: ADDRESS_SHOWN - 1] + "…"
