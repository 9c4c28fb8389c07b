"""Conversations as Markdown files: pleasant in any Markdown viewer, and lossless.

The Markdown a model writes is kept as it is, so a viewer renders it like the chat view does.
Format 2 (format 1, with a pair of HTML comments around every message, is still read):

    ---
    desktopchat: 2
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

    ## User <!--m1-->

    the text, verbatim
    ![photo.png](<2026-11-22 Fixing the parser files/1 photo.png>)

    ## Assistant (o3) <!--m2-->

    <details><summary>Thought for 12 s</summary>

    the reasoning, verbatim

    </details>

    the answer, verbatim

    <!-- desktopchat:details
    {"role": "user", "created": "…", "chars": 18, "attachments": [{…}]}
    {"role": "assistant", "created": "…", "chars": 18, "reasoning": {"chars": 20, …}}
    -->

Why this shape:
- The front matter is YAML that viewers show as a table, written by us as one `key: value`
  per line with JSON scalars (JSON strings are valid YAML double-quoted strings once the few
  characters YAML forbids raw are escaped as \\uXXXX), so a multi-line system prompt stays
  on one line and nothing in it can end the block early.
- What a viewer need not show (each message's details: date, tokens, error kind, the
  attachments' document text …) is one HTML comment at the end, one JSON line per message
  with `>` escaped, so nothing in it ends the comment. Each heading carries a compact
  marker (`<!--m2-->`) that viewers hide.
- A message's text (and its reasoning) is read by its length, recorded in its details: it
  starts after the blank line below its heading (or its reasoning block), so fences of any
  kind, our own headings and markers, `---`, blank lines and `\\r\\n` inside come back
  exactly. Headings, the title, the system prompt quote, error notes and attachment links
  are for people; the reader checks the separators it expects and refuses a file edited
  so that it cannot be read exactly.
- A text cut off inside a code block (an interrupted stream) would turn the rest of the file
  into code in a viewer, so the writer closes the fence after it and records the closing
  line (`"closer"`); the reader skips it again.
- Attachments with bytes are written beside the file, in a folder named like it ("… files"),
  under safe names; the details keep their name, type, size, sha256 and document text.
- A reply's tool calls: one folded block each after its text, and the whole calls in its
  details (domain/markdown_tools.py).
- A reply's web sources: a numbered "Sources" list after its text (titles escaped, only
  http and https addresses as links), and the searches and sources in its details
  (`"web_search"`, domain/web_search.py), which is what the reader takes back.
- A reply that stopped short (cut at the output limit, paused, filtered): a quoted line
  saying so after its text, and the fact in its details (`"end"`, domain/reply_end.py).
- Every branch can be written (`tree=True`): each message's details then name its parent
  (`"parent"`, 0 for a first message) and the header the current leaf (`current`).

Line endings: if the whole file was converted to CRLF (a Windows editor, git autocrlf), the
reader notices from the first line and converts `\\r\\n` back to `\\n` before reading. Texts
then come back exactly, except texts that themselves held `\\r\\n`. A byte-order mark at the
start is ignored. Reading lives in `markdown_import`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from desktopchat.domain.file_names import UNTITLED, clean_stem, safe_file_name
from desktopchat.domain.markdown_fields import EARLIEST_TIME, LATEST_TIME
from desktopchat.domain.markdown_source import unclosed_fence
from desktopchat.domain.markdown_tools import tool_blocks, tools_details
from desktopchat.domain.reply_end import export_words, reply_end_record
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Conversation,
    Message,
    MessageStatus,
    Role,
)
from desktopchat.domain.web_search import WebSearch, opens_in_browser, web_search_record

FORMAT_KEY = "desktopchat"
FORMAT_VERSION = 2
FRONT_MATTER_FENCE = "---"
DETAILS_OPENING = "<!-- desktopchat:details"
DETAILS_CLOSING = "-->"
REASONING_OPENING = "<details><summary>"
REASONING_SUMMARY_END = "</summary>\n\n"
REASONING_CLOSING = "\n\n</details>\n\n"
FILES_SUFFIX = " files"

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


def heading_marker(number: int) -> str:
    """The compact marker at the end of message `number`'s heading (from 1)."""
    return f" <!--m{number}-->"


