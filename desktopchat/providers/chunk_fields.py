"""Reading the fields of a streamed chunk, whatever shape the server sent it in.

The SDKs build stream chunks without validating them (pydantic `construct`), so a server
that sends `"choices": null`, a string where an object belongs or a token count of "12" hands
our adapters exactly that. A chunk is data from outside, like the text in it: a field of the
wrong shape is read as absent, never as a crash (which would be reported as a bug in
DesktopChat), and a wrong count never reaches the database. Strings come back well formed:
a lone UTF-16 surrogate (`"\\ud800"` is valid JSON) becomes U+FFFD, where it would stop the
reply at the first write to SQLite or to the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from desktopchat.domain.errors import well_formed
from desktopchat.domain.types import token_count

_T = TypeVar("_T")


def field(value: object, name: str) -> object:
    """`value.name` of an SDK model, `value[name]` of a mapping the SDK left as it was,
    None for anything else or when the field is missing."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def first(value: object) -> object:
    """The first item of a list, None when `value` is not a non-empty list."""
    return value[0] if isinstance(value, list) and value else None


def text(value: object) -> str:
    """A string field's value, well formed; "" when it is missing or not a string."""
    return well_formed(value) if isinstance(value, str) else ""


def repaired(value: _T) -> _T:
    """`value` well formed if it is a string, else as it is (a model id of the wrong type
    is left for the caller to judge)."""
    return well_formed(value) if isinstance(value, str) else value  # type: ignore[return-value]


def count(value: object) -> int | None:
    """A token count; None when it is missing or not an integer from 0 to MAX_TOKEN_COUNT."""
    return token_count(value)
