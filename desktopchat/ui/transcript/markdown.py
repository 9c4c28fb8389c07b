"""Model text → rendered Markdown in a QTextDocument that cannot reach anything (R6).

Model output is untrusted. Qt's Markdown importer (md4c, C++) is fast and, with
`MarkdownNoHTML`, shows raw HTML as text instead of interpreting it. What remains are
resource loads and links:

* `QTextBrowser.loadResource()` returning nothing is not enough: `QTextDocument.loadResource()`
  then decodes `data:` URLs itself and reads `file:` and relative URLs from disk (measured:
  an image at `file:///…` is shown). `InertDocument` overrides the document's own
  `loadResource`, and `insert_markdown` turns every image into a text link to its address,
  so nothing is ever fetched or read.
* Links are only followed on click, by the view, through `link_policy`; a `mailto:` link only
  as its bare address (`external_url`): an `attach=` parameter would have the mail program
  attach a local file, `body=` would write the mail for the model.
* A link's Markdown title becomes its format's tooltip, which Qt would show as rich text; the
  view shows it escaped instead (chat_view.py).
"""

from __future__ import annotations

import re
from enum import Enum

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import (
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
)

from desktopchat.ui.transcript.actions import ACTION_SCHEME
from desktopchat.ui.transcript.code_highlighter import code_language
from desktopchat.ui.transcript.document_images import DocumentImages
from desktopchat.ui.transcript.formats import ChatFormats
from desktopchat.ui.transcript.long_words import break_long_words
from desktopchat.ui.transcript.markdown_blocks import fence_large_tables
from desktopchat.ui.transcript.markdown_touches import (
    CodeHeader,
    blocks_until,
    finish,
    prepare,
)
from desktopchat.ui.transcript.math_images import MathImages

MARKDOWN_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
MAX_TABLE_CELLS = 1_000
"""Larger tables are shown as code: ~60 ms of layout here, where 20,000 cells take seconds."""
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
_MAIL_ADDRESS = re.compile(r"[^@\s,;:<>?&/\\]+@[^@\s,;:<>?&/\\]+")

# Qt drops the block format of the first block of an inserted fragment (it merges into the
# block at the cursor). A throw-away paragraph in front takes that loss; it is deleted after.
_LEAD = "x\n\n"
_OBJECT_REPLACEMENT = "\ufffc"


class InertDocument(QTextDocument):
    """A QTextDocument that never loads a resource: no network, no file, no data: URL."""

    def loadResource(self, type: int, name: QUrl) -> None:
        return None


class LinkKind(Enum):
    """What a click on a link may do."""

    ACTION = "action"
    EXTERNAL = "external"
    BLOCKED = "blocked"


def link_policy(url: QUrl) -> LinkKind:
    """Our own action links act, http(s)/mailto open in the system, everything else is inert."""
    scheme = url.scheme().lower()
    if scheme == ACTION_SCHEME:
        return LinkKind.ACTION
    if scheme == "mailto":
        return LinkKind.EXTERNAL if url.isValid() and _mail_address(url) else LinkKind.BLOCKED
    if scheme in EXTERNAL_SCHEMES and url.isValid() and url.host():
        return LinkKind.EXTERNAL
    return LinkKind.BLOCKED


def _mail_address(url: QUrl) -> str | None:
    """The one address a mailto: link writes to, None if it is not exactly one address."""
    address = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
    return address if _MAIL_ADDRESS.fullmatch(address) else None


def external_url(url: QUrl) -> QUrl:
    """What an external link hands to the system: a mailto: link as its bare address only."""
    if url.scheme().lower() == "mailto":
        return QUrl("mailto:" + (_mail_address(url) or ""))
    return url


def link_format(base: QTextCharFormat, href: str, tooltip: str = "") -> QTextCharFormat:
    """`base` (the colours of links) made into an anchor to `href`."""
    char_format = QTextCharFormat(base)
    char_format.setAnchor(True)
    char_format.setAnchorHref(href)
    if tooltip:
        char_format.setToolTip(tooltip)
    return char_format


