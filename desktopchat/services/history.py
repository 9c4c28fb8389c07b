"""HistoryService: the one way from the UI to the stored history.

Nothing here blocks the event loop (DESIGN.md §1, after Anki's QueryOp): every read runs in
one worker thread that owns the store's read connection, and the coroutine that asked gets
the result back on the loop; every write is queued for the store's writer thread and the
call returns at once with what will be stored. A write that fails later (a full disk, a
conversation another instance deleted) is reported to the `failed` listeners on the loop,
and the writer's SaveStatus (behind, stalled, history written out again) to the `saving`
listeners, so the window can say it. What each write changed is announced to the `changed`
listeners as a HistoryChanges (services/history_changes.py) as soon as it is queued, since
every read sees it from then on; a write that fails later is said through `failed`.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from desktopchat.domain.types import (
    AttachmentPayload,
    Conversation,
    ConversationPage,
    Message,
    MessageStatus,
    Role,
    Thread,
)
from desktopchat.services.drafts import ConflictListener, DraftVersions
from desktopchat.services.history_changes import HistoryChanges
from desktopchat.services.history_errors import as_storage_error, reported
from desktopchat.storage import tree
from desktopchat.storage.db import StorageError, StorageProblem
from desktopchat.storage.drafts import Draft, DraftConflict
from desktopchat.storage.history import (
    SNIPPET_END,
    SNIPPET_START,
    ConversationGone,
    ConversationHit,
    ConversationStore,
    SaveStatus,
    SearchHit,
)
from desktopchat.storage.thread_pages import sibling_leaf, thread_page
from desktopchat.storage.writer import SaveState

__all__ = [
    "SNIPPET_END",
    "SNIPPET_START",
    "ConversationGone",
    "ConversationHit",
    "Draft",
    "DraftConflict",
    "HistoryChanges",
    "HistoryClosed",
    "HistoryService",
    "Page",
    "SaveState",
    "SaveStatus",
    "SearchHit",
    "StorageError",
    "StorageProblem",
    "as_storage_error",
]

T = TypeVar("T")

LISTED_FIELDS = frozenset({"title", "pinned", "project_id"})
"""A conversation's fields a row of the list shows: a change of one is announced."""


class HistoryClosed(Exception):
    """The history is closed (the app is quitting): a read asked for after that, or one
    caught by the close, has nothing to read. No bug and nothing to say: the task's owner
    (ui/support/asyncutils.py) drops it quietly."""


@dataclass(frozen=True)
class Page:
    """Messages of the branch shown, oldest first; whether earlier ones exist; and for each
    message with siblings, their ids (for ‹ 2/3 ›)."""

    messages: list[Message]
    more: bool
    siblings: dict[int, tuple[int, ...]] = field(default_factory=dict)


