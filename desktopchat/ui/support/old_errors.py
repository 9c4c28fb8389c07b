"""Failed replies saved before errors were stored by kind (schema 1) kept their message as
words, in the language of the day. To show them in today's language, the words are read
back: matched against every error template in English and in our French, the values put in
its blanks ({provider}, the HTTP status, the details…) are recovered, and the error is worded
anew. Words that match no template (a changed wording, a hand-edited row) are shown as they
are."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QTranslator

from desktopchat.domain.errors import _DETAILS, _RETRY_IN, _RETRY_LATER, _TEMPLATES, ChatError
from desktopchat.ui.support.resources import resource_path
from desktopchat.ui.support.translation import SUPPORTED, describe_error

_BLANK = re.compile(r"\{(\w+)\}")
_STATUS = re.compile(r" \(HTTP (\d{3})\)")


def reworded(text: str) -> str:
    """`text`, an old row's error words, in today's language when they can be read back."""
    error = read_back(text)
    return text if error is None else describe_error(error)


def read_back(text: str) -> ChatError | None:
    """The error whose template, in any language we ship, produced `text`; None if none."""
    for kind, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            return _error(kind, found.groupdict())
    return None


def _error(kind, values: dict[str, str | None]) -> ChatError:
    status = _STATUS.fullmatch(values.get("status") or "")
    seconds = values.get("seconds") or ""
    fields = {
        "provider": values.get("provider"),
        "model": values.get("model"),
        "status": int(status.group(1)) if status else None,
        "retry_after": int(seconds) if seconds.isdigit() else None,
        "base_url": values.get("base_url"),
        "host": values.get("host"),
        "detail": values.get("detail"),
    }
    return ChatError(kind, **{name: value for name, value in fields.items() if value is not None})


@cache
def _patterns() -> list[tuple[object, re.Pattern[str]]]:
    """One pattern per template and language, built once (only old rows need them)."""
    patterns = []
    for translate in _translators():
        retry = f"(?:{_regex(translate(_RETRY_IN))}|{_regex(translate(_RETRY_LATER))})"
        details = _regex(translate(_DETAILS))
        for kind, template in _TEMPLATES.items():
            body = _regex(translate(template), retry=retry)
            patterns.append((kind, re.compile(f"{body}(?: {details})?", re.DOTALL)))
    return patterns


def _translators() -> list:
    """English as written, then each shipped translation, read from its .qm file."""
    found = [lambda text: text]
    for language in SUPPORTED:
        if language == "en":
            continue
        translator = QTranslator()
        if translator.load(str(resource_path(f"translations/desktopchat_{language}.qm"))):
            found.append(lambda text, t=translator: t.translate("ChatError", text) or text)
    return found


def _regex(template: str, *, retry: str = "") -> str:
    """The template as a pattern: each blank a named group, a blank used twice the same."""
    parts, seen, end = [], set(), 0
    for blank in _BLANK.finditer(template):
        parts.append(re.escape(template[end : blank.start()]))
        name = blank.group(1)
        if name == "retry" and retry:
            parts.append(retry)
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.*?)")
        end = blank.end()
    parts.append(re.escape(template[end:]))
    return "".join(parts)
