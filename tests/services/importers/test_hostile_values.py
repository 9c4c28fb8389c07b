"""Values from outside that SQLite, the export or the preview cannot take (a lone surrogate,
an integer past 2**63, a date before 1970 or past 9999): repaired or refused one
conversation at a time, never a chunk of neighbours with them, never a crash later."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktopchat.domain.markdown_export import conversation_to_markdown, default_export_name
from desktopchat.services.importers.reader import parse_export, read_import
from desktopchat.services.importers.service import ImportService
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from tests.services.importers.archives import (
    chatgpt_conversation,
    chatgpt_linear,
    chatgpt_node,
    claude_conversation,
    claude_message,
)

LONE = "\ud800"
HUGE = 2**63
BAD_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "-0001-01-01"]


@pytest.fixture
def store(file_store):
    return file_store


def chatgpt_with(conversation_id: str, *, text: str = "Hi", size: object = 10) -> dict:
    image = {"content_type": "image_asset_pointer", "asset_pointer": "file://x", "size_bytes": size}
    return chatgpt_conversation(
        conversation_id,
        f"Bad {conversation_id}",
        [
            chatgpt_node("root", None, ["u"], role=None),
            chatgpt_node(
                "u",
                "root",
                [],
                "user",
                [text],
                content={"content_type": "multimodal_text", "parts": [text, image]},
            ),
        ],
        current="u",
    )


def fifty_with_one_bad(bad: dict) -> list[dict]:
    conversations = [chatgpt_linear(f"ok-{n}", 2) for n in range(49)]
    conversations.insert(17, bad)
    return conversations


@pytest.mark.parametrize(
    "bad",
    [
        chatgpt_with("surrogate", text=f"broken {LONE} text"),
        chatgpt_with("huge", size=HUGE),
        chatgpt_with("negative", size=-HUGE - 5),
        {**chatgpt_linear("title", 2), "title": f"T{LONE}", "conversation_id": f"id{LONE}"},
        {
            **chatgpt_with("model"),
            "mapping": {"u": chatgpt_node("u", None, [], "assistant", ["x"], model=f"gpt{LONE}")},
        },
    ],
    ids=["text", "size", "negative-size", "title-and-id", "model"],
)
def test_one_bad_value_never_drops_its_neighbours(store, bad):
    report = ImportService(store).write_now(parse_export(fifty_with_one_bad(bad)))
    assert report.added == 50 and report.problems == []
    for conversation in store.list_conversations():
        for message in store.messages(conversation.id):
            message.text.encode("utf-8")
            assert all(0 <= a.size < 2**63 for a in message.attachments)
        conversation.title.encode("utf-8")
    again = ImportService(store).write_now(parse_export(fifty_with_one_bad(bad)))
    assert (again.added, again.skipped) == (0, 50)


def test_lone_surrogates_become_replacement_characters():
    [imported] = parse_export([chatgpt_with("s", text=f"a{LONE}b")]).conversations
    assert imported.messages[0].text == "a\ufffdb"


def test_claude_lone_surrogates_and_huge_sizes(store):
    attachment = {
        "file_name": f"n{LONE}.txt",
        "file_size": HUGE,
        "file_type": f"text/{LONE}",
        "extracted_content": f"x{LONE}",
    }
    bad = claude_conversation(
        f"c{LONE}",
        f"n{LONE}",
        [claude_message("m1", "human", f"hi{LONE}", attachments=[attachment])],
    )
    good = [
        claude_conversation(f"g{n}", "g", [claude_message("m", "human", "hi")]) for n in range(5)
    ]
    report = ImportService(store).write_now(parse_export([*good, bad]))
    assert report.added == 6 and report.problems == []


@pytest.mark.parametrize("date", BAD_DATES)
def test_dates_out_of_range_never_reach_export_or_preview(date):
    conversation = claude_conversation("c", "dates", [claude_message("m1", "human", "hi", at=date)])
    conversation["created_at"] = conversation["updated_at"] = date
    parsed = parse_export([conversation])
    for imported in parsed.conversations:
        first, last = parsed.date_range
        datetime.fromtimestamp(first), datetime.fromtimestamp(last)
        default_export_name(imported.conversation)
        conversation_to_markdown(imported.conversation, imported.messages)
        for message in imported.messages:
            datetime.fromtimestamp(message.created)


@pytest.mark.parametrize("seconds", [-1e9, 1e12, 2.0**63, float("nan")])
def test_chatgpt_numeric_dates_out_of_range_are_left_out(seconds):
    conversation = chatgpt_linear("c", 2)
    conversation["create_time"] = conversation["update_time"] = seconds
    [imported] = parse_export([conversation]).conversations
    assert 0 <= imported.conversation.created <= imported.conversation.updated < 253402300800


def test_a_markdown_export_with_hostile_values_is_refused_alone(tmp_path):
    from desktopchat.domain.types import Conversation, Message, Role
    from desktopchat.services.export import export_conversation

    good = Conversation(1, "good", 1_795_000_000.0, 1_795_000_000.0)
    message = Message(1, 1, Role.USER, "hi", 1_795_000_000.0)
    export_conversation(tmp_path / "good.md", good, [message])
    text = (tmp_path / "good.md").read_text()
    cases = {
        "tokens.md": text.replace('"role": "user"', f'"role": "user", "input_tokens": {HUGE}'),
        "date.md": text.replace("2026-11-18T", "0001-01-01T").replace("Z", "+14:00"),
        "late.md": text.replace("2026-11-18T", "9999-12-31T").replace("Z", "-14:00"),
        "surrogate.md": text.replace('title: "good"', 'title: "g\\ud800"'),
        "infinite.md": text.replace('"role": "user"', '"role": "user", "duration": 1e999'),
    }
    for name, content in cases.items():
        assert content != text, name
        (tmp_path / name).write_text(content)
    parsed = read_import(tmp_path)
    titles = sorted(c.conversation.title for c in parsed.conversations)
    assert titles == ["good", "g\ufffd"]
    assert sorted(p.title for p in parsed.problems) == [
        "date.md",
        "infinite.md",
        "late.md",
        "tokens.md",
    ]
    for problem in parsed.problems:
        assert "range" in problem.reason or "date" in problem.reason, problem


def test_the_store_refuses_one_conversation_alone_whatever_it_holds(store):
    """Past the readers (a value they did not foresee): SQLite's refusal of one
    conversation leaves it out with its reason; the rest of its chunk is written."""
    from dataclasses import replace

    parsed = parse_export([chatgpt_linear(f"c{n}", 2) for n in range(10)])
    bad = parsed.conversations[3]
    parsed.conversations[3] = replace(
        bad, messages=[replace(bad.messages[0], text=f"x{LONE}"), *bad.messages[1:]]
    )
    parsed.conversations[6] = replace(
        parsed.conversations[6],
        conversation=replace(parsed.conversations[6].conversation, max_tokens=HUGE),
    )
    report = ImportService(store).write_now(parsed)
    assert report.added == 8 and len(report.problems) == 2
    assert all(p.reason for p in report.problems)
    again = ImportService(store).write_now(
        parse_export([chatgpt_linear(f"c{n}", 2) for n in range(10)])
    )
    assert (again.added, again.skipped) == (2, 8)


# --- the class, not the sample: any hostile leaf in either archive --------------------------

hostile_scalars = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec=None, categories=["Cs", "Lu", "So"]), max_size=8)
    | st.sampled_from(
        [*BAD_DATES, "2024-05-01T10:00:00Z", "9999-12-31", "1970-01-01T00:00:00+14:00"]
    )
    | st.none()
    | st.booleans()
)


@st.composite
def hostile_archives(draw):
    image = {"content_type": "image_asset_pointer", "asset_pointer": "file://x", "size_bytes": 1}
    chatgpt = chatgpt_conversation(
        "c",
        "t",
        [
            chatgpt_node("root", None, ["u"], role=None),
            chatgpt_node(
                "u",
                "root",
                ["a"],
                "user",
                content={"content_type": "multimodal_text", "parts": ["hi", image]},
            ),
            chatgpt_node("a", "u", [], "assistant", ["yo"], model="gpt-4o"),
        ],
        current="a",
    )
    attachment = {
        "file_name": "n.txt",
        "file_size": 3,
        "file_type": "text/plain",
        "extracted_content": "x",
    }
    claude = claude_conversation(
        "k", "n", [claude_message("m1", "human", "hi", attachments=[attachment])]
    )
    keep = {
        "mapping",
        "chat_messages",
        "content_type",
        "role",
        "sender",
        "type",
        "parent",
        "children",
        "id",
        "uuid",
        "current_node",
    }

    def leaf(value):
        return draw(hostile_scalars) if draw(st.integers(0, 3)) == 0 else value

    def hostile(template):
        if isinstance(template, dict):
            return {k: v if k in keep else hostile(v) for k, v in template.items()}
        if isinstance(template, list):
            return [hostile(v) for v in template]
        return leaf(template)

    return draw(st.sampled_from([chatgpt, claude])), hostile


@settings(max_examples=40, deadline=None)
@given(hostile_archives())
def test_any_hostile_leaf_is_repaired_or_refused_alone_and_exports(archive):
    import tempfile
    from pathlib import Path

    from desktopchat.services.export import export_all_from_store

    template, hostile = archive
    conversations = [hostile(template) for _ in range(3)] + [chatgpt_linear("fine", 2)]
    for number, conversation in enumerate(conversations):
        conversation["uuid" if "uuid" in conversation else "conversation_id"] = f"id{number}"
    parsed = parse_export(conversations)
    for imported in parsed.conversations:
        conversation_to_markdown(imported.conversation, imported.messages, tree=True)
    if parsed.date_range:
        datetime.fromtimestamp(parsed.date_range[0]), datetime.fromtimestamp(parsed.date_range[1])
    with tempfile.TemporaryDirectory() as folder:
        db, _ = open_database(Path(folder) / "h.db")
        store = ConversationStore(db)
        try:
            report = ImportService(store).write_now(parsed)
            assert report.added + len(report.problems) == 4
            assert report.added >= 1
            written = export_all_from_store(store, Path(folder) / "out", tree=True)
            assert len(written) == report.added
            again = read_import(Path(folder) / "out")
            assert again.problems == [] and len(again.conversations) == report.added
        finally:
            store.close()
            db.close()


def test_a_chunk_the_writer_fails_is_reported_and_the_others_land(store, monkeypatch):
    """Whatever makes a whole change fail (here a bug in it) ends in the report, never as
    an exception that leaves the dialog without one."""
    from desktopchat.storage import imports

    original = imports.AddWholeConversations.apply

    def failing(self, connection):
        if any(w.origin == "chatgpt:c60" for w in self.conversations):
            raise RuntimeError("boom")
        return original(self, connection)

    monkeypatch.setattr(imports.AddWholeConversations, "apply", failing)
    data = [chatgpt_linear(f"c{n}", 2) for n in range(120)]
    report = ImportService(store).write_now(parse_export(data))
    assert report.added == 70 and len(report.problems) == 50
    assert all("boom" in p.reason for p in report.problems)
    monkeypatch.setattr(imports.AddWholeConversations, "apply", original)
    again = ImportService(store).write_now(parse_export(data))
    assert (again.added, again.skipped) == (50, 70)
