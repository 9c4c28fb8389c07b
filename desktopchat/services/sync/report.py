"""What one sync did, for the command line to print and the app to show, and the sentences
it tells the person (a conversation kept or brought back, never a silent surprise)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktopchat.services.sync.merge import Touched
from desktopchat.storage.sync_rows import SyncOutcome
from desktopchat.storage.sync_state import ConversationState, MessageState


@dataclass
class SyncReport:
    device: str
    sent_conversations: int = 0
    sent_messages: int = 0
    sent_deletions: int = 0
    received_conversations: int = 0
    received_messages: int = 0
    received_deletions: int = 0
    blobs_sent: int = 0
    blobs_received: int = 0
    files_written: int = 0
    bytes_written: int = 0
    files_read: int = 0
    bytes_read: int = 0
    computers: int = 0
    notes: list[str] = field(default_factory=list)


def count(report: SyncReport, outcome: SyncOutcome) -> None:
    report.received_conversations += len(outcome.created)
    report.received_messages += len(outcome.added) + len(outcome.updated)
    report.received_deletions += len(outcome.deleted) + len(outcome.deleted_conversations)


def tell(
    report: SyncReport,
    outcome: SyncOutcome,
    touched: dict[int, Touched],
    conversations: dict[int, ConversationState],
    messages: dict[int, MessageState],
) -> None:
    def title(cid: int) -> str:
        known = conversations.get(cid)
        register = known.fields.get("title") if known else None
        return repr(register.value) if register and register.value else f"conversation {cid}"

    for cid in outcome.kept_conversations:
        report.notes.append(
            f"{title(cid)} was deleted on another computer but continued here: kept, and "
            "sent back to the others"
        )
    kept_elsewhere = [m for m in outcome.kept
                      if messages[m].conversation not in outcome.kept_conversations]  # fmt: skip
    if kept_elsewhere:
        report.notes.append(
            f"{len(kept_elsewhere)} message(s) deleted on another computer were kept: later "
            "messages here continue from them"
        )
    for cid, info in touched.items():
        if info.was_deleted and cid in outcome.created:
            report.notes.append(
                f"{title(cid)}, deleted here, was continued on another computer: it is back"
            )
