"""Saved prompts as data (domain/prompts.py): reading hostile JSON, merging two instances'
changes, joining an import without losing either side."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktopchat.domain.prompts import (
    BODY_LIMIT,
    LIBRARY_LIMIT,
    NAME_LIMIT,
    NotALibrary,
    Prompt,
    free_name,
    join_import,
    library_json,
    merge_libraries,
    read_library,
)


def ids():
    counter = itertools.count(1)
    return lambda: f"{next(counter):016x}"


def test_reads_our_file_a_bare_list_and_leaves_out_what_cannot_be_a_prompt():
    data = [
        {"name": "  Summarise\n  this ", "body": "Sum {{text}}", "values": {"text": "hi", "n": 3}},
        {"name": "", "body": "no name"},
        {"name": "No body"},
        "a string",
        {"name": "Huge", "body": "x" * (BODY_LIMIT + 1)},
        {"name": "Surrogate \ud800", "body": "bell \x07 tab\tok", "id": "NOT-HEX"},
    ]
    read = read_library(data, ids())
    assert read.left_out == 4
    first, second = read.prompts
    assert (first.name, first.body, dict(first.values)) == (
        "Summarise this",
        "Sum {{text}}",
        {"text": "hi"},
    )
    assert second.name == "Surrogate \ufffd" and second.body == "bell  tab\tok"
    assert first.id != second.id


def test_an_id_listed_twice_gets_a_new_one():
    data = {
        "prompts": [
            {"id": "ab" * 8, "name": "a", "body": ""},
            {"id": "ab" * 8, "name": "b", "body": ""},
        ]
    }
    read = read_library(data, ids())
    assert len({p.id for p in read.prompts}) == 2


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"format": "other-app", "prompts": []}, "wrong_format"),
        ({"mcpServers": {}}, "wrong_format"),
        (42, "not_object"),
        ({"prompts": "x"}, "not_object"),
        ([{"name": "a", "body": ""}] * (LIBRARY_LIMIT + 1), "too_many"),
    ],
)
def test_what_is_not_a_library_is_refused_whole(data, kind):
    with pytest.raises(NotALibrary) as refused:
        read_library(data, ids())
    assert refused.value.kind == kind


def test_export_carries_names_and_bodies_only():
    prompt = Prompt("ab" * 8, "A", "B {{x}}", {"x": "private"}, 5)
    assert library_json([prompt], with_state=False)["prompts"] == [{"name": "A", "body": "B {{x}}"}]
    again = read_library(library_json([prompt]), ids()).prompts
    assert again == (prompt,)


def p(pid: str, name: str = "n", body: str = "b", updated: int = 1) -> Prompt:
    return Prompt(pid * 8, name, body, {}, updated)


def test_merge_keeps_both_instances_changes():
    base = (p("a"), p("b"), p("c"))
    ours = (p("a", body="ours", updated=5), p("c"), p("d"))  # edited a, deleted b, added d
    theirs = (p("a"), p("b", body="theirs", updated=3), p("c", body="theirs c", updated=4), p("e"))
    merged = merge_libraries(base, ours, theirs)
    assert [(x.id[0], x.body) for x in merged] == [
        ("a", "ours"),
        ("c", "theirs c"),
        ("d", "b"),
        ("e", "b"),
    ]


def test_merge_both_edited_newer_wins_and_their_delete_of_an_untouched_one_holds():
    base = (p("a"), p("b"))
    ours = (p("a", body="ours", updated=5), p("b"))
    theirs = (p("a", body="theirs", updated=9),)
    assert merge_libraries(base, ours, theirs) == (p("a", body="theirs", updated=9),)


_prompts = st.lists(
    st.builds(
        p, st.sampled_from("abcdef"), st.sampled_from(["x", "y"]), st.sampled_from(["1", "2"])
    ),
    unique_by=lambda x: x.id,
)


@given(_prompts, _prompts)
def test_merge_with_nothing_changed_elsewhere_is_ours(base, ours):
    assert merge_libraries(base, ours, base) == tuple(ours)


@given(_prompts, _prompts)
def test_merge_with_nothing_changed_here_is_theirs(base, theirs):
    assert sorted(merge_libraries(base, base, theirs), key=lambda x: x.id) == sorted(
        theirs, key=lambda x: x.id
    )


def test_join_import_skips_identical_and_renames_clashes():
    library = (p("a", "Summarise", "S"), p("b", "Translate", "T"), p("c", "Translate (2)", "T2"))
    incoming = [p("d", "summarise", "S"), p("e", "Translate", "other"), p("f", "New", "N")]
    joined, report = join_import(library, incoming, 77)
    assert report.identical == ("summarise",)
    assert report.renamed == (("Translate", "Translate (3)"),)
    assert report.added == ("New",)
    assert [x.name for x in joined] == [
        "Summarise",
        "Translate",
        "Translate (2)",
        "Translate (3)",
        "New",
    ]
    assert all(x.updated == 77 for x in joined[3:])


def test_free_name_stays_within_the_limit():
    long = "n" * NAME_LIMIT
    name = free_name(long, [long])
    assert len(name) == NAME_LIMIT and name.endswith(" (2)")
