"""Projects in the history: the schema step, their rows, files, passages and blobs."""

from __future__ import annotations

import sqlite3
import time

from desktopchat.domain.projects import Project, ProjectFile, split_passages
from desktopchat.domain.types import Role
from desktopchat.storage.attachment_rows import Blob
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.migration_steps import PROJECTS_MIGRATION
from desktopchat.storage.project_rows import (
    AddProjectFile,
    DeleteProject,
    RemoveProjectFile,
    SaveProject,
    passage_query,
    read_file_texts,
    read_project_files,
    read_projects,
    search_passages,
)
from tests.storage.old_schemas import schema_before


def _project(store: ConversationStore, name: str = "Garden") -> Project:
    now = time.time()
    project = Project(store.new_id(), name, now, now, system_prompt="Be brief.", tools=True)
    store.queue(SaveProject(project)).result()
    return project


def _add_file(store: ConversationStore, project: Project, name: str, text: str) -> ProjectFile:
    data = text.encode()
    file = ProjectFile(store.new_id(), project.id, name, "text/plain", len(data), len(text), 1.0)
    sha = f"{abs(hash(text)):064x}"[-64:]
    change = AddProjectFile(file, sha, Blob("text/plain", data), text, split_passages(text))
    store.queue(change).result()
    return file


def test_the_step_upgrades_a_database_of_the_schema_before_with_nothing_lost(tmp_path):
    path = tmp_path / "history.db"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    schema_before(connection, PROJECTS_MIGRATION.number)
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES (5, 'old', 1, 1)"
    )
    connection.execute("COMMIT")
    connection.close()

    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    try:
        old = store.get_conversation(5)
        project = _project(store)
        store.update_conversation(5, project_id=project.id).result()
        moved = store.get_conversation(5)
    finally:
        store.close()
    assert old is not None and old.title == "old" and old.project_id is None
    assert moved is not None and moved.project_id == project.id


def test_a_project_holds_its_defaults_files_and_searchable_passages(store):
    project = _project(store)
    notes = _add_file(store, project, "notes.md", "The greenhouse heater runs at night.\n" * 100)
    _add_file(store, project, "plan.txt", "Tomatoes go in the south bed in May.")
    other = _project(store, "Other")
    _add_file(store, other, "x.txt", "Tomatoes elsewhere.")

    (found,) = [p for p in store.read_rows(read_projects) if p.id == project.id]
    assert found == project
    files = store.read_rows(lambda c: read_project_files(c, project.id))
    assert [(f.name, f.chars) for f in files] == [("notes.md", notes.chars), ("plan.txt", 36)]
    match = passage_query("where do the tomatoes go?")
    assert match is not None
    hits = store.read_rows(lambda c: search_passages(c, project.id, match, 10))
    assert hits[0].name == "plan.txt"  # best first (BM25): "tomatoes" is rare
    assert "x.txt" not in {h.name for h in hits}  # never another project's file
    heater = store.read_rows(lambda c: search_passages(c, project.id, '"heater"*', 50))
    assert len(heater) > 2 and {h.name for h in heater} == {"notes.md"}
    assert all("heater" in h.text for h in heater)


def test_a_typed_question_is_never_fts5_syntax():
    assert passage_query('a" OR -x * ""') is None
    assert passage_query('What "quotes" NEAR(x) do? what') == '"What"* OR "quotes"* OR "NEARx"*'


def test_deleting_a_project_moves_its_conversations_out_and_frees_its_files(store):
    project = _project(store)
    _add_file(store, project, "a.txt", "alpha beta gamma")
    conversation = store.create_conversation(title="in it", project_id=project.id).result()
    store.queue(DeleteProject(project.id)).result()

    after = store.get_conversation(conversation.id)
    assert after is not None and after.project_id is None
    counts = store.read_rows(
        lambda c: [
            c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("projects", "project_files", "project_passages", "blobs")
        ]
    )
    assert counts == [0, 0, 0, 0]
    assert store.read_rows(lambda c: search_passages(c, project.id, '"alpha"', 5)) == []


def test_removing_a_file_frees_its_blob_unless_another_file_uses_it(store):
    project, other = _project(store), _project(store, "Other")
    file = _add_file(store, project, "a.txt", "shared words")
    _add_file(store, other, "b.txt", "shared words")
    blobs = "SELECT count(*) FROM blobs"
    store.queue(RemoveProjectFile(project.id, file.id)).result()
    assert store.read_rows(lambda c: read_file_texts(c, project.id)) == []
    assert store.read_rows(lambda c: c.execute(blobs).fetchone()[0]) == 1
    store.queue(DeleteProject(other.id)).result()
    assert store.read_rows(lambda c: c.execute(blobs).fetchone()[0]) == 0


def test_passages_cover_the_whole_text_with_their_offsets():
    text = ("word " * 50 + "\n\n") * 40
    pieces = split_passages(text)
    assert all(len(piece) <= 1500 for _, piece in pieces)
    assert all(text[start : start + len(piece)] == piece for start, piece in pieces)
    covered = set()
    for start, piece in pieces:
        covered.update(range(start, start + len(piece)))
    assert covered == set(range(len(text)))


def test_a_projects_pages_hold_its_conversations_only_in_the_lists_order(store):
    project = _project(store)
    ids = [store.create_conversation(title=f"c{index}").result().id for index in range(7)]
    inside = ids[1::2]  # 1, 3, 5
    for conversation_id in inside:
        store.update_conversation(conversation_id, project_id=project.id).result()
    store.update_conversation(ids[1], pinned=True).result()

    pages, after = [], None
    while True:
        page = store.conversation_page(after, 2, project.id)
        pages.append([c.id for c in page.conversations])
        if not page.more:
            break
        after = page.last
    assert pages == [[ids[1], ids[5]], [ids[3]]]
    plan = store.read_rows(
        lambda connection: connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM conversations WHERE project_id = ?"
            " ORDER BY pinned DESC, updated DESC, id DESC LIMIT 3",
            (project.id,),
        ).fetchall()
    )
    details = " ".join(str(row[-1]) for row in plan)
    assert "conversations_by_project" in details and "TEMP B-TREE" not in details


def test_search_in_a_project_finds_its_conversations_only(store):
    project = _project(store)
    inside = store.create_conversation(title="Zebra notes").result()
    store.add_message(inside.id, Role.USER, "a zebra in the garden").result()
    titled = store.create_conversation(title="Zebra crossing").result()
    talked = store.create_conversation(title="Other").result()
    store.add_message(talked.id, Role.USER, "zebra stripes").result()
    store.update_conversation(inside.id, project_id=project.id).result()

    everywhere = store.search_conversations("zebra")
    in_project = store.search_conversations("zebra", project_id=project.id)

    assert {r.conversation_id for r in everywhere} == {inside.id, titled.id, talked.id}
    assert [(r.conversation_id, r.hits) for r in in_project] == [(inside.id, 1)]
    assert in_project[0].title_snippet is not None and in_project[0].message_id is not None
