"""ConversationStore: the conversations and messages a person keeps, and search over them.

Writes never wait: each becomes a change (storage/changes.py) queued for the writer thread
(storage/writer.py), and the call returns at once with what will be stored (new rows get
their id here, storage/ids.py) and a future that is done once it is on disk. Reads
(storage/history_reads.py) block the calling thread on a read connection of their own and
see the changes still queued laid over the file, so the app reads its own writes whether or
not another program holds the lock.

Failures the person must hear about arrive as StorageError (see storage/db.py) on a
write's future, or raised by a read.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
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
    Message,
    MessageStatus,
    Reasoning,
    Role,
    Usage,
)
from desktopchat.domain.web_search import WebSearch
from desktopchat.storage.attachment_rows import stored_attachments
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
)
from desktopchat.storage.db import Database, open_reader
from desktopchat.storage.drafts import UNCHECKED, SaveDraft
from desktopchat.storage.history_reads import HistoryReads
from desktopchat.storage.ids import KEEP_CLAIM_EVERY, IdAllocator, instance_field, largest_id
from desktopchat.storage.imports import AddWholeConversations, WholeConversation
from desktopchat.storage.project_rows import ProjectChange
from desktopchat.storage.search import (
    SNIPPET_END,
    SNIPPET_START,
    ConversationHit,
    SearchHit,
)
from desktopchat.storage.sync_rows import ApplySynced
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


@dataclass(frozen=True)
class Queued(Generic[T]):
    """A new row as it will be stored, and the future that is done once it is."""

    value: T
    saved: Future[None]

    def result(self, timeout: float | None = None) -> T:
        """Wait until it is written (raising what the write raised); for tests and scripts."""
        self.saved.result(timeout)
        return self.value


class ConversationStore(HistoryReads):
    """Conversations and their messages, stored in a Database it owns from now on; the
    reads are in storage/history_reads.py."""

    def __init__(self, db: Database, **writer_options: Any) -> None:
        # Claimed before the floor is read: a field last used by a crashed instance is
        # safe to reuse because everything it wrote is below the floor (storage/ids.py).
        self._claimed = instance_field(db)
        self._ids = IdAllocator(floor=largest_id(db), field=self._claimed)
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