def is_code_block(block: QTextBlock) -> bool:
    """Whether the block is a line of a fenced or indented code block."""
    return code_language(block.blockFormat()) is not None


def insert_markdown(
    cursor: QTextCursor,
    text: str,
    formats: ChatFormats,
    *,
    code_header: CodeHeader | None = None,
    first_code_index: int = 0,
    images: DocumentImages | None = None,
    math: MathImages | None = None,
    max_table_cells: int = MAX_TABLE_CELLS,
    scratch: QTextDocument | None = None,
) -> int:
    """Render `text` as new blocks after the block the cursor is at the end of.

    The cursor is left at the end of the inserted content. Images become links to their
    address; tables of more than `max_table_cells` cells are shown as code (see
    fence_large_tables); each code block gets a header block above it, which `code_header`
    fills (numbering from `first_code_index`); formulas become images when `math` and
    `images` are given (markdown_touches.py); `scratch`, an InertDocument to import into,
    saves making one per call. Returns the number of code blocks.
    """
    # rstrip: a trailing newline would leave an empty block behind.
    text = fence_large_tables(text, max_table_cells).rstrip()
    if not text:
        return 0
    source = prepare(text, math)
    # Imported into a scratch document, touched there, then inserted, as insertMarkdown
    # itself does: inside the view's edit block, Qt would not show the tables' frames yet.
    if scratch is None:
        scratch = InertDocument()
    scratch.setMarkdown(_LEAD + source.text, MARKDOWN_FEATURES)
    first = scratch.begin().next()
    end = QTextCursor(scratch)
    end.movePosition(QTextCursor.MoveOperation.End)
    if "![" in text:
        _make_images_inert(first, end, formats.link)
    # Always: md4c unescapes addresses ("dc\\-action:…"), so the source text cannot tell.
    _disarm_action_links(first, end)
    count = finish(
        first,
        end,
        source,
        formats,
        code_header=code_header,
        first_code_index=first_code_index,
        images=images,
        math=math,
    )
    break_long_words(first, end)
    start = cursor.position()
    cursor.insertFragment(QTextDocumentFragment(scratch))
    lead = QTextCursor(cursor.document())
    lead.setPosition(start)
    lead.setPosition(start + 1, QTextCursor.MoveMode.KeepAnchor)
    lead.removeSelectedText()
    return count


def _disarm_action_links(first: QTextBlock, end: QTextCursor) -> None:
    """The text's own links to our `dc-action:` scheme become plain text: only the links
    the view adds act (a reply's "[Undo](dc-action:delete/7)" must not delete)."""
    disarmed = []
    for block in blocks_until(first, end):
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            char_format = fragment.charFormat()
            href = char_format.anchorHref() if char_format.isAnchor() else ""
            if href and QUrl(href).scheme().lower() == ACTION_SCHEME:
                char_format.setAnchor(False)
                char_format.setAnchorHref("")
                char_format.setFontUnderline(False)
                char_format.clearForeground()
                disarmed.append((fragment.position(), fragment.length(), char_format))
            fragments += 1
    editor = QTextCursor(end.document())
    for position, length, char_format in disarmed:
        editor.setPosition(position)
        editor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        editor.setCharFormat(char_format)


def _make_images_inert(first: QTextBlock, end: QTextCursor, link_base: QTextCharFormat) -> None:
    editor = QTextCursor(end.document())
    for block in blocks_until(first, end):
        if _OBJECT_REPLACEMENT not in block.text():
            continue
        images = []
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isImageFormat():
                image = fragment.charFormat().toImageFormat()
                alt = image.property(QTextFormat.Property.ImageAltText) or ""
                title = image.property(QTextFormat.Property.ImageTitle) or ""
                images.append((fragment.position(), image.name(), alt, title))
            fragments += 1
        for position, address, alt, title in reversed(images):
            label = QCoreApplication.translate("ChatView", "[image: {name}]").format(
                name=alt or address
            )
            editor.setPosition(position)
            editor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            editor.insertText(label, link_format(link_base, address, title))
