"""ConversationStore: the conversations and messages a person keeps, and search over them.

Writes never wait: each becomes a change (storage/changes.py) queued for the writer thread
(storage/writer.py), and the call returns at once with what will be stored (new rows get
their id here, storage/ids.py) and a future that is done once it is on disk. Reads block
the calling thread (callers run them in a worker thread, services/history.py) on a read
connection of their own, and see the changes still queued laid over the file, so the app
reads its own writes whether or not another program holds the lock.

Failures the person must hear about arrive as StorageError (see storage/db.py) on a
write's future, or raised by a read.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from desktopchat.domain.errors import ChatError
from desktopchat.domain.reply_end import ReplyEnd
from desktopchat.domain.tool_calls import ToolSteps
from desktopchat.domain.types import (
    Attachment,
    AttachmentPayload,
    Conversation,
    ConversationPage,
    Message,
    MessageStatus,
    Reasoning,
    Role,
    Thread,
    Usage,
)
from desktopchat.domain.web_search import WebSearch
from desktopchat.storage.attachment_rows import (
    ATTACHMENT_COLUMNS,
    Blob,
    group_attachments,
    stored_attachments,
)
from desktopchat.storage.changes import (
    BOOKKEEPING,
    CONVERSATION_FIELDS,
    AddConversation,
    AddMessage,
    Change,
    ConversationGone,
    DeleteConversation,
    DeleteFrom,
    KeepIdField,
    RecoverInterrupted,
    ReleaseIdField,
    SetLeftOut,
    UpdateConversation,
    UpdateMessage,
    overlay_conversations,
    overlay_messages,
    place_in_list,
)
from desktopchat.storage.db import Database, StorageError, open_reader
from desktopchat.storage.drafts import UNCHECKED, Draft, SaveDraft, overlay_drafts, read_drafts
from desktopchat.storage.ids import KEEP_CLAIM_EVERY, IdAllocator, claim_field, free_field
from desktopchat.storage.imports import AddWholeConversations, WholeConversation
from desktopchat.storage.project_rows import ProjectChange
from desktopchat.storage.rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    conversation_of,
    message_of,
)
from desktopchat.storage.search import (
    SNIPPET_END,
    SNIPPET_START,
    ConversationHit,
    SearchHit,
    search_conversations,
    search_history,
)
from desktopchat.storage.sync_rows import ApplySynced
from desktopchat.storage.tree import thread_of
from desktopchat.storage.writer import HistoryWriter, SaveStatus

__all__ = [
    "SNIPPET_END",
    "SNIPPET_START",
    "ConversationGone",
    "ConversationHit",
    "ConversationStore",
    "Queued",
    "SaveStatus",
    "SearchHit",
]

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queued(Generic[T]):
    """A new row as it will be stored, and the future that is done once it is."""

    value: T
    saved: Future[None]

    def result(self, timeout: float | None = None) -> T:
        """Wait until it is written (raising what the write raised); for tests and scripts."""
        self.saved.result(timeout)
        return self.value


class ConversationStore:
    """Conversations and their messages, stored in a Database it owns from now on."""

    def __init__(self, db: Database, **writer_options: Any) -> None:
        # Claimed before the floor is read: a field last used by a crashed instance is
        # safe to reuse because everything it wrote is below the floor (storage/ids.py).
        self._claimed = _claim_field(db)
        self._ids = IdAllocator(floor=_largest_id(db), field=self._claimed)
        self._claim_kept = time.monotonic()
        self._closed = False
        self._writer = HistoryWriter(db, **writer_options)
        self._reader = open_reader(db)
        self._reader_of = db

    @property
    def writer(self) -> HistoryWriter:
        return self._writer

    @property
    def _db(self) -> Database:
        """The write connection's database (tests reach SQLite's own limits through it)."""
        return self._writer.database

    # Conversations

    def create_conversation(
        self,
        *,
        title: str = "",
        provider: str | None = None,
        model: str | None = None,
        temperature: float | None = None,
        system_prompt: str = "",
        project_id: int | None = None,
        web_search: bool = False,
    ) -> Queued[Conversation]:
        now = time.time()
        conversation = Conversation(
            id=self._ids.next_id(),
            title=title,
            created=now,
            updated=now,
            provider=provider,
            model=model,
            temperature=temperature,
            system_prompt=system_prompt,
            project_id=project_id,
            web_search=web_search,
        )
        return Queued(conversation, self._submit(AddConversation(conversation)))

    def update_conversation(self, conversation_id: int, **fields: Any) -> Future[None]:
        """Change any of title, provider, model, temperature, system_prompt.

        Leaves `updated` alone: changing a setting must not move the conversation to the
        top of the list. The future fails with ConversationGone if it does not exist (any
        more).
        """
        unknown = fields.keys() - CONVERSATION_FIELDS
        if unknown:
            raise TypeError(f"not a conversation field: {', '.join(sorted(unknown))}")
        return self._submit(UpdateConversation(conversation_id, dict(fields)))

    def rename_conversation(self, conversation_id: int, title: str) -> Future[None]:
        return self.update_conversation(conversation_id, title=title)

    def delete_conversation(self, conversation_id: int) -> Future[None]:
        """Delete it with its messages; the triggers take them out of the search index."""
        return self._submit(DeleteConversation(conversation_id))

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        found = overlay_conversations(map(conversation_of, rows), pending)
        return next((c for c in found if c.id == conversation_id), None)

    def list_conversations(self, limit: int | None = None) -> list[Conversation]:
        """Pinned first, then the most recently updated (ties: the newer conversation)."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations"
            " ORDER BY pinned DESC, updated DESC, id DESC LIMIT ?",
            (-1 if limit is None else limit + len(pending),),
        )
        found = overlay_conversations(map(conversation_of, rows), pending)
        return found if limit is None else found[:limit]

    def conversation_page(
        self, after: tuple[int, float, int] | None, limit: int, project_id: int | None = None
    ) -> ConversationPage:
        """Up to `limit` conversations in the list's order that come after `after` (the
        `place_in_list` of the last one already shown; None: from the top), read through
        the index in one step whatever the history's size (300,000 conversations).
        `project_id`: that project's conversations only (through its own index).

        Changes not written yet are laid over the page: a conversation they move stays on
        the page it now belongs to, so paging on shows each conversation once."""
        pending = self._writer.pending()
        conditions: list[str] = []
        parameters: tuple[object, ...] = ()
        if project_id is not None:
            conditions.append("project_id = ?")
            parameters = (project_id,)
        if after is not None:
            conditions.append("(pinned, updated, id) < (?, ?, ?)")
            parameters = (*parameters, *after)
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations{where}"
            " ORDER BY pinned DESC, updated DESC, id DESC LIMIT ?",
            (*parameters, limit + 1),
        )
        more = len(rows) > limit
        read = [conversation_of(row) for row in rows[:limit]]
        found = overlay_conversations(read, pending)
        last = place_in_list(read[-1]) if more and read else None
        kept = [
            c
            for c in found
            if (project_id is None or c.project_id == project_id)
            and (after is None or place_in_list(c) < after)
            and (last is None or place_in_list(c) >= last)
        ]
        return ConversationPage(tuple(kept), more, last)

    # Messages

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        text: str,
        *,
        parent_id: int | None = None,
        status: MessageStatus = MessageStatus.COMPLETE,
        provider: str | None = None,
        model: str | None = None,
        attachments: Sequence[AttachmentPayload] = (),
        kept_attachments: Sequence[Attachment] = (),
        project_files: str | None = None,
    ) -> Queued[Message]:
        """Add a message under `parent_id` (None: a first message) and make it the
        conversation's current leaf; move the conversation to the top of the list.

        Attachments' bytes are hashed here (call it off the loop when there are any) and
        stored once per content; `kept_attachments` are ones already stored (an edited
        message keeps its attachments) and come first. The future fails with
        ConversationGone if the conversation does not exist (another instance may have
        deleted it).
        """
        stored, blobs = stored_attachments(attachments)
        message = Message(
            id=self._ids.next_id(),
            conversation_id=conversation_id,
            role=role,
            text=text,
            created=time.time(),
            status=status,
            parent_id=parent_id,
            provider=provider,
            model=model,
            attachments=(*kept_attachments, *stored),
            project_files=project_files,
        )
        return Queued(message, self._submit(AddMessage(message, blobs)))

    def get_message(self, message_id: int) -> Message | None:
        pending = self._writer.pending()
        rows = self._query(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        found = self._with_attachments([message_of(row) for row in rows])
        found += [
            c.message for c in pending if isinstance(c, AddMessage) and c.message.id == message_id
        ]
        return next((m for m in overlay_messages(found[:1], pending) if m.id == message_id), None)

    def messages(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, all branches, in the order they were made."""
        pending = self._writer.pending()
        rows = self._query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        found = self._with_attachments([message_of(row) for row in rows], conversation_id)
        return overlay_messages(found, pending, conversation_id)

    def thread(self, conversation_id: int) -> Thread:
        """The branch the conversation shows: the path from its first message to its
        current leaf, and the siblings of each message on it (storage/tree.py)."""
        conversation = self.get_conversation(conversation_id)
        leaf = conversation.current_leaf_id if conversation else None
        return thread_of(conversation_id, self.messages(conversation_id), leaf)

    def skeleton(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation with only its id, role and parent (no text):
        enough to find a branch in a long conversation without reading a megabyte."""
        pending = self._writer.pending()
        rows = self._query(
            "SELECT id, parent_id, role FROM messages WHERE conversation_id = ?",
            (conversation_id,),
        )
        found = [
            Message(message_id, conversation_id, Role(role), "", 0.0, parent_id=parent)
            for message_id, parent, role in rows
        ]
        return overlay_messages(found, pending, conversation_id)

    def messages_by_id(self, conversation_id: int, ids: Sequence[int]) -> list[Message]:
        """These messages of a conversation, whole, in the order of `ids`."""
        pending = self._writer.pending()
        found: list[Message] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id IN ({marks})", tuple(chunk)
            )
            found += self._with_attachments([message_of(row) for row in rows])
        by_id = {m.id: m for m in overlay_messages(found, pending, conversation_id)}
        return [by_id[i] for i in ids if i in by_id]

    def blob(self, sha256: str) -> bytes | None:
        """An attachment's bytes, or None when no message or draft keeps them."""
        for change in self._writer.pending():
            blob: Blob | None = getattr(change, "blobs", {}).get(sha256)
            if blob is not None:
                return blob.data
        rows = self._query("SELECT data FROM blobs WHERE sha256 = ?", (sha256,))
        return bytes(rows[0][0]) if rows else None

    def update_reply(
        self,
        conversation_id: int,
        message_id: int,
        *,
        text: str,
        status: MessageStatus | None = None,
        usage: Usage | None = None,
        error: ChatError | None = None,
        duration: float | None = None,
        reasoning: Reasoning | None = None,
        served_model: str | None = None,
        tool_steps: ToolSteps | None = None,
        web_search: WebSearch | None = None,
        reply_end: ReplyEnd | None = None,
    ) -> Future[None]:
        """Save a reply's full text so far, and whatever else is known (None: unchanged).

        Called every ≤250 ms while a reply streams, so it is one UPDATE; the search index
        is not touched until the status leaves STREAMING (see migrations.py). A message
        deleted meanwhile (the person deleted or regenerated it) is silently left alone,
        and so is a message of any other conversation.
        """
        values: dict[str, object] = {"text": text}
        known = {
            "status": status,
            "usage": usage,
            "error": error,
            "duration": duration,
            "reasoning": reasoning,
            "served_model": served_model,
            "tool_steps": tool_steps,
            "web_search": web_search,
            "reply_end": reply_end,
        }
        values.update((name, value) for name, value in known.items() if value is not None)
        return self._submit(UpdateMessage(conversation_id, message_id, values))

    def set_current_leaf(self, conversation_id: int, message_id: int | None) -> Future[None]:
        """Show another branch: the path to `message_id` is what the view shows and what
        the next request sends."""
        return self.update_conversation(conversation_id, current_leaf_id=message_id)

    def delete_from(
        self, conversation_id: int, message_id: int, new_leaf_id: int | None
    ) -> Future[None]:
        """Delete a message and everything below it; the conversation then shows the path
        to `new_leaf_id`."""
        return self._submit(DeleteFrom(conversation_id, message_id, new_leaf_id))

    def set_left_out(
        self, conversation_id: int, message_ids: Sequence[int], left_out: bool
    ) -> Future[None]:
        """Keep these messages of a conversation but stop (or start again) sending them to
        the model."""
        return self._submit(SetLeftOut(conversation_id, tuple(message_ids), left_out))

    # Drafts

    def save_draft(
        self,
        conversation_id: int,
        text: str,
        attachments: Sequence[AttachmentPayload] = (),
        *,
        based_on: float | None = UNCHECKED,
        stamp: float | None = None,
    ) -> Queued[SaveDraft]:
        """Replace a conversation's unsent draft (0: the new chat's); empty deletes it.
        `based_on`: the version (`updated`) this text was typed over, from `drafts_versions`
        or the previous save's `stamp`; another instance's newer text is then kept too
        (the written change's `conflict` says so). `stamp`: the version it writes (now by
        default), chosen by the caller so the next save can be based on it. Hashes
        attachments' bytes: call it off the loop when there are any."""
        stored, blobs = stored_attachments(attachments)
        change = SaveDraft(conversation_id, text, stored, blobs, based_on, stamp or time.time())
        return Queued(change, self._submit(change))

    def drafts(self) -> dict[int, Draft]:
        """Every unsent draft: conversation id → (text, attachments)."""
        return {key: draft for key, (draft, _) in self.drafts_versions().items()}

    def drafts_versions(self) -> dict[int, tuple[Draft, float]]:
        """Every unsent draft with its version: conversation id → (draft, updated)."""
        pending = self._writer.pending()
        return overlay_drafts(self._reading().read(read_drafts), pending)

    def recover_interrupted(self) -> Future[int]:
        """At start: mark replies left STREAMING by a crash as INTERRUPTED; the future's
        result is how many.

        This also indexes them for search. A reply another instance is streaming at this
        very moment is marked too, until that instance saves its final status.
        """
        change = RecoverInterrupted()
        written = self._submit(change)
        counted: Future[int] = Future()
        written.add_done_callback(
            lambda done: (
                counted.set_exception(done.exception())
                if done.exception()
                else counted.set_result(sum(change.counted))
            )
        )
        return counted

    # Search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Titles, then messages, that contain every word typed; see storage/search.py.

        What is written is searched: a change still waiting for the lock is not found yet.
        """
        return search_history(self._reading(), query, limit)

    def search_conversations(
        self, query: str, limit: int = 50, project_id: int | None = None
    ) -> list[ConversationHit]:
        """One result per conversation, with its count of hits (a project's only when
        `project_id` is given); see storage/search.py."""
        return search_conversations(self._reading(), query, limit, project_id)

    # Imports and merged backups (storage/imports.py)

    def new_id(self) -> int:
        """An id for a row written later as part of a whole conversation."""
        return self._ids.next_id()

    def add_whole_conversations(
        self, conversations: Sequence[WholeConversation]
    ) -> Queued[AddWholeConversations]:
        """Write conversations whole, skipping those whose id or origin is already there;
        the change's `added` and `failed` say what happened once it is written."""
        change = AddWholeConversations(tuple(conversations))
        return Queued(change, self._submit(change))

    # Sync (services/sync/, storage/sync_rows.py)

    def read_rows(self, reading: Callable[[sqlite3.Connection], T]) -> T:
        """Run `reading` on the read connection: what is written, not what is queued."""
        return self._reading().read(reading)

    def apply_synced(self, change: ApplySynced) -> Queued[ApplySynced]:
        """Write what other computers changed; the change's `outcome` says what it did."""
        return Queued(change, self._submit(change))

    # Projects (storage/project_rows.py)

    def queue(self, change: ProjectChange) -> Future[None]:
        """Queue a project's change for the writer; read it back with `read_rows`."""
        return self._submit(change)

    # Lifetime

    def wait_written(self, timeout: float | None = None) -> bool:
        """Wait until every change queued so far is on disk; False on timeout."""
        return self._writer.wait_idle(timeout)

    def close(self, timeout: float = 10.0) -> list[Change]:
        """Write what is queued (waiting up to `timeout`) and close; return what could not
        be written, for the caller to say. Calling it twice is harmless."""
        if not self._closed and self._claimed is not None:
            self._writer.submit(ReleaseIdField(self._claimed))
        self._closed = True
        unsaved = self._writer.close(timeout)
        self._reader.close()
        return [change for change in unsaved if not isinstance(change, BOOKKEEPING)]

    def _submit(self, change: Change) -> Future[None]:
        if self._claimed is not None and time.monotonic() - self._claim_kept > KEEP_CLAIM_EVERY:
            self._claim_kept = time.monotonic()
            self._writer.submit(KeepIdField(self._claimed))
        return self._writer.submit(change)

    def _reading(self) -> Database:
        """The read connection, moved to the new file if the writer had to write the history
        out again (storage/moved.py)."""
        written = self._writer.database
        if written is not self._reader_of:
            old, self._reader = self._reader, open_reader(written)
            self._reader_of = written
            old.close()
        return self._reader

    def _query(self, sql: str, parameters: tuple[object, ...]) -> list[sqlite3.Row]:
        return self._reading().query(sql, parameters)

    def _with_attachments(
        self, messages: list[Message], conversation_id: int | None = None
    ) -> list[Message]:
        """The messages with their attachments read (one query for the conversation)."""
        if not messages:
            return messages
        if conversation_id is None:
            marks = ", ".join("?" for _ in messages)
            where, parameters = f"message_id IN ({marks})", tuple(m.id for m in messages)
        else:
            where = "message_id IN (SELECT id FROM messages WHERE conversation_id = ?)"
            parameters = (conversation_id,)
        rows = self._query(
            f"SELECT message_id, {ATTACHMENT_COLUMNS} FROM message_attachments"
            f" WHERE {where} ORDER BY message_id, position",
            parameters,
        )
        found = group_attachments(rows, "message_id")
        if not found:
            return messages
        return [
            dataclasses.replace(m, attachments=found[m.id]) if m.id in found else m
            for m in messages
        ]


def _claim_field(db: Database) -> int | None:
    """This instance's id field, claimed in the file so no other instance of it holds the
    same; None (a random field) for a history in memory, which no one else can open.

    A file another program keeps locked beyond the busy timeout gets a field no claim holds
    yet, unclaimed: only an instance starting during that lock could draw the same one.
    """
    if db.path is None:
        return None
    try:
        with db.transaction() as connection:
            return claim_field(connection)
    except StorageError as error:
        log.warning("could not claim an id field (%s); drawing an unclaimed one", error)
    try:
        return db.read(free_field)
    except StorageError:
        return None


def _largest_id(db: Database) -> int:
    """The largest id AUTOINCREMENT or IdAllocator ever gave in this file: new ids go above."""
    rows = db.query("SELECT coalesce(max(seq), 0) FROM sqlite_sequence")
    return int(rows[0][0])
