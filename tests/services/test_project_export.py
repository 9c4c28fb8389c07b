"""Export all with projects: a folder per project, the rest at the top level."""

from __future__ import annotations

import time

from desktopchat.domain.projects import Project
from desktopchat.domain.types import Role
from desktopchat.services.project_export import export_by_project
from desktopchat.storage.project_rows import SaveProject


def _project(store, name: str) -> Project:
    project = Project(store.new_id(), name, time.time(), time.time())
    store.queue(SaveProject(project)).result()
    return project


def _conversation(store, title: str, project: Project | None = None):
    conversation = store.create_conversation(
        title=title, project_id=project.id if project else None
    ).result()
    store.add_message(conversation.id, Role.USER, f"text of {title}").result()
    return conversation


def test_one_folder_per_project_with_safe_unique_names(store, tmp_path):
    garden = _project(store, "Garden: plans/2026")
    twin = _project(store, "garden: PLANS/2026")
    empty = _project(store, "CON")
    _conversation(store, "Tomatoes", garden)
    _conversation(store, "Heater", twin)
    _conversation(store, "Loose")
    orphan = store.create_conversation(title="From elsewhere").result()
    store.update_conversation(orphan.id, project_id=424242).result()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "Garden plans 2026").write_text("already here")

    written = export_by_project(store, tmp_path / "out")

    out = tmp_path / "out"
    layout = sorted(str(p.relative_to(out)) for p in written)
    assert len(layout) == 4
    assert [p for p in layout if "/" not in p and "Loose" in p]
    assert [p for p in layout if "/" not in p and "From elsewhere" in p]
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    # Sorted by name, case ignored: "Garden…" first; the file already there is kept.
    assert folders == ["Garden plans 2026 (2)", "_CON", "garden PLANS 2026 (3)"]
    assert (out / "Garden plans 2026").read_text() == "already here"  # never written over
    assert not list((out / "_CON").iterdir())  # the empty project's folder, empty
    assert empty.name == "CON"
    inside = [p for p in layout if "/" in p]
    assert {p.split("/")[1].split(" ", 1)[1] for p in inside} == {"Tomatoes.md", "Heater.md"}
