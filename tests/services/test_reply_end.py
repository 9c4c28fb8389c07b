"""A reply stopped short, from the wire to the history: the service keeps how the last
request ended (with the limit it sent), stores it with the reply in a real history file,
and a normal end stores nothing."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.domain.types import MessageStatus
from desktopchat.services.chat import ReplyFinished
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from tests.services.test_context_actions import Setup
from tests.services.test_tool_loop import ECHO, run, with_tools
from tests.services.test_tool_loop import Setup as ToolSetup
from tests.storage.old_schemas import opened_history
from tests.wire_script import Reply


@pytest.fixture
def history_file(tmp_path):
    """A real history on disk, reopened by the test to read what was written."""
    path = tmp_path / "history.db"
    db, problem = open_database(path)
    assert problem is None
    store = ConversationStore(db)
    yield path, store
    store.close()
    db.close()


def _reopened(path, conversation_id):
    with opened_history(path) as store:
        return store.thread(conversation_id).messages[-1]


@pytest.mark.parametrize(
    ("provider", "model", "reason", "end"),
    [
        ("openai", "gpt-4o", "length", ReplyEnd(EndKind.CUT_AT_LIMIT, 300)),
        ("anthropic", "claude-sonnet-4-5", "max_tokens", ReplyEnd(EndKind.CUT_AT_LIMIT, 300)),
        ("anthropic", "claude-sonnet-4-5", "pause_turn", ReplyEnd(EndKind.PAUSED)),
        ("openai", "gpt-4o", "content_filter", ReplyEnd(EndKind.FILTERED)),
        ("anthropic", "claude-sonnet-4-5", "refusal", ReplyEnd(EndKind.FILTERED)),
        ("openai", "gpt-4o", "stop", None),
    ],
)
def test_the_end_is_stored_with_the_reply(history_file, wire_server, provider, model, reason, end):
    path, store = history_file
    wire_server.reply.finish_reason = reason
    setup = Setup(store, wire_server)
    conversation = setup.conversation(provider, model, max_tokens=300)
    events = asyncio.run(setup.say(conversation.id, "Tell me everything."))

    finished = events[-1]
    assert isinstance(finished, ReplyFinished)
    assert finished.message.reply_end == end  # what the window shows at once
    assert finished.message.status is MessageStatus.COMPLETE
    assert store.wait_written(10)
    stored = _reopened(path, conversation.id)
    assert (stored.text, stored.reply_end) == (wire_server.reply.text, end)


def test_the_limit_kept_is_the_one_sent_when_the_conversation_sets_none(store, wire_server):
    wire_server.reply.finish_reason = "length"
    setup = Setup(store, wire_server)  # the app's longest answer: 100
    conversation = setup.conversation("openai", "gpt-4o")
    asyncio.run(setup.say(conversation.id, "Go on."))
    assert store.wait_written(10)
    assert wire_server.last_request.body["max_tokens"] == 100
    assert store.thread(conversation.id).messages[-1].reply_end == ReplyEnd(
        EndKind.CUT_AT_LIMIT, 100
    )


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_in_a_tool_loop_the_last_request_says_how_the_reply_ended(
    tmp_path, memory_keyring, store, wire_server, sdk
):
    """A first request that asked for a tool ended normally; the answer after the result
    was cut at the limit: the reply is cut. And the other way round it is not."""
    cut = "length" if sdk == "openai" else "max_tokens"
    wire_server.replies.extend(
        [
            Reply(text="Checking.", tool_calls=(ECHO,)),
            Reply(text=" It said", finish_reason=cut),
            Reply(text="Checking.", tool_calls=(ECHO,)),
            Reply(text=" It said héllo."),
        ]
    )

    async def body(service):
        setup = ToolSetup(store, wire_server, service, sdk)
        await setup.send("Echo please")
        first = setup.reply()
        await setup.send("Again")
        return first, setup.reply()

    first, second = run(with_tools(tmp_path, memory_keyring, body, autoApprove=["echo"]))
    assert first.text == "Checking. It said"
    assert first.reply_end is not None and first.reply_end.kind is EndKind.CUT_AT_LIMIT
    assert second.text == "Checking. It said héllo." and second.reply_end is None
