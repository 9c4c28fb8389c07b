"""Errors saved as words before they were stored by kind are shown in today's language."""

from __future__ import annotations

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.ui.support.old_errors import read_back, reworded
from tests.ui.support.test_french import MESSAGES

FRENCH = {m.source: m.forms[0] for m in MESSAGES if m.context == "ChatError"}


def in_french(text: str) -> str:
    """As the French catalogue words it: what it does not hold (a server's words) stays."""
    return FRENCH.get(text, text)


def test_words_saved_in_french_read_back_as_the_error_and_show_in_english(qapp):
    error = ChatError(
        ErrorKind.RATE_LIMITED, provider="Groq", status=429, retry_after=3, detail="slow down"
    )
    saved_in_french = error.describe(in_french)
    assert read_back(saved_in_french) == error
    assert reworded(saved_in_french) == error.message  # the UI is in English here


def test_every_kind_reads_back_from_english_and_french(qapp):
    for kind in ErrorKind:
        error = ChatError(kind, provider="OpenAI", model="gpt-x", status=401, host="h.invalid")
        for words in (error.message, error.describe(in_french)):
            assert read_back(words) is not None, (kind, words)
            assert read_back(words).kind is kind


def test_words_that_match_nothing_are_shown_as_they_are(qapp):
    assert reworded("Something odd happened.") == "Something odd happened."
