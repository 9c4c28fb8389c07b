"""The conversation list read a page at a time (300,000 conversations must not be read at
once), pins on top, and search that answers one row per conversation."""

from __future__ import annotations

from desktopchat.domain.types import Role
from desktopchat.storage.history import SNIPPET_END, SNIPPET_START, ConversationStore


def _titled(store: ConversationStore, count: int) -> list[int]:
    return [store.create_conversation(title=f"c{index}").result().id for index in range(count)]


def _all_pages(store: ConversationStore, size: int) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = store.conversation_page(after, size)
        pages.append([c.id for c in page.conversations])
        if not page.more:
            return pages
        after = page.last


def test_pages_cover_the_list_once_in_its_order(store):
    ids = _titled(store, 7)
    store.update_conversation(ids[2], pinned=True).result()

    pages = _all_pages(store, 3)

    assert [len(page) for page in pages] == [3, 3, 1]
    flat = [cid for page in pages for cid in page]
    assert flat == [c.id for c in store.list_conversations()]
    assert flat[0] == ids[2], "the pinned one is on top though it is not the newest"
    assert flat[1:] == [cid for cid in reversed(ids) if cid != ids[2]]


def test_a_pin_is_kept_and_an_unpin_puts_it_back_by_date(store):
    first, second = _titled(store, 2)
    store.update_conversation(first, pinned=True).result()
    assert store.get_conversation(first).pinned
    assert [c.id for c in store.list_conversations()] == [first, second]

    store.update_conversation(first, pinned=False).result()
    assert not store.get_conversation(first).pinned
    assert [c.id for c in store.list_conversations()] == [second, first]


def test_an_empty_history_is_one_empty_page(store):
    page = store.conversation_page(None, 50)
    assert (page.conversations, page.more, page.last) == ((), False, None)


def test_a_pin_travels_with_the_synced_columns():
    from desktopchat.storage.sync_rows import CONVERSATION_FIELDS

    assert "pinned" in CONVERSATION_FIELDS


def test_search_gives_one_row_per_conversation_with_its_count(store):
    chatty = store.create_conversation(title="Holiday plans").result()
    parent = None
    for text in ("a quick zebra", "no match here", "zebra again", "and a zebra"):
        parent = store.add_message(chatty.id, Role.USER, text, parent_id=parent).result().id
    quiet = store.create_conversation(title="Zebra crossing").result()
    store.add_message(quiet.id, Role.USER, "nothing").result()

    results = store.search_conversations("zebra")

    assert [r.conversation_id for r in results] == [quiet.id, chatty.id], "titles first"
    by_id = {r.conversation_id: r for r in results}
    assert by_id[chatty.id].hits == 3
    assert by_id[chatty.id].title_snippet is None
    assert f"{SNIPPET_START}zebra{SNIPPET_END}" in by_id[chatty.id].snippet
    assert by_id[chatty.id].message_id is not None
    assert by_id[quiet.id].hits == 0 and by_id[quiet.id].message_id is None
    assert by_id[quiet.id].title_snippet == f"{SNIPPET_START}Zebra{SNIPPET_END} crossing"
