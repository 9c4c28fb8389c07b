"""The look of the conversation: every text format and colour, derived from palette and font.

Kept apart from the document's structure (chat_document.py) and from what is painted behind
the text (backdrop.py), so the look can change without touching either. Colours are mixed
from the palette (ui/support/theme.py installs the light and dark ones), so both themes
follow from the same rules.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextFormat,
    QTextFrameFormat,
)

from desktopchat.ui.transcript.code_highlighter import CodeTheme, is_dark

MESSAGE_ROLE = QTextFormat.Property.UserProperty + 10
"""On a message frame: "user" or "assistant" (what backdrop.py paints behind it)."""
CODE_HEADER = QTextFormat.Property.UserProperty + 11
"""On the header block above a code block: the fence's language ("" for none)."""
LEFT_OUT = QTextFormat.Property.UserProperty + 12
"""On a message frame: the message is not sent with the conversation."""
FACT_TOOLTIP = QTextFormat.Property.UserProperty + 13
"""On a piece of text that is not a link: what its tooltip says, as plain text (Qt's own
tooltips of a document are rich text, and the view shows only these)."""

LINE_HEIGHT = 145
"""Percent of the font's line spacing for prose (code is denser, CODE_LINE_HEIGHT)."""
CODE_LINE_HEIGHT = 120
BUBBLE_PAD_X = 14
BUBBLE_PAD_Y = 9
CODE_PAD_X = 12
CODE_PAD_Y = 6
"""Room in a code box above and below its header's line, and below its last line."""
BUBBLE_MIN_INDENT = 0.18
"""A person's bubble starts at least this far (of the column) from the left."""
QUOTE_INDENT = 18
COLUMN_EM = 46


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """`first` moved `amount` (0–1) of the way to `second`."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


class ChatFormats:
    """Every format and colour the conversation uses, for one palette and font."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        dark = is_dark(palette)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        self.dark = dark
        self.theme = CodeTheme.for_palette(palette)
        self.muted_colour = palette.color(QPalette.ColorRole.PlaceholderText)
        self.bubble = mix(base, highlight, 0.16) if dark else mix(base, highlight, 0.09)
        self.border = mix(base, text, 0.14)
        self.quote_bar = mix(base, text, 0.28)
        self.code_header = mix(base, text, 0.10 if dark else 0.06)
        self.inline_code = mix(base, text, 0.12 if dark else 0.07)
        self.text_colour = text
        self.veil = QColor(base)
        self.veil.setAlphaF(0.5)
        """Laid over a message left out of what is sent, to dim it."""
        self.text_pixel_size = QFontInfo(font).pixelSize()
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.88)
        self.small_font = small

        self.link = QTextCharFormat()
        self.link.setForeground(palette.color(QPalette.ColorRole.Link))
        self.small_link = QTextCharFormat(self.link)
        self.small_link.setFont(small)
        self.role = QTextCharFormat()
        self.role.setFont(small)
        self.role.setFontWeight(QFont.Weight.DemiBold)
        self.role.setForeground(self.muted_colour)
        self.muted = QTextCharFormat()
        self.muted.setForeground(self.muted_colour)
        self.small_muted = QTextCharFormat(self.muted)
        self.small_muted.setFont(small)
        self.notice = QTextCharFormat(self.small_muted)
        self.notice.setFontWeight(QFont.Weight.Bold)
        self.notice.setForeground(QColor("#e5a50a" if dark else "#9c6500"))
        self.text = QTextCharFormat()
        self.title = QTextCharFormat()
        title_font = QFont(font)
        title_font.setPointSizeF(font.pointSizeF() * 1.6)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)

        self.prose_block = QTextBlockFormat()
        self.prose_block.setLineHeight(
            LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        self.header_block = QTextBlockFormat()
        self.header_block.setBottomMargin(4)
        self.user_header_block = QTextBlockFormat()
        self.user_header_block.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        self.user_header_block.setBottomMargin(BUBBLE_PAD_Y)
        self.footer_block = QTextBlockFormat()
        self.footer_block.setTopMargin(6)
        self.user_footer_block = QTextBlockFormat(self.footer_block)
        self.user_footer_block.setTopMargin(BUBBLE_PAD_Y + 4)
        self.user_footer_block.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.plain_block = QTextBlockFormat()
        self.centred_block = QTextBlockFormat()
        self.centred_block.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.centred_block.setTopMargin(6)
        self.load_earlier_block = QTextBlockFormat(self.centred_block)

        self.code_header_block = QTextBlockFormat()
        self.code_header_block.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.code_header_block.setLeftMargin(CODE_PAD_X)
        self.code_header_block.setRightMargin(CODE_PAD_X)
        self.code_header_block.setTopMargin(10 + CODE_PAD_Y)
        self.code_header_block.setBottomMargin(CODE_PAD_Y + 6)
        self.code_header_block.setNonBreakableLines(True)
        self.code_line = QTextBlockFormat()
        self.code_line.setLeftMargin(CODE_PAD_X)
        self.code_line.setRightMargin(CODE_PAD_X)
        self.code_line.setNonBreakableLines(False)
        self.code_line.setLineHeight(
            CODE_LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        self.code_last_line = QTextBlockFormat(self.code_line)
        self.code_last_line.setBottomMargin(CODE_PAD_Y + 12)
        self.quote_block = QTextBlockFormat()
        self.attachment_block = QTextBlockFormat()
        self.attachment_block.setBottomMargin(6)
        self.reasoning_line_block = QTextBlockFormat()
        self.reasoning_line_block.setBottomMargin(4)
        self.reasoning_block = QTextBlockFormat(self.prose_block)
        self.reasoning_block.setLeftMargin(QUOTE_INDENT)
        self.reasoning_text = QTextCharFormat(self.muted)
        self.inline_code_format = QTextCharFormat()
        self.inline_code_format.setBackground(self.inline_code)

        self.assistant_frame = QTextFrameFormat()
        self.assistant_frame.setTopMargin(14)
        self.assistant_frame.setBottomMargin(4)
        self.assistant_frame.setProperty(MESSAGE_ROLE, "assistant")
        self.user_frame = QTextFrameFormat()
        self.user_frame.setTopMargin(14)
        self.user_frame.setBottomMargin(2)
        self.user_frame.setRightMargin(BUBBLE_PAD_X)
        self.user_frame.setProperty(MESSAGE_ROLE, "user")
        self.error_frame = QTextFrameFormat()
        self.error_frame.setPadding(8)
        self.error_frame.setTopMargin(8)
        self.error_frame.setBorder(1)
        self.error_frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        self.error_frame.setBorderBrush(QColor("#e06c75" if dark else "#c5221f"))
        self.error_frame.setBackground(QColor("#3b2226" if dark else "#fdecea"))
