"""File names made from titles that are safe on Linux, macOS and Windows (exports, and the
attachments written beside them)."""

from __future__ import annotations

import re
import unicodedata

UNTITLED = "Untitled conversation"

_UNSAFE_IN_NAMES = re.compile(r'[/\\:*?"<>|]')
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"]
)
_MAX_NAME_BYTES = 255  # ext4, APFS and most others limit one name to 255 bytes of UTF-8
_ZERO_WIDTH_JOINER = "\u200d"


def safe_file_name(title: str, *, suffix: str = ".md", max_length: int = 100) -> str:
    """A file name made from `title` that is safe on Linux, macOS and Windows.

    No path separators or characters Windows forbids, no control or bidi-override
    characters, no leading dot (hidden file, or ".."), no trailing dot or space, never a
    Windows device name (CON, NUL, COM1 …), never empty ("Untitled conversation"); at most
    `max_length` characters and 255 UTF-8 bytes including `suffix`, cut between characters
    a person sees as one (an emoji with its modifiers stays whole).
    """
    if _UNSAFE_IN_NAMES.search(suffix) or len(suffix) >= max_length:
        raise ValueError(f"unusable file name suffix {suffix!r} for length {max_length}")
    max_chars = max_length - len(suffix)
    max_bytes = _MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    stem = _cut(clean_stem(title) or UNTITLED, max_chars, max_bytes).rstrip(". ")
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = "_" + _cut(stem, max_chars - 1, max_bytes - 1).rstrip(". ")
    return stem + suffix


def clean_stem(title: str) -> str:
    """The title with unsafe characters turned to spaces, spaces collapsed, dots trimmed."""
    spaced = "".join(
        " " if _UNSAFE_IN_NAMES.match(c) or c in _BIDI_CONTROLS or _is_control(c) else c
        for c in unicodedata.normalize("NFC", title)
    )
    return " ".join(spaced.split()).strip(". ")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def _cut(text: str, max_chars: int, max_bytes: int) -> str:
    """The longest start of `text` within both limits that ends between graphemes."""
    cut = min(len(text), max(max_chars, 0))
    while cut and len(text[:cut].encode("utf-8")) > max_bytes:
        cut -= 1
    boundary = cut
    while 0 < boundary < len(text) and _continues_grapheme(text, boundary):
        boundary -= 1
    return text[: boundary or cut]


def _continues_grapheme(text: str, index: int) -> bool:
    """Whether text[index] belongs to the same perceived character as text[index - 1].

    An approximation of Unicode grapheme clusters (no `regex` module here) that covers what
    titles hold: combining marks, variation selectors, emoji modifiers and tags, joiner
    sequences and flag pairs.
    """
    char, previous = text[index], text[index - 1]
    code = ord(char)
    if (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZERO_WIDTH_JOINER
        or previous == _ZERO_WIDTH_JOINER
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    ):
        return True
    if _is_regional_indicator(char) and _is_regional_indicator(previous):
        run = 0
        while index - run - 1 >= 0 and _is_regional_indicator(text[index - run - 1]):
            run += 1
        return run % 2 == 1
    return False


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
