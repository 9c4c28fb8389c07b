"""The `{{variable}}` rules of domain/prompt_template.py: what is a variable, what is left as
typed, and filling in one pass."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktopchat.domain.prompt_template import (
    FIELD_LIMIT,
    fields_to_ask,
    fill,
    find_variables,
    uses_built_ins,
    variable_names,
    wants_long_text,
)


def test_names_in_order_once_each_spaces_inside_trimmed():
    body = "Translate {{ text }} into {{language}}; keep {{text}} short. {{language}}"
    assert variable_names(body) == ("text", "language")
    assert [v.start for v in find_variables(body)] == [10, 26, 45, 61]


def test_any_script_and_inner_punctuation():
    assert variable_names("{{sujet}} {{тема}} {{due date}} {{file.name}} {{a-b}} {{_x}}") == (
        "sujet",
        "тема",
        "due date",
        "file.name",
        "a-b",
        "_x",
    )


def test_malformed_and_unknown_braces_are_left_as_typed():
    body = "{{}} {{ }} {{1st}} {{a {b}} {{{raw}}} {{x}}} {{{y}} {{a\nb}} {{x}y}} }}z{{ {{"
    assert variable_names(body) == ()
    assert fill(body, {"a": "A", "b": "B", "raw": "R", "x": "X", "y": "Y", "z": "Z"}) == body


def test_code_and_json_are_not_variables():
    body = 'f"{{literal}}"  → JSON {"a": {"b": 1}}, LaTeX \\frac{1}{{2}}'
    assert variable_names(body) == ("literal",)  # the person chose {{…}}: it is one
    assert fill(body, {}) == body


def test_a_name_too_long_is_not_a_variable():
    assert variable_names("{{" + "a" * 64 + "}}") == ("a" * 64,)
    assert variable_names("{{" + "a" * 65 + "}}") == ()


def test_fill_replaces_known_values_once_and_keeps_the_rest():
    body = "Dear {{name}}, on {{date}} about {{topic}}."
    filled = fill(body, {"name": "{{topic}}", "date": "7 Dec"})
    assert filled == "Dear {{topic}}, on 7 Dec about {{topic}}."


def test_fields_leave_out_built_ins_and_stop_at_the_limit():
    body = "{{date}} {{selection}} {{who}} {{clipboard}} {{time}}"
    assert fields_to_ask(body) == ("who",)
    assert uses_built_ins(body) == ("date", "time", "clipboard", "selection")
    many = " ".join(f"{{{{v{i}}}}}" for i in range(FIELD_LIMIT + 10))
    assert len(fields_to_ask(many)) == FIELD_LIMIT


def test_long_fields_by_name_or_by_what_was_given():
    assert wants_long_text("source_code")
    assert wants_long_text("Email body")
    assert wants_long_text("texte du courriel")
    assert not wants_long_text("language")
    assert wants_long_text("language", "a\nb")
    assert wants_long_text("topic", "x" * 81)


_text = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Z"]))


@given(_text)
def test_fill_with_nothing_changes_nothing(body):
    assert fill(body, {}) == body


@given(_text, st.text())
def test_after_filling_every_name_no_variable_of_the_body_is_left(body, value):
    names = variable_names(body)
    filled = fill(body, dict.fromkeys(names, "§"))
    assert filled.count("§") - body.count("§") == len(find_variables(body))
    if "{" not in body and "}" not in body:
        assert filled == body


@given(st.lists(st.sampled_from(["{{a}}", "{", "}", "x", " ", "{{b}}", "{{{c}}}"]), max_size=12))
def test_filled_text_only_differs_where_variables_stood(parts):
    body = "".join(parts)
    filled = fill(body, {"a": "A", "b": "B", "c": "C"})
    pieces = []
    last = 0
    for variable in find_variables(body):
        pieces.append(body[last : variable.start])
        pieces.append(variable.name.upper())
        last = variable.end
    pieces.append(body[last:])
    assert filled == "".join(pieces)
