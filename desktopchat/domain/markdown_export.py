"""Conversations as Markdown files: pleasant in any Markdown viewer, and lossless.

The Markdown a model writes is kept as it is, so a viewer renders it like the chat view does.
What makes the file readable back exactly is a pair of HTML comments around each message's
text, which every viewer hides:

    ---
    desktopchat: 1
    title: "Fixing the parser"
    provider: "openai"
    model: "gpt-4o"
    temperature: 0.7
    system_prompt: "You are terse.\\nAnswer in French."
    created: "2026-11-22T10:00:00Z"
    updated: "2026-11-22T10:05:12.250000Z"
    messages: 2
    input_tokens: 1200
    output_tokens: 340
    ---

    # Fixing the parser

    > **System prompt**
    > …

    ## User

    <!-- desktopchat:message {"role": "user", "status": "complete", "created": "…"} -->
    the text, verbatim
    <!-- desktopchat:end -->

    ## Assistant (gpt-4o) _(interrupted)_

    <!-- desktopchat:message {"role": "assistant", "status": "interrupted", …} -->
    …

Why this shape:
- The front matter is YAML that viewers show as a table, written by us as one `key: value`
  per line with JSON scalars (JSON strings are valid YAML double-quoted strings once the few
  characters YAML forbids raw are escaped as \\uXXXX), so a multi-line system prompt stays
  on one line and nothing in it can end the block early.
- A message's text is everything between the newline that ends its opening marker and the
  newline before its end marker. The end marker is chosen per message so that the text does
  not contain it (`<!-- desktopchat:end -->`, else `… end 1 -->`, `… end 2 -->` …; the
  opening marker says which), so the first occurrence after the text is ours: fences of any
  kind, our own headings and markers, `---`, front matter look-alikes, leading and trailing
  blank lines and `\\r\\n` inside the text all come back exactly.
- Per-message details (role, status, date, model, tokens, error) ride in the opening marker
  as JSON with `>` escaped, so the comment cannot end early. Headings, the title, the system
  prompt quote and error notes are for people only; the reader ignores them.
- A reply cut off inside a code block (an interrupted stream, typically) would turn the rest
  of the file into code in a viewer, so the writer closes the fence after the text and
  records the closing line in the marker (`"closer"`); the reader removes it again.

Line endings: if the whole file was converted to CRLF (a Windows editor, git autocrlf), the
reader notices from the first line and converts `\\r\\n` back to `\\n` before reading. Texts
then come back exactly, except texts that themselves held `\\r\\n`: after such a conversion
the file no longer says which line breaks were there before, so they come back as `\\n`.
A byte-order mark at the start is ignored. Reading lives in `markdown_import`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.types import Conversation, Message, MessageStatus, Role

FORMAT_KEY = "desktopchat"
FORMAT_VERSION = 1
FRONT_MATTER_FENCE = "---"
MESSAGE_MARKER_PREFIX = "<!-- desktopchat:message "
MARKER_SUFFIX = " -->"
UNTITLED = "Untitled conversation"

_STATUS_NOTES = {
    MessageStatus.INTERRUPTED: "interrupted",
    MessageStatus.FAILED: "failed",
    MessageStatus.STREAMING: "unfinished",
}
_ROLE_LABELS = {Role.USER: "User", Role.ASSISTANT: "Assistant"}

# Characters YAML does not allow raw in a double-quoted scalar (or reads as line breaks);
# json.dumps leaves them raw, so they are escaped to \\uXXXX, which both YAML and JSON read.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# Markdown punctuation that would change how a heading renders.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&])")
_FENCE_LINE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<rest>.*)$", re.MULTILINE)


def end_marker(number: int) -> str:
    """The line that ends a message's text; numbered when the text contains the plain one."""
    return f"<!-- desktopchat:end {number} -->" if number else "<!-- desktopchat:end -->"


def json_scalar(value: Any) -> str:
    """`value` as one line of JSON that is also a valid YAML flow scalar."""
    return _YAML_UNSAFE.sub(
        lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False)
    )


