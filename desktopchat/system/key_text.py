"""What a pasted API key may contain.

A key travels in an HTTP header, where only printable ASCII is safe: the HTTP library refuses
anything else with an encoding error deep inside a request. Pasting from a web page or a
chat brings invisible companions (a zero-width space, a no-break space, a byte-order mark)
and, through "smart" formatting, lookalikes (an en dash for a hyphen, curly quotes). The
invisible ones at the ends are trimmed; anything else that cannot be sent is refused with
where it is, so the person can paste the key again rather than wonder why nothing answers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from desktopchat.domain.errors import UNSENDABLE_KEY

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen: not
whitespace to str.strip(), but just as much a paste artefact."""


def trim_key(key: str) -> str:
    """The key without the whitespace (no-break spaces included) and invisible characters
    that pasting leaves around it."""
    start, end = 0, len(key)
    while start < end and _trimmed(key[start]):
        start += 1
    while end > start and _trimmed(key[end - 1]):
        end -= 1
    return key[start:end]


def _trimmed(character: str) -> bool:
    return character.isspace() or character in _INVISIBLE


@dataclass(frozen=True)
class UnsendableCharacter:
    """The first character of a key that cannot go in an HTTP header."""

    character: str
    position: int
    """1-based, as a person counts."""

    @property
    def code(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def name(self) -> str:
        """The Unicode name in lower case ("en dash"); controls have none."""
        return unicodedata.name(self.character, "control character").lower()

    @property
    def shown(self) -> str:
        """The character itself when it can be seen, else nothing visible is pretended."""
        visible = unicodedata.category(self.character)[0] not in "CZ"
        return self.character if visible else ""

    def describe(self) -> str:
        """In English, for a ChatError's details (the UI words its own messages)."""
        shown = f"“{self.shown}” " if self.shown else ""
        return UNSENDABLE_KEY.format(
            shown=shown, code=self.code, name=self.name, position=self.position
        )


def unsendable_character(key: str) -> UnsendableCharacter | None:
    """The first character that cannot be sent in an HTTP header (non-ASCII or a control
    character), or None when the key can be sent as it is."""
    for index, character in enumerate(key):
        if not " " <= character <= "~":
            return UnsendableCharacter(character, index + 1)
    return None


class UnsendableKey(ValueError):
    """A key that cannot be sent: it holds `found`."""

    def __init__(self, found: UnsendableCharacter) -> None:
        super().__init__(found.describe())
        self.found = found


def clean_key(key: str) -> str:
    """The key trimmed of what pasting adds around it; ValueError when nothing is left,
    UnsendableKey when what is left cannot go in an HTTP header."""
    cleaned = trim_key(key)
    if not cleaned:
        raise ValueError("An API key cannot be empty.")
    found = unsendable_character(cleaned)
    if found is not None:
        raise UnsendableKey(found)
    return cleaned
