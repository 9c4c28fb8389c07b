"""The release feed: version numbers compared properly, hostile feeds refused or cleaned."""

from __future__ import annotations

import json

import pytest

from desktopchat.system import update_feed
from desktopchat.system.update_feed import (
    FeedProblem,
    is_newer,
    parse_feed,
    parse_version,
    platform_key,
    read_feed,
)
from tests.feed_server import feed_server


def feed(**fields) -> bytes:
    data = {"version": "1.2.0", "date": "2026-12-01", "notes": "Faster start."}
    data.update(fields)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("candidate", "current", "newer"),
    [
        ("1.10.0", "1.9.0", True),
        ("1.2", "1.2.0", False),
        ("0.2.0", "0.10.0", False),
        ("1.0.0", "1.0.0rc2", True),
        ("1.0.0rc1", "1.0.0", False),
        ("v2.0", "1.9.9", True),
        ("not a version", "1.0", False),
    ],
)
def test_versions_compare_as_numbers(candidate, current, newer):
    assert is_newer(candidate, current) is newer


def test_the_parser_refuses_what_is_not_a_version():
    assert parse_version("1.2.3") == ((1, 2, 3), (3, 0))
    for text in ("", "1..2", "latest", "1.2.3.4.5", "1.2-beta"):
        assert parse_version(text) is None


def test_a_feed_gives_this_platforms_download_page():
    body = feed(downloads={"linux": "https://example.org/l", "windows": "https://example.org/w"})
    release = parse_feed(body, "windows")
    assert (release.version, release.date, release.download) == (
        "1.2.0",
        "2026-12-01",
        "https://example.org/w",
    )
    assert parse_feed(body, "macos").download == ""
    assert platform_key("win32") == "windows" and platform_key("darwin") == "macos"


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"\xff\xfe\x00",
        b"[1, 2, 3]",
        b"[" * 100_000,
        feed(version=""),
        feed(version="<b>latest</b>"),
        feed(version=12),
    ],
)
def test_what_is_not_a_feed_is_a_feed_problem(body):
    with pytest.raises(FeedProblem):
        parse_feed(body, "linux")


def test_hostile_text_is_cleaned_and_a_non_web_link_dropped():
    body = feed(
        notes="<img src=x>\u202eevil\x00 " + "n" * 10_000,
        date=["not", "text"],
        downloads={"linux": "javascript:alert(1)"},
    )
    release = parse_feed(body, "linux")
    assert release.notes.startswith("<img src=x>evil ")
    assert len(release.notes) == update_feed.NOTES_LIMIT
    assert release.date == "" and release.download == ""


def test_reading_is_bounded_and_refuses_other_schemes(tmp_path):
    with feed_server() as server:
        server.body = feed()
        assert read_feed(server.url) == server.body
        server.body = b" " * (update_feed.FEED_LIMIT_BYTES + 1)
        with pytest.raises(FeedProblem, match="larger"):
            read_feed(server.url)
        assert len(server.requests) == 2
    (tmp_path / "feed.json").write_bytes(feed())
    with pytest.raises(FeedProblem, match="http"):
        read_feed((tmp_path / "feed.json").as_uri())


def test_a_server_that_is_not_there_is_a_feed_problem():
    with feed_server() as server:
        url = server.url
    with pytest.raises(FeedProblem, match="cannot read"):
        read_feed(url, timeout=2)
