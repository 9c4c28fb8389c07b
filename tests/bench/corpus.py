"""Deterministic data for the benchmarks: conversations with prose, code blocks, tables and
lists, long streamed replies, and a populated data folder.

Everything comes from a seeded generator, so every run and every machine measures the same
text. Words follow a Zipf-like distribution, which gives search (P7) a realistic mix: a very
common word, ordinary words, and RARE_WORD planted in a few messages.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

from desktopchat.domain.types import Role
from desktopchat.storage.db import Database, open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import AppPaths
from desktopchat.system.settings import Preferences, SettingsStore

_WORDS = (
    "the of and to a in is it you that for on with as this be are or by not can use "
    "python function error value file data model request config configuration confirm "
    "conference server client stream token window thread event loop query index table "
    "message reply key cache memory time test build install version module package "
    "import class object method return string list dict number line code output input "
    "network timeout retry status header body json schema database record field type "
    "check update delete create change result option setting default path folder user"
)
VOCABULARY = tuple(_WORDS.split())
RARE_WORD = "quetzalcoatl"
LONG_MESSAGES = 2_000
"""The long conversation of P5, P6 and P8 (about a million characters)."""
LONG_TITLES = ("Long conversation A", "Long conversation B")
_WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
_CODE_LINES = (
    "def {w}_{n}(items, limit={n}):",
    "    result = [x for x in items if x.{w} < limit]",
    "    for index, item in enumerate(result):",
    '        print(f"{{index}}: {{item!r}}")  # {w}',
    "    return sorted(result, key=lambda x: x.{w})",
    "",
)


class TextMaker:
    """Seeded Markdown pieces; one instance per data set."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, count: int) -> str:
        return " ".join(self.rng.choices(VOCABULARY, _WEIGHTS, k=count))

    def paragraph(self, words: int = 60) -> str:
        text = self.words(words)
        return text[0].upper() + text[1:] + "."

    def code_block(self, lines: int = 12, language: str = "python") -> str:
        body = [
            _CODE_LINES[i % len(_CODE_LINES)].format(w=self.rng.choice(VOCABULARY), n=i)
            for i in range(lines)
        ]
        return f"```{language}\n" + "\n".join(body) + "\n```"

    def table(self, rows: int = 6, columns: int = 4) -> str:
        header = "| " + " | ".join(self.words(1).title() for _ in range(columns)) + " |"
        rule = "|" + "---|" * columns
        body = [
            "| " + " | ".join(self.words(2) for _ in range(columns)) + " |" for _ in range(rows)
        ]
        return "\n".join([header, rule, *body])

    def bullets(self, items: int = 4) -> str:
        return "\n".join(f"- **{self.words(1)}**: {self.words(10)}" for _ in range(items))

    def prose(self, words: int) -> str:
        """Paragraphs of 80 words with a short list after every fourth."""
        parts = []
        while words > 0:
            if len(parts) % 5 == 4:
                parts.append(self.bullets(3))
                words -= 36
            else:
                parts.append(self.paragraph(min(80, words)))
                words -= 80
        return "\n\n".join(parts)

    def user_message(self) -> str:
        return self.paragraph(self.rng.randint(10, 40)).rstrip(".") + "?"

    def assistant_reply(self) -> str:
        """About 1,000 characters: prose, and often a code block, a table or a list."""
        parts = [self.paragraph(self.rng.randint(70, 120))]
        roll = self.rng.random()
        if roll < 0.35:
            parts.append(self.code_block(self.rng.randint(6, 12)))
        elif roll < 0.55:
            parts.append(self.table(self.rng.randint(3, 6)))
        elif roll < 0.75:
            parts.append(self.bullets())
        parts.append(self.paragraph(self.rng.randint(30, 60)))
        return "\n\n".join(parts)

    def turns(self, count: int, rare_every: int = 0) -> Iterator[tuple[Role, str]]:
        """`count` messages alternating user and assistant; every `rare_every`-th one
        mentions RARE_WORD."""
        for index in range(count):
            text = self.user_message() if index % 2 == 0 else self.assistant_reply()
            if rare_every and index % rare_every == rare_every - 1:
                text += f" Also {RARE_WORD}."
            yield (Role.USER if index % 2 == 0 else Role.ASSISTANT), text


def add_messages(db: Database, conversation_id: int, turns: Iterator[tuple[Role, str]]) -> int:
    """Insert messages in one transaction; return the number of characters inserted.

    ConversationStore.add_message costs ~0.2 ms a message (one transaction each): fine for
    the app, too slow for 100,000 messages. The schema's triggers still index every row.
    """
    now = time.time()
    rows = [
        (conversation_id, role.value, text, now + index * 1e-3, conversation_id)
        for index, (role, text) in enumerate(turns)
    ]
    with db.transaction() as connection:
        # One path, as the app writes it: each message answers the one before.
        connection.executemany(
            "INSERT INTO messages (conversation_id, role, text, created, parent_id)"
            " VALUES (?, ?, ?, ?, (SELECT max(id) FROM messages WHERE conversation_id = ?))",
            rows,
        )
        connection.execute(
            "UPDATE conversations SET updated = ?, current_leaf_id ="
            " (SELECT max(id) FROM messages WHERE conversation_id = conversations.id)"
            " WHERE id = ?",
            (now + len(rows) * 1e-3, conversation_id),
        )
    return sum(len(row[2]) for row in rows)


def long_conversation(store: ConversationStore, db: Database, title: str, seed: int) -> int:
    """A LONG_MESSAGES conversation; returns its id."""
    conversation = store.create_conversation(
        title=title, provider="openai", model="wire-large"
    ).result()
    add_messages(db, conversation.id, TextMaker(seed).turns(LONG_MESSAGES))
    return conversation.id


def populate_home(home: Path) -> None:
    """A data folder as a person who used the app for a while has it: two long
    conversations, sixty short ones, and preferences naming a provider and a model."""
    paths = AppPaths(home / "data", home / "config", home / "cache", home / "logs")
    paths.ensure()
    db, problem = open_database(paths.database)
    if problem is not None:
        raise RuntimeError(f"could not create the benchmark history: {problem}")
    store = ConversationStore(db)
    maker = TextMaker(7)
    for number in range(60):
        conversation = store.create_conversation(title=f"{maker.words(4)} {number}").result()
        add_messages(db, conversation.id, maker.turns(10))
    for seed, title in enumerate(LONG_TITLES, start=1):
        long_conversation(store, db, title, seed)
    store.close()
    SettingsStore(paths.settings_file).save(
        Preferences(last_provider="openai", last_model="gpt-4o-mini")
    )


def streamed_reply(kind: str, tokens: int) -> str:
    """A reply for P3 of about `tokens` words: "prose" (paragraphs and lists), "code"
    (mostly one long fenced block) or "table" (prose around a table of one row per 50
    tokens: 400 rows for P3's 20,000); each ends with a plain paragraph, which the benchmark
    looks for on screen."""
    maker = TextMaker(11)
    if kind == "prose":
        body = maker.prose(tokens - 30)
    elif kind == "code":
        body = f"{maker.paragraph(30)}\n\n{maker.code_block(tokens // 7)}"
    elif kind == "table":
        rows = tokens // 50
        prose_words = max(tokens - rows * 4 * 2 - 30, 0)
        body = f"{maker.prose(prose_words // 3)}\n\n{maker.table(rows)}\n\n"
        body += maker.prose(prose_words * 2 // 3)
    else:
        raise ValueError(f"unknown reply kind {kind!r}")
    return f"{body}\n\n{maker.paragraph(30)}"
