"""A search snippet as plain words with the matches' places: what the sidebar draws.

The history marks each match with two control characters (storage/search.py). Here they
become character ranges, and Markdown's marks (`**`, `__`, backticks, a heading's `#`) are
dropped, so a snippet reads as the words a person wrote and never as markup: nothing from
a message is ever handed to Qt as rich text.
"""

from __future__ import annotations

import re

from desktopchat.services.history import SNIPPET_END, SNIPPET_START

_MARKDOWN = re.compile(r"```[A-Za-z0-9_+-]*|`{1,2}|\*{1,3}|_{2,3}|(?:^|(?<=\s))#{1,6}(?=\s)|^>\s?")
"""Emphasis, code fences (with their language) and spans, heading and quote marks."""


def marked(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """(`plain text`, [(start, length) of each match]) for a marked snippet; white space
    runs (new lines included) become one space."""
    plain: list[str] = []
    ranges: list[tuple[int, int]] = []
    length = 0
    inside = False
    for part in re.split(f"([{SNIPPET_START}{SNIPPET_END}])", snippet):
        if part == SNIPPET_START:
            inside = True
            continue
        if part == SNIPPET_END:
            inside = False
            continue
        text = _MARKDOWN.sub("", part) if not inside else part
        text = re.sub(r"\s+", " ", text)
        if length == 0:
            text = text.lstrip()
        if inside and text:
            ranges.append((length, len(text)))
        plain.append(text)
        length += len(text)
    return "".join(plain).rstrip(), ranges


def without_marks(snippet: str) -> str:
    """The snippet's words only, for screen readers and tooltips."""
    return marked(snippet)[0]
