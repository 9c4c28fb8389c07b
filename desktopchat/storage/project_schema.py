"""The schema step that adds projects (issue 20, item 6), kept apart from
migration_steps.py, which numbers it: `PROJECTS_MIGRATION` there.

- `projects`: a name and the defaults a new conversation in it takes.
- `conversations.project_id`: the project a conversation is in (NULL: none). No foreign
  key (SQLite cannot add one to an existing table): deleting a project moves its
  conversations out by trigger, and a project id that sync brought from a computer whose
  project is not here reads as "no project". Its index is in the list's order, so a
  project's page of the sidebar is read like the whole list's (storage/history.py).
- `project_files`: a file's facts, its bytes as a blob (shared with attachments: the blob
  triggers now also look here before freeing one) and its extracted text.
- `project_passages` and `project_passages_fts`: each file's text in pieces of ~1.5 kB
  with their offset, indexed by FTS5 for BM25 ranking, kept in step by triggers.
- `messages.project_files`: which files (and how many passages of each) a reply was given
  (domain/projects.py `uses_to_record`).
"""

from __future__ import annotations

_FREE_BLOB = """
    DELETE FROM blobs WHERE sha256 = old.sha256
        AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
        AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256)
        AND NOT EXISTS (SELECT 1 FROM project_files WHERE sha256 = old.sha256);
"""


def project_statements(fts_options: str) -> tuple[str, ...]:
    """The statements of the step, with the full-text options every index uses now."""
    return (
        """
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created REAL NOT NULL,
            updated REAL NOT NULL,
            system_prompt TEXT NOT NULL DEFAULT '',
            provider TEXT,
            model TEXT,
            temperature REAL,
            tools INTEGER NOT NULL DEFAULT 0
        )
        """,
        "ALTER TABLE conversations ADD COLUMN project_id INTEGER",
        "CREATE INDEX conversations_by_project ON conversations"
        " (project_id, pinned, updated, id) WHERE project_id IS NOT NULL",
        """
        CREATE TRIGGER projects_release_conversations AFTER DELETE ON projects BEGIN
            UPDATE conversations SET project_id = NULL WHERE project_id = old.id;
        END
        """,
        """
        CREATE TABLE project_files (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT REFERENCES blobs (sha256),
            text TEXT NOT NULL,
            added REAL NOT NULL
        )
        """,
        "CREATE INDEX project_files_by_project ON project_files (project_id)",
        "CREATE INDEX project_files_by_blob ON project_files (sha256)",
        """
        CREATE TABLE project_passages (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES project_files (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            text TEXT NOT NULL
        )
        """,
        "CREATE INDEX project_passages_by_file ON project_passages (file_id)",
        f"""
        CREATE VIRTUAL TABLE project_passages_fts USING fts5 (
            text, content = 'project_passages', content_rowid = 'id', {fts_options}
        )
        """,
        """
        CREATE TRIGGER project_passages_fts_insert AFTER INSERT ON project_passages BEGIN
            INSERT INTO project_passages_fts (rowid, text) VALUES (new.id, new.text);
        END
        """,
        """
        CREATE TRIGGER project_passages_fts_delete AFTER DELETE ON project_passages BEGIN
            INSERT INTO project_passages_fts (project_passages_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END
        """,
        "DROP TRIGGER message_attachments_free_blob",
        f"""
        CREATE TRIGGER message_attachments_free_blob AFTER DELETE ON message_attachments
        WHEN old.sha256 IS NOT NULL BEGIN {_FREE_BLOB} END
        """,
        "DROP TRIGGER draft_attachments_free_blob",
        f"""
        CREATE TRIGGER draft_attachments_free_blob AFTER DELETE ON draft_attachments
        WHEN old.sha256 IS NOT NULL BEGIN {_FREE_BLOB} END
        """,
        f"""
        CREATE TRIGGER project_files_free_blob AFTER DELETE ON project_files
        WHEN old.sha256 IS NOT NULL BEGIN {_FREE_BLOB} END
        """,
        "ALTER TABLE messages ADD COLUMN project_files TEXT",
    )
