"""`desktopchat export --all DIR` and the window's "Export all" with projects: one folder
per project (named safely from the project's name, domain/file_names.py) holding its
conversations, and the conversations in no project at the top level.

A project whose folder name is taken (another project of the same name, a file already
there) gets "Name (2)"; nothing is written over. A conversation whose project is not here
(sync brought it from a computer with that project) goes to the top level.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktopchat.domain.file_names import safe_file_name
from desktopchat.domain.types import Conversation
from desktopchat.services.export import export_all_from_store
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.project_rows import read_projects


def export_by_project(
    store: ConversationStore,
    folder: Path,
    *,
    tree: bool = False,
    select: Callable[[Conversation], bool] | None = None,
) -> list[Path]:
    """Every conversation (or those `select` picks) into `folder`, a project's in its own
    folder. Blocking: call it off the loop. Raises OSError."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    projects = store.read_rows(read_projects)
    known = {p.id for p in projects}

    def picked(c: Conversation) -> bool:
        return select is None or select(c)

    written: list[Path] = []
    taken = {entry.name.casefold() for entry in folder.iterdir()}
    for project in projects:
        name = _free_name(project.name, taken)
        taken.add(name.casefold())
        inside = folder / name
        inside.mkdir(exist_ok=False)
        written += export_all_from_store(store, inside, tree=tree, select=_in(project.id, picked))
    written += export_all_from_store(
        store, folder, tree=tree, select=lambda c: c.project_id not in known and picked(c)
    )
    return written


def _in(project_id: int, picked: Callable[[Conversation], bool]) -> Callable[[Conversation], bool]:
    return lambda c: c.project_id == project_id and picked(c)


def _free_name(project_name: str, taken: set[str]) -> str:
    base = safe_file_name(project_name, suffix="")
    name, number = base, 1
    while name.casefold() in taken or f"{name} files".casefold() in taken:
        number += 1
        name = safe_file_name(project_name, suffix=f" ({number})")
    return name
