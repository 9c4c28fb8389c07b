"""How a failed history write is said: in the person's words (a StorageError), and
logged with its traceback when it is a bug. Shared by the HistoryService's `track` and the
reply saver, which ends a turn on a failed save."""

from __future__ import annotations

import logging

from desktopchat.storage.db import StorageError
from desktopchat.storage.history import ConversationGone

log = logging.getLogger("desktopchat.services.history")


def reported(error: BaseException) -> StorageError:
    """What a failed write says to the person: a StorageError as it is; a conversation
    deleted meanwhile as "gone"; anything else is a bug, logged with its traceback and said
    as "bug" (never dropped: a write that failed unseen once let a stray id overwrite
    another instance's message, R8)."""
    if not isinstance(error, StorageError | ConversationGone):
        log.error("a history write failed with a bug", exc_info=error)
    return as_storage_error(error)


def as_storage_error(error: BaseException) -> StorageError:
    """`reported`'s wording without its log, for a caller whose failure is also tracked
    (and so logged once there): a reply's save that must end the turn (ReplySaver)."""
    if isinstance(error, StorageError):
        return error
    if isinstance(error, ConversationGone):
        wrapped = StorageError(
            "gone", f"conversation {error.conversation_id} no longer exists (deleted elsewhere)"
        )
    else:
        wrapped = StorageError("bug", f"{type(error).__name__}: {error}")
    wrapped.__cause__ = error
    return wrapped
