"""File → Import…: pick a ChatGPT or Claude export (or our Markdown), see what it holds,
then import it with a progress bar, the window answering all along.

Reading and writing run in worker threads (ImportService); their progress reaches the bar
through the loop (call_soon_threadsafe). Titles and file names are outside text: they are
only ever shown in plain message boxes (R6).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktopchat.services.importers.reader import ParsedImport, Progress
from desktopchat.services.importers.service import ImportReport, ImportService
from desktopchat.services.importers.tree import ImportProblem
from desktopchat.ui.support.file_dialogs import ask_open_file
from desktopchat.ui.support.plain import plain_message_box, tell
from desktopchat.ui.support.units import conversations, messages


async def import_conversations(
    window: QWidget, imports: Callable[[], ImportService]
) -> ImportReport | None:
    """The whole command, its dialogs over `window`, through the import service `imports`
    makes (loaded on first use); returns what was imported (None: cancelled or failed)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    name = await ask_open_file(
        window,
        QCoreApplication.translate("Import", "Import conversations"),
        Path(start) if start else Path.home(),
        QCoreApplication.translate(
            "Import", "ChatGPT, Claude or DesktopChat exports (*.zip *.json *.md);;All files (*)"
        ),
    )
    if not name:
        return None
    service = imports()
    bar = _progress_bar(window, QCoreApplication.translate("Import", "Reading the export…"))
    try:
        parsed = await service.read(Path(name), _reporter(bar))
    except (ImportProblem, OSError, UnicodeDecodeError) as error:
        bar.close()
        tell(
            window,
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Import", "Import failed"),
            QCoreApplication.translate("Import", "%1 cannot be imported:\n%2")
            .replace("%1", name)
            .replace("%2", str(error)),
        )
        return None
    bar.close()
    if not await _confirmed(window, parsed):
        return None
    bar = _progress_bar(window, QCoreApplication.translate("Import", "Importing…"))
    try:
        report = await service.write(parsed, _reporter(bar))
    finally:
        bar.close()
    tell(
        window,
        QMessageBox.Icon.Information,
        QCoreApplication.translate("Import", "Import done"),
        _report_text(report),
    )
    return report


def _progress_bar(parent: QWidget, label: str) -> QProgressDialog:
    bar = QProgressDialog(label, "", 0, 0, parent)
    bar.setObjectName("importProgress")
    bar.setCancelButton(None)
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(0)
    bar.setAutoClose(False)
    bar.setAutoReset(False)
    bar.show()
    return bar


def _reporter(bar: QProgressDialog) -> Progress:
    """A progress callback for a worker thread that moves `bar` on the loop's thread."""
    loop = asyncio.get_running_loop()

    def move(done: int, total: int) -> None:
        if bar.maximum() != total:
            bar.setMaximum(total)
        bar.setValue(done)

    return lambda done, total: loop.call_soon_threadsafe(move, done, total)


async def _confirmed(parent: QWidget, parsed: ParsedImport) -> bool:
    if not parsed.conversations:
        tell(
            parent,
            QMessageBox.Icon.Information,
            QCoreApplication.translate("Import", "Nothing to import"),
            QCoreApplication.translate(
                "Import", "The file holds no conversation that can be imported."
            )
            + _problems(parsed),
        )
        return False
    span = parsed.date_range
    text = (
        QCoreApplication.translate("Import", "Import %1 (%2) from %3 to %4?")
        .replace("%1", conversations(len(parsed.conversations)))
        .replace("%2", messages(parsed.message_count))
        .replace("%3", _day(span[0]) if span else "")
        .replace("%4", _day(span[1]) if span else "")
    )
    text += "\n" + QCoreApplication.translate(
        "Import", "Conversations imported before are skipped; nothing is overwritten."
    )
    box = plain_message_box(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("Import", "Import conversations"),
        text + _problems(parsed),
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("importPreview")
    answer = await _answer(box)
    return answer == QMessageBox.StandardButton.Ok


async def _answer(box: QMessageBox) -> int:
    """Open `box` (no nested event loop) and wait for the button pressed."""
    done = asyncio.get_running_loop().create_future()
    box.finished.connect(lambda result: done.done() or done.set_result(result))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return await done


def _problems(parsed: ParsedImport) -> str:
    if not parsed.problems:
        return ""
    return "\n\n" + QCoreApplication.translate(
        "Import", "Left out, as they cannot be read: %1.", "%1: “3 conversations”"
    ).replace("%1", conversations(len(parsed.problems)))


def _report_text(report: ImportReport) -> str:
    text = (
        QCoreApplication.translate(
            "Import", "Imported %1 (%2); already there: %3.", "%1, %3: “3 conversations”"
        )
        .replace("%1", conversations(report.added))
        .replace("%2", messages(report.messages))
        .replace("%3", conversations(report.skipped))
    )
    if report.problems:
        text += (
            "\n"
            + QCoreApplication.translate("Import", "Left out:")
            + "\n"
            + "\n".join(f"• {p.title}: {p.reason}" for p in report.problems[:20])
        )
    return text


def _day(moment: float) -> str:
    return QLocale().toString(datetime.fromtimestamp(moment).date(), QLocale.FormatType.ShortFormat)
