"""What sync says, in the person's language: a failure by its kind (services/sync/service.py
problem_kind) with the engine's own sentence as the detail, what a sync brought, and when
it was. Shared by the status line, the notice bar and Settings → Sync."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QObject

from desktopchat.ui.support import units

if TYPE_CHECKING:
    from desktopchat.services.sync.report import SyncReport


def problem_words(kind: str, detail: str) -> str:
    """A sentence for a failed sync: what happened, what to do; the detail after it."""
    said = {
        "passphrase": QCoreApplication.translate(
            "SyncWords",
            "This passphrase does not open the sync folder. Nothing was read or changed: "
            "give the passphrase used on the other computers.",
        ),
        "needs_passphrase": QCoreApplication.translate(
            "SyncWords", "Sync needs its passphrase: set it in Settings → Sync."
        ),
        "needs_password": QCoreApplication.translate(
            "SyncWords", "Sync needs the WebDAV password or app token: set it in Settings → Sync."
        ),
        "unauthorized": QCoreApplication.translate(
            "SyncWords",
            "The WebDAV server refused the user name or password (401): check them in "
            "Settings → Sync, or make a new app password.",
        ),
        "forbidden": QCoreApplication.translate(
            "SyncWords", "The WebDAV server refused access to the sync folder (403)."
        ),
        "unreachable": QCoreApplication.translate(
            "SyncWords",
            "The sync server cannot be reached: it may be down, the address may be wrong, "
            "or this computer is offline. The next sync tries again.",
        ),
        "timeout": QCoreApplication.translate(
            "SyncWords", "The sync server did not answer in time. The next sync tries again."
        ),
        "full": QCoreApplication.translate(
            "SyncWords",
            "The sync place has no room left (disk or quota full): free some space, and "
            "the next sync goes on.",
        ),
        "missing_folder": QCoreApplication.translate(
            "SyncWords", "The sync folder is not there (an unplugged drive, a renamed folder?)."
        ),
        "too_big": QCoreApplication.translate(
            "SyncWords", "The sync place answered more than a sync ever writes: refused."
        ),
        "refused": QCoreApplication.translate(
            "SyncWords",
            "A file in the sync folder was changed, cut short or is not ours: it was not "
            "used, and your history is untouched.",
        ),
        "busy": QCoreApplication.translate(
            "SyncWords", "Another sync of this history is running (the desktopchat command?)."
        ),
        "keychain": QCoreApplication.translate(
            "SyncWords", "The keychain could not be used for the sync secrets."
        ),
        "address": QCoreApplication.translate(
            "SyncWords",
            "This WebDAV address is refused: it must start with https:// (or http://) and "
            "hold no user name or password (give those in their own fields).",
        ),
        "stopped": QCoreApplication.translate(
            "SyncWords", "Sync stopped. The next sync goes on from where it stopped."
        ),
        "ended": QCoreApplication.translate(
            "SyncWords",
            "The sync ended unexpectedly (its process stopped). Nothing was lost: the next "
            "sync goes on from where it stopped.",
        ),
    }.get(kind, QCoreApplication.translate("SyncWords", "Sync failed."))
    return f"{said} ({detail})" if detail and kind not in ("stopped", "address") else said


class SyncCounts(QObject):
    """The phrases with a count (the context of their plural forms in the catalogues)."""

    def new_conversations(self, n: int) -> str:
        return self.tr("%Ln new conversation(s)", "", n)

    def new_messages(self, n: int) -> str:
        return self.tr("%Ln new message(s)", "", n)

    def sent_messages(self, n: int) -> str:
        return self.tr("%Ln message(s) sent", "", n)

    def minutes_ago(self, n: int) -> str:
        return self.tr("%Ln min ago", "", n)


def brought_words(report: SyncReport) -> str:
    """What one sync brought: "3 new messages", "2 new conversations", "nothing new"."""
    counts, parts = SyncCounts(), []
    if report.received_conversations:
        parts.append(counts.new_conversations(report.received_conversations))
    if report.received_messages:
        parts.append(counts.new_messages(report.received_messages))
    if report.sent_messages:
        parts.append(counts.sent_messages(report.sent_messages))
    return ", ".join(parts) if parts else QCoreApplication.translate("SyncWords", "nothing new")


def sent_words(report: SyncReport) -> str:
    """What one sync sent: "2 conversations, 5 messages", or "nothing"."""
    parts = []
    if report.sent_conversations:
        parts.append(units.conversations(report.sent_conversations))
    if report.sent_messages:
        parts.append(units.messages(report.sent_messages))
    return ", ".join(parts) if parts else QCoreApplication.translate("SyncWords", "nothing")


def when_words(finished: float, now: float | None = None) -> str:
    """ "just now", "5 min ago", or the time (the date too when not today), in the
    person's locale."""
    seconds = max(0.0, (time.time() if now is None else now) - finished)
    if seconds < 60:
        return QCoreApplication.translate("SyncWords", "just now")
    if seconds < 3600:
        return SyncCounts().minutes_ago(int(seconds // 60))
    moment = QDateTime.fromSecsSinceEpoch(int(finished))
    locale = QLocale()
    if moment.date() == QDateTime.currentDateTime().date():
        return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


def synced_words(finished: float, report: SyncReport | None) -> str:
    """The status line's "Synced 2 min ago · 3 new messages"."""
    when = QCoreApplication.translate("SyncWords", "Synced %1").replace("%1", when_words(finished))
    return f"{when} · {brought_words(report)}" if report is not None else when
