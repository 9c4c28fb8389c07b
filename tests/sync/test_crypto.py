"""The encryption of sync files (sync/crypto.py): sealed, authenticated with their place,
refused when changed, cut, moved or foreign; a wrong passphrase told at once."""

from __future__ import annotations

import json
import zlib

import pytest

from desktopchat.sync.crypto import (
    KdfParameters,
    derive_keys,
    header_bytes,
    new_parameters,
    parse_header,
)
from desktopchat.sync.errors import Refused, WrongPassphrase

PARAMETERS = KdfParameters(b"s" * 32, n=1 << 14)


@pytest.fixture(scope="module")
def keys():
    return derive_keys("passphrase", PARAMETERS)


def test_sealed_files_open_only_at_their_place_with_their_key(keys):
    sealed = keys.seal("d-1/c-00000001.dcs", b"records " * 100)
    assert keys.open("d-1/c-00000001.dcs", sealed, 10_000) == b"records " * 100
    assert b"records" not in sealed
    with pytest.raises(Refused, match="does not open"):
        keys.open("d-2/c-00000001.dcs", sealed, 10_000)  # another computer's folder
    with pytest.raises(Refused, match="does not open"):
        keys.open("d-1/c-00000002.dcs", sealed, 10_000)  # another name
    other = derive_keys("other passphrase", PARAMETERS)
    with pytest.raises(Refused):
        other.open("d-1/c-00000001.dcs", sealed, 10_000)


@pytest.mark.parametrize("damage", ["flip", "cut", "empty", "magic", "append"])
def test_damaged_files_are_refused_never_half_used(keys, damage):
    sealed = bytearray(keys.seal("d-1/x", b"hello world"))
    if damage == "flip":
        sealed[-3] ^= 0x80
    elif damage == "cut":
        del sealed[-5:]
    elif damage == "empty":
        sealed = bytearray()
    elif damage == "magic":
        sealed[:4] = b"XXXX"
    else:
        sealed += b"more"
    with pytest.raises(Refused):
        keys.open("d-1/x", bytes(sealed), 1000)


def test_a_decompression_bomb_stops_at_the_limit(keys):
    sealed = keys.seal("d-1/x", b"\0" * 5_000_000)
    with pytest.raises(Refused, match="more than sync ever writes"):
        keys.open("d-1/x", sealed, 1_000_000)


def test_the_key_check_tells_a_wrong_passphrase(keys):
    check = keys.keycheck()
    keys.check(check)
    with pytest.raises(WrongPassphrase, match="Nothing was read or changed"):
        derive_keys("wrong", PARAMETERS).check(check)
    with pytest.raises(WrongPassphrase):
        derive_keys("", PARAMETERS)


def test_the_header_holds_only_the_salt_and_costs_within_range():
    parameters = new_parameters()
    header = header_bytes(parameters)
    assert parse_header(header) == parameters
    value = json.loads(header)
    for hostile in ({"n": 1 << 30}, {"n": 3000}, {"r": 100}, {"salt": ""}, {"format": 9}):
        with pytest.raises(Refused):
            parse_header(json.dumps({**value, **hostile}).encode())
    with pytest.raises(Refused):
        parse_header(b"\xff not json")
    with pytest.raises(Refused):
        parse_header(zlib.compress(b"x"))


def test_blob_names_are_stable_and_reveal_nothing(keys):
    sha = "ab" * 32
    assert keys.blob_name(sha) == keys.blob_name(sha)
    assert sha not in keys.blob_name(sha)
    assert derive_keys("other", PARAMETERS).blob_name(sha) != keys.blob_name(sha)
    assert "passphrase" not in repr(keys)
