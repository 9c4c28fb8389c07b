"""The history's schema steps, numbered, in order: what each migration changes and why.
The runner (storage/migrations.py) applies the ones a database has not had yet.

A new schema change is a new entry at the end of MIGRATIONS, never an edit of an old one
(people's databases already ran it).

Full-text search: `messages_fts` indexes message text as an external-content FTS5 table
kept in sync by triggers. A reply that is still STREAMING is left out of the index and
indexed once, when its status changes: the store rewrites the whole growing text every
250 ms, and re-tokenising up to a megabyte each time would cost far more than the search
gains from seeing half a reply. The invariant the triggers keep: the index holds exactly
the messages whose status is not 'streaming', with their current text.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.storage.project_schema import project_statements


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its statements run in order, in the caller's transaction."""

    number: int
    name: str
    statements: tuple[str, ...]


# Diacritics folded so "cafe" finds "café". Prefix indexes for 2 and 3 characters: search
# matches each word as a prefix, and without them a short prefix ("co"*) merges the lists
# of every word it starts at query time, which costs hundreds of ms over 100,000 messages.
# Frozen: migration 1 ran with these; migration 6 rebuilt the indexes with FTS_OPTIONS.
_FTS_OPTIONS_1 = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"

FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6'"
"""The full-text indexes' options as they are now (migration 6)."""

_CREATE_HISTORY = Migration(
    1,
    "conversations, messages and full-text search",
    (
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            updated REAL NOT NULL,
            provider TEXT,
            model TEXT,
            temperature REAL,
            system_prompt TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX conversations_by_updated ON conversations (updated, id)",
        # AUTOINCREMENT: a deleted reply's id is never reused, so a late update from a
        # cancelled stream cannot land on the message that replaced it.
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL
                REFERENCES conversations (id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            text TEXT NOT NULL,
            created REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete'
                CHECK (status IN ('complete', 'streaming', 'interrupted', 'failed')),
            provider TEXT,
            model TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            error TEXT,
            duration REAL
        )
        """,
        "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
        "CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming'",
        f"""
        CREATE VIRTUAL TABLE messages_fts USING fts5 (
            text, content = 'messages', content_rowid = 'id', {_FTS_OPTIONS_1}
        )
        """,
        """
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
        WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
        END
        """,
        """
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN old.status != 'streaming' BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END
        """,
        # One trigger, so the old text always leaves the index before the new text enters.
        """
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, status ON messages
        WHEN old.status != 'streaming' OR new.status != 'streaming' BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text)
            SELECT 'delete', old.id, old.text WHERE old.status != 'streaming';
            INSERT INTO messages_fts (rowid, text)
            SELECT new.id, new.text WHERE new.status != 'streaming';
        END
        """,
        f"""
        CREATE VIRTUAL TABLE conversations_fts USING fts5 (
            title, content = 'conversations', content_rowid = 'id', {_FTS_OPTIONS_1}
        )
        """,
        """
        CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
            INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
        """
        CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
            INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
        END
        """,
        """
        CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
            INSERT INTO conversations_fts (conversations_fts, rowid, title)
            VALUES ('delete', old.id, old.title);
            INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
        END
        """,
    ),
)

# A failed reply stored its error as a sentence in the language of that day, which lost
# what the UI needs to offer (Settings for a refused key) and stayed in that language. Now
# it stores the kind and the details as JSON (ChatError.to_record) and the UI words it when
# shown; rows written before keep their sentence in `error` and have no kind.
_ERRORS_BY_KIND = Migration(
    2,
    "errors stored by kind",
    (
        "ALTER TABLE messages ADD COLUMN error_kind TEXT",
        "ALTER TABLE messages ADD COLUMN error_details TEXT",
    ),
)

