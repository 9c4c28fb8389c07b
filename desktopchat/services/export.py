"""Writing Markdown exports to disk: one conversation, or every conversation into a folder.

The Markdown itself is made in domain.markdown_export (pure); this module owns the files:
atomic, owner-only writes and names that never overwrite anything already there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from desktopchat.domain.markdown_export import conversation_to_markdown, default_export_name
from desktopchat.domain.types import Conversation, Message
from desktopchat.system.atomic import write_text_atomic


def export_conversation(
    path: Path, conversation: Conversation, messages: Sequence[Message]
) -> Path:
    """Write one conversation to `path` atomically (owner-only, like the history itself).

    Raises OSError (missing folder, no permission, disk full) and leaves nothing behind:
    either the old file or the new one is there, never half of one.
    """
    path = Path(path)
    write_text_atomic(path, conversation_to_markdown(conversation, messages))
    return path


def export_all(
    folder: Path, conversations: Iterable[tuple[Conversation, Sequence[Message]]]
) -> list[Path]:
    """Write each conversation to its own file in `folder` (created if needed).

    Names are "date title.md", made unique as "date title (2).md" … against each other and
    against the files already in the folder, case-insensitively (as Windows and macOS
    compare names), so an export never overwrites anything.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    taken = {entry.name.casefold() for entry in folder.iterdir()}
    next_number: dict[str, int] = {}
    written = []
    for conversation, messages in conversations:
        base = default_export_name(conversation)
        number = next_number.get(base.casefold(), 1)
        name = base if number == 1 else default_export_name(conversation, suffix=f" ({number}).md")
        while name.casefold() in taken:
            number += 1
            name = default_export_name(conversation, suffix=f" ({number}).md")
        next_number[base.casefold()] = number + 1
        taken.add(name.casefold())
        written.append(export_conversation(folder / name, conversation, messages))
    return written
