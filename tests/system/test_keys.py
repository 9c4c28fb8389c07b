"""KeyStore against in-memory and failing keyring backends: lookup order, session-only keys
when there is no keychain, a keychain that fails mid-session, and secret hygiene."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from pathlib import Path

import jeepney
import jeepney.wrappers
import keyring.errors
import pytest
import secretstorage.exceptions
from keyring.backends import fail, null

from desktopchat.system.keychain_problems import SESSION_ONLY, KeychainError
from desktopchat.system.keys import DEFAULT_SERVICE, KeySource, KeyStore
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import Preferences, SettingsStore
from tests.keyring_memory import FailingKeyring, MemoryKeyring, run_keys

KEY = "sk-test-0123456789abcdefghij"
ENV_KEY = "sk-env-9876543210zyxwvutsrq"


def _store(backend, **environ: str) -> KeyStore:
    return KeyStore(backend=backend, environ=environ)


def _files_containing(root: Path, secret: str) -> list[Path]:
    return [
        path for path in root.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()
    ]


# Keychain available ------------------------------------------------------------------------


def test_set_saves_in_keychain_under_service_and_account(memory_keyring):
    store = _store(memory_keyring)

    assert run_keys(store.aavailable())
    assert store.unavailable_reason == ""
    assert run_keys(store.aset("openai", f"  {KEY}\n")) is KeySource.KEYCHAIN
    assert memory_keyring.passwords == {(DEFAULT_SERVICE, "openai"): KEY}
    assert run_keys(store.aget("openai")) == KEY
    assert run_keys(store.akey_source("openai")) is KeySource.KEYCHAIN
    assert run_keys(store.ahas("openai"))
    assert not run_keys(store.ahas("groq"))


def test_service_name_is_a_parameter(memory_keyring):
    store = KeyStore(backend=memory_keyring, environ={}, service="desktopchat-test")
    run_keys(store.aset("groq", KEY))

    assert memory_keyring.passwords == {("desktopchat-test", "groq"): KEY}


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_empty_key_is_rejected_and_nothing_stored(memory_keyring, blank):
    store = _store(memory_keyring)

    with pytest.raises(ValueError):
        run_keys(store.aset("openai", blank))
    with pytest.raises(ValueError):
        store.set_for_session("openai", blank)
    assert memory_keyring.passwords == {}
    assert run_keys(store.akey_source("openai")) is KeySource.NONE


def test_lookup_order_is_session_then_keychain_then_environment(memory_keyring):
    store = _store(memory_keyring, OPENAI_API_KEY=ENV_KEY)
    assert run_keys(store.akey_source("openai", "OPENAI_API_KEY")) is KeySource.ENVIRONMENT
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == ENV_KEY

    run_keys(store.aset("openai", KEY))
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == KEY
    assert run_keys(store.akey_source("openai", "OPENAI_API_KEY")) is KeySource.KEYCHAIN

    store.set_for_session("openai", "sk-session-key")
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == "sk-session-key"
    assert run_keys(store.akey_source("openai", "OPENAI_API_KEY")) is KeySource.SESSION


def test_saving_in_keychain_replaces_a_session_key(memory_keyring):
    store = _store(memory_keyring)
    store.set_for_session("openai", "sk-session-key")

    run_keys(store.aset("openai", KEY))

    assert run_keys(store.aget("openai")) == KEY
    assert run_keys(store.akey_source("openai")) is KeySource.KEYCHAIN


@pytest.mark.parametrize("value", ["", "   "])
def test_blank_environment_variable_is_no_key(memory_keyring, value):
    store = _store(memory_keyring, OPENAI_API_KEY=value)

    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) is None
    assert run_keys(store.akey_source("openai", "OPENAI_API_KEY")) is KeySource.NONE
    assert not run_keys(store.ahas("openai", "OPENAI_API_KEY"))


def test_environment_key_is_stripped_and_only_read_when_named(memory_keyring):
    store = _store(memory_keyring, OPENAI_API_KEY=f" {ENV_KEY}\n")

    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == ENV_KEY
    assert run_keys(store.aget("openai")) is None


def test_default_environment_is_the_process_environment(memory_keyring, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", ENV_KEY)

    store = KeyStore(backend=memory_keyring)

    assert run_keys(store.aget("groq", "GROQ_API_KEY")) == ENV_KEY


def test_default_backend_comes_from_keyring(memory_keyring, monkeypatch):
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory_keyring)

    run_keys(KeyStore(environ={}).aset("openai", KEY))

    assert memory_keyring.passwords == {(DEFAULT_SERVICE, "openai"): KEY}


def test_delete_forgets_keychain_and_session_and_missing_is_fine(memory_keyring):
    store = _store(memory_keyring, OPENAI_API_KEY=ENV_KEY)
    run_keys(store.aset("openai", KEY))
    store.set_for_session("openai", "sk-session-key")

    run_keys(store.adelete("openai"))
    run_keys(store.adelete("openai"))
    run_keys(store.adelete("never-set"))

    assert memory_keyring.passwords == {}
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == ENV_KEY


def test_probe_runs_once(memory_keyring):
    store = _store(memory_keyring)

    for _ in range(3):
        assert run_keys(store.aavailable())
    assert memory_keyring.calls == 1


def test_a_bug_in_the_backend_is_not_mistaken_for_a_missing_keychain(memory_keyring):
    store = _store(memory_keyring)
    assert run_keys(store.aavailable())
    memory_keyring.error = TypeError("a bug")

    with pytest.raises(TypeError):
        run_keys(store.aget("openai"))
    assert run_keys(store.aavailable())


# No keychain ---------------------------------------------------------------------------------


def test_no_keychain_service_keeps_keys_for_the_session_and_writes_nothing(isolated_home):
    store = _store(fail.Keyring())

    assert not run_keys(store.aavailable())
    assert store.unavailable_reason.startswith("No keychain service was found")
    assert store.unavailable_reason.endswith(SESSION_ONLY)
    assert run_keys(store.aset("openai", KEY)) is KeySource.SESSION
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == KEY
    assert run_keys(store.akey_source("openai")) is KeySource.SESSION

    settings = SettingsStore(app_paths().settings_file)
    settings.save(Preferences(last_provider="openai"))
    assert settings.path.is_relative_to(isolated_home)
    assert _files_containing(isolated_home, KEY) == []

    run_keys(store.adelete("openai"))
    assert run_keys(store.akey_source("openai")) is KeySource.NONE


def test_null_backend_is_a_switched_off_keychain():
    store = _store(null.Keyring())

    assert not run_keys(store.aavailable())
    assert "switched off" in store.unavailable_reason
    assert run_keys(store.aset("openai", KEY)) is KeySource.SESSION


def test_locked_keychain_at_start_falls_back_to_environment_and_session():
    store = _store(FailingKeyring(), OPENAI_API_KEY=ENV_KEY)

    assert not run_keys(store.aavailable())
    assert "locked" in store.unavailable_reason
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == ENV_KEY
    assert run_keys(store.aset("openai", KEY)) is KeySource.SESSION
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == KEY


# Failing mid-session -------------------------------------------------------------------------


def _dbus_no_reply() -> jeepney.wrappers.DBusErrorResponse:
    """The error jeepney raises when the Secret Service daemon stops answering."""
    call = jeepney.new_method_call(
        jeepney.DBusAddress(
            "/org/freedesktop/secrets",
            bus_name="org.freedesktop.secrets",
            interface="org.freedesktop.Secret.Service",
        ),
        "SearchItems",
    )
    call.header.serial = 1
    reply = jeepney.new_error(
        call, "org.freedesktop.DBus.Error.NoReply", "s", ("Did not receive a reply",)
    )
    return jeepney.wrappers.DBusErrorResponse(reply)


MID_SESSION_FAILURES = [
    keyring.errors.KeyringLocked("Failed to unlock the collection!"),
    keyring.errors.KeyringError("backend gone"),
    keyring.errors.InitError("Failed to create the collection"),
    secretstorage.exceptions.SecretServiceNotAvailableException("no D-Bus session"),
    _dbus_no_reply(),
    ConnectionResetError("Connection reset by peer"),
]


@pytest.mark.parametrize("error", MID_SESSION_FAILURES, ids=lambda e: type(e).__name__)
def test_read_failing_mid_session_falls_back_and_flips_unavailable(memory_keyring, error):
    store = _store(memory_keyring, OPENAI_API_KEY=ENV_KEY)
    run_keys(store.aset("openai", KEY))
    memory_keyring.error = error

    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == ENV_KEY
    assert not run_keys(store.aavailable())
    assert store.unavailable_reason.endswith(SESSION_ONLY)
    assert run_keys(store.aset("openai", KEY)) is KeySource.SESSION
    assert run_keys(store.aget("openai", "OPENAI_API_KEY")) == KEY


def test_write_failing_mid_session_raises_keychain_error_in_words(memory_keyring):
    store = _store(memory_keyring)
    assert run_keys(store.aavailable())
    memory_keyring.error = keyring.errors.KeyringLocked("Failed to unlock the collection!")

    with pytest.raises(KeychainError) as raised:
        run_keys(store.aset("openai", KEY))

    message = str(raised.value)
    assert message.startswith("The key could not be saved in the keychain.")
    assert "locked" in message and SESSION_ONLY in message
    assert KEY not in message
    assert not run_keys(store.aavailable())
    store.set_for_session("openai", KEY)
    assert run_keys(store.akey_source("openai")) is KeySource.SESSION


def test_delete_failing_mid_session_raises_but_forgets_session_key(memory_keyring):
    store = _store(memory_keyring)
    run_keys(store.aset("openai", KEY))
    store.set_for_session("openai", "sk-session-key")
    memory_keyring.error = keyring.errors.KeyringError("daemon gone")

    with pytest.raises(KeychainError, match="could not be removed from the keychain"):
        run_keys(store.adelete("openai"))
    assert run_keys(store.akey_source("openai")) is KeySource.NONE


def test_failure_reason_hides_keys_and_stays_short(memory_keyring):
    store = _store(memory_keyring)
    assert run_keys(store.aavailable())
    memory_keyring.error = keyring.errors.KeyringError(f"refused {KEY} " + "x" * 500)

    run_keys(store.aget("openai"))

    assert KEY not in store.unavailable_reason
    assert len(store.unavailable_reason) < 300


# Secret hygiene ------------------------------------------------------------------------------


def test_failure_reason_hides_the_key_being_saved(memory_keyring):
    token = "plain-token-without-known-prefix"
    store = _store(memory_keyring)
    assert run_keys(store.aavailable())
    memory_keyring.error = keyring.errors.PasswordSetError(f"cannot store {token}")

    with pytest.raises(KeychainError) as raised:
        run_keys(store.aset("custom-home", token))

    assert token not in str(raised.value)
    assert "cannot store" in store.unavailable_reason


def test_repr_shows_accounts_never_keys_and_does_not_probe(memory_keyring):
    store = _store(memory_keyring)
    assert "available=unknown" in repr(store)
    assert memory_keyring.calls == 0

    run_keys(store.aset("openai", KEY))
    store.set_for_session("groq", ENV_KEY)
    text = repr(store)

    assert KEY not in text and ENV_KEY not in text
    assert "groq" in text and "available=yes" in text


def test_logs_name_accounts_never_keys(memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    store = _store(memory_keyring)

    run_keys(store.aset("openai", KEY))
    run_keys(store.aget("openai"))
    run_keys(store.adelete("openai"))
    store.set_for_session("openai", KEY)
    memory_keyring.error = keyring.errors.KeyringError(f"refused {KEY}")
    run_keys(store.aget("groq"))

    assert "openai" in caplog.text
    assert "sk-test" not in caplog.text


# Async wrappers ------------------------------------------------------------------------------


class ThreadRecordingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.add(threading.get_ident())
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.add(threading.get_ident())
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.threads.add(threading.get_ident())
        super().delete_password(service, username)


def test_async_wrappers_run_off_the_event_loop_thread():
    backend = ThreadRecordingKeyring()
    store = _store(backend, MISTRAL_API_KEY=ENV_KEY)

    async def scenario() -> list[object]:
        return [
            await store.aavailable(),
            await store.aset("openai", KEY),
            await store.aget("openai"),
            await store.akey_source("openai"),
            await store.ahas("openai"),
            await store.adelete("openai"),
            await store.ahas("openai"),
            await store.akey_source("mistral", "MISTRAL_API_KEY"),
        ]

    results = asyncio.run(scenario())

    assert results[:7] == [True, KeySource.KEYCHAIN, KEY, KeySource.KEYCHAIN, True, None, False]
    assert results[7:] == [KeySource.ENVIRONMENT]
    assert backend.threads
    assert threading.get_ident() not in backend.threads


def test_async_set_reports_keychain_error(memory_keyring):
    store = _store(memory_keyring)
    assert run_keys(store.aavailable())
    memory_keyring.error = keyring.errors.KeyringLocked("locked")

    with pytest.raises(KeychainError):
        asyncio.run(store.aset("openai", KEY))


def test_the_public_api_is_async_so_tests_take_the_apps_path():
    """Every keychain call goes through the keychain thread: what is public either awaits
    it or only touches memory (`set_for_session`, and the properties that read state)."""
    memory_only = {"set_for_session"}
    public = {
        name: member
        for name, member in vars(KeyStore).items()
        if not name.startswith("_") and callable(member)
    }
    blocking = {
        name
        for name, member in public.items()
        if not inspect.iscoroutinefunction(member) and name not in memory_only
    }
    assert blocking == set()
    assert {"aavailable", "aget", "akey_source", "ahas", "aset", "adelete"} <= set(public)
