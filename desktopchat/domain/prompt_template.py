"""`{{variables}}` in a saved prompt: which ones it has, and the text once they are filled.

The rules, kept narrow so that text which merely contains braces (code, JSON, LaTeX, a
Jinja or Handlebars snippet being discussed) is left exactly as typed:

* a variable is `{{name}}`, spaces allowed just inside the braces (`{{ topic }}`);
* a name starts with a letter or `_` and goes on with letters, digits, `_`, `-`, `.` or
  inner spaces, at most NAME_LIMIT characters, on one line (any script: `{{sujet}}`,
  `{{тема}}`);
* three or more braces (`{{{x}}}`, Mustache's unescaped form) are not a variable, nor is an
  empty or malformed pair (`{{}}`, `{{ 1st }}`, `{{a`, `{x}`);
* filling is one pass: a value that itself holds `{{x}}` is inserted as written, never
  filled again, and a variable with no value given is left as typed.

Names are compared as written once the inner spaces are trimmed, so `{{ topic }}` and
`{{topic}}` are one field. Pure functions: no I/O, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

NAME_LIMIT = 64
"""A variable's name is a label for a field, not text: longer is not a variable."""

FIELD_LIMIT = 40
"""At most this many distinct variables get a field; the rest are left as typed (a pasted
template with thousands of `{{…}}` must not build thousands of widgets)."""

BUILT_INS = ("date", "time", "clipboard", "selection")
"""Filled by the app, never asked: today's date and the time in the person's locale, the
clipboard's text, the text selected in the conversation."""

_VARIABLE = re.compile(
    r"(?<!\{)\{\{[ \t]*"
    rf"(?P<name>[^\W\d](?:[\w.\- ]{{0,{NAME_LIMIT - 2}}}[\w.\-])?)"
    r"[ \t]*\}\}(?!\})"
)

_LONG_HINTS = frozenset(
    {
        "article",
        "body",
        "code",
        "content",
        "context",
        "diff",
        "document",
        "draft",
        "email",
        "essay",
        "excerpt",
        "input",
        "log",
        "message",
        "notes",
        "paragraph",
        "passage",
        "snippet",
        "source",
        "text",
        "transcript",
        # French, then a few of the other languages people name their fields in
        "brouillon",
        "contenu",
        "corps",
        "courriel",
        "extrait",
        "texte",
        "transcription",
        "inhalt",
        "nachricht",
        "contenido",
        "texto",
    }
)
"""Words in a variable's name that say a passage goes there, not a word or two (the name is
the person's, in their language)."""

LONG_VALUE = 80
"""A remembered value longer than this (or with a line break) gets a multi-line field."""


@dataclass(frozen=True)
class Variable:
    """One `{{name}}` found in a body: its name and where it stands (start, end)."""

    name: str
    start: int
    end: int


def find_variables(body: str) -> tuple[Variable, ...]:
    """Every variable in `body`, in order, repeats included."""
    return tuple(
        Variable(match["name"], match.start(), match.end()) for match in _VARIABLE.finditer(body)
    )


def variable_names(body: str) -> tuple[str, ...]:
    """The distinct names in `body`, in the order they first appear (built-ins included)."""
    return tuple(dict.fromkeys(variable.name for variable in find_variables(body)))


def fields_to_ask(body: str) -> tuple[str, ...]:
    """The names the person fills in: every distinct name but the built-ins, at most
    FIELD_LIMIT of them."""
    return tuple(name for name in variable_names(body) if name not in BUILT_INS)[:FIELD_LIMIT]


def uses_built_ins(body: str) -> tuple[str, ...]:
    """The built-ins `body` asks for, so the app reads the clipboard or the selection only
    when a prompt needs it."""
    names = set(variable_names(body))
    return tuple(name for name in BUILT_INS if name in names)


def fill(body: str, values: Mapping[str, str]) -> str:
    """`body` with each variable that has a value replaced by it, in one pass; the others,
    and every brace that is not a variable, left as typed."""

    def value_of(match: re.Match[str]) -> str:
        name = match["name"]
        return values[name] if name in values else match[0]

    return _VARIABLE.sub(value_of, body)


def wants_long_text(name: str, remembered: str = "") -> bool:
    """Whether `name`'s field should take several lines: its name says a passage goes there
    (`{{text}}`, `{{source_code}}`, `{{email body}}`), or what was given last time was long."""
    words = re.split(r"[\W_]+", name.lower())
    if any(word in _LONG_HINTS for word in words):
        return True
    return "\n" in remembered or len(remembered) > LONG_VALUE
