"""Pasted keys: what is trimmed around them, what is refused in them, and how it is said."""

from __future__ import annotations

import pytest

from desktopchat.system.key_text import UnsendableKey, trim_key, unsendable_character
from desktopchat.system.keys import KeySource, KeyStore
from tests.keyring_memory import run_keys

KEY = "sk-test-0123456789abcdefghij"


@pytest.mark.parametrize(
    "pasted",
    [
        f"  {KEY}\n",
        f"\u200b{KEY}\u200b",
        f"\u00a0{KEY}\u00a0",
        f"\ufeff{KEY}",
        f"{KEY}\u2060\u200d \u200c",
        f"\t\u200b {KEY}\u00ad",
    ],
    ids=["spaces", "zero-width", "nbsp", "bom", "joiners", "mixed"],
)
def test_paste_artefacts_around_a_key_are_trimmed(pasted, memory_keyring):
    assert trim_key(pasted) == KEY
    store = KeyStore(backend=memory_keyring, environ={})
    assert run_keys(store.aset("openai", pasted)) is KeySource.KEYCHAIN
    assert run_keys(store.aget("openai")) == KEY


@pytest.mark.parametrize(
    ("key", "character", "position", "name"),
    [
        ("sk-proj\u2013abc", "\u2013", 8, "en dash"),
        ("sk-cl\u00e9abc", "\u00e9", 6, "latin small letter e with acute"),
        ("sk-a\u200bbc", "\u200b", 5, "zero width space"),
        ("sk-a\x07bc", "\x07", 5, "control character"),
    ],
)
def test_a_character_that_cannot_be_sent_is_found_where_it_is(key, character, position, name):
    found = unsendable_character(key)

    assert found is not None
    assert (found.character, found.position, found.name) == (character, position, name)
    assert found.code == f"U+{ord(character):04X}"
    assert f"at position {position}" in found.describe()
    assert "Paste it again from the provider's page." in found.describe()


def test_invisible_characters_are_not_shown_and_visible_ones_are():
    assert unsendable_character("a\u2013b").shown == "\u2013"
    assert unsendable_character("a\u200bb").shown == ""
    assert "“" not in unsendable_character("a\u200bb").describe()


def test_an_ascii_key_can_be_sent():
    assert unsendable_character(KEY) is None
    assert unsendable_character("key with spaces~") is None


def test_a_key_that_cannot_be_sent_is_refused_everywhere_and_nothing_stored(memory_keyring):
    store = KeyStore(backend=memory_keyring, environ={})

    with pytest.raises(UnsendableKey) as raised:
        run_keys(store.aset("openai", "sk-proj\u2013abc"))
    with pytest.raises(UnsendableKey):
        store.set_for_session("openai", "sk-proj\u2013abc")

    assert raised.value.found.position == 8
    assert isinstance(raised.value, ValueError)
    assert memory_keyring.passwords == {}
    assert run_keys(store.akey_source("openai")) is KeySource.NONE
