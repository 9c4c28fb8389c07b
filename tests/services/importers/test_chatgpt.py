"""ChatGPT exports: every branch, the current leaf, hidden nodes skipped but not their
children, models and times, what cannot come over said; broken conversations refused
one by one with a reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.domain.tool_calls import ToolCallStatus
from desktopchat.domain.types import AttachmentKind, Role
from desktopchat.services.importers.reader import parse_export
from desktopchat.services.importers.tree import ImportProblem
from tests.hypothesis_profiles import examples
from tests.services.importers.archives import (
    T0,
    chatgpt_branching,
    chatgpt_conversation,
    chatgpt_linear,
    chatgpt_node,
)


def only(data):
    parsed = parse_export(data)
    assert parsed.problems == []
    assert parsed.source == "chatgpt"
    [imported] = parsed.conversations
    return imported


def test_every_branch_comes_with_the_current_one_as_leaf():
    imported = only([chatgpt_branching()])
    user, first, second = imported.messages
    assert (user.role, user.text, user.parent_id) == (Role.USER, "Hello?", None)
    assert [(m.text, m.parent_id, m.model) for m in (first, second)] == [
        ("First.", user.id, "gpt-4o"),
        ("Second.", user.id, "o1"),
    ]
    assert imported.conversation.current_leaf_id == second.id
    assert imported.conversation.title == "Branches"
    assert imported.origin == "chatgpt:c-1"
    assert user.created == T0 + 1 and imported.conversation.created == T0 + 1


def test_parents_always_come_before_their_children():
    imported = only([chatgpt_linear("c", 30)])
    seen = set()
    for message in imported.messages:
        assert message.parent_id is None or message.parent_id in seen
        seen.add(message.id)
    assert imported.conversation.current_leaf_id == imported.messages[-1].id


def test_tool_nodes_become_the_replys_calls_and_their_children_are_reparented():
    nodes = [
        chatgpt_node("u", None, ["call"], "user", ["Plot it"]),
        chatgpt_node(
            "call",
            "u",
            ["out"],
            "assistant",
            content={"content_type": "code", "language": "python", "text": "plot()"},
            recipient="python",
        ),
        chatgpt_node(
            "out",
            "call",
            ["a"],
            "tool",
            content={"content_type": "execution_output", "text": "<image>"},
        ),
        chatgpt_node("a", "out", [], "assistant", ["Here it is."], model="gpt-4o"),
    ]
    user, reply = only([chatgpt_conversation("t", "Tools", nodes, "a")]).messages
    assert reply.parent_id == user.id
    assert reply.text == "Here it is."
    (call,) = reply.tool_steps.calls()
    assert (call.tool, call.server, call.status) == ("python", "archive", ToolCallStatus.DONE)
    assert json.loads(call.arguments) == {"input": "plot()"}
    assert call.output.parts[0].text == "<image>"
    assert reply.tool_steps.steps[0].text_end == 0


def test_a_tool_call_followed_by_a_persons_message_stays_a_note():
    nodes = [
        chatgpt_node("u", None, ["call"], "user", ["Plot it"]),
        chatgpt_node("call", "u", ["u2"], "assistant", ["plot()"], recipient="python"),
        chatgpt_node("u2", "call", [], "user", ["Never mind"]),
    ]
    _first, second = only([chatgpt_conversation("t", "Tools", nodes, "u2")]).messages
    assert "A tool call was not imported" in second.text and not second.tool_steps.steps


def test_thoughts_become_the_reasoning_of_the_reply_below():
    nodes = [
        chatgpt_node("u", None, ["t"], "user", ["Why?"]),
        chatgpt_node(
            "t",
            "u",
            ["a"],
            "assistant",
            content={
                "content_type": "thoughts",
                "thoughts": [{"summary": "S", "content": "Because."}],
            },
        ),
        chatgpt_node("a", "t", [], "assistant", ["Answer."]),
    ]
    _user, reply = only([chatgpt_conversation("r", "Why", nodes, "a")]).messages
    assert reply.reasoning is not None and reply.reasoning.text == "Because."


def test_images_are_kept_as_noted_attachments_without_bytes():
    image = {
        "content_type": "image_asset_pointer",
        "asset_pointer": "file-service://file-abc",
        "size_bytes": 1234,
        "width": 10,
        "height": 10,
    }
    nodes = [
        chatgpt_node(
            "u",
            None,
            [],
            "user",
            content={"content_type": "multimodal_text", "parts": [image, "What is this?"]},
        )
    ]
    [message] = only([chatgpt_conversation("i", "Image", nodes, "u")]).messages
    assert message.text == "What is this?"
    [attachment] = message.attachments
    assert (attachment.kind, attachment.name, attachment.size) == (
        AttachmentKind.IMAGE,
        "file-abc",
        1234,
    )
    assert attachment.sha256 is None and attachment.note


def test_a_hidden_current_node_leaves_its_nearest_shown_ancestor_current():
    data = chatgpt_branching()
    data["mapping"]["a2"]["children"] = ["h"]
    data["mapping"]["h"] = chatgpt_node("h", "a2", [], "assistant", [""])
    data["current_node"] = "h"
    imported = only([data])
    assert imported.conversation.current_leaf_id == imported.messages[-1].id


def test_a_loop_in_the_mapping_refuses_that_conversation_only():
    looped = chatgpt_branching("loop", "Looped")
    looped["mapping"]["u1"]["parent"] = "a1"
    parsed = parse_export([looped, chatgpt_linear("fine", 2)])
    assert [c.origin for c in parsed.conversations] == ["chatgpt:fine"]
    [problem] = parsed.problems
    assert problem.title == "Looped" and "loop" in problem.reason


@pytest.mark.parametrize(
    "broken",
    [{"title": "No mapping"}, {"title": "Bad", "mapping": "x"}, "not a conversation"],
)
def test_broken_conversations_are_named_and_skipped(broken):
    parsed = parse_export([chatgpt_linear("ok", 2), broken])
    assert len(parsed.conversations) == 1 and len(parsed.problems) == 1


def test_missing_fields_take_defaults():
    nodes = [{"id": "x", "message": {"author": {"role": "user"}, "content": {"parts": ["hi"]}}}]
    imported = only([{"mapping": {"x": nodes[0]}}])
    assert imported.messages[0].text == "hi"
    assert imported.conversation.title == ""
    assert imported.origin.startswith("chatgpt:")
    again = only([{"mapping": {"x": nodes[0]}}])
    assert again.origin == imported.origin


def test_a_whole_file_that_is_no_export_is_refused():
    for data in ({"a": 1}, 3, [{"neither": 1}]):
        with pytest.raises(ImportProblem):
            parse_export(data)


def test_hostile_titles_stay_inert_text():
    title = '<img src="http://x/y.png"><script>alert(1)</script>\u202e\x00'
    imported = only([chatgpt_branching(title=title)])
    assert imported.conversation.title == title


def test_a_huge_message_refuses_its_conversation():
    huge = chatgpt_linear("big", 2, text="x" * 4_000_001)
    parsed = parse_export([huge])
    assert parsed.conversations == [] and "longer than" in parsed.problems[0].reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=20,
)
node_keys = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=examples(100))
@given(
    st.dictionaries(
        node_keys,
        st.fixed_dictionaries(
            {
                "parent": st.none() | node_keys,
                "message": st.none()
                | st.fixed_dictionaries(
                    {
                        "author": st.fixed_dictionaries(
                            {"role": st.sampled_from(["user", "assistant", "system", "tool", 3])}
                        ),
                        "content": json_values,
                        "create_time": json_values,
                        "metadata": json_values,
                        "recipient": json_values,
                    }
                ),
            }
        ),
    ),
    json_values,
)
def test_any_mapping_reads_or_is_refused_with_a_reason(mapping, current):
    parsed = parse_export([{"mapping": mapping, "current_node": current, "title": current}])
    for imported in parsed.conversations:
        ids = {m.id for m in imported.messages}
        assert all(m.parent_id is None or m.parent_id < m.id for m in imported.messages)
        assert imported.conversation.current_leaf_id in ids | {None}
