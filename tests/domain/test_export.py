"""Markdown export and import: exact round trips for any text, safe names, atomic writes."""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.markdown_export import (
    attachment_files,
    conversation_to_markdown,
    default_export_name,
    safe_file_name,
)
from desktopchat.domain.markdown_import import ExportFormatError, markdown_to_conversation
from desktopchat.domain.reply_end import EndKind, ReplyEnd
from desktopchat.domain.types import (
    Attachment,
    AttachmentKind,
    Conversation,
    Message,
    MessageStatus,
    Reasoning,
    Role,
    Usage,
)
from desktopchat.services.export import export_all, export_conversation
from tests.domain import markdown_v1
from tests.hypothesis_profiles import examples

NASTY_PIECES = [
    "```",
    "````",
    "~~~",
    "~~~~~~",
    "```python\n",
    "\n```\n",
    "   ```",
    "    ~~~",
    "## User",
    "## Assistant (gpt-4o) _(interrupted)_",
    "# Title",
    "---",
    "\n---\n",
    "desktopchat: 1",
    'title: "x"',
    '<!-- desktopchat:message {"role": "user", "status": "complete"} -->',
    "<!-- desktopchat:message ",
    "<!-- desktopchat:end -->",
    "<!-- desktopchat:end 1 -->",
    "<!--",
    "-->",
    " -->",
    "> quote",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "  ",
    "\t",
    "\\",
    '"',
    "😀",
    "👩‍👩‍👧",
    "🇫🇷",
    "é",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\x7f",
]
AWKWARD_ALPHABET = st.sampled_from("`~-#<>!\n\r\t: *_[]()|\\\"'aZ0é😀\u2028")
texts = st.lists(
    st.one_of(
        st.sampled_from(NASTY_PIECES),
        st.text(AWKWARD_ALPHABET, max_size=20),
        st.text(max_size=10),
    ),
    max_size=8,
).map("".join)
timestamps = st.floats(min_value=0, max_value=4e9, allow_nan=False)
token_counts = st.none() | st.integers(min_value=0, max_value=10**9)

BASE_TIME = 1_795_000_000.0  # 2026-11-18


chat_errors = st.builds(
    ChatError,
    st.sampled_from(ErrorKind),
    provider=texts,
    model=texts,
    status=st.none() | st.integers(100, 599),
    retry_after=st.none() | st.floats(min_value=0, max_value=1e6),
    detail=texts,
    base_url=texts,
    host=texts,
)


reasonings = st.builds(
    Reasoning,
    texts,
    signature=st.none() | texts,
    seconds=st.none() | st.floats(min_value=0, max_value=1e5),
)
attachments = st.builds(
    Attachment,
    st.sampled_from(AttachmentKind),
    texts,
    st.sampled_from(["image/png", "application/pdf", "text/plain"]),
    st.integers(0, 10**9),
    sha256=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
    text=st.none() | texts,
    note=st.none() | texts,
)


reply_ends = st.builds(
    ReplyEnd, st.just(EndKind.CUT_AT_LIMIT), st.none() | st.integers(1, 10**9)
) | st.builds(ReplyEnd, st.sampled_from([k for k in EndKind if k is not EndKind.CUT_AT_LIMIT]))


@st.composite
def messages(draw: st.DrawFn) -> Message:
    role = draw(st.sampled_from(Role))
    usage = draw(
        st.none()
        | st.builds(
            Usage,
            token_counts,
            token_counts,
            token_counts,
            token_counts,
            st.none() | st.floats(0, 100),
            st.none() | texts,
            st.booleans(),
        )
    )
    error = draw(st.none() | chat_errors)
    return Message(
        id=draw(st.integers(1, 1000)),
        conversation_id=7,
        role=role,
        text=draw(texts),
        created=draw(timestamps),
        status=draw(st.sampled_from(MessageStatus)),
        provider=draw(st.none() | texts),
        model=draw(st.none() | texts),
        usage=None if usage in (Usage(), Usage(estimated=True)) else usage,
        error=error,
        error_text=None if error else draw(st.none() | texts),
        duration=draw(st.none() | st.floats(min_value=0, max_value=1e6)),
        reasoning=draw(st.none() | reasonings),
        attachments=tuple(draw(st.lists(attachments, max_size=2))),
        served_model=draw(st.none() | texts),
        left_out=draw(st.booleans()),
        reply_end=draw(st.none() | reply_ends),
    )


