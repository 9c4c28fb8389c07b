"""A ChatError is stored as its kind and details and read back whole, whatever the row holds."""

from __future__ import annotations

import json

import pytest

from desktopchat.domain.errors import ChatError, ErrorKind


def test_every_detail_survives_the_round_trip():
    error = ChatError(
        ErrorKind.RATE_LIMITED,
        provider="OpenAI",
        model="gpt-4o",
        status=429,
        retry_after=12.5,
        detail="slow down",
        base_url="https://api.openai.com/v1",
        host="api.openai.com",
    )
    kind, details = error.to_record()

    assert kind == "rate_limited"
    back = ChatError.from_record(kind, details)
    assert back == error
    assert (back.status, back.retry_after, back.host) == (429, 12.5, "api.openai.com")
    assert back.message == error.message


def test_empty_details_are_left_out_of_the_record():
    assert ChatError(ErrorKind.NETWORK, provider="Groq").to_record() == (
        "network",
        json.dumps({"provider": "Groq"}),
    )


def test_a_kind_from_a_newer_version_reads_as_other_with_its_details():
    back = ChatError.from_record("quota_exhausted", '{"provider": "OpenAI", "status": 403}')

    assert back.kind is ErrorKind.OTHER
    assert back.message == "The reply from OpenAI failed (HTTP 403)."
    assert not back.key_problem


@pytest.mark.parametrize("details", [None, "", "{not json", "[1, 2]", '"text"', "null"])
def test_details_that_are_not_ours_read_as_none(details):
    back = ChatError.from_record("auth", details)

    assert back == ChatError(ErrorKind.AUTH)
    assert back.key_problem


def test_unknown_or_mistyped_details_are_dropped_and_the_rest_kept():
    details = json.dumps(
        {"provider": "OpenAI", "status": "401", "retry_after": True, "colour": "red", "host": 5}
    )
    back = ChatError.from_record("auth", details)

    assert back == ChatError(ErrorKind.AUTH, provider="OpenAI")


def test_a_key_in_stored_details_is_hidden_when_read():
    details = json.dumps({"detail": "bad key sk-abcdefghijklmnop"})
    assert "sk-abcdefghijklmnop" not in ChatError.from_record("auth", details).detail
