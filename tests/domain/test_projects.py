"""Which project files a reply used, as stored and read back from any text."""

from __future__ import annotations

import pytest

from desktopchat.domain.projects import FileUse, uses_from_record, uses_to_record


def test_uses_round_trip():
    uses = (FileUse("notes.md"), FileUse("spécification.pdf", 3))
    assert uses_from_record(uses_to_record(uses)) == uses
    assert uses_to_record(()) is None


@pytest.mark.parametrize(
    "record",
    ["", "not json", "{}", '[["a"]]', '[["a", true]]', '[["a", -1]]', "[[1, 2]]", "[" * 5000],
)
def test_a_malformed_record_reads_as_nothing_used(record):
    assert uses_from_record(record) == ()