conversations = st.builds(
    Conversation,
    id=st.integers(1, 1000),
    title=texts,
    created=timestamps,
    updated=timestamps,
    provider=st.none() | texts,
    model=st.none() | texts,
    temperature=st.none() | st.floats(min_value=0, max_value=2),
    system_prompt=texts,
)


def conversation(**changes: object) -> Conversation:
    fields: dict = {
        "id": 3,
        "title": "Fixing the parser",
        "created": BASE_TIME,
        "updated": BASE_TIME + 312.25,
        "provider": "openai",
        "model": "gpt-4o",
        "temperature": 0.7,
        "system_prompt": "You are terse.\nAnswer in French.",
    }
    fields.update(changes)
    return Conversation(**fields)


def message(text: str, role: Role = Role.USER, **changes: object) -> Message:
    fields: dict = {"id": 1, "conversation_id": 3, "created": BASE_TIME, **changes}
    return Message(role=role, text=text, **fields)


def assert_same_messages(got: list[Message], expected: list[Message]) -> None:
    assert len(got) == len(expected)
    for back, original in zip(got, expected, strict=True):
        assert (back.role, back.text, back.status) == (
            original.role,
            original.text,
            original.status,
        )
        assert (back.provider, back.model, back.usage, back.error, back.error_text) == (
            original.provider,
            original.model,
            original.usage,
            original.error,
            original.error_text,
        )
        assert back.duration == original.duration
        assert (back.reasoning, back.attachments, back.served_model, back.left_out) == (
            original.reasoning,
            original.attachments,
            original.served_model,
            original.left_out,
        )
        assert back.created == pytest.approx(original.created, abs=1e-6)
        assert back.tool_steps == original.tool_steps
        assert back.web_search == original.web_search
        assert back.reply_end == original.reply_end


def front_matter(markdown: str) -> dict[str, object]:
    block = markdown.split("\n---\n", 1)[0].removeprefix("---\n")
    return {
        key: json.loads(value) for key, value in (line.split(": ", 1) for line in block.split("\n"))
    }


# Round trips


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(conversations, st.lists(messages(), max_size=5))
def test_any_conversation_comes_back_exactly(original: Conversation, sent: list[Message]) -> None:
    imported = markdown_to_conversation(conversation_to_markdown(original, sent))

    assert_same_messages(imported.messages, sent)
    back = imported.conversation
    assert (back.title, back.provider, back.model, back.system_prompt) == (
        original.title,
        original.provider,
        original.model,
        original.system_prompt,
    )
    assert back.temperature == original.temperature
    assert back.created == pytest.approx(original.created, abs=1e-6)
    assert back.updated == pytest.approx(original.updated, abs=1e-6)


@given(st.lists(st.sampled_from(NASTY_PIECES), min_size=1, max_size=30).map("".join))
def test_texts_built_only_from_our_own_syntax_come_back(text: str) -> None:
    sent = [message(text), message(text, Role.ASSISTANT, status=MessageStatus.INTERRUPTED)]
    imported = markdown_to_conversation(conversation_to_markdown(conversation(), sent))
    assert [m.text for m in imported.messages] == [text, text]


@given(st.lists(messages(), max_size=4))
def test_a_whole_file_converted_to_crlf_still_reads(sent: list[Message]) -> None:
    sent = [m for m in sent if "\r" not in m.text]
    markdown = conversation_to_markdown(conversation(), sent)
    converted = "\ufeff" + markdown.replace("\n", "\r\n")
    assert_same_messages(markdown_to_conversation(converted).messages, sent)


def test_texts_keep_their_own_crlf_when_the_file_is_not_converted() -> None:
    sent = [message("line one\r\nline two\r\n\r\n"), message("\rlone\r", Role.ASSISTANT)]
    imported = markdown_to_conversation(conversation_to_markdown(conversation(), sent))
    assert [m.text for m in imported.messages] == [m.text for m in sent]


def test_empty_conversation_and_empty_texts_come_back() -> None:
    assert markdown_to_conversation(conversation_to_markdown(conversation(), [])).messages == []
    sent = [message(""), message("", Role.ASSISTANT), message("\n")]
    imported = markdown_to_conversation(conversation_to_markdown(conversation(), sent))
    assert [m.text for m in imported.messages] == ["", "", "\n"]


# What the file looks like


