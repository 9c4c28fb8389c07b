"""Conversations as trees through the ChatService and HistoryService: regenerate and edit
add branches, ‹ › walks them, delete is explicit, and a request sends exactly the branch
shown (left-out turns, attachments and reasoning as the providers need them)."""

from __future__ import annotations

import asyncio

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import (
    AttachmentKind,
    AttachmentPayload,
    ChatTurn,
    MessageStatus,
    Reasoning,
    Role,
)
from desktopchat.providers.base import (
    Finished,
    ReasoningDelta,
    ReasoningSigned,
    ServedModel,
    TextDelta,
)
from desktopchat.services.chat import ReplyReasoning
from desktopchat.services.history import HistoryService
from tests.services.test_chat import (
    ScriptedProvider,
    collect,
    make_service,
    new_conversation,
    reply,
)


def _send(store, conversation_id, text, answer, **kwargs):
    provider = ScriptedProvider(reply(answer))
    asyncio.run(collect(make_service(store, provider).send(conversation_id, text, **kwargs)))
    return provider


def _texts(thread):
    return [m.text for m in thread.messages]


def test_regenerate_three_times_then_walk_back_to_the_first_answer(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "Q", "answer 1")
    for number in (2, 3, 4):
        provider = ScriptedProvider(reply(f"answer {number}"))
        asyncio.run(collect(make_service(store, provider).regenerate(conversation.id)))
    history = HistoryService(store)
    shown = store.thread(conversation.id)
    assert _texts(shown) == ["Q", "answer 4"]
    assert shown.position(shown.messages[-1].id) == (4, 4)

    async def walk_back():
        thread = shown
        for _ in range(5):  # one more than needed: the first stays first
            thread = await history.switch_branch(conversation.id, thread.messages[-1].id, -1)
        return thread

    first = asyncio.run(walk_back())
    assert _texts(first) == ["Q", "answer 1"]
    assert first.position(first.messages[-1].id) == (1, 4)
    assert _texts(store.thread(conversation.id)) == ["Q", "answer 1"], "remembered"


def test_a_new_message_continues_the_branch_shown_and_sends_only_it(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "Q", "A")
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("B"))).regenerate(conversation.id))
    )
    history = HistoryService(store)
    shown = asyncio.run(
        history.switch_branch(conversation.id, store.thread(conversation.id).messages[-1].id, -1)
    )
    assert _texts(shown) == ["Q", "A"]

    provider = _send(store, conversation.id, "more", "C")

    assert provider.calls[0][0] == [
        ChatTurn(Role.USER, "Q"),
        ChatTurn(Role.ASSISTANT, "A"),
        ChatTurn(Role.USER, "more"),
    ]
    assert _texts(store.thread(conversation.id)) == ["Q", "A", "more", "C"]


def test_editing_a_message_keeps_the_old_branch_and_its_replies(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "Q1", "A1")
    _send(store, conversation.id, "Q2", "A2")
    q2 = store.thread(conversation.id).messages[2]
    provider = ScriptedProvider(reply("B2"))
    asyncio.run(
        collect(make_service(store, provider).edit_and_resend(conversation.id, q2.id, "Q2'"))
    )

    thread = store.thread(conversation.id)
    assert _texts(thread) == ["Q1", "A1", "Q2'", "B2"]
    assert thread.position(thread.messages[2].id) == (2, 2)
    old = asyncio.run(
        HistoryService(store).switch_branch(conversation.id, thread.messages[2].id, -1)
    )
    assert _texts(old) == ["Q1", "A1", "Q2", "A2"]


def test_delete_from_moves_to_the_sibling_branch(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "Q", "A")
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("B"))).regenerate(conversation.id))
    )
    history = HistoryService(store)
    b = store.thread(conversation.id).messages[-1]

    after = asyncio.run(history.delete_from(conversation.id, b.id))

    assert _texts(after) == ["Q", "A"]
    store.wait_written(5)
    assert _texts(store.thread(conversation.id)) == ["Q", "A"]
    assert after.siblings == {}


def test_a_search_hit_in_another_branch_opens_that_branch(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "Q", "apples")
    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("pears"))).regenerate(conversation.id))
    )
    store.wait_written(5)
    hit = store.search("apples")[0]

    thread = asyncio.run(HistoryService(store).show_branch_of(conversation.id, hit.message_id))

    assert _texts(thread) == ["Q", "apples"]


