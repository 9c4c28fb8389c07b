"""Claude exports: messages with their attachments' text, thinking as reasoning, branches by
parent uuid, what cannot come over said."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.domain.types import AttachmentKind, Role
from desktopchat.services.importers.reader import parse_export
from tests.hypothesis_profiles import examples
from tests.services.importers.archives import claude_conversation, claude_message


def only(data):
    parsed = parse_export(data)
    assert parsed.problems == [] and parsed.source == "claude"
    [imported] = parsed.conversations
    return imported


def test_a_conversation_with_an_attachment_comes_with_its_text():
    attachment = {
        "file_name": "notes.txt",
        "file_size": 11,
        "file_type": "txt",
        "extracted_content": "hello notes",
    }
    messages = [
        claude_message("m1", "human", "Read this", attachments=[attachment]),
        claude_message("m2", "assistant", "Done.", at="2024-05-01T10:00:05Z"),
    ]
    imported = only([claude_conversation("u-1", "Notes", messages)])
    user, reply = imported.messages
    assert (user.role, user.text, reply.role, reply.parent_id) == (
        Role.USER,
        "Read this",
        Role.ASSISTANT,
        user.id,
    )
    [doc] = user.attachments
    assert (doc.kind, doc.name, doc.text, doc.sha256) == (
        AttachmentKind.DOCUMENT,
        "notes.txt",
        "hello notes",
        None,
    )
    assert imported.origin == "claude:u-1"
    assert imported.conversation.title == "Notes"
    assert imported.conversation.current_leaf_id == reply.id
    assert reply.provider == "anthropic"


def test_thinking_blocks_become_reasoning_and_tool_blocks_the_replys_calls():
    reply = claude_message(
        "m2",
        "assistant",
        "",
        content=[
            {"type": "thinking", "thinking": "Let me see."},
            {"type": "text", "text": "Searching."},
            {"type": "tool_use", "id": "t1", "name": "web_search", "input": {"q": "x"}},
            {
                "type": "tool_result",
                "tool_use_id": "t1",
                "content": [{"type": "text", "text": "<b>result</b>"}, {"type": "image"}],
                "is_error": False,
            },
            {"type": "tool_use", "id": "t2", "name": "web_fetch", "input": {"u": [1] * 3}},
            {"type": "text", "text": "Found it."},
        ],
    )
    imported = only([claude_conversation("u", "T", [claude_message("m1", "human", "Q"), reply])])
    answer = imported.messages[1]
    assert answer.reasoning.text == "Let me see."
    assert answer.text == "Searching.\n\nFound it."
    (step,) = answer.tool_steps.steps
    assert step.text_end == len("Searching.")
    search, fetch = step.calls
    assert (search.tool, search.arguments, search.status.value) == (
        "web_search",
        '{"q": "x"}',
        "done",
    )
    assert [p.kind for p in search.output.parts] == ["text", "resource"]
    assert search.output.parts[0].text == "<b>result</b>"
    assert fetch.status.value == "interrupted" and fetch.output is None


def test_hostile_tool_blocks_are_read_safely():
    reply = claude_message(
        "m2",
        "assistant",
        "ok",
        content=[
            {"type": "tool_use", "id": {"x": 1}, "name": ["n"], "input": "not an object"},
            {"type": "tool_result", "tool_use_id": None, "content": 5, "is_error": "yes"},
            {"type": "tool_use"},
            {"type": "text", "text": "ok"},
        ],
    )
    imported = only([claude_conversation("u", "T", [claude_message("m1", "human", "Q"), reply])])
    answer = imported.messages[1]
    assert answer.text == "ok" and len(answer.tool_steps.calls()) == 2


def test_branches_by_parent_uuid_and_the_current_leaf():
    root = "00000000-0000-4000-8000-000000000000"
    messages = [
        claude_message("q", "human", "Q", parent=root),
        claude_message("a1", "assistant", "One", parent="q"),
        claude_message("a2", "assistant", "Two", parent="q"),
    ]
    data = claude_conversation("b", "Branches", messages)
    data["current_leaf_message_uuid"] = "a1"
    imported = only([data])
    q, one, two = imported.messages
    assert one.parent_id == two.parent_id == q.id and q.parent_id is None
    assert imported.conversation.current_leaf_id == one.id


def test_files_without_bytes_are_noted():
    message = claude_message("m", "human", "See", files=[{"file_name": "photo.png"}])
    [user] = only([claude_conversation("f", "F", [message])]).messages
    [photo] = user.attachments
    assert photo.kind is AttachmentKind.IMAGE and photo.note and photo.sha256 is None


def test_missing_fields_and_odd_values_take_defaults():
    imported = only(
        [
            {
                "chat_messages": [
                    {"sender": "human", "text": "hi", "created_at": 5},
                    {"sender": "robot", "text": "?"},
                    None,
                ]
            }
        ]
    )
    [message] = imported.messages
    assert message.text == "hi" and message.created == 5.0
    assert imported.origin.startswith("claude:")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=15,
)
uuids = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=examples(100))
@given(
    st.lists(
        st.fixed_dictionaries(
            {"uuid": uuids, "sender": st.sampled_from(["human", "assistant", "x", 1])},
            optional={
                "parent_message_uuid": st.none() | uuids,
                "text": json_values,
                "content": json_values,
                "attachments": json_values,
                "files": json_values,
                "created_at": json_values,
            },
        ),
        max_size=6,
    ),
    json_values,
)
def test_any_message_list_reads_or_is_refused_with_a_reason(messages, leaf):
    data = [{"chat_messages": messages, "current_leaf_message_uuid": leaf, "name": leaf}]
    parsed = parse_export(data)
    for imported in parsed.conversations:
        ids = {m.id for m in imported.messages}
        assert all(m.parent_id is None or m.parent_id < m.id for m in imported.messages)
        assert imported.conversation.current_leaf_id in ids | {None}
    assert all(problem.reason for problem in parsed.problems)
