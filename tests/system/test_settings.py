"""SettingsStore: round trips, damaged files repaired field by field and kept aside, atomic
saves, and custom endpoint ids."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import fields, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktopchat.system.keys import KeyStore
from desktopchat.system.settings import (
    LANGUAGES,
    THEMES,
    CustomEndpoint,
    Preferences,
    SettingsStore,
    new_endpoint_id,
    switches_of,
)
from tests.hypothesis_profiles import examples
from tests.keyring_memory import run_keys


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "config" / "settings.json"


def _write(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def _aside_files(path):
    return sorted(path.parent.glob(f"{path.name}.bad-*"))


def test_missing_file_gives_defaults_without_a_problem(settings_path):
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()
    assert store.problem is None
    assert not settings_path.parent.exists()


def test_save_creates_the_folder_and_round_trips(settings_path):
    prefs = Preferences(
        theme="dark",
        language="fr",
        max_tokens=8192,
        request_timeout=12.5,
        send_on_enter=False,
        last_provider="custom-home",
        last_model="llama-3.3-70b",
        window_geometry="AdnQywADAAA=",
        splitter_state="AAAA/wAAAAE=",
        base_url_overrides={"ollama": "http://localhost:11500/v1"},
        custom_endpoints=[CustomEndpoint("custom-home", "Home box", "http://10.0.0.2:8080/v1")],
    )
    store = SettingsStore(settings_path)

    store.save(prefs)

    assert SettingsStore(settings_path).load() == prefs
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600
    assert json.loads(settings_path.read_text())["version"] == 1


def test_saving_again_replaces_the_file_and_leaves_no_temporary_files(settings_path):
    store = SettingsStore(settings_path)
    store.save(Preferences(theme="light"))
    store.save(Preferences(theme="dark"))

    assert store.load().theme == "dark"
    assert [p.name for p in settings_path.parent.iterdir()] == ["settings.json"]


def test_save_failure_raises_oserror(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(OSError):
        SettingsStore(blocker / "settings.json").save(Preferences())


def test_unknown_keys_are_ignored(settings_path):
    _write(settings_path, {"theme": "dark", "future_option": [1, 2], "api_key": "sk-x"})
    store = SettingsStore(settings_path)

    assert store.load() == Preferences(theme="dark")
    assert store.problem is None
    store.save(store.load())
    assert "api_key" not in settings_path.read_text()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("{not json", "not_json"),
        ("[1, 2, 3]", "not_object"),
        ("", "not_json"),
        ('"just text"', "not_object"),
        ("[" * 100_000, "too_deep"),
        ('{"theme": ' + "[" * 100_000 + "]" * 100_000 + "}", "too_deep"),
        ('{"max_tokens": ' + "9" * 5000 + "}", "not_json"),
        ("{\u0000}", "not_json"),
        ('{"theme": "dark", "pad": "' + "x" * (1 << 20) + '"}', "too_large"),
    ],
    ids=["broken", "array", "empty", "string", "deep", "deep-field", "huge-int", "nul", "huge"],
)
def test_invalid_file_gives_defaults_and_is_moved_aside(settings_path, content, kind):
    _write(settings_path, content)
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()

    assert store.problem.kind == kind
    [aside] = _aside_files(settings_path)
    assert aside.read_text() == content
    assert store.problem.moved_to == aside
    assert not settings_path.exists()


def test_undecodable_file_is_moved_aside(settings_path):
    settings_path.parent.mkdir(parents=True)
    settings_path.write_bytes(b'{"theme": "\xff\xfe"}')
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()
    assert store.problem.kind == "not_text"
    assert len(_aside_files(settings_path)) == 1


def test_a_damaged_file_never_overwrites_one_kept_earlier(settings_path):
    store = SettingsStore(settings_path)
    contents = ["{first", "{second", "{third"]
    for content in contents:
        _write(settings_path, content)
        store.load()

    kept = sorted(path.read_text() for path in _aside_files(settings_path))
    assert kept == sorted(contents)


@pytest.mark.parametrize(
    ("name", "bad_value"),
    [
        ("theme", "purple"),
        ("language", "de"),
        ("language", ["en"]),
        ("max_tokens", "4096"),
        ("max_tokens", True),
        ("max_tokens", 0),
        ("max_tokens", 4096.5),
        ("request_timeout", -1),
        ("request_timeout", False),
        ("request_timeout", 10**9),
        ("send_on_enter", 1),
        ("last_provider", 42),
        ("last_model", {"id": "x"}),
        ("window_geometry", None),
        ("splitter_state", 3),
        ("base_url_overrides", ["ollama"]),
        ("custom_endpoints", {"id": "custom-x"}),
        ("key_places", ["openai"]),
        ("key_places", {"openai": "sk-a-key-is-never-a-place"}),
        ("keychain_notice", "no"),
        ("favourite_models", {"openai": "gpt-4o"}),
        ("recent_models", "openai/gpt-4o"),
        ("side_panel", "yes"),
        ("conversation_switches", ["tools"]),
    ],
)
def test_each_bad_field_falls_back_alone(settings_path, name, bad_value):
    good = {"theme": "dark", "language": "fr", "max_tokens": 1000, "last_model": "m"}
    _write(settings_path, {**good, name: bad_value})
    store = SettingsStore(settings_path)

    prefs = store.load()

    default = Preferences()
    assert getattr(prefs, name) == getattr(default, name)
    for other, value in good.items():
        if other != name:
            assert getattr(prefs, other) == value
    assert store.problem.kind == "repaired" and store.problem.repaired == (name,)
    assert len(_aside_files(settings_path)) == 1


def test_integral_timeout_is_read_as_float(settings_path):
    _write(settings_path, {"request_timeout": 30})

    assert SettingsStore(settings_path).load().request_timeout == 30.0


def test_bad_entries_in_collections_are_dropped_and_good_ones_kept(settings_path):
    _write(
        settings_path,
        {
            "base_url_overrides": {"ollama": "http://localhost:11500/v1", "qwen": 7, "x": " "},
            "custom_endpoints": [
                {"id": "custom-a", "name": "A", "base_url": "http://a/v1"},
                {"id": "custom-a", "name": "Duplicate", "base_url": "http://dup/v1"},
                {"id": "custom-b", "name": "", "base_url": "http://b/v1"},
                "not an object",
                {"id": "custom-c", "name": "C", "base_url": "http://c/v1", "extra": 1},
            ],
        },
    )
    store = SettingsStore(settings_path)

    prefs = store.load()

    assert prefs.base_url_overrides == {"ollama": "http://localhost:11500/v1"}
    assert prefs.custom_endpoints == [
        CustomEndpoint("custom-a", "A", "http://a/v1"),
        CustomEndpoint("custom-c", "C", "http://c/v1"),
    ]
    assert store.problem.repaired == ("base_url_overrides", "custom_endpoints")


def test_bad_model_keys_and_switches_are_dropped_and_good_ones_kept(settings_path):
    _write(
        settings_path,
        {
            "favourite_models": [["openai", "gpt-4o"], ["openai"], ["", "x"], "openai/o3"],
            "conversation_switches": {
                "12": {"tools": False},
                "new": {"web_search": True},
                "x": {"tools": True},
                "13": {"tools": "no"},
                "14": {"teleport": True},
            },
        },
    )
    store = SettingsStore(settings_path)

    prefs = store.load()

    assert prefs.favourite_models == [["openai", "gpt-4o"]]
    assert prefs.conversation_switches == {"12": {"tools": False}, "new": {"web_search": True}}
    assert switches_of(prefs, 12) == {"tools": False, "web_search": False}
    assert switches_of(prefs, None) == {"tools": True, "web_search": True}
    assert switches_of(prefs, 99) == {"tools": True, "web_search": False}


def test_problem_is_cleared_by_a_clean_load(settings_path):
    store = SettingsStore(settings_path)
    _write(settings_path, "{broken")
    store.load()
    assert store.problem

    store.save(Preferences())
    store.load()

    assert store.problem is None


def test_unreadable_file_gives_defaults(settings_path):
    settings_path.mkdir(parents=True)  # a folder where the file should be: unreadable as root too
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()
    assert store.problem.kind == "unreadable" and store.problem.detail == "IsADirectoryError"
    assert len(_aside_files(settings_path)) == 1


def test_settings_never_hold_a_key_set_through_keystore(settings_path, memory_keyring):
    key = "sk-secret-for-settings-test-0123456789"
    keys = KeyStore(backend=memory_keyring, environ={})
    endpoint = CustomEndpoint("custom-home", "Home", "http://127.0.0.1:8080/v1")
    run_keys(keys.aset(endpoint.id, key))
    keys.set_for_session("openai", key)

    SettingsStore(settings_path).save(
        Preferences(last_provider=endpoint.id, custom_endpoints=[endpoint])
    )

    assert key not in settings_path.read_text()
    assert "key" not in {f.name for f in fields(Preferences)}


# Properties --------------------------------------------------------------------------------

_text = st.text(max_size=30)
_endpoint = st.builds(
    CustomEndpoint,
    id=st.text(min_size=1, max_size=20).filter(str.strip),
    name=st.text(min_size=1, max_size=20).filter(str.strip),
    base_url=st.text(min_size=1, max_size=40).filter(str.strip),
)
_preferences = st.builds(
    Preferences,
    theme=st.sampled_from(THEMES),
    language=st.sampled_from(LANGUAGES),
    max_tokens=st.integers(1, 1_000_000),
    request_timeout=st.floats(0.001, 3600),
    send_on_enter=st.booleans(),
    last_provider=st.none() | _text,
    last_model=st.none() | _text,
    window_geometry=_text,
    splitter_state=_text,
    base_url_overrides=st.dictionaries(_text, _text.filter(str.strip), max_size=3),
    custom_endpoints=st.lists(_endpoint, max_size=3, unique_by=lambda e: e.id),
    key_places=st.dictionaries(
        _text.filter(str.strip), st.sampled_from(["keychain", "session", "lost"]), max_size=3
    ),
    keychain_notice=st.booleans(),
    favourite_models=st.lists(st.lists(_text.filter(bool), min_size=2, max_size=2), max_size=3),
    side_panel=st.booleans(),
    conversation_switches=st.dictionaries(
        st.integers(0, 99).map(str) | st.just("new"),
        st.dictionaries(st.sampled_from(["tools", "web_search"]), st.booleans()),
        max_size=3,
    ),
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefs=_preferences)
def test_any_valid_preferences_round_trip(settings_path, prefs):
    store = SettingsStore(settings_path)
    store.save(prefs)

    assert store.load() == prefs
    assert store.problem is None


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from([f.name for f in fields(Preferences)]), _json))
def test_any_json_object_loads_into_valid_preferences(settings_path, data):
    _write(settings_path, data)

    prefs = SettingsStore(settings_path).load()

    assert prefs.theme in THEMES and prefs.language in LANGUAGES
    assert type(prefs.max_tokens) is int and prefs.max_tokens >= 1
    assert isinstance(prefs.request_timeout, float) and prefs.request_timeout > 0
    assert isinstance(prefs.send_on_enter, bool)
    assert all(isinstance(v, str) for v in prefs.base_url_overrides.values())
    assert all(isinstance(e, CustomEndpoint) for e in prefs.custom_endpoints)
    SettingsStore(settings_path).save(prefs)


# Endpoint ids ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Home Box", "custom-home-box"),
        ("  LLaMA.cpp @ NAS!! ", "custom-llama-cpp-nas"),
        ("Éléphant Café", "custom-elephant-cafe"),
        ("服务器", "custom-endpoint"),
        ("", "custom-endpoint"),
    ],
)
def test_endpoint_id_is_a_readable_slug(name, expected):
    assert new_endpoint_id(name, []) == expected


def test_endpoint_id_is_unique_among_existing():
    existing = ["custom-home", "custom-home-2"]

    assert new_endpoint_id("Home", existing) == "custom-home-3"
    assert new_endpoint_id("Office", existing) == "custom-office"


def test_endpoint_id_slug_is_bounded():
    endpoint_id = new_endpoint_id("x" * 200, [])

    assert endpoint_id == "custom-" + "x" * 40


# Damage that once stopped the app ----------------------------------------------------------


def test_binary_file_is_moved_aside(settings_path):
    settings_path.parent.mkdir(parents=True)
    settings_path.write_bytes(bytes(range(256)) * 64)
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()
    assert store.problem.kind == "not_text"
    assert len(_aside_files(settings_path)) == 1


def test_a_file_that_cannot_be_moved_aside_still_gives_defaults(settings_path):
    _write(settings_path, "[" * 100_000)
    settings_path.parent.chmod(0o500)
    try:
        store = SettingsStore(settings_path)
        assert store.load() == Preferences()
    finally:
        settings_path.parent.chmod(0o700)
    if os.geteuid() != 0:  # root may rename anyway
        assert store.problem.move_failed and store.problem.moved_to is None


def test_lone_surrogates_are_replaced_and_the_file_kept_aside(settings_path):
    _write(
        settings_path,
        '{"custom_endpoints": [{"id": "custom-a", "name": "Caf\\udcff", "base_url": "http://a"}],'
        ' "base_url_overrides": {"ollama\\ud800": "http://o\\udfff"}, "theme": "dark"}',
    )
    store = SettingsStore(settings_path)

    prefs = store.load()

    assert prefs.custom_endpoints == [CustomEndpoint("custom-a", "Caf\ufffd", "http://a")]
    assert prefs.base_url_overrides == {"ollama\ufffd": "http://o\ufffd"}
    assert prefs.theme == "dark"
    assert store.problem.repaired == ("base_url_overrides", "custom_endpoints")

    assert len(_aside_files(settings_path)) == 1
    store.save(prefs)
    assert SettingsStore(settings_path).load() == prefs


def test_saving_text_with_a_lone_surrogate_repairs_it_instead_of_failing(settings_path):
    """Text that reached the preferences by any road (a paste, a platform API) never makes
    a save fail: the quit path saves the layout and must not depend on it."""
    store = SettingsStore(settings_path)
    store.load()
    prefs = Preferences(
        last_model="model\udcff",
        custom_endpoints=[CustomEndpoint("custom-a", "A\ud800", "http://a")],
    )

    saved = store.save(prefs)

    assert saved.last_model == "model\udcff"  # what the caller gave; the file is repaired
    reloaded = SettingsStore(settings_path).load()
    assert reloaded.last_model == "model\ufffd"
    assert reloaded.custom_endpoints[0].name == "A\ufffd"


# Two instances on one file -----------------------------------------------------------------

HOME = CustomEndpoint("custom-home", "Home", "http://10.0.0.2:8080/v1")
OFFICE = CustomEndpoint("custom-office", "Office", "http://10.0.0.3:8080/v1")


def _two_instances(settings_path, prefs: Preferences):
    SettingsStore(settings_path).save(prefs)
    first, second = SettingsStore(settings_path), SettingsStore(settings_path)
    return (first, first.load()), (second, second.load())


def test_an_endpoint_added_by_another_instance_survives_this_one_quitting(settings_path):
    (newer, newer_prefs), (older, older_prefs) = _two_instances(settings_path, Preferences())

    newer_prefs.custom_endpoints.append(HOME)
    newer.save(newer_prefs)
    older_prefs.window_geometry = "AdnQyw=="  # the older instance quits last
    written = older.save(older_prefs)

    on_disk = SettingsStore(settings_path).load()
    assert on_disk.custom_endpoints == [HOME]
    assert on_disk.window_geometry == "AdnQyw=="
    assert written == on_disk


def test_an_endpoint_deleted_here_stays_deleted_and_others_are_kept(settings_path):
    (here, here_prefs), (there, there_prefs) = _two_instances(
        settings_path, Preferences(custom_endpoints=[HOME])
    )

    there_prefs.custom_endpoints.append(OFFICE)
    there.save(there_prefs)
    here_prefs.custom_endpoints.remove(HOME)
    here.save(here_prefs)

    assert SettingsStore(settings_path).load().custom_endpoints == [OFFICE]


def test_an_endpoint_deleted_elsewhere_is_not_written_back(settings_path):
    (here, here_prefs), (there, there_prefs) = _two_instances(
        settings_path, Preferences(custom_endpoints=[HOME, OFFICE])
    )

    there.save(replace(there_prefs, custom_endpoints=[OFFICE]))
    here.save(replace(here_prefs, theme="dark"))

    on_disk = SettingsStore(settings_path).load()
    assert on_disk.custom_endpoints == [OFFICE]
    assert on_disk.theme == "dark"


def test_an_endpoint_edited_here_wins_and_one_edited_elsewhere_is_kept(settings_path):
    (here, here_prefs), (there, there_prefs) = _two_instances(
        settings_path, Preferences(custom_endpoints=[HOME, OFFICE])
    )
    home_renamed = replace(HOME, name="Home box")
    office_moved = replace(OFFICE, base_url="http://10.0.0.4/v1")

    there.save(replace(there_prefs, custom_endpoints=[HOME, office_moved]))
    here.save(replace(here_prefs, custom_endpoints=[home_renamed, OFFICE]))

    assert SettingsStore(settings_path).load().custom_endpoints == [home_renamed, office_moved]


def test_preferences_changed_here_win_and_those_changed_elsewhere_are_kept(settings_path):
    start = Preferences(theme="light", base_url_overrides={"ollama": "http://o:1/v1"})
    (here, here_prefs), (there, there_prefs) = _two_instances(settings_path, start)

    there.save(
        replace(
            there_prefs,
            theme="dark",
            language="fr",
            base_url_overrides={"ollama": "http://o:2/v1", "lmstudio": "http://l:1/v1"},
        )
    )
    here.save(replace(here_prefs, theme="system", base_url_overrides={}))

    on_disk = SettingsStore(settings_path).load()
    assert on_disk.theme == "system"  # changed here: ours
    assert on_disk.language == "fr"  # changed only there: theirs
    # ollama removed here, while changed there: ours (removed); lmstudio added there: kept.
    assert on_disk.base_url_overrides == {"lmstudio": "http://l:1/v1"}


def test_a_store_that_never_loaded_writes_what_it_is_given(settings_path):
    SettingsStore(settings_path).save(Preferences(custom_endpoints=[HOME]))

    SettingsStore(settings_path).save(Preferences(custom_endpoints=[OFFICE]))

    assert SettingsStore(settings_path).load().custom_endpoints == [OFFICE]


def test_a_file_damaged_meanwhile_is_replaced_by_this_instances_preferences(settings_path):
    store = SettingsStore(settings_path)
    prefs = store.load()
    _write(settings_path, "[" * 100_000)

    store.save(replace(prefs, custom_endpoints=[HOME]))

    assert SettingsStore(settings_path).load().custom_endpoints == [HOME]


def test_a_fifo_in_place_of_the_file_is_not_waited_on(settings_path):
    settings_path.parent.mkdir(parents=True)
    os.mkfifo(settings_path)
    store = SettingsStore(settings_path)

    assert store.load() == Preferences()
    assert store.problem.kind == "unreadable"


def test_update_settings_round_trip_and_bad_values_fall_back(settings_path):
    store = SettingsStore(settings_path)
    prefs = Preferences(update_checks=True, update_feed="https://f.example/r.json")
    prefs.update_last_check = 1_780_000_000.5
    store.save(prefs)
    assert SettingsStore(settings_path).load() == prefs
    _write(
        settings_path,
        {"version": 1, "update_checks": "yes", "update_feed": 3, "update_last_check": -5},
    )
    loaded = SettingsStore(settings_path).load()
    assert (loaded.update_checks, loaded.update_feed, loaded.update_last_check) == (None, "", 0.0)