# Conversations become trees (DESIGN.md §3): an edit or a regenerate adds a sibling instead
# of deleting the later turns, and the conversation remembers which branch is shown. Every
# existing conversation becomes one path (each message's parent is the one before it) whose
# leaf is its newest message. Replies gain their reasoning, the model that actually answered,
# fuller usage and its cost; messages gain attachments, whose bytes are stored once per
# content (sha256) and freed with the last message or draft that uses them. Drafts move into
# the history so that they survive a crash with their attachments. `origin` says where an
# imported conversation came from, so importing the same archive twice adds nothing.
_ATTACHMENT_COLUMNS = """
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT REFERENCES blobs (sha256),
    text TEXT,
    note TEXT
"""
_FREE_BLOB = """
    DELETE FROM blobs WHERE sha256 = old.sha256
        AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256)
        AND NOT EXISTS (SELECT 1 FROM draft_attachments WHERE sha256 = old.sha256);
"""
_TREES_AND_PARTS = Migration(
    3,
    "trees, reasoning, attachments, usage and drafts",
    (
        "ALTER TABLE messages ADD COLUMN parent_id INTEGER",
        "ALTER TABLE messages ADD COLUMN reasoning TEXT",
        "ALTER TABLE messages ADD COLUMN reasoning_signature TEXT",
        "ALTER TABLE messages ADD COLUMN reasoning_seconds REAL",
        "ALTER TABLE messages ADD COLUMN served_model TEXT",
        "ALTER TABLE messages ADD COLUMN left_out INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER",
        "ALTER TABLE messages ADD COLUMN cached_tokens INTEGER",
        "ALTER TABLE messages ADD COLUMN cost REAL",
        "ALTER TABLE messages ADD COLUMN cost_source TEXT",
        """
        UPDATE messages SET parent_id = (
            SELECT before.id FROM messages AS before
            WHERE before.conversation_id = messages.conversation_id AND before.id < messages.id
            ORDER BY before.id DESC LIMIT 1
        )
        """,
        "CREATE INDEX messages_by_parent ON messages (parent_id)",
        "ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER",
        "ALTER TABLE conversations ADD COLUMN max_tokens INTEGER",
        "ALTER TABLE conversations ADD COLUMN reasoning_effort TEXT",
        "ALTER TABLE conversations ADD COLUMN thinking_budget INTEGER",
        "ALTER TABLE conversations ADD COLUMN continues INTEGER",
        "ALTER TABLE conversations ADD COLUMN origin TEXT",
        "CREATE UNIQUE INDEX conversations_by_origin ON conversations (origin)"
        " WHERE origin IS NOT NULL",
        """
        UPDATE conversations SET current_leaf_id = (
            SELECT max(id) FROM messages WHERE conversation_id = conversations.id
        )
        """,
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            data BLOB NOT NULL,
            created REAL NOT NULL
        )
        """,
        # Its own INTEGER PRIMARY KEY: the search index refers to rows by rowid, which
        # VACUUM may renumber in a table without one.
        f"""
        CREATE TABLE message_attachments (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            {_ATTACHMENT_COLUMNS},
            UNIQUE (message_id, position)
        )
        """,
        "CREATE INDEX message_attachments_by_blob ON message_attachments (sha256)",
        """
        CREATE TABLE drafts (
            conversation_id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            updated REAL NOT NULL
        )
        """,
        f"""
        CREATE TABLE draft_attachments (
            conversation_id INTEGER NOT NULL
                REFERENCES drafts (conversation_id) ON DELETE CASCADE,
            {_ATTACHMENT_COLUMNS},
            PRIMARY KEY (conversation_id, position)
        )
        """,
        "CREATE INDEX draft_attachments_by_blob ON draft_attachments (sha256)",
        f"""
        CREATE TRIGGER message_attachments_free_blob AFTER DELETE ON message_attachments
        WHEN old.sha256 IS NOT NULL BEGIN {_FREE_BLOB} END
        """,
        f"""
        CREATE TRIGGER draft_attachments_free_blob AFTER DELETE ON draft_attachments
        WHEN old.sha256 IS NOT NULL BEGIN {_FREE_BLOB} END
        """,
        """
        CREATE TRIGGER drafts_follow_conversations AFTER DELETE ON conversations BEGIN
            DELETE FROM drafts WHERE conversation_id = old.id;
        END
        """,
        f"""
        CREATE VIRTUAL TABLE attachments_fts USING fts5 (
            text, content = 'message_attachments', content_rowid = 'id', {_FTS_OPTIONS_1}
        )
        """,
        """
        CREATE TRIGGER attachments_fts_insert AFTER INSERT ON message_attachments
        WHEN new.text IS NOT NULL BEGIN
            INSERT INTO attachments_fts (rowid, text) VALUES (new.id, new.text);
        END
        """,
        """
        CREATE TRIGGER attachments_fts_delete AFTER DELETE ON message_attachments
        WHEN old.text IS NOT NULL BEGIN
            INSERT INTO attachments_fts (attachments_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END
        """,
    ),
)

# Ids carry an instance field (storage/ids.py); each running instance claims its own here, in
# a write transaction, so two instances on one history never make the same id. `seen` is
# when the claim was made or last renewed: a claim left by a crash is taken back after a
# while. Older versions ignore the table (their ids are random and below or beside ours).
_ID_FIELDS = Migration(
    4,
    "instance fields of ids",
    (
        """
        CREATE TABLE id_fields (
            field INTEGER PRIMARY KEY,
            seen REAL NOT NULL
        )
        """,
    ),
)

# Usage is a ledger (DESIGN.md §3): what a reply spent stays counted after the reply, or its
# conversation, is deleted. The ledger has a row per reply that has usage, keyed by the
# reply's id and never linked to it: nothing deletes from it. A trigger writes it when a
# reply's usage is saved (an UPDATE: replies are added streaming, without usage), in the
# same transaction, so a crash cannot keep one without the other. Messages inserted whole
# (an import, a merged backup) do not enter it: an import of our own export would count
# again what was spent once, and a merged backup's replies are there already, by id. Rows
# are backfilled from the replies still stored; what earlier versions deleted is gone for
# good. `usage_estimated` marks usage the app estimated because the server reported none
# (services/usage_estimate.py).
_LEDGER_COLUMNS = (
    "message_id, conversation_id, created, provider, model, input_tokens, output_tokens,"
    " reasoning_tokens, cached_tokens, cost, cost_source, estimated"
)
_LEDGER_VALUES = (
    "{row}.id, {row}.conversation_id, {row}.created, {row}.provider, {row}.model,"
    " {row}.input_tokens, {row}.output_tokens, {row}.reasoning_tokens, {row}.cached_tokens,"
    " {row}.cost, {row}.cost_source, coalesce({row}.usage_estimated, 0)"
)
_HAS_USAGE = (
    "{row}.role = 'assistant' AND ({row}.input_tokens IS NOT NULL"
    " OR {row}.output_tokens IS NOT NULL OR {row}.cost IS NOT NULL)"
)
_USAGE_LEDGER = Migration(
    5,
    "usage ledger",
    (
        "ALTER TABLE messages ADD COLUMN usage_estimated INTEGER",
        """
        CREATE TABLE usage_ledger (
            message_id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL,
            created REAL NOT NULL,
            provider TEXT,
            model TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            reasoning_tokens INTEGER,
            cached_tokens INTEGER,
            cost REAL,
            cost_source TEXT,
            estimated INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX usage_ledger_by_created ON usage_ledger (created)",
        "CREATE INDEX usage_ledger_by_conversation ON usage_ledger (conversation_id)",
        f"""
        INSERT INTO usage_ledger ({_LEDGER_COLUMNS})
        SELECT {_LEDGER_VALUES.format(row="messages")} FROM messages
        WHERE {_HAS_USAGE.format(row="messages")}
        """,
        f"""
        CREATE TRIGGER usage_ledger_update AFTER UPDATE OF input_tokens, output_tokens,
            reasoning_tokens, cached_tokens, cost, cost_source, usage_estimated ON messages
        WHEN {_HAS_USAGE.format(row="new")} BEGIN
            INSERT OR REPLACE INTO usage_ledger ({_LEDGER_COLUMNS})
            VALUES ({_LEDGER_VALUES.format(row="new")});
        END
        """,
    ),
)

# Prefix indexes up to 6 characters (P7): a word typed in search is matched as a prefix, and
# one longer than the longest prefix index ("conf" with '2 3') was answered by merging, at
# query time, the lists of every word it starts: 150–200 ms over the bench's 100,000
# messages on a loaded machine, against a target of 50. Measured there, interleaved:
#   '2 3'        conf 201, confi 146, config 100 ms; file 112.9 MB
#   '2 3 4 5'    conf 34,  confi 23,  config 105 ms; file 127.5 MB
#   '2 3 4 5 6'  conf 26,  confi 22,  config 17 ms;  file 131.8 MB
# from 7 characters on, the words a prefix starts are few and each length costs the same.
# FTS5 cannot change a table's options, so each index is made again and refilled with what
# the triggers would have put in it: no reply still streaming (see the module's docstring),
# only attachments with text. The triggers name the tables, not their options, and stay.
# On a very large history this takes some seconds (~20 s for the bench's), once, after the
# backup taken before every migration.
_FTS_LONGER_PREFIXES = Migration(
    6,
    "search indexes prefixes up to six characters",
    (
        "DROP TABLE messages_fts",
        f"""
        CREATE VIRTUAL TABLE messages_fts USING fts5 (
            text, content = 'messages', content_rowid = 'id', {FTS_OPTIONS}
        )
        """,
        """
        INSERT INTO messages_fts (rowid, text)
        SELECT id, text FROM messages WHERE status != 'streaming'
        """,
        "DROP TABLE conversations_fts",
        f"""
        CREATE VIRTUAL TABLE conversations_fts USING fts5 (
            title, content = 'conversations', content_rowid = 'id', {FTS_OPTIONS}
        )
        """,
        "INSERT INTO conversations_fts (rowid, title) SELECT id, title FROM conversations",
        "DROP TABLE attachments_fts",
        f"""
        CREATE VIRTUAL TABLE attachments_fts USING fts5 (
            text, content = 'message_attachments', content_rowid = 'id', {FTS_OPTIONS}
        )
        """,
        """
        INSERT INTO attachments_fts (rowid, text)
        SELECT id, text FROM message_attachments WHERE text IS NOT NULL
        """,
    ),
)

# A reply's tool calls (domain/tool_calls.py) in one JSON column: the steps, each call with
# its arguments, the person's decision and the whole result (images as base64). One column
# rather than tables because a reply's calls are written, read and synced together with
# it, and a sync record is a message's whole row (storage/sync_rows.py MESSAGE_COLUMNS).
_TOOL_STEPS = Migration(
    7,
    "tool calls and their results on replies",
    ("ALTER TABLE messages ADD COLUMN tool_steps TEXT",),
)

# Pinned conversations sit above the others in the sidebar (issue 20). The flag is one of a
# conversation's settable columns, so sync carries it and the latest pin or unpin wins. The
# index is the sidebar's order, read a page at a time (300,000 conversations, issue 18):
# pinned first, then the most recently updated, ties by the newer id.
_PINS = Migration(
    8,
    "pinned conversations, and the sidebar's order as an index",
    (
        "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX conversations_by_place ON conversations (pinned, updated, id)",
    ),
)

# Projects (issue 20, item 6): storage/project_schema.py says what and why. Numbered 7 on
# its branch; renumbered 9 at merge, after tool steps (7) and pins (8).
PROJECTS_MIGRATION = Migration(
    9, "projects, their files and passages", project_statements(FTS_OPTIONS)
)

# Web search through the provider's own search (issue 19 item 8): a conversation's choice
# to search (one of its settable columns, so sync carries it and the latest choice wins),
# and on a reply the searches made and the sources cited, as one JSON value
# (domain/web_search.py), for the same reasons as tool_steps above.
_WEB_SEARCH = Migration(
    10,
    "web search per conversation, and the sources a reply cites",
    (
        "ALTER TABLE conversations ADD COLUMN web_search INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN web_search TEXT",
    ),
)

# Why a reply stopped short though its stream ended well (domain/reply_end.py): cut at the
# output limit (with the limit sent), at the context window, paused, or filtered. A small
# JSON value, None for a normal end, synced with the row like the columns above.
_REPLY_END = Migration(
    11,
    "why a reply stopped short: cut at the limit, paused, filtered",
    ("ALTER TABLE messages ADD COLUMN reply_end TEXT",),
)

MIGRATIONS: tuple[Migration, ...] = (
    _CREATE_HISTORY,
    _ERRORS_BY_KIND,
    _TREES_AND_PARTS,
    _ID_FIELDS,
    _USAGE_LEDGER,
    _FTS_LONGER_PREFIXES,
    _TOOL_STEPS,
    _PINS,
    PROJECTS_MIGRATION,
    _WEB_SEARCH,
    _REPLY_END,
)