class HistoryService:
    """Reads off the loop, writes queued, failures and save status reported on the loop."""

    def __init__(self, store: ConversationStore, *, patience: float = 0.3) -> None:
        self.store = store
        self.patience = patience
        self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-read")
        self._failed: list[Callable[[StorageError], None]] = []
        self._changed: list[Callable[[HistoryChanges], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.draft_versions = DraftVersions()

    # Plumbing the chat service shares.

    async def read(self, function: Callable[..., T], *args: Any) -> T:
        """Run a blocking store read in the read thread and return its result; raises
        HistoryClosed once the history is closing."""
        if self._closed:
            raise HistoryClosed
        return await asyncio.wrap_future(self._reads.submit(self._open, function, *args))

    def _open(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` while the history is open: HistoryClosed once it is closing,
        never SQLite's "Cannot operate on a closed database"."""
        if self._closed:
            raise HistoryClosed
        try:
            return function(*args)
        except sqlite3.ProgrammingError:
            if self._closed:
                raise HistoryClosed from None
            raise

    def track(self, written: Future[Any]) -> None:
        """Report a queued write's failure, if it fails, to the `failed` listeners: every
        failure, not only a StorageError (see `reported`)."""
        loop = self._loop_now()

        def done(future: Future[Any]) -> None:
            if future.cancelled():
                return
            error = future.exception()
            if error is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._report, reported(error))

        written.add_done_callback(done)

    def on_failed(self, listener: Callable[[StorageError], None]) -> None:
        """`listener(error)` on the loop whenever a write queued through here fails."""
        self._loop_now()
        self._failed.append(listener)

    def on_changed(self, listener: Callable[[HistoryChanges], None]) -> Callable[[], None]:
        """`listener(changes)` after each change to the history (see `announce`); returns
        what stops it (a window that closes)."""
        self._changed.append(listener)
        return functools.partial(self._changed.remove, listener)

    def announce(self, changes: HistoryChanges) -> None:
        """Tell the `changed` listeners what a change did, on the caller's thread (the loop:
        every write here is queued from it, and the services that write without it announce
        from their coroutines once their worker is done)."""
        for listener in list(self._changed):
            listener(changes)

    def on_saving(self, listener: Callable[[SaveStatus], None]) -> None:
        """`listener(status)` on the loop whenever saving falls behind, stalls, catches up,
        or the history file had to be written out again."""
        loop = self._loop_now()

        def from_writer(status: SaveStatus) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(listener, status)

        self.store.writer.add_listener(from_writer)

    def writes_pending(self) -> bool:
        """Whether writes are still queued (held back by a lock, or not yet applied)."""
        return bool(self.store.writer.pending())

    @property
    def save_status(self) -> SaveStatus:
        return self.store.writer.status

    # Conversations.

    async def conversations(self, limit: int | None = None) -> list[Conversation]:
        return await self.read(self.store.list_conversations, limit)

    async def conversation_page(
        self, after: tuple[int, float, int] | None, limit: int, project_id: int | None = None
    ) -> ConversationPage:
        """A page of the list (pinned first, then newest; one project's conversations
        when `project_id` is given), read off the loop."""
        return await self.read(self.store.conversation_page, after, limit, project_id)

    def set_pinned(self, conversation_ids: Sequence[int], pinned: bool) -> None:
        """Pin or unpin conversations (queued; the list's order changes, not `updated`)."""
        for conversation_id in conversation_ids:
            self.track(self.store.update_conversation(conversation_id, pinned=pinned))
        self.announce(HistoryChanges.rows(conversation_ids))

    async def conversation(self, conversation_id: int) -> Conversation | None:
        return await self.read(self.store.get_conversation, conversation_id)

    async def start_conversation(self, **settings: Any) -> Conversation:
        """A new conversation: its id is given at once and the row queued; waits for it
        only while the history answers (see `written_unless_behind`)."""
        queued = self.store.create_conversation(**settings)
        await self.written_unless_behind(queued.saved)
        self.announce(HistoryChanges.rows([queued.value.id]))
        return queued.value

    async def written_unless_behind(self, written: Future[Any]) -> None:
        """Wait for a queued write while the history answers, raising what it raises (a
        full disk, a conversation deleted by another instance); if it is held back longer
        than `patience` (another program holds the lock), go on: the write stays queued,
        and a later failure is reported to the `failed` listeners."""
        waiting = asyncio.wrap_future(written)
        try:
            await asyncio.wait_for(asyncio.shield(waiting), self.patience)
        except TimeoutError:
            self.track(written)

    def change_conversation(self, conversation_id: int, **fields: Any) -> None:
        """Queue a change of settings (provider, model, temperature, system prompt), of
        the title or of the project; reads see it at once, a failure to write it is
        reported. What the list shows (title, pin, project) is announced."""
        self.track(self.store.update_conversation(conversation_id, **fields))
        if fields.keys() & LISTED_FIELDS:
            self.announce(HistoryChanges.rows([conversation_id]))

    def delete(self, conversation_id: int) -> None:
        self.track(self.store.delete_conversation(conversation_id))
        self.announce(HistoryChanges(removed=frozenset({conversation_id})))

    # Messages.

    async def thread(self, conversation_id: int) -> Thread:
        """The whole branch shown: the path to the current leaf, with siblings."""
        return await self.read(self.store.thread, conversation_id)

    async def last_page(self, conversation_id: int, size: int) -> Page:
        """The newest `size` messages of the branch shown."""
        return _page(*await self.read(thread_page, self.store, conversation_id, size))

    async def page_before(self, conversation_id: int, message_id: int, size: int) -> Page:
        """The `size` messages of the branch shown before `message_id` ("Show earlier")."""
        found = await self.read(
            lambda: thread_page(self.store, conversation_id, size, before=message_id)
        )
        return _page(*found)

    async def message(self, message_id: int) -> Message | None:
        return await self.read(self.store.get_message, message_id)

    async def last_reply(self, conversation_id: int) -> Message | None:
        """The newest finished reply with text on the branch shown, for "Copy last reply"."""
        thread = await self.thread(conversation_id)
        replies = [
            m
            for m in thread.messages
            if m.role is Role.ASSISTANT and m.text and m.status is not MessageStatus.STREAMING
        ]
        return replies[-1] if replies else None

    # Branches.

    async def switch_branch(self, conversation_id: int, message_id: int, step: int) -> Thread:
        """Show the sibling `step` places from `message_id` (‹ or ›), down to that branch's
        newest leaf; returns the whole branch now shown (unchanged at either end)."""
        await self._switched(conversation_id, message_id, step)
        return await self.thread(conversation_id)

    async def switch_branch_page(
        self, conversation_id: int, message_id: int, step: int, size: int
    ) -> Page:
        """`switch_branch`, returning only the newest `size` messages of the branch now
        shown: what the view needs, read without the rest, the skeleton once (P5)."""

        def switching() -> tuple[int | None, Thread, bool]:
            skeleton = self.store.skeleton(conversation_id)
            leaf = sibling_leaf(self.store, conversation_id, message_id, step, skeleton)
            page = thread_page(self.store, conversation_id, size, leaf_id=leaf, skeleton=skeleton)
            return leaf, *page

        leaf, thread, more = await self.read(switching)
        if leaf is not None:
            self.track(self.store.set_current_leaf(conversation_id, leaf))
        return _page(thread, more)

    async def show_branch_of(self, conversation_id: int, message_id: int) -> Thread:
        """Show the branch that holds `message_id` (a search hit in another branch)."""
        shown = await self.thread(conversation_id)
        if any(m.id == message_id for m in shown.messages):
            return shown
        await self._switched(conversation_id, message_id, 0)
        return await self.thread(conversation_id)

    async def _switched(self, conversation_id: int, message_id: int, step: int) -> int | None:
        leaf = await self.read(sibling_leaf, self.store, conversation_id, message_id, step)
        if leaf is not None:
            self.track(self.store.set_current_leaf(conversation_id, leaf))
        return leaf

    async def delete_from(self, conversation_id: int, message_id: int) -> Thread:
        """Delete a message and everything below it; the branch shown moves to its
        sibling's (or, with none, to its parent). Returns the branch now shown."""

        def new_leaf() -> int | None:
            skeleton = self.store.skeleton(conversation_id)
            gone = tree.subtree(message_id, skeleton)
            kept = [m for m in skeleton if m.id not in gone]
            deleted = next((m for m in skeleton if m.id == message_id), None)
            if deleted is None:
                return None
            children = tree.children_of(kept)
            kin = children.get(deleted.parent_id, [])
            start = kin[-1] if kin else deleted.parent_id
            return None if start is None else tree.newest_leaf_below(start, children)

        leaf = await self.read(new_leaf)
        self.track(self.store.delete_from(conversation_id, message_id, leaf))
        self.announce(HistoryChanges(messages_of=frozenset({conversation_id})))
        return await self.thread(conversation_id)

    def set_left_out(self, conversation_id: int, message_ids: list[int], left_out: bool) -> None:
        """Keep these messages of a conversation but do not send them (or send them again)."""
        self.track(self.store.set_left_out(conversation_id, message_ids, left_out))
        self.announce(HistoryChanges(messages_of=frozenset({conversation_id})))

    # Attachments and drafts.

    async def blob(self, sha256: str) -> bytes | None:
        """An attachment's bytes (an image to show full size), read off the loop."""
        return await self.read(self.store.blob, sha256)

    async def save_draft(
        self, conversation_id: int, text: str, attachments: Sequence[AttachmentPayload] = ()
    ) -> None:
        """Queue a conversation's draft (0: the new chat's); attachments are hashed in a
        worker thread. Returns once queued, not written. Based on the version this
        instance last read or wrote: another instance's newer text is kept too, and the
        `on_draft_conflict` listeners hear of it."""
        based_on, stamp = self.draft_versions.next_save(conversation_id)
        save = functools.partial(self.store.save_draft, based_on=based_on, stamp=stamp)
        if attachments:
            queued = await asyncio.to_thread(save, conversation_id, text, attachments)
        else:
            queued = save(conversation_id, text)
        self.track(queued.saved)
        self.draft_versions.watch(self._loop_now(), queued.value, queued.saved)

    async def drafts(self) -> dict[int, Draft]:
        """Every unsent draft: conversation id → (text, attachments)."""
        return self.draft_versions.read(await self.read(self.store.drafts_versions))

    def on_draft_conflict(self, listener: ConflictListener) -> None:
        """`listener(conversation_id, conflict)` on the loop when a draft saved here met a
        newer one from another instance; both texts were kept."""
        self.draft_versions.on_conflict(listener)

    async def search(self, query: str) -> list[SearchHit]:
        return await self.read(self.store.search, query)

    async def search_conversations(
        self, query: str, project_id: int | None = None
    ) -> list[ConversationHit]:
        """One result per conversation: its count of hits and its best snippet; only the
        project's conversations when `project_id` is given."""
        return await self.read(self.store.search_conversations, query, 50, project_id)

    # Export: reading and writing both off the loop.

    async def export_conversation(self, path: Path, conversation_id: int) -> Path | None:
        """Write one conversation as Markdown to `path`; None if it no longer exists.
        Raises OSError as services.export does."""
        return await asyncio.to_thread(self._open, self._export_one, Path(path), conversation_id)

    async def export_all(self, folder: Path) -> list[Path]:
        """Every conversation to its own file in `folder`; raises OSError."""
        return await asyncio.to_thread(self._open, self._export_all, Path(folder))

    async def markdown(self, conversation_id: int) -> str | None:
        """The conversation as our Markdown (Copy as Markdown). Built in a worker thread: a
        2,000-message conversation is ~1 M characters, tens of milliseconds of string work
        the loop must not wait on (DESIGN.md P9)."""
        conversation = await self.conversation(conversation_id)
        if conversation is None:
            return None
        thread = await self.read(self.store.thread, conversation_id)
        # The Markdown writer and the exporter are loaded on first use, not at start (P1).
        from desktopchat.domain.markdown_export import conversation_to_markdown

        return await asyncio.to_thread(conversation_to_markdown, conversation, thread.messages)

    def _export_one(self, path: Path, conversation_id: int) -> Path | None:
        from desktopchat.services import export

        return export.export_from_store(self.store, path, conversation_id)

    def _export_all(self, folder: Path) -> list[Path]:
        from desktopchat.services.project_export import export_by_project

        return export_by_project(self.store, folder)

    # Quitting.

    async def close(self, timeout: float) -> list[str]:
        """Write what is queued, waiting up to `timeout` in a worker thread; return, in
        words (English, for the log and the message), what could not be written.

        Reads are refused from now on (HistoryClosed); the one under way ends before its
        connection closes."""
        self._closed = True
        await asyncio.to_thread(self._reads.shutdown, wait=True)
        unsaved = await asyncio.to_thread(self.store.close, timeout)
        return [change.describe() for change in unsaved]

    def _report(self, error: StorageError) -> None:
        for listener in list(self._failed):
            listener(error)

    def _loop_now(self) -> asyncio.AbstractEventLoop:
        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.get_event_loop()
        return self._loop


def _page(thread: Thread, more: bool) -> Page:
    return Page(list(thread.messages), more, thread.siblings)