def test_retrying_a_failed_reply_with_no_text_replaces_it(store):
    conversation = new_conversation(store)
    failing = ScriptedProvider([ChatError(ErrorKind.NETWORK)])
    asyncio.run(collect(make_service(store, failing).send(conversation.id, "Q")))
    assert store.thread(conversation.id).messages[-1].status is MessageStatus.FAILED

    asyncio.run(
        collect(make_service(store, ScriptedProvider(reply("ok"))).regenerate(conversation.id))
    )

    store.wait_written(5)
    assert [m.text for m in store.messages(conversation.id)] == ["Q", "ok"]


def test_left_out_turns_stay_but_are_not_sent(store):
    conversation = new_conversation(store)
    _send(store, conversation.id, "old question", "old answer")
    old = [m.id for m in store.thread(conversation.id).messages]
    store.set_left_out(conversation.id, old, True)

    provider = _send(store, conversation.id, "new", "fine")

    assert provider.calls[0][0] == [ChatTurn(Role.USER, "new")]
    assert [m.left_out for m in store.thread(conversation.id).messages] == [
        True,
        True,
        False,
        False,
    ]


def test_attachments_are_stored_once_and_sent_again_from_the_history(store):
    conversation = new_conversation(store)
    picture = AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=b"\x89PNG cat")
    notes = AttachmentPayload(AttachmentKind.DOCUMENT, "notes.txt", "text/plain", text="hello")
    _send(store, conversation.id, "Look", "A cat", attachments=[picture, notes])
    _send(store, conversation.id, "Again", "Same cat", attachments=[picture])
    provider = _send(store, conversation.id, "And?", "Done")

    first_turn = provider.calls[0][0][0]
    assert first_turn.attachments == (
        AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=b"\x89PNG cat"),
        AttachmentPayload(AttachmentKind.DOCUMENT, "notes.txt", "text/plain", text="hello"),
    )
    stored = store.thread(conversation.id).messages[0].attachments
    assert [a.name for a in stored] == ["cat.png", "notes.txt"]
    assert store.blob(stored[0].sha256) == b"\x89PNG cat"
    count = store._db.query("SELECT count(*) FROM blobs")[0][0]
    assert count == 1, "the same picture twice is stored once"

    store.delete_conversation(conversation.id).result()
    assert store._db.query("SELECT count(*) FROM blobs")[0][0] == 0, "freed with its last use"


def test_reasoning_is_stored_and_never_sent_back_unless_signed(store):
    conversation = new_conversation(store)
    thinking = ScriptedProvider(
        [ServedModel("m1-2026-01-01"), ReasoningDelta("let me "), ReasoningDelta("think"),
         TextDelta("42"), Finished("stop")]
    )  # fmt: skip
    events = asyncio.run(collect(make_service(store, thinking).send(conversation.id, "Q")))
    assert [e.text for e in events if isinstance(e, ReplyReasoning)] == ["let me ", "think"]
    answer = store.thread(conversation.id).messages[-1]
    assert (answer.text, answer.reasoning.text, answer.served_model) == (
        "42",
        "let me think",
        "m1-2026-01-01",
    )

    signed = ScriptedProvider(
        [ReasoningDelta("hmm"), ReasoningSigned("sig=="), TextDelta("7"), Finished("stop")]
    )
    asyncio.run(collect(make_service(store, signed).send(conversation.id, "Q2")))
    provider = _send(store, conversation.id, "Q3", "ok")

    turns = provider.calls[0][0]
    assert turns[1] == ChatTurn(Role.ASSISTANT, "42")
    assert turns[3].text == "7"
    assert turns[3].signed_reasoning.text == "hmm"
    assert turns[3].signed_reasoning.signature == "sig=="
    assert isinstance(turns[3].signed_reasoning, Reasoning)


def test_a_reply_that_is_only_reasoning_is_kept(store):
    conversation = new_conversation(store)
    only = ScriptedProvider([ReasoningDelta("thinking…"), Finished("length")])
    asyncio.run(collect(make_service(store, only).send(conversation.id, "Q")))
    answer = store.thread(conversation.id).messages[-1]
    assert answer.status is MessageStatus.COMPLETE
    assert answer.reasoning.text == "thinking…"
