"""KeyStore with a keychain that is slow or never answers: the async methods give up in
time, answer from memory, never pile calls up behind a hung one, and use the keychain again
once it answers. `available` and `unavailable_reason` never ask the keychain."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.system.keychain_problems import SESSION_ONLY, KeychainError
from desktopchat.system.keys import KeySource, KeyStore
from tests.keyring_memory import HungKeyring, SlowKeyring, run_keys

KEY = "sk-test-0123456789abcdefghij"
ENV_KEY = "sk-env-9876543210zyxwvutsrq"
PATIENCE = 0.2
"""The store's timeouts here, so the tests do not wait seconds for a hung keychain."""


@pytest.fixture
def hung():
    backend = HungKeyring()
    yield backend
    backend.release.set()  # the abandoned keychain thread ends with the test


def _store(backend, **environ: str) -> KeyStore:
    return KeyStore(backend=backend, environ=environ, probe_timeout=PATIENCE, call_timeout=PATIENCE)


def test_state_is_read_from_memory_and_never_asks_the_keychain(hung):
    store = _store(hung)

    assert not store.available
    assert store.unavailable_reason == ""
    assert not store.not_answering
    assert "available=unknown" in repr(store)
    assert hung.calls == 0 and hung.in_flight == 0


def test_a_hung_keychain_is_not_answering_and_keys_come_from_memory(hung):
    store = _store(hung, OPENAI_API_KEY=ENV_KEY)

    async def scenario() -> list[object]:
        return [
            await store.aavailable(),
            await store.aget("openai", "OPENAI_API_KEY"),
            await store.akey_source("groq", "GROQ_API_KEY"),
            await store.aset("groq", KEY),
            await store.aget("groq"),
            await store.ahas("groq"),
            await store.aavailable(),
        ]

    results = asyncio.run(scenario())

    assert results == [False, ENV_KEY, KeySource.NONE, KeySource.SESSION, KEY, True, False]
    assert store.not_answering and not store.available
    assert store.unavailable_reason.startswith("The keychain is not answering")
    assert store.unavailable_reason.endswith(SESSION_ONLY)
    assert "not answering" in repr(store)
    assert hung.most_in_flight == 1  # the probe, and nothing queued behind it ever ran


def test_callers_queued_behind_a_hung_call_are_released_together(hung):
    store = _store(hung, OPENAI_API_KEY=ENV_KEY)

    async def scenario() -> list[object]:
        return await asyncio.gather(
            store.aavailable(),
            *(store.aget("openai", "OPENAI_API_KEY") for _ in range(5)),
            store.ahas("mistral"),
        )

    results = asyncio.run(asyncio.wait_for(scenario(), 10 * PATIENCE))

    assert results == [False, *[ENV_KEY] * 5, False]
    assert hung.most_in_flight == 1


def test_a_save_or_removal_that_hangs_says_the_keychain_is_not_answering(memory_keyring):
    store = _store(memory_keyring)
    asyncio.run(store.aset("openai", KEY))  # it worked at first
    stuck = HungKeyring()
    memory_keyring.get_password = stuck.get_password
    memory_keyring.set_password = stuck.set_password
    memory_keyring.delete_password = stuck.delete_password
    try:
        with pytest.raises(KeychainError, match="could not be saved in the keychain") as saved:
            asyncio.run(store.aset("openai", KEY[::-1]))
        store.set_for_session("groq", ENV_KEY)
        with pytest.raises(KeychainError, match="could not be removed from the keychain"):
            asyncio.run(store.adelete("groq"))
    finally:
        stuck.release.set()

    assert "not answering" in str(saved.value) and KEY[::-1] not in str(saved.value)
    # The session key went all the same.
    assert run_keys(store.akey_source("groq")) is KeySource.NONE


def test_a_keychain_that_answers_again_is_used_again(hung):
    store = _store(hung)
    assert not asyncio.run(store.aavailable())
    hung.passwords[("desktopchat", "openai")] = KEY

    hung.release.set()

    async def answered() -> bool:
        while store.not_answering:
            await asyncio.sleep(0.01)
        return await store.aavailable()

    assert asyncio.run(asyncio.wait_for(answered(), 5))
    assert asyncio.run(store.aget("openai")) == KEY
    assert store.available and store.unavailable_reason == ""


def test_a_slow_keychain_is_waited_for_within_the_timeout():
    backend = SlowKeyring()
    backend.delay = PATIENCE / 4
    store = _store(backend)

    async def scenario() -> list[object]:
        return [await store.aset("openai", KEY), await store.aget("openai")]

    assert asyncio.run(scenario()) == [KeySource.KEYCHAIN, KEY]
    assert store.available
