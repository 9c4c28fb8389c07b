"""A reply's web sources under its text: a numbered plain-text list of titles and
addresses, the http(s) ones opening in the browser, anything else inert and shown as text."""

from __future__ import annotations

from desktopchat.domain.web_search import Citation, WebSearch
from tests.ui.transcript.test_chat_view import anchors, click_link, reply, stream, user, view

__all__ = ["view"]  # the fixture

SOURCES = WebSearch(
    2,
    (
        Citation("Rain in Paris", "https://example.org/rain"),
        Citation("<b>Bold</b> <a href='https://evil.example'>x</a>", "javascript:alert(1)"),
        Citation("", "http://example.com/" + "p" * 200),
    ),
)


def _lines(view) -> list[str]:
    text = view.toPlainText()
    return text[text.index("Sources") :].splitlines()[:4]


def test_sources_are_listed_under_the_reply(view):
    view.show_conversation([user(1, "Rain?"), reply(2, "Yes.", web_search=SOURCES)])
    lines = _lines(view)
    assert lines[0] == "Sources"
    assert lines[1] == "1. Rain in Paris · https://example.org/rain"
    assert lines[2] == "2. <b>Bold</b> <a href='https://evil.example'>x</a> · javascript:alert(1)"
    assert lines[3].startswith("3. http://example.com/ppp") and lines[3].endswith("p…")
    links = dict(anchors(view))
    assert links["Rain in Paris"] == "https://example.org/rain"
    assert not [href for href in links.values() if "evil" in href or "javascript" in href]
    assert "Bold" not in links and "x" not in links  # the title is text, not markup
    assert "2 web searches" in view.toPlainText()  # in the footer, beside the cost


def test_clicking_a_source_opens_it_and_nothing_else_opens(qtbot, view):
    view.show_conversation([user(1, "Rain?"), reply(2, "Yes.", web_search=SOURCES)])
    click_link(qtbot, view, "https://example.org/rain")
    assert [url.toString() for url in view.opened] == ["https://example.org/rain"]


def test_a_streamed_reply_shows_its_sources_when_it_finishes(view):
    view.show_conversation([user(1, "Rain?")])
    streaming = reply(2, "")
    view.begin_reply(streaming)
    stream(view, 2, "It will rain. " * 20)
    assert "Sources" not in view.toPlainText()
    view.finish_reply(reply(2, "It will rain. " * 20, web_search=SOURCES))
    assert _lines(view)[1] == "1. Rain in Paris · https://example.org/rain"


def test_a_reply_without_sources_has_no_list(view):
    view.show_conversation([user(1, "Hi"), reply(2, "Hello.")])
    assert "Sources" not in view.toPlainText()


def test_a_long_streamed_reply_gets_its_sources_too(view, monkeypatch):
    from desktopchat.ui.transcript import live_replies

    monkeypatch.setattr(live_replies, "FULL_RENDER_LIMIT", 10)  # finished in place
    view.show_conversation([user(1, "Rain?")])
    view.begin_reply(reply(2, ""))
    stream(view, 2, "It will rain. " * 20)
    view.finish_reply(reply(2, "It will rain. " * 20, web_search=SOURCES))
    assert _lines(view)[1] == "1. Rain in Paris · https://example.org/rain"