def test_front_matter_holds_the_conversation_settings_and_token_totals() -> None:
    sent = [
        message("hi"),
        message("a", Role.ASSISTANT, usage=Usage(input_tokens=100, output_tokens=20)),
        message("b", Role.ASSISTANT, usage=Usage(input_tokens=None, output_tokens=5)),
    ]
    markdown = conversation_to_markdown(conversation(), sent)

    assert front_matter(markdown) == {
        "desktopchat": 2,
        "title": "Fixing the parser",
        "provider": "openai",
        "model": "gpt-4o",
        "temperature": 0.7,
        "system_prompt": "You are terse.\nAnswer in French.",
        "created": "2026-11-18T11:06:40Z",
        "updated": "2026-11-18T11:11:52.250000Z",
        "messages": 3,
        "input_tokens": 100,
        "output_tokens": 25,
    }
    back = markdown_to_conversation(markdown).conversation
    assert back == conversation(id=0, current_leaf_id=3)


def test_token_totals_are_null_when_no_usage_is_known() -> None:
    fields = front_matter(conversation_to_markdown(conversation(), [message("hi")]))
    assert fields["input_tokens"] is None
    assert fields["output_tokens"] is None


@given(texts)
def test_front_matter_values_stay_on_one_yaml_safe_line(text: str) -> None:
    markdown = conversation_to_markdown(conversation(title=text, system_prompt=text), [])
    header = markdown.split("\n---\n", 1)[0]
    assert not re.search("[\r\x7f-\x9f\u2028\u2029\ufeff]", header)
    assert front_matter(markdown)["system_prompt"] == text


def test_each_turn_is_a_heading_with_its_role_model_and_status() -> None:
    sent = [
        message("question"),
        message("answer", Role.ASSISTANT, model="gpt-4o"),
        message("half an ans", Role.ASSISTANT, model="gpt-4o", status=MessageStatus.INTERRUPTED),
        message(
            "", Role.ASSISTANT, status=MessageStatus.FAILED, error_text="HTTP 500\nServer down"
        ),
    ]
    markdown = conversation_to_markdown(conversation(), sent)
    headings = [line for line in markdown.split("\n") if line.startswith("#")]

    assert headings == [
        "# Fixing the parser",
        "## User <!--m1-->",
        "## Assistant (gpt-4o) <!--m2-->",
        "## Assistant (gpt-4o) _(interrupted)_ <!--m3-->",
        "## Assistant _(failed)_ <!--m4-->",
    ]
    assert "> **Error:** HTTP 500\n> Server down\n" in markdown
    statuses = [m.status for m in markdown_to_conversation(markdown).messages]
    assert statuses == [m.status for m in sent]


def test_model_text_is_left_as_markdown_for_viewers() -> None:
    text = "Use **this**:\n\n```python\nprint('hi')\n```\n"
    markdown = conversation_to_markdown(conversation(), [message(text, Role.ASSISTANT)])
    assert f" <!--m1-->\n\n{text}\n" in markdown


def test_no_message_is_wrapped_in_comments_any_more() -> None:
    sent = [message("hello"), message("hi!", Role.ASSISTANT, model="gpt-4o")]
    markdown = conversation_to_markdown(conversation(), sent)
    assert markdown.count("<!--") == 3  # two heading markers, one details block at the end
    assert markdown.index("<!-- desktopchat:details") > markdown.index("hi!")


def test_a_reply_cut_inside_a_code_block_gets_the_block_closed_for_viewers() -> None:
    text = "Here:\n\n  ~~~~ sh\nrm -rf build\n~~~\n"  # the ~~~ is too short to close
    markdown = conversation_to_markdown(conversation(), [message(text, Role.ASSISTANT)])

    assert f"\n{text}\n  ~~~~\n" in markdown
    assert markdown_to_conversation(markdown).messages[0].text == text


def test_details_stay_one_comment_whatever_they_hold() -> None:
    reply = message("x", Role.ASSISTANT, model="a-->b", error_text="cut --> <!-- -- >")
    markdown = conversation_to_markdown(conversation(), [reply])
    details = markdown[markdown.index("<!-- desktopchat:details") :]

    assert details.index("-->") == len(details) - 4
    assert markdown_to_conversation(markdown).messages[0].error_text == "cut --> <!-- -- >"


