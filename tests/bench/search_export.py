"""P7 full-text search over 100,000 messages, P8 Markdown export of 2,000 messages.

A child process builds a history of SEARCH_CONVERSATIONS conversations of 2,000 messages
(corpus.TextMaker: prose, code, tables, lists; RARE_WORD in ten messages of them all),
then times ConversationStore.search, as the sidebar calls it, for a very common word, a rare
word, two words, and a prefix; and the export of one conversation as File → Export does it:
read its messages from the store, then core.export.export_conversation (atomic write).
No Qt is involved, so no window is built. `--quick` searches QUICK_CONVERSATIONS
conversations (building and indexing the whole corpus is most of the family's time); the
figures' names say how many messages were searched.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import Figure, Options, run_sample, sample_main
from tests.bench.corpus import LONG_MESSAGES, RARE_WORD, TextMaker, add_messages

MODULE = "tests.bench.search_export"
SEARCH_CONVERSATIONS = 50
QUICK_CONVERSATIONS = 10
QUERIES = {
    "very common word": "the",
    "rare word": RARE_WORD,
    "two words": "python error",
    "prefix": "conf",
}


def _build(folder: Path, conversations: int) -> tuple[Any, int, int]:
    """The history of `conversations` conversations of LONG_MESSAGES messages (100,000
    messages in all for SEARCH_CONVERSATIONS); returns the store, the message count, and
    one conversation's id."""
    from desktopchat.storage.db import open_database
    from desktopchat.storage.history import ConversationStore

    db, problem = open_database(folder / "history.db")
    if problem is not None:
        raise RuntimeError(f"could not create the benchmark history: {problem}")
    store = ConversationStore(db)
    maker = TextMaker(3)
    first = None
    for number in range(conversations):
        conversation = store.create_conversation(title=f"{maker.words(4)} {number}").result()
        rare_every = 997 if number % 10 == 0 else 0
        add_messages(db, conversation.id, maker.turns(LONG_MESSAGES, rare_every=rare_every))
        first = first or conversation.id
    return store, conversations * LONG_MESSAGES, first


def _timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def _measure(repeats: int, conversations: int) -> dict[str, Any]:
    from desktopchat.services.export import export_conversation

    with tempfile.TemporaryDirectory(prefix="dc-bench-search-") as folder:
        store, messages, conversation_id = _build(Path(folder), conversations)
        search: dict[str, list[float]] = {name: [] for name in QUERIES}
        hits: dict[str, int] = {}
        export_total, export_write = [], []
        conversation = store.get_conversation(conversation_id)
        for number in range(repeats):
            for name, query in QUERIES.items():
                elapsed, found = _timed(lambda query=query: store.search(query))
                search[name].append(elapsed)
                hits[name] = len(found)
            read_ms, rows = _timed(lambda: store.messages(conversation_id))
            target = Path(folder) / f"export-{number}.md"
            write_ms, _ = _timed(
                lambda target=target, rows=rows: export_conversation(target, conversation, rows)
            )
            export_total.append(read_ms + write_ms)
            export_write.append(write_ms)
        store.close()
    return {
        "messages": messages,
        "search_ms": search,
        "hits": hits,
        "export_ms": export_total,
        "export_write_ms": export_write,
    }


def _sample(args: list[str]) -> dict[str, Any]:
    return _measure(int(args[0]), int(args[1]))


def measure(options: Options) -> list[Figure]:
    repeats = 3 if options.quick else max(options.runs, 5) * 2
    conversations = QUICK_CONVERSATIONS if options.quick else SEARCH_CONVERSATIONS
    result = run_sample(MODULE, options, str(repeats), str(conversations), timeout=600)
    total = f"{result['messages']:,}"
    figures = [
        Figure(
            "P7",
            f"search {total} messages, {name} “{query}”",
            "ms",
            result["search_ms"][name],
            limit=50,
            note=f"{result['hits'][name]} hits shown",
        )
        for name, query in QUERIES.items()
    ]
    figures += [
        Figure(
            "P8",
            f"export {LONG_MESSAGES:,} messages: read from store + write",
            "ms",
            result["export_ms"],
            limit=200,
        ),
        Figure("P8", "  of which export_conversation()", "ms", result["export_write_ms"]),
    ]
    return figures


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
