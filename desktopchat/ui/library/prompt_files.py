"""Import and export of the prompt library as JSON, with what the person is told.

An import adds (never replaces): a prompt whose name and text the library already has is
left out, one whose name is taken by another text comes in renamed "Name (2)", and the
report says which. A file that cannot be a library (too big, not JSON, another program's
JSON, a FIFO) is refused whole with a sentence saying why; the library is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from desktopchat.domain.prompts import FILE_BYTES_LIMIT, LIBRARY_LIMIT, ImportReport
from desktopchat.services.prompts import ImportRefused, PromptLibrary
from desktopchat.ui.support.file_dialogs import ask_open_file, ask_save_file, documents_folder
from desktopchat.ui.support.plain import tell
from desktopchat.ui.support.units import data_size

_FILTERS = "JSON (*.json);;*"
NAMES_SHOWN = 5
"""Renamed or skipped prompts named in the report; the rest are counted."""


class PromptFiles(QObject):
    """The two commands and their words (a QObject for tr(): Qt's scanner reads self.tr)."""

    async def import_prompts(self, parent: QWidget, library: PromptLibrary) -> ImportReport | None:
        """Ask for a file and import it; None when cancelled or refused."""
        chosen = await ask_open_file(
            parent,
            self.tr("Import prompts"),
            documents_folder(),
            _FILTERS,
        )
        if not chosen:
            return None
        try:
            report = await library.import_file(Path(chosen))
        except ImportRefused as refused:
            tell(
                parent,
                QMessageBox.Icon.Warning,
                self.tr("Nothing was imported"),
                self.tr("%1\n\nYour prompts are unchanged.").replace(
                    "%1", self.refused_reason(refused)
                ),
            )
            return None
        tell(
            parent,
            QMessageBox.Icon.Information,
            self.tr("Prompts imported"),
            self.import_summary(report),
        )
        return report

    async def export_prompts(self, parent: QWidget, library: PromptLibrary) -> Path | None:
        """Ask where and write every prompt there (names and texts only); None when cancelled
        or when the file could not be written (said)."""
        suggested = documents_folder() / "prompts.json"
        chosen = await ask_save_file(parent, self.tr("Export prompts"), suggested, _FILTERS)
        if not chosen:
            return None
        try:
            await library.export_file(Path(chosen))
        except OSError as error:
            tell(
                parent,
                QMessageBox.Icon.Warning,
                self.tr("Export failed"),
                self.tr("The prompts could not be written to %1:\n%2")
                .replace("%1", chosen)
                .replace("%2", error.strerror or str(error)),
            )
            return None
        return Path(chosen)

    def refused_reason(self, refused: ImportRefused) -> str:
        kind = refused.kind
        if kind == "missing":
            return self.tr("The file is no longer there.")
        if kind == "unreadable":
            return self.tr("The file could not be read (%1).").replace("%1", refused.detail)
        if kind == "too_large":
            return self.tr("The file is larger than %1, too large for a prompt library.").replace(
                "%1", data_size(FILE_BYTES_LIMIT)
            )
        if kind == "not_text":
            return self.tr("The file is not text (UTF-8).")
        if kind in ("not_json", "too_deep"):
            return self.tr("The file is not valid JSON.")
        if kind == "too_many":
            return self.tr("The file holds more than %1 prompts.").replace(
                "%1", QLocale().toString(LIBRARY_LIMIT)
            )
        return self.tr(
            "The file is not a prompt library: it should hold a list of prompts, each with a "
            "name and a body, as Export writes.",
        )

    def import_summary(self, report: ImportReport) -> str:
        """The import's report in sentences: added, renamed (old → new), already there."""
        added = len(report.added) + len(report.renamed)
        lines = [self.tr("%Ln prompt(s) added.", "", added)]
        if report.renamed:
            lines.append(
                self.tr(
                    "%Ln had the name of another prompt of yours and came in under a new name:",
                    "",
                    len(report.renamed),
                )
            )
            lines += [f"  {old} → {new}" for old, new in report.renamed[:NAMES_SHOWN]]
            lines += self._more(len(report.renamed))
        if report.identical:
            lines.append(
                self.tr(
                    "%Ln already in your library, with the same text, left out:",
                    "",
                    len(report.identical),
                )
            )
            lines += [f"  {name}" for name in report.identical[:NAMES_SHOWN]]
            lines += self._more(len(report.identical))
        if report.left_out:
            lines.append(
                self.tr(
                    "%Ln entries of the file were not prompts and were left out.",
                    "",
                    report.left_out,
                )
            )
        return "\n".join(lines)

    def _more(self, count: int) -> list[str]:
        if count <= NAMES_SHOWN:
            return []
        return ["  " + self.tr("and %Ln more", "", count - NAMES_SHOWN)]


async def import_prompts(parent: QWidget, library: PromptLibrary) -> ImportReport | None:
    return await PromptFiles().import_prompts(parent, library)


async def export_prompts(parent: QWidget, library: PromptLibrary) -> Path | None:
    return await PromptFiles().export_prompts(parent, library)