def json_scalar(value: Any) -> str:
    """`value` as one line of JSON that is also a valid YAML flow scalar."""
    return _YAML_UNSAFE.sub(
        lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False)
    )


def comment_safe_json(value: Any) -> str:
    """One line of JSON that cannot end the HTML comment it sits in."""
    return json_scalar(value).replace(">", "\\u003e")


def showable(seconds: float) -> float:
    """`seconds` brought into 1970–9999, the range every date is shown in: a history written
    before imports checked their dates may hold one Python's datetime cannot make, and an
    export must still be written (and read back)."""
    if seconds != seconds:  # NaN
        return EARLIEST_TIME
    return min(max(seconds, EARLIEST_TIME), LATEST_TIME)


def iso_utc(timestamp: float) -> str:
    """Unix seconds as ISO 8601 UTC ("2026-11-22T10:00:00Z"), to the microsecond if needed."""
    moment = datetime.fromtimestamp(showable(timestamp), tz=UTC)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def conversation_to_markdown(
    conversation: Conversation,
    messages: Sequence[Message],
    *,
    files_folder: str = "",
    tree: bool = False,
) -> str:
    """The conversation as one Markdown document (see the module docstring).

    `messages` is the path shown (root first), or with `tree` every message, parents
    before children. Attachments with bytes link into `files_folder` (relative to the
    file; see `attachment_files`), which the caller fills.
    """
    numbers = {m.id: n for n, m in enumerate(messages, start=1)} if tree else {}
    title = _inline(conversation.title) or UNTITLED
    current = numbers.get(conversation.current_leaf_id or 0) if tree else None
    parts = [_front_matter(conversation, messages, current), "\n# ", title, "\n"]
    if conversation.system_prompt:
        parts += ["\n> **System prompt**\n>\n", _blockquote(conversation.system_prompt)]
    details = []
    for number, message in enumerate(messages, start=1):
        parent = numbers.get(message.parent_id or 0, 0) if tree else None
        section, message_details = _message(number, message, parent, files_folder)
        parts += section
        details.append(comment_safe_json(message_details))
    if details:
        parts += ["\n", DETAILS_OPENING, "\n", "\n".join(details), "\n", DETAILS_CLOSING, "\n"]
    return "".join(parts)


def attachment_files(messages: Sequence[Message], files_folder: str) -> list[tuple[str, str]]:
    """(path relative to the Markdown file, sha256) of every attachment with bytes, as
    `conversation_to_markdown` links them; each path once."""
    found: dict[str, str] = {}
    for number, message in enumerate(messages, start=1):
        for position, attachment in enumerate(message.attachments, start=1):
            if attachment.sha256:
                found[_attachment_path(files_folder, number, position, attachment)] = (
                    attachment.sha256
                )
    return list(found.items())


def _attachment_path(folder: str, number: int, position: int, attachment: Attachment) -> str:
    name = safe_file_name(attachment.name, suffix="", max_length=80) or "file"
    return f"{folder}/{number}-{position} {name}"


def _front_matter(
    conversation: Conversation, messages: Sequence[Message], current: int | None
) -> str:
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
    if current is not None:
        fields["current"] = current
    lines = [f"{key}: {json_scalar(value)}\n" for key, value in fields.items()]
    return "".join([FRONT_MATTER_FENCE, "\n", *lines, FRONT_MATTER_FENCE, "\n"])


def _token_total(counts: Iterable[int | None]) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


