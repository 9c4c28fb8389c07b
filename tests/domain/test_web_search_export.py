"""A reply's web sources in our Markdown export: a numbered "Sources" list people can read
(titles escaped, only http and https addresses as links) and the exact record in its
details, which our import takes back; and what the stored form survives."""

from __future__ import annotations

from desktopchat.domain.markdown_export import conversation_to_markdown
from desktopchat.domain.markdown_import import markdown_to_conversation
from desktopchat.domain.types import Message, Role
from desktopchat.domain.web_search import (
    MAX_SOURCES,
    Citation,
    WebSearch,
    opens_in_browser,
    web_search_from_json,
    web_search_json,
)
from tests.domain.test_export import BASE_TIME, assert_same_messages, conversation

SOURCES = WebSearch(
    3,
    (
        Citation("Rain in *Paris* [today]", "https://example.org/rain?q=a b", "It rained."),
        Citation("<b>Evil</b> `title`", "javascript:alert(1)"),
        Citation("", "http://example.com/plain"),
    ),
)


def _messages() -> list[Message]:
    question = Message(1, 3, Role.USER, "Will it rain?", BASE_TIME)
    answer = Message(
        2, 3, Role.ASSISTANT, "Yes [1].", BASE_TIME + 2, parent_id=1, web_search=SOURCES
    )
    return [question, answer]


def test_sources_are_listed_for_people_and_come_back_exactly():
    markdown = conversation_to_markdown(conversation(), _messages())
    listed = markdown.split("**Sources**\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert listed == [
        r"1. Rain in \*Paris\* \[today\]: <https://example.org/rain?q=a%20b>",
        r"2. \<b\>Evil\</b\> \`title\`: javascript:alert(1)",  # text, not a link
        "3. http://example.com/plain: <http://example.com/plain>",
    ]
    back = markdown_to_conversation(markdown).messages
    assert_same_messages(back, _messages())
    assert back[1].web_search == SOURCES


def test_a_reply_without_sources_writes_no_list():
    messages = [Message(1, 3, Role.ASSISTANT, "Hi", BASE_TIME)]
    markdown = conversation_to_markdown(conversation(), messages)
    assert "Sources" not in markdown and "web_search" not in markdown


def test_only_http_and_https_open():
    assert opens_in_browser("https://example.org/x")
    assert opens_in_browser("HTTP://example.org")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "https://",
                "ftp://example.org", "//example.org", "http://[::1"):  # fmt: skip
        assert not opens_in_browser(url), url


def test_stored_form_round_trips_and_survives_hostile_records():
    assert web_search_from_json(web_search_json(SOURCES)) == SOURCES
    assert web_search_json(WebSearch()) is None
    for hostile in ("", "[", "[]", '{"searches": "3"}', '{"sources": 5}', "1" * 5000):
        assert web_search_from_json(hostile).sources == ()
    many = (
        '{"searches": 99999999, "sources": ['
        + ",".join(f'{{"title": "t", "url": "https://e.org/{n}"}}' for n in range(500))
        + ', {"url": 7}, {"title": "no url"}]}'
    )
    read = web_search_from_json(many)
    assert len(read.sources) == MAX_SOURCES and read.searches == 10_000
    assert web_search_from_json('{"sources": [{"title": "\\ud800x", "url": "https://e.org"}]}') \
        .sources[0].title == "\ufffdx"  # fmt: skip
