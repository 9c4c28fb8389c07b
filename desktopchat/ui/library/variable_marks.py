"""The `{{variables}}` of a prompt marked as it is typed in the library: fields to fill in
in the palette's link colour and bold, built-ins in italic, so a brace that is *not* a
variable (`{{1st}}`, `{{{raw}}}`) stands out by staying plain. Variables never span lines,
so each block is marked on its own."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from desktopchat.domain.prompt_template import BUILT_INS, find_variables


class VariableMarks(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self._field = QTextCharFormat()
        self._field.setForeground(palette.color(QPalette.ColorRole.Link))
        self._field.setFontWeight(QFont.Weight.Bold)
        self._built_in = QTextCharFormat(self._field)
        self._built_in.setFontWeight(QFont.Weight.Normal)
        self._built_in.setFontItalic(True)

    def highlightBlock(self, text: str) -> None:
        for variable in find_variables(text):
            mark = self._built_in if variable.name in BUILT_INS else self._field
            self.setFormat(variable.start, variable.end - variable.start, mark)