def _message(
    number: int, message: Message, parent: int | None, files_folder: str
) -> tuple[list[str], dict[str, Any]]:
    """The message's section of the document, and its details for the closing comment."""
    error_kind, error_details = message.error.to_record() if message.error else (None, None)
    error_text = message.error.message if message.error else message.error_text
    usage = message.usage
    closer = _unclosed_fence(message.text)
    details: dict[str, Any] = {
        "role": message.role.value,
        "status": message.status.value,
        "created": iso_utc(message.created),
        "parent": parent,
        "provider": message.provider,
        "model": message.model,
        "served_model": message.served_model,
        "input_tokens": usage.input_tokens if usage else None,
        "output_tokens": usage.output_tokens if usage else None,
        "reasoning_tokens": usage.reasoning_tokens if usage else None,
        "cached_tokens": usage.cached_tokens if usage else None,
        "cost": usage.cost if usage else None,
        "cost_source": usage.cost_source if usage else None,
        "usage_estimated": True if usage and usage.estimated else None,
        "duration": message.duration,
        "error": error_text,
        "error_kind": error_kind,
        "error_details": error_details,
        "left_out": message.left_out or None,
        "chars": len(message.text),
        "closer": closer,
    }
    parts = ["\n", _heading(message), heading_marker(number), "\n\n"]
    if message.reasoning is not None:
        reasoning = message.reasoning
        reasoning_closer = _unclosed_fence(reasoning.text)
        details["reasoning"] = _without_none(
            {
                "chars": len(reasoning.text),
                "signature": reasoning.signature,
                "seconds": reasoning.seconds,
                "closer": reasoning_closer,
            }
        )
        parts += [REASONING_OPENING, _thought_for(reasoning.seconds), REASONING_SUMMARY_END]
        parts += [reasoning.text, f"\n{reasoning_closer}" if reasoning_closer else ""]
        parts += [REASONING_CLOSING]
    parts += [message.text, "\n"]
    if closer:
        parts += [closer, "\n"]
    details["tools"] = tools_details(message.tool_steps)
    if message.tool_steps.steps:
        parts += ["\n", *tool_blocks(message.tool_steps)]
    details["web_search"] = web_search_record(message.web_search)
    if message.web_search.sources:
        parts += ["\n", *_sources(message.web_search)]
    details["end"] = reply_end_record(message.reply_end)
    if message.reply_end is not None:
        parts += ["\n", _blockquote(f"_{export_words(message.reply_end)}_")]
    if error_text:
        parts += ["\n", _blockquote(f"**Error:** {error_text}")]
    if message.attachments:
        details["attachments"] = [
            _attachment_details(files_folder, number, position, attachment)
            for position, attachment in enumerate(message.attachments, start=1)
        ]
        parts += ["\n", *(_attachment_line(a) for a in details["attachments"])]
    return parts, _without_none(details)


def _attachment_details(
    folder: str, number: int, position: int, attachment: Attachment
) -> dict[str, Any]:
    return _without_none(
        {
            "kind": attachment.kind.value,
            "name": attachment.name,
            "mime": attachment.mime,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "file": _attachment_path(folder, number, position, attachment)
            if attachment.sha256
            else None,
            "text": attachment.text,
            "note": attachment.note,
        }
    )


def _attachment_line(details: dict[str, Any]) -> str:
    name = _inline(details["name"]) or "file"
    if "file" not in details:
        note = _inline(details.get("note", "")) or "not kept"
        return f"- 📎 {name} _({note})_\n"
    image = "!" if details["kind"] == AttachmentKind.IMAGE.value else ""
    return f"- 📎 {image}[{name}](<{details['file']}>)\n"


def _sources(search: WebSearch) -> list[str]:
    """The sources a reply cites, numbered: each title as escaped text, its address an
    autolink only when it is http or https (anything else stays inert text)."""
    lines = ["**Sources**\n\n"]
    for number, source in enumerate(search.sources, start=1):
        title = _inline(source.title) or _inline(source.url)
        if opens_in_browser(source.url):
            address = source.url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
            lines.append(f"{number}. {title}: <{address}>\n")
        else:
            lines.append(f"{number}. {title}: {_inline(source.url)}\n")
    return lines


def _thought_for(seconds: float | None) -> str:
    return "Reasoning" if seconds is None else f"Thought for {seconds:.0f} s"


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


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
    """The line that closes a code fence the text leaves open, or None (markdown_source.py:
    fences at the top level, and in list items indented like them, which the same closing
    line closes too); good enough for rendering, and the reader does not depend on it."""
    if "\r" in text:  # a lone "\r" ends a line for a viewer
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unclosed_fence(text)


def default_export_name(conversation: Conversation, *, suffix: str = ".md") -> str:
    """The file name an export proposes: "2026-11-22 My title.md" (local date, as shown)."""
    day = datetime.fromtimestamp(showable(conversation.created)).date().isoformat()
    return safe_file_name(f"{day} {clean_stem(conversation.title) or UNTITLED}", suffix=suffix)