def test_a_failed_reply_exports_its_error_in_english_and_imports_back_its_kind() -> None:
    refused = ChatError(ErrorKind.AUTH, provider="OpenAI", status=401, detail="bad key")
    sent = message("", Role.ASSISTANT, status=MessageStatus.FAILED, error=refused)
    markdown = conversation_to_markdown(conversation(), [sent])

    assert f"> **Error:** {refused.message}\n" in markdown
    back = markdown_to_conversation(markdown).messages[0]
    assert back.error == refused
    assert back.error.key_problem


def test_estimated_usage_stays_estimated_across_an_export_and_import() -> None:
    reply = message("Hi", Role.ASSISTANT, usage=Usage(3, 4, estimated=True))
    markdown = conversation_to_markdown(conversation(), [message("Q"), reply])

    assert markdown_to_conversation(markdown).messages[1].usage == Usage(3, 4, estimated=True)


def test_reasoning_is_written_folded_and_read_back() -> None:
    thought = Reasoning("First, ```python\nunclosed", signature="sig", seconds=12.4)
    reply = message("The answer.", Role.ASSISTANT, reasoning=thought)
    markdown = conversation_to_markdown(conversation(), [message("Q"), reply])

    assert "<details><summary>Thought for 12 s</summary>\n\nFirst," in markdown
    assert "\n\n</details>\n\nThe answer.\n" in markdown
    assert markdown_to_conversation(markdown).messages[1].reasoning == thought


def test_tool_calls_are_written_folded_and_read_back_into_the_same_parts() -> None:
    from desktopchat.domain.tool_calls import (
        Decision,
        LoopEnd,
        ToolCall,
        ToolCallStatus,
        ToolStep,
        ToolSteps,
    )
    from desktopchat.domain.tools import ToolOutput, ToolPart

    hostile = "</details> ```` <script>x</script> <!--m9--> -->"
    done = ToolCall(
        "c1",
        "files__read",
        "files",
        "read",
        '{"path": "a"}',
        ToolCallStatus.DONE,
        Decision.ALLOW_ONCE,
        started=BASE_TIME,
        duration=0.5,
        output=ToolOutput(
            (ToolPart("text", hostile), ToolPart("image", mime_type="image/png", data="AAAA"))
        ),
    )
    denied = ToolCall(
        "c2", "x__y", "x", "y", "{}", ToolCallStatus.DENIED, Decision.DENY, reason="no"
    )
    steps = ToolSteps((ToolStep(6, (done, denied), "hm", "sig"),), LoopEnd.STEP_LIMIT)
    reply = message("Let me look. Found it.", Role.ASSISTANT, tool_steps=steps)
    markdown = conversation_to_markdown(conversation(), [message("Q"), reply])

    assert "<details><summary>🔧 files · read</summary>" in markdown
    assert "<summary>🔧 x · y (not allowed)</summary>" in markdown
    assert "`````text\n" + hostile in markdown, "fenced longer than any backticks inside"
    back = markdown_to_conversation(markdown).messages[1]
    assert back.tool_steps == steps and back.text == reply.text


def test_attachments_link_into_the_files_folder_and_come_back() -> None:
    photo = Attachment(AttachmentKind.IMAGE, "../etc/pass<wd>.png", "image/png", 3, "a" * 64)
    doc = Attachment(
        AttachmentKind.DOCUMENT, "notes.pdf", "application/pdf", 9, "b" * 64, text="the notes"
    )
    lost = Attachment(AttachmentKind.IMAGE, "gone.png", "image/png", 0, note="not in export")
    sent = [message("see", attachments=(photo, doc, lost))]
    markdown = conversation_to_markdown(conversation(), sent, files_folder="chat files")

    files = attachment_files(sent, "chat files")
    assert files == [
        ("chat files/1-1 etc pass wd .png", "a" * 64),
        ("chat files/1-2 notes.pdf", "b" * 64),
    ]
    assert "- 📎 ![../etc/pass\\<wd\\>.png](<chat files/1-1 etc pass wd .png>)\n" in markdown
    assert "- 📎 gone.png _(not in export)_\n" in markdown
    assert markdown_to_conversation(markdown).messages[0].attachments == (photo, doc, lost)


