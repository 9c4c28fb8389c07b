"""The values of a prompt's built-in variables, read when the prompt is used: `{{date}}` and
`{{time}}` in the person's locale (QLocale's default, which the app sets even when LANG is
unset), `{{clipboard}}` (its text, cut to CLIPBOARD_LIMIT), `{{selection}}` (the text
selected in the conversation). Only the built-ins a prompt names are read, so the clipboard
is not touched for a prompt that does not ask for it. An empty clipboard or selection gives
no value: the variable is then left as typed, and the form says why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtGui import QGuiApplication

from desktopchat.domain.prompt_template import uses_built_ins

CLIPBOARD_LIMIT = 100_000
"""Characters of the clipboard a prompt takes; a longer text is cut (and the form says so)."""


@dataclass(frozen=True)
class BuiltIns:
    """What the built-ins a prompt uses stand for now; `empty` names those with no value
    (nothing selected, nothing on the clipboard), `cut` those shortened."""

    values: dict[str, str] = field(default_factory=dict)
    empty: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()


def read_built_ins(body: str, selection: Callable[[], str]) -> BuiltIns:
    values: dict[str, str] = {}
    empty: list[str] = []
    cut: list[str] = []
    locale = QLocale()
    for name in uses_built_ins(body):
        if name == "date":
            value = locale.toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
        elif name == "time":
            value = locale.toString(QTime.currentTime(), QLocale.FormatType.ShortFormat)
        elif name == "clipboard":
            value = QGuiApplication.clipboard().text()
        else:
            value = selection()
        if len(value) > CLIPBOARD_LIMIT:
            value = value[:CLIPBOARD_LIMIT]
            cut.append(name)
        if value:
            values[name] = value
        else:
            empty.append(name)
    return BuiltIns(values, tuple(empty), tuple(cut))
