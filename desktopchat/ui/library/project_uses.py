"""The words under a reply that say which project files it was given (stored with the
reply: domain/projects.py), e.g. "Project files used: notes.md (2 passages), spec.pdf"."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktopchat.domain.projects import uses_from_record

MAX_NAMED = 8
"""Files named before the rest are counted ("and 3 more")."""


class ProjectWords(QObject):
    """Phrases with a count in them; the context of their plural forms in the catalogue."""

    def passages(self, n: int) -> str:
        return self.tr("%Ln passages", "", n)

    def more(self, n: int) -> str:
        return self.tr("%Ln more", "", n)

    def characters(self, n: int) -> str:
        return self.tr("%Ln characters", "", n)

    def files_used(self, files: str) -> str:
        return self.tr("Project files used: {files}").format(files=files)


def files_used_text(record: str | None) -> str:
    """ "" when the reply used no project file."""
    uses = uses_from_record(record)
    if not uses:
        return ""
    words = ProjectWords()
    named = [
        f"{use.name} ({words.passages(use.passages)})" if use.passages else use.name
        for use in uses[:MAX_NAMED]
    ]
    if len(uses) > MAX_NAMED:
        named.append(words.more(len(uses) - MAX_NAMED))
    return words.files_used(", ".join(named))