def test_every_branch_comes_back_as_a_tree_with_its_current_leaf() -> None:
    question = message("Q", id=10)
    first = message("A1", Role.ASSISTANT, id=11, parent_id=10)
    edited = message("Q, better", id=12)
    second = message("A2", Role.ASSISTANT, id=13, parent_id=12)
    sent = [question, first, edited, second]
    markdown = conversation_to_markdown(conversation(current_leaf_id=11), sent, tree=True)

    imported = markdown_to_conversation(markdown)
    assert [(m.id, m.parent_id, m.text) for m in imported.messages] == [
        (1, None, "Q"),
        (2, 1, "A1"),
        (3, None, "Q, better"),
        (4, 3, "A2"),
    ]
    assert imported.conversation.current_leaf_id == 2


def test_a_path_comes_back_as_a_path() -> None:
    sent = [message("Q"), message("A", Role.ASSISTANT), message("Q2")]
    imported = markdown_to_conversation(conversation_to_markdown(conversation(), sent))
    assert [(m.id, m.parent_id) for m in imported.messages] == [(1, None), (2, 1), (3, 2)]
    assert imported.conversation.current_leaf_id == 3


# Exports of earlier releases (format 1) still import


@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(conversations, st.lists(messages(), max_size=4))
def test_format_1_exports_still_come_back(original: Conversation, sent: list[Message]) -> None:
    sent = [
        replace(
            m,
            reasoning=None,
            attachments=(),
            served_model=None,
            left_out=False,
            reply_end=None,  # format 1 did not have it
            usage=(
                m.usage
                and replace(
                    m.usage,
                    reasoning_tokens=None,
                    cached_tokens=None,
                    cost=None,
                    cost_source=None,
                    estimated=False,  # format 1 did not have it
                )
            )
            or None,
        )
        for m in sent
    ]
    sent = [replace(m, usage=None) if m.usage == Usage() else m for m in sent]
    imported = markdown_to_conversation(markdown_v1.conversation_to_markdown(original, sent))
    assert_same_messages(imported.messages, sent)
    assert [m.parent_id for m in imported.messages] == [n or None for n in range(len(sent))]


def test_a_format_1_text_holding_its_end_marker_comes_back() -> None:
    text = "<!-- desktopchat:end -->\n<!-- desktopchat:end 1 -->"
    markdown = markdown_v1.conversation_to_markdown(conversation(), [message(text)])
    assert f"\n{text}\n<!-- desktopchat:end 2 -->\n" in markdown
    assert markdown_to_conversation(markdown).messages[0].text == text


# Files that are not our export


def valid_export() -> str:
    sent = [message("hello"), message("hi!", Role.ASSISTANT, model="gpt-4o")]
    return conversation_to_markdown(conversation(), sent)


def valid_v1_export() -> str:
    sent = [message("hello"), message("hi!", Role.ASSISTANT, model="gpt-4o")]
    return markdown_v1.conversation_to_markdown(conversation(), sent)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "does not start"),
        ("# Notes\n\nJust Markdown.\n", "does not start"),
        ("---\ntitle: x\n", "never closed"),
        ('---\ntitle: "x"\n---\n# x\n', "no 'desktopchat' line"),
        ("---\ntitle: x\n---\n", "value DesktopChat did not write"),
        ("---\njust words\n---\n", "not 'key: value'"),
        ('---\ndesktopchat: 3\ntitle: "x"\n---\n', "format 3"),
        ("---\ndesktopchat: 2\nmessages: 0\n---\n", "'title' of the header is missing"),
        (valid_export().replace("messages: 2", "messages: 3"), "announces 3 messages"),
        (valid_export().replace("messages: 2", 'messages: "2"'), "wrong type"),
        (valid_export().replace("2026-11-18T11:06:40Z", "yesterday"), "ISO 8601"),
        (valid_export().replace('"role": "user"', '"role": "system"'), "role or status"),
        (valid_export().replace('"status": "complete"', '"status": "done"', 1), "role or status"),
        (valid_export().replace('{"role": "user"', '["role", "user"'), "details of message 1"),
        (valid_export().replace("\nhello\n", "\nhello!\n"), "text of message 1"),
        (valid_export().replace(" <!--m2-->", ""), "heading of message 2"),
        (valid_export()[: valid_export().rindex("-->")], "not closed"),
        (valid_export()[: valid_export().rindex("<!-- desktopchat:details")], "details are"),
        (valid_export().replace('"chars": 3', '"chars": 300'), "text of message 2"),
        (valid_export().replace("messages: 2", "messages: 2\ncurrent: 7"), "current message"),
        (valid_v1_export().replace("messages: 2", "messages: 3"), "announces 3 messages"),
        (valid_v1_export().replace('{"role": "user"', '["role", "user"'), "marker of message 1"),
        (valid_v1_export()[: valid_v1_export().rindex("<!-- desktopchat:end")], "end of message"),
    ],
)
def test_other_files_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ExportFormatError, match=re.escape(reason)):
        markdown_to_conversation(text)


