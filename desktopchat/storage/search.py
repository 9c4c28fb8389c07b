"""Full-text search over conversation titles, message text and the text of attached
documents (FTS5, see migrations.py).

What a person types is taken as words, never as FTS5 syntax: each word becomes a quoted
phrase, so quotes, `-`, `*`, `AND`, `NEAR(` and the like are just text and nothing they
type can raise. Every word must match, as the start of a word ("conf" finds
"configuration"), except one-letter words, which match whole: a one-letter prefix matches
nearly everything and would take the better part of a second over 100,000 messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.domain.types import Role
from desktopchat.storage.db import Database

SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
"""Around each match in SearchHit.snippet: control characters no typed text contains, so
the UI can escape the snippet for HTML first and then turn these into bold."""

_SNIPPET_TOKENS = 12
"""Words of context a message snippet shows around its matches."""

_RANKED_WINDOW = 1000
"""How many of the newest matching messages bm25 ranks. Ranking costs time for every
match, and a common word matches nearly every message (hundreds of ms over 100,000);
for rarer words this window holds every match and the ranking is exact."""


@dataclass(frozen=True)
class SearchHit:
    """One search result: a message, or (message_id None) a conversation's title."""

    conversation_id: int
    conversation_title: str
    message_id: int | None
    role: Role | None
    snippet: str
    attachment_name: str | None = None
    """For a hit in an attached document's text: the file's name (the hit opens the
    message that carries it)."""


def fts5_query(text: str) -> str | None:
    """An FTS5 MATCH expression that ANDs each word of `text`; None if it has no words.

    A word without a letter or digit (punctuation, emoji) would become a phrase with no
    token in it, which matches nothing and would make the whole AND fail: it is dropped.
    """
    words = [word for word in text.split() if any(char.isalnum() for char in word)]
    if not words:
        return None
    return " AND ".join(_phrase(word) for word in words)


def _phrase(word: str) -> str:
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted if len(word) == 1 else quoted + "*"


def search_history(db: Database, query: str, limit: int = 50) -> list[SearchHit]:
    """Conversations whose title matches, best first, then messages, best first (bm25),
    then messages whose attached documents match and whose own text did not."""
    match = fts5_query(query)
    if match is None or limit <= 0:
        return []
    title_rows = db.query(
        "SELECT c.id, c.title, highlight(conversations_fts, 0, ?, ?) AS snippet"
        " FROM conversations_fts JOIN conversations AS c ON c.id = conversations_fts.rowid"
        " WHERE conversations_fts MATCH ? ORDER BY rank LIMIT ?",
        (SNIPPET_START, SNIPPET_END, match, limit),
    )
    hits = [SearchHit(row["id"], row["title"], None, None, row["snippet"]) for row in title_rows]
    if len(hits) == limit:
        return hits
    # FTS5 walks rowids newest first without ranking, so the window's lower bound is cheap;
    # the outer MATCH then ranks only the rows at or above it.
    message_rows = db.query(
        "SELECT m.id, m.conversation_id, m.role, c.title,"
        " snippet(messages_fts, 0, :start, :end, '…', :tokens) AS snippet"
        " FROM messages_fts"
        " JOIN messages AS m ON m.id = messages_fts.rowid"
        " JOIN conversations AS c ON c.id = m.conversation_id"
        " WHERE messages_fts MATCH :match AND messages_fts.rowid >= ("
        "  SELECT min(rowid) FROM ("
        "   SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match"
        "   ORDER BY rowid DESC LIMIT :window))"
        " ORDER BY rank LIMIT :limit",
        _ranked(match, limit - len(hits)),
    )
    hits.extend(
        SearchHit(
            row["conversation_id"], row["title"], row["id"], Role(row["role"]), row["snippet"]
        )
        for row in message_rows
    )
    if len(hits) < limit:
        found = {hit.message_id for hit in hits}
        more = _attachment_hits(db, match, limit - len(hits) + len(found))
        hits.extend(hit for hit in more if hit.message_id not in found)
    return hits[:limit]


def _attachment_hits(db: Database, match: str, limit: int) -> list[SearchHit]:
    """Messages whose attached documents' text matches, best first, the same ranked window
    as for messages; one hit per message (its best-ranked file)."""
    rows = db.query(
        "SELECT m.id, m.conversation_id, m.role, c.title, a.name,"
        " snippet(attachments_fts, 0, :start, :end, '…', :tokens) AS snippet"
        " FROM attachments_fts"
        " JOIN message_attachments AS a ON a.id = attachments_fts.rowid"
        " JOIN messages AS m ON m.id = a.message_id"
        " JOIN conversations AS c ON c.id = m.conversation_id"
        " WHERE attachments_fts MATCH :match AND attachments_fts.rowid >= ("
        "  SELECT min(rowid) FROM ("
        "   SELECT rowid FROM attachments_fts WHERE attachments_fts MATCH :match"
        "   ORDER BY rowid DESC LIMIT :window))"
        " ORDER BY rank LIMIT :limit",
        _ranked(match, limit),
    )
    hits: dict[int, SearchHit] = {}
    for row in rows:
        hits.setdefault(
            row["id"],
            SearchHit(
                row["conversation_id"],
                row["title"],
                row["id"],
                Role(row["role"]),
                row["snippet"],
                attachment_name=row["name"],
            ),
        )
    return list(hits.values())