def iso_utc(timestamp: float) -> str:
    """Unix seconds as ISO 8601 UTC ("2026-11-22T10:00:00Z"), to the microsecond if needed."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def conversation_to_markdown(conversation: Conversation, messages: Sequence[Message]) -> str:
    """The whole conversation as one Markdown document (see the module docstring)."""
    title = _inline(conversation.title) or UNTITLED
    parts = [_front_matter(conversation, messages), "\n# ", title, "\n"]
    if conversation.system_prompt:
        parts += ["\n> **System prompt**\n>\n", _blockquote(conversation.system_prompt)]
    for message in messages:
        parts += _message_parts(message)
    return "".join(parts)


def _front_matter(conversation: Conversation, messages: Sequence[Message]) -> str:
    fields: dict[str, Any] = {
        FORMAT_KEY: FORMAT_VERSION,
        "title": conversation.title,
        "provider": conversation.provider,
        "model": conversation.model,
        "temperature": conversation.temperature,
        "system_prompt": conversation.system_prompt,
        "created": iso_utc(conversation.created),
        "updated": iso_utc(conversation.updated),
        "messages": len(messages),
        "input_tokens": _token_total(m.usage.input_tokens for m in messages if m.usage),
        "output_tokens": _token_total(m.usage.output_tokens for m in messages if m.usage),
    }
    lines = [f"{key}: {json_scalar(value)}\n" for key, value in fields.items()]
    return "".join([FRONT_MATTER_FENCE, "\n", *lines, FRONT_MATTER_FENCE, "\n"])


def _token_total(counts: Iterable[int | None]) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


def _message_parts(message: Message) -> list[str]:
    text = message.text
    end_number = 0
    while end_marker(end_number) in text:
        end_number += 1
    closer = _unclosed_fence(text)
    # The kind and details import back; the English words are for the person reading.
    error_kind, error_details = message.error.to_record() if message.error else (None, None)
    error_text = message.error.message if message.error else message.error_text
    details: dict[str, Any] = {
        "role": message.role.value,
        "status": message.status.value,
        "created": iso_utc(message.created),
        "provider": message.provider,
        "model": message.model,
        "input_tokens": message.usage.input_tokens if message.usage else None,
        "output_tokens": message.usage.output_tokens if message.usage else None,
        "duration": message.duration,
        "error": error_text,
        "error_kind": error_kind,
        "error_details": error_details,
        "end": end_number or None,
        "closer": closer,
    }
    marker_json = json_scalar({k: v for k, v in details.items() if v is not None})
    parts = ["\n", _heading(message), "\n\n", MESSAGE_MARKER_PREFIX]
    parts += [marker_json.replace(">", "\\u003e"), MARKER_SUFFIX, "\n", text, "\n"]
    if closer:
        parts += [closer, "\n"]
    parts += [end_marker(end_number), "\n"]
    if error_text:
        parts += ["\n", _blockquote(f"**Error:** {error_text}")]
    return parts


def _heading(message: Message) -> str:
    heading = f"## {_ROLE_LABELS[message.role]}"
    model = _inline(message.model or "")
    if message.role is Role.ASSISTANT and model:
        heading += f" ({model})"
    note = _STATUS_NOTES.get(message.status)
    return f"{heading} _({note})_" if note else heading


def _inline(text: str) -> str:
    """Text fit for one line of Markdown: no control characters, specials escaped."""
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _blockquote(text: str) -> str:
    """Text quoted line by line, so nothing in it starts a line of the document."""
    return "".join(f"> {line}\n" if line else ">\n" for line in text.splitlines() or [""])


def _unclosed_fence(text: str) -> str | None:
    """The line that closes a code fence the text leaves open, or None.

    A CommonMark-shaped scan of fences at the top level (and in list items indented like
    them, which the same closing line closes too); good enough for rendering, and the
    reader does not depend on it. Only lines that look like fences are visited.
    """
    if "```" not in text and "~~~" not in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    indent, fence = "", ""
    for line in _FENCE_LINE.finditer(text):
        marker, rest = line["fence"], line["rest"]
        if not fence:
            if not (marker[0] == "`" and "`" in rest):
                indent, fence = line["indent"], marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip(" \t"):
            fence = ""
    return indent + fence if fence else None


def default_export_name(conversation: Conversation, *, suffix: str = ".md") -> str:
    """The file name an export proposes: "2026-11-22 My title.md" (local date, as shown)."""
    day = datetime.fromtimestamp(conversation.created).date().isoformat()
    return safe_file_name(f"{day} {_clean_stem(conversation.title) or UNTITLED}", suffix=suffix)


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
    stem = _cut(_clean_stem(title) or UNTITLED, max_chars, max_bytes).rstrip(". ")
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = "_" + _cut(stem, max_chars - 1, max_bytes - 1).rstrip(". ")
    return stem + suffix


def _clean_stem(title: str) -> str:
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
