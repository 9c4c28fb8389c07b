"""Counts, sizes and durations as the UI writes them: one way each, in the UI's locale.

- A count goes through Qt's plural forms (`%Ln` with `tr(…, n)`): "1 conversation",
  "2 conversations", "0 conversation" in French. English plural forms come from a catalogue
  too (resources/translations/desktopchat_en.ts, plural messages only), as Qt intends.
- A size is decimal (kB, MB: what file managers show), one decimal place: "13.0 kB".
- A duration has one decimal under 10 s ("0.4 s", "2.3 s", but "3 s"), whole seconds under
  a minute ("12 s"), minutes and seconds after ("2 min 05 s"): the compare columns and the
  thinking time say time the same way. (The live "Waiting for the first token… 1.2 s" keeps
  its tenths: a counter that ticks.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QObject


class Counted(QObject):
    """Phrases with a count in them; the context of their plural forms in the catalogue."""

    def conversations(self, n: int) -> str:
        return self.tr("%Ln conversations", "", n)

    def messages(self, n: int) -> str:
        return self.tr("%Ln messages", "", n)


def conversations(n: int) -> str:
    """ "1 conversation", "2 conversations", in the UI's language."""
    return Counted().conversations(n)


def messages(n: int) -> str:
    """ "1 message", "2 messages", in the UI's language."""
    return Counted().messages(n)


def data_size(size: int) -> str:
    """ "13.0 kB", "1.2 MB" ("13,0 ko" in French): decimal units, one decimal place."""
    return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def duration(seconds: float) -> str:
    """ "0.4 s", "3 s", "12 s", "2 min 05 s", in the UI's locale."""
    locale = QLocale()
    seconds = max(0.0, seconds)
    tenths = round(seconds, 1)
    if tenths < 10 and tenths != int(tenths):
        return QCoreApplication.translate("Units", "%1 s").replace(
            "%1", locale.toString(tenths, "f", 1)
        )
    whole = round(seconds)
    if whole < 60:
        return QCoreApplication.translate("Units", "%1 s").replace("%1", locale.toString(whole))
    minutes, rest = divmod(whole, 60)
    return (
        QCoreApplication.translate("Units", "%1 min %2 s")
        .replace("%1", locale.toString(minutes))
        .replace("%2", f"{rest:02d}")
    )