def _ranked(match: str, limit: int) -> dict[str, object]:
    """The parameters of a ranked full-text query: the words, the newest window ranked, how
    many hits, and how snippets are marked."""
    return {
        "start": SNIPPET_START,
        "end": SNIPPET_END,
        "tokens": _SNIPPET_TOKENS,
        "match": match,
        "window": _RANKED_WINDOW,
        "limit": limit,
    }


@dataclass(frozen=True)
class ConversationHit:
    """One conversation in the search results: how many of its messages match, and the
    best match's snippet (or its title's, when only the title matches)."""

    conversation_id: int
    title: str
    title_snippet: str | None
    """The title with its matches marked; None when the title does not match."""
    hits: int
    """Matching messages (and attached documents) among the ranked window's."""
    message_id: int | None
    """The best-matching message; None when only the title matches."""
    snippet: str
    attachment_name: str | None = None


def search_conversations(db: Database, query: str, limit: int = 50) -> list[ConversationHit]:
    """One result per conversation: titles that match first (best first), then the
    conversations of the best-ranked messages; each with its count of matching messages
    and its best message's snippet. Counting and ranking read the same newest window as
    `search_history` (no snippet is made for a match that is not shown)."""
    match = fts5_query(query)
    if match is None or limit <= 0:
        return []
    titles = {
        row["id"]: row["snippet"]
        for row in db.query(
            "SELECT c.id, highlight(conversations_fts, 0, ?, ?) AS snippet"
            " FROM conversations_fts JOIN conversations AS c ON c.id = conversations_fts.rowid"
            " WHERE conversations_fts MATCH ? ORDER BY rank LIMIT ?",
            (SNIPPET_START, SNIPPET_END, match, limit),
        )
    }
    counts: dict[int, int] = {}
    best: dict[int, int] = {}
    for row in db.query(
        "SELECT m.id, m.conversation_id FROM messages_fts"
        " JOIN messages AS m ON m.id = messages_fts.rowid"
        " WHERE messages_fts MATCH :match AND messages_fts.rowid >= ("
        "  SELECT min(rowid) FROM ("
        "   SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match"
        "   ORDER BY rowid DESC LIMIT :window))"
        " ORDER BY rank",
        _ranked(match, -1),
    ):
        counts[row["conversation_id"]] = counts.get(row["conversation_id"], 0) + 1
        best.setdefault(row["conversation_id"], row["id"])
    in_files = {
        hit.conversation_id: hit
        for hit in reversed(_attachment_hits(db, match, _RANKED_WINDOW))
        if hit.conversation_id not in best
    }
    for conversation_id in in_files:
        counts[conversation_id] = counts.get(conversation_id, 0) + 1
    order = list(dict.fromkeys([*titles, *best, *in_files]))[:limit]
    if not order:
        return []
    marks = ", ".join("?" * len(order))
    headers = {
        row["id"]: row["title"]
        for row in db.query(f"SELECT id, title FROM conversations WHERE id IN ({marks})", order)
    }
    snippets = _message_snippets(db, match, [best[c] for c in order if c in best])
    results = []
    for conversation_id in order:
        if conversation_id not in headers:
            continue
        message_id = best.get(conversation_id)
        in_file = in_files.get(conversation_id)
        title_snippet = titles.get(conversation_id)
        if message_id is not None:
            snippet, name = snippets.get(message_id, ""), None
        elif in_file is not None:
            message_id, snippet, name = in_file.message_id, in_file.snippet, in_file.attachment_name
        else:
            snippet, name = title_snippet or "", None
        results.append(
            ConversationHit(
                conversation_id,
                headers[conversation_id],
                title_snippet,
                counts.get(conversation_id, 0),
                message_id,
                snippet,
                name,
            )
        )
    return results


def _message_snippets(db: Database, match: str, message_ids: list[int]) -> dict[int, str]:
    """The snippets of a few messages, each read by its row id (cheap)."""
    if not message_ids:
        return {}
    marks = ", ".join("?" * len(message_ids))
    rows = db.query(
        "SELECT rowid, snippet(messages_fts, 0, ?, ?, '…', ?) AS snippet FROM messages_fts"
        f" WHERE messages_fts MATCH ? AND rowid IN ({marks})",
        (SNIPPET_START, SNIPPET_END, _SNIPPET_TOKENS, match, *message_ids),
    )
    return {row["rowid"]: row["snippet"] for row in rows}