def test_an_edited_closing_fence_is_refused() -> None:
    markdown = conversation_to_markdown(conversation(), [message("```\ncode")])
    with pytest.raises(ExportFormatError, match="edited"):
        markdown_to_conversation(markdown.replace("code\n```\n", "code\n"))


@given(st.text(max_size=200) | texts)
def test_arbitrary_text_either_reads_or_is_refused(text: str) -> None:
    for candidate in (text, "---\ndesktopchat: 1\n" + text, "---\ndesktopchat: 2\n" + text):
        try:
            markdown_to_conversation(candidate)
        except ExportFormatError as error:
            assert str(error)


@given(st.lists(messages(), min_size=1, max_size=3), st.data())
def test_a_file_cut_short_is_refused_or_reads_whole(
    sent: list[Message], data: st.DataObject
) -> None:
    markdown = conversation_to_markdown(conversation(), sent)
    cut = data.draw(st.integers(0, len(markdown)))
    try:
        imported = markdown_to_conversation(markdown[:cut])
    except ExportFormatError:
        return
    assert_same_messages(imported.messages, sent)


# File names

UNTITLED = "Untitled conversation.md"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("My title", "My title.md"),
        ("a/b\\c", "a b c.md"),
        ("../../etc/passwd", "etc passwd.md"),
        ("..", UNTITLED),
        ("", UNTITLED),
        ("  \n\t ", UNTITLED),
        ('///:*?"<>|', UNTITLED),
        ('what: *?"<>| now', "what now.md"),
        (".hidden", "hidden.md"),
        ("trailing dots... ", "trailing dots.md"),
        ("line\nbreak\ttab\x00nul\x07bell", "line break tab nul bell.md"),
        ("right\u202eto left", "right to left.md"),
        ("emoji 😀 👩‍👩‍👧", "emoji 😀 👩‍👩‍👧.md"),
        ("CON", "_CON.md"),
        ("nul.txt", "_nul.txt.md"),
        ("com1", "_com1.md"),
        ("Lpt9 ", "_Lpt9.md"),
        ("CONSOLE", "CONSOLE.md"),
        ("C:\\Windows\\System32", "C Windows System32.md"),
    ],
)
def test_safe_file_name(title: str, name: str) -> None:
    assert safe_file_name(title) == name


def test_long_titles_are_cut_to_the_limit_keeping_the_suffix() -> None:
    assert safe_file_name("word " * 100) == ("word " * 100)[:97] + ".md"
    assert safe_file_name("x" * 300, suffix=" (2).md", max_length=20) == "x" * 13 + " (2).md"


@pytest.mark.parametrize("unit", ["👍🏽", "🇫🇷", "👩‍👩‍👧", "q\u0323\u0301", "❤️"])
def test_cuts_fall_between_the_characters_a_person_sees(unit: str) -> None:
    for max_length in range(len(unit) + 3, 40):
        stem = safe_file_name(unit * 50, max_length=max_length).removesuffix(".md")
        assert stem
        assert stem.replace(unit, "") == "", (max_length, stem)


def test_names_fit_in_255_bytes() -> None:
    name = safe_file_name("😀" * 200, max_length=250)
    assert len(name.encode("utf-8")) <= 255
    assert name.endswith("😀.md")


def test_an_unusable_suffix_is_refused() -> None:
    with pytest.raises(ValueError):
        safe_file_name("x", suffix="/.md")
    with pytest.raises(ValueError):
        safe_file_name("x", suffix=".md", max_length=3)


@given(st.text() | texts, st.integers(min_value=5, max_value=300))
def test_any_title_makes_a_safe_name(title: str, max_length: int) -> None:
    name = safe_file_name(title, max_length=max_length)
    stem = name.removesuffix(".md")

    assert name.endswith(".md")
    assert stem
    assert stem == stem.strip(". ")
    assert not name.startswith(".")
    assert len(name) <= max_length
    assert len(name.encode("utf-8")) <= 255
    assert not re.search(r'[/\\:*?"<>|\x00-\x1f\x7f\u2028\u202e]', name)
    assert os.sep not in name
    assert stem.split(".")[0].rstrip(" ").upper() not in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        "COM1",
        "LPT1",
    }


