"""Every test runs with its own DESKTOPCHAT_HOME and without any real provider key in the
environment, so nothing a test does can touch a person's history or send their key.

Hypothesis runs under the "ci" profile unless HYPOTHESIS_PROFILE says otherwise ("full" for
the larger counts): tests/hypothesis_profiles.py, loaded here before any test module."""

from __future__ import annotations

import functools
import os

import pytest

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from tests.provider_env import PROVIDER_ENV

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def wire_server():
    """A fresh loopback wire server per test (tests/wire_server.py); a test fails if the
    server's own code raised."""
    from tests.wire_server import WireServer

    with WireServer() as server:
        yield server
    assert server.errors == []


@pytest.fixture
def qtbot(qtbot):
    """pytest-qt's qtbot, whose addWidget also keeps the widget until pytest-qt has closed
    and deleted it, on the GUI thread, after the test.

    pytest-qt keeps only a weak reference, and our widgets hold reference cycles (a view's
    parts refer to it): a widget the test no longer names waited for the garbage collector,
    which runs on whichever thread allocates next (a lexer being made, an SDK's import).
    Deleted there, its timers stayed armed on the GUI thread, and the next one to fire
    crashed the process (about once in six runs of the transcript tests)."""
    kept: dict[int, object] = {}
    add_widget = qtbot.addWidget

    def add_and_keep(widget, *, before_close_func=None):
        add_widget(widget, before_close_func=before_close_func)
        kept[id(widget)] = widget
        # One the test deletes itself is let go, as pytest-qt's weak reference would be.
        widget.destroyed.connect(functools.partial(kept.pop, id(widget), None))

    qtbot.addWidget = qtbot.add_widget = add_and_keep
    yield qtbot
    kept.clear()


@pytest.fixture
def memory_keyring():
    """An empty in-memory keychain, fresh for each test."""
    from tests.keyring_memory import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture(autouse=True)
def default_keyring(request, memory_keyring):
    """Code that asks keyring for its default backend gets the in-memory one, so no test
    reads or writes the person's real keychain; tests marked `keychain` opt out."""
    if request.node.get_closest_marker("keychain"):
        yield None
        return
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(memory_keyring)
    yield memory_keyring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """A private DESKTOPCHAT_HOME and a clean provider environment for each test."""
    home = tmp_path / "home"
    monkeypatch.setenv("DESKTOPCHAT_HOME", str(home))
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    return home
