"""Writing Markdown exports to disk: one conversation, or every conversation into a folder.

The Markdown itself is made in domain.markdown_export (pure); this module owns the files:
atomic, owner-only writes, the attachments written beside the Markdown in a folder named
like it ("2026-11-22 Title files/", relative links), and names that never overwrite anything
already there when exporting everything.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from desktopchat.domain.file_names import UNTITLED
from desktopchat.domain.markdown_export import (
    FILES_SUFFIX,
    attachment_files,
    conversation_to_markdown,
    default_export_name,
)
from desktopchat.domain.types import Conversation, Message
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.tree import thread_of
from desktopchat.system.atomic import write_bytes_atomic, write_text_atomic

BlobReader = Callable[[str], bytes | None]
"""The bytes of an attachment by sha256 (the store's blob()), None when gone."""


def files_folder_name(markdown_name: str) -> str:
    """The folder beside `x.md` that holds its attachments: `x files`."""
    stem = markdown_name[:-3] if markdown_name.lower().endswith(".md") else markdown_name
    return (stem or UNTITLED) + FILES_SUFFIX


def export_conversation(
    path: Path,
    conversation: Conversation,
    messages: Sequence[Message],
    *,
    blob: BlobReader | None = None,
    tree: bool = False,
) -> Path:
    """Write one conversation to `path` atomically (owner-only, like the history itself),
    its attachments' bytes (read with `blob`) into the folder beside it.

    `messages` is the path shown, or with `tree` every message (parents first). Raises
    OSError (missing folder, no permission, disk full) and leaves no half file behind:
    either the old file or the new one is there, never half of one.
    """
    path = Path(path)
    folder = files_folder_name(path.name)
    files = attachment_files(messages, folder) if blob is not None else []
    if files:
        _real_folder(path.parent / folder)
    for relative, sha256 in files:
        data = blob(sha256) if blob is not None else None
        if data is not None:
            write_bytes_atomic(path.parent / relative, data)
    text = conversation_to_markdown(
        conversation, messages, files_folder=folder if files else "", tree=tree
    )
    write_text_atomic(path, text)
    return path


def _real_folder(folder: Path) -> None:
    """Make `folder`, or check that what is there is a folder itself: a link planted in its
    place (to a folder elsewhere, or dangling) or a file is refused before anything is
    written, never followed. Files in it are written beside and renamed over, so a link
    planted for one of them is replaced, not written through."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise OSError(
            errno.EEXIST,
            "a link or a file is where the attachments' folder goes; nothing was written",
            str(folder),
        )


def export_all(
    folder: Path,
    conversations: Iterable[tuple[Conversation, Sequence[Message]]],
    *,
    blob: BlobReader | None = None,
    tree: bool = False,
) -> list[Path]:
    """Write each conversation to its own file in `folder` (created if needed).

    Names are "date title.md", made unique as "date title (2).md" … against each other and
    against the files and folders already there (the attachments' folder included),
    case-insensitively (as Windows and macOS compare names), so an export never overwrites
    anything.
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
        while _is_taken(name, taken):
            number += 1
            name = default_export_name(conversation, suffix=f" ({number}).md")
        next_number[base.casefold()] = number + 1
        taken.update({name.casefold(), files_folder_name(name).casefold()})
        written.append(
            export_conversation(folder / name, conversation, messages, blob=blob, tree=tree)
        )
    return written


def export_from_store(
    store: ConversationStore, path: Path, conversation_id: int, *, tree: bool = False
) -> Path | None:
    """One conversation of the history: the branch shown, or with `tree` every branch; None
    if it no longer exists. Blocking: call it off the loop."""
    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        return None
    return export_conversation(
        path, conversation, _messages(store, conversation, tree), blob=store.blob, tree=tree
    )


def export_all_from_store(
    store: ConversationStore,
    folder: Path,
    *,
    tree: bool = False,
    select: Callable[[Conversation], bool] | None = None,
) -> list[Path]:
    """Every conversation of the history (or those `select` picks) into `folder`.
    Blocking: call it off the loop."""
    conversations = (
        (c, _messages(store, c, tree))
        for c in store.list_conversations()
        if select is None or select(c)
    )
    return export_all(folder, conversations, blob=store.blob, tree=tree)


def _messages(store: ConversationStore, conversation: Conversation, tree: bool) -> list[Message]:
    """Every message (parents first: ids grow with time), or the branch shown."""
    messages = store.messages(conversation.id)
    if tree:
        return messages
    return list(thread_of(conversation.id, messages, conversation.current_leaf_id).messages)


def _is_taken(name: str, taken: set[str]) -> bool:
    return name.casefold() in taken or files_folder_name(name).casefold() in taken
