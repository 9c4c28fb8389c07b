"""The Keys tab with what goes wrong in practice: keys pasted with formatting (an en dash,
an accent, zero-width spaces), a key already stored that cannot be sent, and a keychain that
never answers. Nothing may hang, and every button comes back."""

# ruff: noqa: F811  (the shared fixtures are parameters here)
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import DEFAULT_SERVICE, KeyStore
from desktopchat.system.settings import Preferences
from tests.keyring_memory import HungKeyring
from tests.ui.settings.test_settings_dialog import (  # noqa: F401  (the fixtures, shared)
    KEY,
    _click_and_wait_for_key_change,
    keychain,
    open_dialog,
    registry,
    settings,
)
from tests.wire_server import WireServer


def _paste(qtbot, row, text: str) -> None:
    """Paste as a person does (typing a non-ASCII character is not something QTest can)."""
    QGuiApplication.clipboard().setText(text)
    row.field.setFocus()
    qtbot.keyClick(row.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _buttons_usable(row) -> bool:
    return not row.busy and row.test_button.isEnabled()


def test_a_key_pasted_with_an_en_dash_is_refused_at_save_saying_where(qtbot, open_dialog, keychain):
    dialog = open_dialog()
    row = dialog.keys_tab.row("openai")
    _paste(qtbot, row, "sk-proj\u2013abcdef")

    qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)

    assert row.status_label.text() == (
        "The key contains “–” (U+2013, en dash) at position 8: it was probably pasted with "
        "formatting. Paste it again from the provider's page."
    )
    assert keychain.passwords == {}
    assert row.save_button.isEnabled() and _buttons_usable(row)


def test_an_invisible_character_inside_a_key_is_named_not_shown(qtbot, open_dialog, keychain):
    dialog = open_dialog()
    row = dialog.keys_tab.row("groq")
    _paste(qtbot, row, "gsk_abc\u200bdef")

    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)

    assert row.status_label.text().startswith(
        "The key contains an invisible character (U+200B, zero width space) at position 8"
    )
    assert _buttons_usable(row)


def test_zero_width_and_no_break_spaces_around_a_pasted_key_are_trimmed(
    qtbot, open_dialog, keychain
):
    dialog = open_dialog()
    row = dialog.keys_tab.row("mistral")
    _paste(qtbot, row, f"\u200b\u00a0{KEY}\ufeff\u200b")

    _click_and_wait_for_key_change(qtbot, dialog, row.save_button, "mistral")

    assert keychain.passwords == {(DEFAULT_SERVICE, "mistral"): KEY}
    assert row.source_label.text() == "Keychain"


@pytest.mark.parametrize("bad", ["\u00e9", "\u2013", "\u200b"])
def test_testing_a_stored_key_that_cannot_be_sent_says_so_and_frees_the_row(
    qtbot, open_dialog, bad
):
    stored = f"sk-{bad}rest-of-an-old-key"
    with WireServer() as server:
        prefs = Preferences(base_url_overrides={"openai": server.openai_url})
        # The environment holds the bad key, as an older setup may have left it.
        keys = KeyStore(environ={"OPENAI_API_KEY": stored})
        dialog = open_dialog(keys=keys, real_registry=ProviderRegistry(keys, lambda: prefs))
        row = dialog.keys_tab.row("openai")
        assert row.source_label.text() == "Environment variable OPENAI_API_KEY"

        qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: "at position 4" in row.status_label.text())
        assert "Check it in Settings → Keys." in row.status_label.text()
        assert _buttons_usable(row)
        assert server.requests == []


def test_a_keychain_that_never_answers_leaves_keys_for_this_session(qtbot, open_dialog):
    hung = HungKeyring()
    keys = KeyStore(backend=hung, environ={}, probe_timeout=0.2, call_timeout=0.2)
    try:
        dialog = open_dialog(keys=keys)
        qtbot.waitUntil(lambda: "not answering" in dialog.keys_tab.banner_text())
        assert "A key saved here is forgotten when DesktopChat quits." in (
            dialog.keys_tab.banner_text()
        )
        row = dialog.keys_tab.row("anthropic")
        qtbot.keyClicks(row.field, KEY)

        _click_and_wait_for_key_change(qtbot, dialog, row.save_button, "anthropic")

        assert row.source_label.text() == "This session only"
        assert row.status_label.text() == "No keychain: key kept for this session only."
        assert hung.most_in_flight == 1
    finally:
        hung.release.set()
