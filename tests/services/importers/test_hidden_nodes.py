"""What hidden nodes hold comes over once: a reasoning node with many replies below it is
not copied into each (a 4 MB archive made a 4 GB history), and a long chain of hidden nodes
is read in linear time (40,000 took 10 s)."""

from __future__ import annotations

import time

from desktopchat.services.importers.reader import parse_export
from tests.services.importers.archives import chatgpt_conversation, chatgpt_node


def thoughts(text: str) -> dict:
    return {"content_type": "thoughts", "thoughts": [{"summary": "s", "content": text}]}


def test_a_reasoning_node_above_many_replies_is_kept_once():
    replies = 300
    reasoning = "r" * 10_000
    nodes = [
        chatgpt_node("root", None, ["u"], role=None),
        chatgpt_node("u", "root", ["t"], "user", ["q"]),
        chatgpt_node(
            "t", "u", [f"a{i}" for i in range(replies)], "assistant", content=thoughts(reasoning)
        ),
    ]
    nodes += [chatgpt_node(f"a{i}", "t", [], "assistant", [f"answer {i}"]) for i in range(replies)]
    [imported] = parse_export([chatgpt_conversation("fan", "fan", nodes, "a0")]).conversations
    assert len(imported.messages) == replies + 1
    kept = [m.reasoning.text for m in imported.messages if m.reasoning]
    assert kept == [reasoning]
    assert imported.messages[1].reasoning.text == reasoning


def test_hidden_nodes_on_two_levels_are_each_handed_down_once():
    nodes = [
        chatgpt_node("root", None, ["t1"], role=None),
        chatgpt_node("t1", "root", ["t2", "b"], "assistant", content=thoughts("one"), time=1),
        chatgpt_node("t2", "t1", ["a1", "a2"], "assistant", content=thoughts("two"), time=2),
        chatgpt_node("a1", "t2", [], "assistant", ["first"], time=3),
        chatgpt_node("a2", "t2", [], "assistant", ["second"], time=4),
        chatgpt_node("b", "t1", [], "assistant", ["third"], time=5),
    ]
    [imported] = parse_export([chatgpt_conversation("c", "c", nodes, "a1")]).conversations
    reasoning = {m.text: m.reasoning.text if m.reasoning else None for m in imported.messages}
    assert reasoning == {"first": "one\n\ntwo", "second": None, "third": None}


def chain(length: int) -> dict:
    nodes = [chatgpt_node("root", None, ["t0"], role=None)]
    for i in range(length):
        parent = "root" if i == 0 else f"t{i - 1}"
        below = [f"t{i + 1}"] if i + 1 < length else ["a"]
        nodes.append(chatgpt_node(f"t{i}", parent, below, "tool", ["output"]))
    nodes.append(chatgpt_node("a", f"t{length - 1}", [], "assistant", ["done"]))
    return chatgpt_conversation("chain", "chain", nodes, "a")


def test_a_long_chain_of_hidden_tool_nodes_takes_linear_time():
    data = [chain(30_000)]
    started = time.perf_counter()
    [imported] = parse_export(data).conversations
    elapsed = time.perf_counter() - started
    [message] = imported.messages
    assert message.text.count("A tool's output was not imported") == 1
    assert elapsed < 5.0, f"{elapsed:.1f} s (quadratic: ~11 s before)"