def test_default_export_name_is_the_local_date_and_the_title() -> None:
    day = datetime.fromtimestamp(BASE_TIME).date().isoformat()
    assert default_export_name(conversation()) == f"{day} Fixing the parser.md"
    assert default_export_name(conversation(title=" / ")) == f"{day} Untitled conversation.md"
    assert len(default_export_name(conversation(title="long " * 50))) == 100


# Writing files


def test_export_conversation_writes_the_markdown(tmp_path: Path) -> None:
    sent = [message("line\r\nbreak ✓")]
    path = export_conversation(tmp_path / "chat.md", conversation(), sent)

    assert path == tmp_path / "chat.md"
    written = path.read_bytes().decode("utf-8")
    assert written == conversation_to_markdown(conversation(), sent)
    assert markdown_to_conversation(written).messages[0].text == "line\r\nbreak ✓"


def test_export_into_a_missing_folder_fails_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        export_conversation(tmp_path / "missing" / "chat.md", conversation(), [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "chat.md"
    path.write_text("the earlier export")

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError, match="No space left"):
        export_conversation(path, conversation(), [message("new " * 1000)])
    monkeypatch.undo()

    assert [p.name for p in tmp_path.iterdir()] == ["chat.md"]
    assert path.read_text() == "the earlier export"


def test_export_all_writes_one_readable_file_each_with_unique_names(tmp_path: Path) -> None:
    folder = tmp_path / "exports" / "all"
    day = datetime.fromtimestamp(BASE_TIME).date().isoformat()
    batch = [
        (conversation(id=1, title="Same"), [message("first")]),
        (conversation(id=2, title="same"), [message("second")]),
        (conversation(id=3, title="Same"), [message("third")]),
        (conversation(id=4, title="Other/one"), [message("fourth")]),
        (conversation(id=5, title=""), [message("fifth")]),
    ]
    paths = export_all(folder, batch)

    assert [p.name for p in paths] == [
        f"{day} Same.md",
        f"{day} same (2).md",
        f"{day} Same (3).md",
        f"{day} Other one.md",
        f"{day} Untitled conversation.md",
    ]
    assert all(p.parent == folder for p in paths)
    texts_back = [markdown_to_conversation(p.read_text(encoding="utf-8")) for p in paths]
    assert [t.messages[0].text for t in texts_back] == [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
    ]


def test_export_all_never_overwrites_files_already_there(tmp_path: Path) -> None:
    day = datetime.fromtimestamp(BASE_TIME).date().isoformat()
    (tmp_path / f"{day} notes.md").write_text("mine")
    (tmp_path / f"{day} notes (2).md").write_text("mine too")

    paths = export_all(tmp_path, [(conversation(title="Notes"), [])] * 2)

    assert [p.name for p in paths] == [f"{day} Notes (3).md", f"{day} Notes (4).md"]
    assert (tmp_path / f"{day} notes.md").read_text() == "mine"
    assert (tmp_path / f"{day} notes (2).md").read_text() == "mine too"


def test_export_all_gives_many_same_titles_distinct_names(tmp_path: Path) -> None:
    paths = export_all(tmp_path, [(conversation(title="New chat"), [])] * 40)
    assert len({p.name.casefold() for p in paths}) == 40
    assert len(list(tmp_path.iterdir())) == 40


def test_dates_nothing_can_show_still_export_and_read_back():
    """A history written before imports checked dates may hold year 0 or year 10000: the
    export writes the nearest date it can show, and reads back."""
    from desktopchat.domain.markdown_export import default_export_name

    conversation = Conversation(1, "old", -62_135_647_200.0, 1e13)
    messages = [
        Message(1, 1, Role.USER, "a", float("nan")),
        Message(2, 1, Role.ASSISTANT, "b", 253_402_351_199.0, parent_id=1),
    ]
    assert default_export_name(conversation).startswith("19")
    back = markdown_to_conversation(conversation_to_markdown(conversation, messages))
    assert back.conversation.created == 0.0
    assert [m.created for m in back.messages] == [0.0, 253_402_214_400.0]
