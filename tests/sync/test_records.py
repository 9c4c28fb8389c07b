"""Records from a sealed file are still checked one by one (a computer with the passphrase
can still run a buggy or hostile version): what is not well formed is left out with a
note, the rest applies."""

from __future__ import annotations

import json

import pytest

from desktopchat.services.sync.records import BadRecord, check_record, digest, parse_body
from desktopchat.storage.sync_rows import MESSAGE_COLUMNS, read_history_rows
from tests.sync.homes import Home
from tests.sync.test_merge import _conversation


def _message(**changes):
    row = [7, 3, None, "user", "hi", 1.5, "complete"] + [None] * (len(MESSAGE_COLUMNS) - 8)
    row.append(0)
    record = {"k": "m", "id": 7, "c": 3, "t": 10, "d": "d-1", "x": 0, "r": row, "a": []}
    record.update(changes)
    return record


def test_well_formed_records_pass():
    assert check_record(_message())["id"] == 7
    assert check_record({"k": "m", "id": 7, "c": 3, "t": 1, "d": "d", "x": 1})
    assert check_record(
        {"k": "c", "id": 3, "t": 1, "d": "d", "x": 0, "f": {"title": ["T", 1, "d"]}, "o": None}
    )


@pytest.mark.parametrize("missing", [1, 2], ids=["no project_files", "no tool_steps either"])
def test_a_row_from_before_the_last_columns_is_padded_and_hashes_as_before(missing):
    """Rows written before tool steps (schema 7) or project files (schema 9) lack the last
    columns; they read as empty, and a row without their values hashes as the old one."""
    record = _message()
    old_row = record["r"][:-1][: len(MESSAGE_COLUMNS) - missing]
    record["r"] = list(old_row)
    checked = check_record(record)
    assert checked["r"] == [*old_row, *[None] * missing]
    assert digest(checked["r"], []) == digest(old_row, [])
    with_steps = [*old_row, *[None] * missing]
    with_steps[len(MESSAGE_COLUMNS) - 2] = "{}"  # tool_steps, before project_files
    assert digest(with_steps, []) != digest(old_row, [])


def test_a_row_shorter_than_any_version_wrote_is_refused():
    record = _message()
    record["r"] = record["r"][: MESSAGE_COLUMNS.index("tool_steps") - 1]
    with pytest.raises(BadRecord):
        check_record(record)


@pytest.mark.parametrize(
    "changes",
    [
        {"id": 2**63},
        {"id": True},
        {"id": -1},
        {"t": "soon"},
        {"d": ""},
        {"x": 2},
        {"k": "z"},
        {"r": [1, 2]},
        {"a": [["image", "x", "image/png", 1, "not-a-sha", None, None]]},
        {"a": "nope"},
    ],
)
def test_malformed_records_are_refused(changes):
    with pytest.raises(BadRecord):
        check_record(_message(**changes))


def test_row_values_sqlite_cannot_hold_are_refused():
    record = _message()
    for bad in ("\ud800", 2**64, True, {"a": 1}, [1]):
        record["r"][4] = bad
        with pytest.raises(BadRecord):
            check_record(record)
    record = _message()
    record["r"][3] = "system"
    with pytest.raises(BadRecord, match="role"):
        check_record(record)
    record = _message()
    record["r"][0] = 8
    with pytest.raises(BadRecord, match="another message"):
        check_record(record)


def test_a_file_must_say_what_its_name_says():
    body = json.dumps({"format": 1, "device": "d-1", "seq": 3, "kind": "changes",
                       "records": []}).encode()  # fmt: skip
    assert parse_body(body, "d-1", 3) == []
    for device, seq in (("d-2", 3), ("d-1", 4)):
        with pytest.raises(BadRecord, match="another name"):
            parse_body(body, device, seq)
    with pytest.raises(BadRecord):
        parse_body(b"\xff\xfe", "d-1", 3)


def test_digests_agree_between_sqlite_rows_and_json_records(tmp_path):
    home = Home(tmp_path / "home")
    try:
        _conversation(home, "Digest", "plain", 'with ünïcode and 🙂 and \\ quotes "')
        rows = home.store.read_rows(read_history_rows)
        for row in rows.messages.values():
            through_json = json.loads(json.dumps(list(row), ensure_ascii=False))
            assert digest(through_json, []) == digest(row, [])
    finally:
        home.close()


def test_bad_records_are_left_out_with_a_note_and_the_rest_applies(place, homes, monkeypatch):
    transport, _ = place
    a, b = homes("a"), homes("b")
    _conversation(a, "Good", "fine")
    from desktopchat.services.sync import sending

    real = sending.file_body

    def with_garbage(device, seq, kind, records):
        return real(device, seq, kind, [*records, {"k": "m", "id": "x"}, 42])

    monkeypatch.setattr(sending, "file_body", with_garbage)
    a.sync(transport())
    monkeypatch.undo()
    report = b.sync(transport())
    assert any("left out 2 record(s)" in note for note in report.notes), report.notes
    assert {t for t, _ in b.picture().values()} == {"Good"}
