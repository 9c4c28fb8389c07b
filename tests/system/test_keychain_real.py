"""KeyStore against a real Secret Service (GNOME Keyring over D-Bus), as .ci/run starts it.

Writes only under a test service name and a unique account, and removes what it wrote. Where
no Secret Service answers the test skips, except in CI (CI=true), where it fails: CI must
prove that keys really reach a keychain.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid

import keyring.errors
import pytest

from desktopchat.system.keys import KeySource, KeyStore
from tests.keyring_memory import run_keys

pytestmark = pytest.mark.keychain

TEST_SERVICE = "desktopchat-test"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs a working Secret Service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def secret_service():
    """The real Secret Service backend, unlocked, or a skip (a failure in CI) saying why."""
    try:
        from keyring.backends.SecretService import Keyring
    except ImportError as exc:
        _unavailable(f"the Secret Service backend cannot be imported ({exc})")
    try:
        Keyring.priority  # noqa: B018 - raises RuntimeError when no daemon answers
    except RuntimeError as exc:
        _unavailable(f"no Secret Service is reachable ({exc})")
    return Keyring()


@pytest.fixture
def account(secret_service):
    name = f"test-{uuid.uuid4().hex}"
    yield name
    with contextlib.suppress(keyring.errors.PasswordDeleteError):  # the test removed it
        secret_service.delete_password(TEST_SERVICE, name)


def test_key_round_trip_through_the_real_keychain(secret_service, account):
    key = f"sk-real-keychain-{uuid.uuid4().hex}"
    store = KeyStore(backend=secret_service, environ={}, service=TEST_SERVICE)
    if not run_keys(store.aavailable()):  # asks (`available` only reads what was learnt)
        _unavailable(store.unavailable_reason)

    assert run_keys(store.aset(account, f" {key} ")) is KeySource.KEYCHAIN
    assert run_keys(store.aget(account)) == key
    assert run_keys(store.akey_source(account)) is KeySource.KEYCHAIN
    # A second backend instance reads it back: the key is in the daemon, not in our memory.
    assert type(secret_service)().get_password(TEST_SERVICE, account) == key

    run_keys(store.adelete(account))

    assert run_keys(store.aget(account)) is None
    assert run_keys(store.akey_source(account)) is KeySource.NONE
    assert secret_service.get_password(TEST_SERVICE, account) is None
    assert store.available


def test_async_wrappers_against_the_real_keychain(secret_service, account):
    key = f"sk-real-async-{uuid.uuid4().hex}"
    store = KeyStore(backend=secret_service, environ={}, service=TEST_SERVICE)

    async def scenario() -> tuple[bool, KeySource, str | None, bool]:
        available = await store.aavailable()
        source = await store.aset(account, key)
        value = await store.aget(account)
        await store.adelete(account)
        return available, source, value, await store.ahas(account)

    assert asyncio.run(scenario()) == (True, KeySource.KEYCHAIN, key, False), (
        store.unavailable_reason
    )
