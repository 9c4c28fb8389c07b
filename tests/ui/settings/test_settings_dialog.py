"""The Settings dialog driven like a person would: clicks and typing, then waiting for the
labels to change. Keys live in an in-memory keychain (or none at all); the registry is a fake
whose test_key answers what each test wants, since it is a dependency and not under test."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

import keyring.backends.fail
import keyring.errors
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.presets import validate_base_url
from desktopchat.domain.types import ModelInfo
from desktopchat.services.registry import ProviderRegistry
from desktopchat.system.keys import DEFAULT_SERVICE, KeyStore
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import CustomEndpoint, Preferences, SettingsStore
from desktopchat.ui.settings.dialog import APPLY_DELAY_MS, SettingsDialog, key_presets
from desktopchat.ui.settings.endpoints import _URL_PROBLEMS, QWEN_CHINA_URL
from desktopchat.ui.support.asyncutils import Tasks
from tests.keyring_memory import MemoryKeyring, run_keys
from tests.wire_server import Fault, WireServer

KEY = "sk-test-0123456789abcdefXYZ"


class FakeRegistry:
    """Answers test_key with `answer` (a model list, or a ChatError to raise); `gate`, when
    set, holds the answer back until the test opens it."""

    def __init__(self) -> None:
        self.answer: list[ModelInfo] | ChatError = [ModelInfo(f"m{i}") for i in range(37)]
        self.gate: asyncio.Event | None = None
        self.tested: list[tuple[str, str | None]] = []
        self.invalidated: list[str | None] = []

    async def test_key(self, provider_id: str, key: str | None) -> list[ModelInfo]:
        self.tested.append((provider_id, key))
        if self.gate is not None:
            await self.gate.wait()
        if isinstance(self.answer, ChatError):
            raise self.answer
        return self.answer

    def invalidate(self, provider_id: str | None = None) -> None:
        self.invalidated.append(provider_id)


@pytest.fixture
def keychain() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry()


@pytest.fixture
def settings() -> SettingsStore:
    return SettingsStore(app_paths().settings_file)


@pytest.fixture
def open_dialog(qtbot, qloop, keychain, registry, settings):
    """Build and show a dialog, and wait until every row knows where its key comes from."""

    def build(
        prefs: Preferences | None = None,
        keys: KeyStore | None = None,
        real_registry: ProviderRegistry | None = None,
        **env: str,
    ) -> SettingsDialog:
        keys = keys or KeyStore(backend=keychain, environ=env)
        prefs = prefs or Preferences()
        dialog = SettingsDialog(keys, real_registry or registry, settings, prefs)
        qtbot.addWidget(dialog)
        dialog.show()
        rows = [dialog.keys_tab.row(p.id) for p in key_presets(prefs.custom_endpoints)]
        qtbot.waitUntil(lambda: all(row.source is not None for row in rows))
        return dialog

    return build


def written(qtbot, dialog: SettingsDialog) -> None:
    """Wait until the dialog's queued saves are on disk (a worker writes them)."""
    qtbot.waitUntil(lambda: not dialog.saving, timeout=5000)


def _stored(keychain: MemoryKeyring, account: str) -> str | None:
    return keychain.passwords.get((DEFAULT_SERVICE, account))


def _click_and_wait_for_key_change(qtbot, dialog, button, provider_id: str) -> None:
    with qtbot.waitSignal(dialog.keys_changed, check_params_cb=lambda pid: pid == provider_id):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _remove_key_confirmed(qtbot, dialog, row, provider_id: str) -> None:
    """Remove asks first; the test answers Remove."""
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    question = dialog.findChild(QMessageBox, "removeKeyQuestion")
    assert question is not None and question.isVisible()
    assert "Remove the" in question.text()
    yes = question.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "Remove"
    with qtbot.waitSignal(dialog.keys_changed, check_params_cb=lambda pid: pid == provider_id):
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_pasted_key_is_saved_to_the_keychain_then_removed(qtbot, open_dialog, keychain):
    dialog = open_dialog()
    row = dialog.keys_tab.row("openai")
    assert row.source_label.text() == "Not set"
    assert row.field.echoMode() == row.field.EchoMode.Password
    QGuiApplication.clipboard().setText(f"  {KEY}\n")
    row.field.setFocus()
    qtbot.keyClick(row.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert row.field.text() == KEY

    _click_and_wait_for_key_change(qtbot, dialog, row.save_button, "openai")
    assert _stored(keychain, "openai") == KEY
    assert row.source_label.text() == "Keychain"
    assert row.field.text() == ""

    _remove_key_confirmed(qtbot, dialog, row, "openai")
    assert _stored(keychain, "openai") is None
    assert row.source_label.text() == "Not set"
    assert not row.remove_button.isEnabled()


def test_return_in_a_key_field_saves_the_key_and_keeps_the_dialog_open(
    qtbot, open_dialog, keychain
):
    dialog = open_dialog()
    row = dialog.keys_tab.row("groq")
    qtbot.keyClicks(row.field, KEY)
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.keyClick(row.field, Qt.Key.Key_Return)
    assert _stored(keychain, "groq") == KEY
    assert dialog.isVisible()


def test_show_button_reveals_the_key_in_its_field_only(qtbot, open_dialog):
    dialog = open_dialog()
    row = dialog.keys_tab.row("mistral")
    qtbot.mouseClick(row.show_button, Qt.MouseButton.LeftButton)
    assert row.field.echoMode() == row.field.EchoMode.Normal
    assert row.show_button.text() == "Hide"
    qtbot.mouseClick(row.show_button, Qt.MouseButton.LeftButton)
    assert row.field.echoMode() == row.field.EchoMode.Password


def test_key_from_the_environment_is_named_and_cannot_be_removed_here(open_dialog):
    dialog = open_dialog(OPENAI_API_KEY=KEY)
    row = dialog.keys_tab.row("openai")
    assert row.source_label.text() == "Environment variable OPENAI_API_KEY"
    assert not row.remove_button.isEnabled()
    assert row.test_button.isEnabled()


def test_without_a_keychain_keys_are_kept_for_the_session_and_never_written(
    qtbot, open_dialog, isolated_home
):
    keys = KeyStore(backend=keyring.backends.fail.Keyring(), environ={})
    dialog = open_dialog(keys=keys)
    qtbot.waitUntil(lambda: dialog.keys_tab.banner_text() != "")
    assert "No keychain service was found" in dialog.keys_tab.banner_text()
    row = dialog.keys_tab.row("anthropic")
    qtbot.keyClicks(row.field, KEY)
    _click_and_wait_for_key_change(qtbot, dialog, row.save_button, "anthropic")
    assert row.source_label.text() == "This session only"
    assert run_keys(keys.aget("anthropic")) == KEY

    with qtbot.waitSignal(dialog.preferences_changed):
        dialog.preferences_tab.max_tokens.setValue(1234)
    written = _files_under(isolated_home)
    assert app_paths().settings_file in written
    assert all(KEY.encode() not in path.read_bytes() for path in written)
    assert all(KEY not in label.text() for label in dialog.findChildren(QLabel))


def test_a_keychain_failure_on_save_offers_to_keep_the_key_for_the_session(
    qtbot, open_dialog, keychain
):
    keys = KeyStore(backend=keychain, environ={})
    dialog = open_dialog(keys=keys)
    row = dialog.keys_tab.row("deepseek")
    keychain.error = keyring.errors.KeyringLocked("Failed to unlock the collection!")
    qtbot.keyClicks(row.field, KEY)
    qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(row.session_button.isVisible)
    assert "locked" in row.status_label.text()
    assert KEY not in row.status_label.text()

    _click_and_wait_for_key_change(qtbot, dialog, row.session_button, "deepseek")
    assert row.source_label.text() == "This session only"
    assert run_keys(keys.aget("deepseek")) == KEY
    qtbot.waitUntil(lambda: "locked" in dialog.keys_tab.banner_text())


def test_testing_a_typed_key_shows_progress_then_the_model_count(
    qtbot, qloop, open_dialog, registry
):
    dialog = open_dialog()
    row = dialog.keys_tab.row("openrouter")
    registry.gate = asyncio.Event()
    qtbot.keyClicks(row.field, f"{KEY} ")
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: registry.tested == [("openrouter", KEY)])
    assert row.status_label.text() == "Testing…"
    assert not row.test_button.isEnabled()

    registry.gate.set()
    qtbot.waitUntil(lambda: row.status_label.text() == "Key works: 37 models available.")
    assert row.test_button.isEnabled()


def test_testing_a_refused_key_shows_the_reason(qtbot, open_dialog, registry, keychain):
    keychain.passwords[(DEFAULT_SERVICE, "gemini")] = KEY
    registry.answer = ChatError(ErrorKind.AUTH, provider="Google Gemini", status=401)
    dialog = open_dialog()
    row = dialog.keys_tab.row("gemini")
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.status_label.text() == registry.answer.message)
    assert registry.tested == [("gemini", None)]


def test_show_keys_for_focuses_that_providers_field(open_dialog):
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.preferences_tab)
    dialog.show_keys_for("qwen")
    assert dialog.tabs.currentWidget() is dialog.keys_tab
    assert dialog.focusWidget() is dialog.keys_tab.row("qwen").field


def test_an_endpoint_with_a_bad_url_is_refused_and_a_good_one_saved(
    qtbot, open_dialog, keychain, settings
):
    dialog = open_dialog()
    dialog.tabs.setCurrentWidget(dialog.servers_tab)
    qtbot.mouseClick(dialog.servers_tab.add_button, Qt.MouseButton.LeftButton)
    editor = dialog.servers_tab.editor()
    ok = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(editor.name_field, "Home llama")
    qtbot.keyClicks(editor.url_field, "localhost:8080/v1")
    assert editor.url_error.text() == "The address must start with http:// or https://."
    assert not ok.isEnabled()

    editor.url_field.clear()
    qtbot.keyClicks(editor.url_field, "http://localhost:8080/v1")
    qtbot.keyClicks(editor.key_field, KEY)
    assert not editor.url_error.isVisibleTo(editor)
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    endpoint = CustomEndpoint("custom-home-llama", "Home llama", "http://localhost:8080/v1")
    written(qtbot, dialog)
    assert settings.load().custom_endpoints == [endpoint]
    assert KEY not in settings.path.read_text("utf-8")
    assert _stored(keychain, endpoint.id) == KEY
    assert dialog.keys_tab.row(endpoint.id).source_label.text() == "Keychain"


def test_a_key_for_plain_http_on_another_machine_is_sent_only_once_confirmed(
    qtbot, open_dialog, keychain, settings
):
    """R4: a key would cross the network unencrypted; the editor says so beside the address
    and asks before saving; Cancel keeps the editor open with everything typed."""
    dialog = open_dialog()
    qtbot.mouseClick(dialog.servers_tab.add_button, Qt.MouseButton.LeftButton)
    editor = dialog.servers_tab.editor()
    qtbot.keyClicks(editor.name_field, "GPU box")
    qtbot.keyClicks(editor.url_field, "http://localhost:8080/v1")
    assert not editor.clear_text_warning.isVisibleTo(editor)
    editor.url_field.clear()
    qtbot.keyClicks(editor.url_field, "http://192.0.2.7:8080/v1")
    assert editor.clear_text_warning.isVisibleTo(editor)
    qtbot.keyClicks(editor.key_field, KEY)
    ok = editor.buttons.button(QDialogButtonBox.StandardButton.Ok)

    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    question = editor.findChild(QMessageBox, "clearTextKeyQuestion")
    assert "http://192.0.2.7:8080/v1" in question.text()
    assert question.textFormat() == Qt.TextFormat.PlainText
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.key() == KEY
    assert _stored(keychain, "custom-gpu-box") is None

    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    question = [
        q for q in editor.findChildren(QMessageBox, "clearTextKeyQuestion") if q.isVisible()
    ]
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.mouseClick(
            question[0].button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
        )
    assert _stored(keychain, "custom-gpu-box") == KEY


def test_removing_an_endpoint_deletes_it_and_its_key(qtbot, open_dialog, keychain, settings):
    endpoint = CustomEndpoint("custom-box", "Box", "http://box:8080/v1")
    keychain.passwords[(DEFAULT_SERVICE, endpoint.id)] = KEY
    dialog = open_dialog(Preferences(custom_endpoints=[endpoint]))
    tab = dialog.servers_tab
    tab.endpoint_list.setCurrentRow(0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    question = tab.findChild(QMessageBox, "removeEndpointQuestion")
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    written(qtbot, dialog)
    assert settings.load().custom_endpoints == []
    assert _stored(keychain, endpoint.id) is None
    with pytest.raises(KeyError):
        dialog.keys_tab.row(endpoint.id)


def test_an_endpoint_another_instance_added_survives_and_is_shown_here(
    qtbot, open_dialog, keychain, settings
):
    """Two instances on one settings file: saving here keeps the other's new endpoint (and
    so the key it put in the keychain is not orphaned), and removing ours deletes only ours
    and its key."""
    prefs = settings.load()
    dialog = open_dialog(prefs)
    theirs = CustomEndpoint("custom-office", "Office", "http://office:8080/v1")
    other_instance = SettingsStore(settings.path)
    other_instance.save(replace(other_instance.load(), custom_endpoints=[theirs]))
    keychain.passwords[(DEFAULT_SERVICE, theirs.id)] = "their key"

    tab = dialog.servers_tab
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    editor = tab.editor()
    qtbot.keyClicks(editor.name_field, "Home")
    qtbot.keyClicks(editor.url_field, "https://home:8080/v1")
    qtbot.keyClicks(editor.key_field, KEY)
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.mouseClick(
            editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    ours = CustomEndpoint("custom-home", "Home", "https://home:8080/v1")
    written(qtbot, dialog)
    assert SettingsStore(settings.path).load().custom_endpoints == [ours, theirs]
    assert tab.endpoints() == [ours, theirs] and prefs.custom_endpoints == [ours, theirs]
    assert dialog.keys_tab.row(theirs.id) is not None

    tab.endpoint_list.setCurrentRow(0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    question = tab.findChild(QMessageBox, "removeEndpointQuestion")
    with qtbot.waitSignal(dialog.keys_changed):
        qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    written(qtbot, dialog)

    assert SettingsStore(settings.path).load().custom_endpoints == [theirs]
    assert _stored(keychain, ours.id) is None
    assert _stored(keychain, theirs.id) == "their key"


def test_the_dialog_has_one_close_button(open_dialog):
    dialog = open_dialog()
    assert dialog.buttons.standardButtons() == QDialogButtonBox.StandardButton.Close


def test_a_bad_local_server_url_is_not_used_until_fixed(qtbot, open_dialog, registry, settings):
    dialog = open_dialog()
    url_field = dialog.servers_tab.url_field("ollama")
    with qtbot.assertNotEmitted(dialog.preferences_changed, wait=APPLY_DELAY_MS * 2):
        qtbot.keyClicks(url_field.field, "http://gpu-box:11434/v1?x=1")
    assert url_field.error.text() == "The address must not contain ? or #."
    assert "not used until it is corrected" in dialog.message.text()
    assert not settings.path.exists()

    with qtbot.waitSignal(dialog.preferences_changed) as changed:
        url_field.field.setText("http://gpu-box:11434/v1")
        dialog.servers_tab.qwen_region.setCurrentIndex(1)
    expected = {"ollama": "http://gpu-box:11434/v1", "qwen": QWEN_CHINA_URL}
    assert changed.args[0].base_url_overrides == expected
    assert settings.load().base_url_overrides == expected
    assert set(registry.invalidated) == {"ollama", "qwen"}
    assert dialog.message.text() == ""


def test_preferences_apply_at_once(qtbot, open_dialog, settings):
    dialog = open_dialog()
    tab = dialog.preferences_tab
    with qtbot.waitSignal(dialog.preferences_changed):
        tab.theme.setCurrentIndex(tab.theme.findData("dark"))
        tab.language.setCurrentIndex(tab.language.findData("fr"))
        tab.max_tokens.setValue(200_000)
        tab.timeout.setValue(120)
        qtbot.mouseClick(tab.send_on_enter, Qt.MouseButton.LeftButton)
    saved = settings.load()
    assert (saved.theme, saved.language, saved.max_tokens) == ("dark", "fr", 200_000)
    assert (saved.request_timeout, saved.send_on_enter) == (120.0, False)
    assert dialog.isVisible()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()


def test_a_settings_file_that_cannot_be_written_is_reported_and_nothing_lost(
    qtbot, open_dialog, settings, isolated_home
):
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "config").write_text("a file where the folder should be")
    dialog = open_dialog()
    with qtbot.assertNotEmitted(dialog.preferences_changed):
        dialog.preferences_tab.timeout.setValue(300)
        qtbot.waitUntil(lambda: "could not be saved" in dialog.message.text())
    assert dialog.isVisible()
    assert dialog.preferences_tab.timeout.value() == 300


def test_escape_closes_the_dialog_and_keeps_what_was_changed(qtbot, open_dialog, settings):
    dialog = open_dialog()
    dialog.preferences_tab.max_tokens.setValue(99)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    written(qtbot, dialog)
    assert settings.load().max_tokens == 99


def test_every_reason_validate_base_url_gives_can_be_translated():
    samples = ("localhost:1234", "http://", "http://host/v1?a=1", "https://host/v1#top")
    reasons = {validate_base_url(url) for url in samples}
    assert reasons == set(_URL_PROBLEMS)


def test_close_forgets_typed_keys_and_a_wrong_address(qtbot, open_dialog, settings):
    dialog = open_dialog()
    row = dialog.keys_tab.row("openai")
    qtbot.keyClicks(row.field, KEY)
    dialog.servers_tab.url_field("lmstudio").field.setText("gpu-box:1234")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton
    )
    assert row.field.text() == ""
    assert dialog.servers_tab.url_field("lmstudio").url() == ""
    assert not settings.path.exists()


def test_a_custom_endpoint_without_a_key_can_be_tested(qtbot, open_dialog, registry):
    endpoint = CustomEndpoint("custom-box", "Box", "http://box.local:8080/v1")
    dialog = open_dialog(Preferences(custom_endpoints=[endpoint]))
    row = dialog.keys_tab.row(endpoint.id)
    assert row.source_label.text() == "Not set"
    assert row.test_button.isEnabled()
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "37 models" in row.status_label.text())
    assert registry.tested == [(endpoint.id, None)]


def test_removing_a_key_asks_first_and_cancel_keeps_it(qtbot, open_dialog, keychain):
    dialog = open_dialog()
    row = dialog.keys_tab.row("openai")
    qtbot.keyClicks(row.field, KEY)
    _click_and_wait_for_key_change(qtbot, dialog, row.save_button, "openai")
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    question = dialog.findChild(QMessageBox, "removeKeyQuestion")
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.Cancel)
    with qtbot.assertNotEmitted(dialog.keys_changed):
        qtbot.mouseClick(
            question.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    assert _stored(keychain, "openai") == KEY


def test_saving_keeps_what_the_app_changed_meanwhile(qtbot, open_dialog, settings):
    prefs = Preferences(last_provider="groq")
    dialog = open_dialog(prefs)
    prefs.last_model = "llama-3.3-70b"  # the main window picked a model while Settings was open
    with qtbot.waitSignal(dialog.preferences_changed):
        dialog.preferences_tab.send_on_enter.setChecked(False)
    saved = settings.load()
    assert (saved.last_provider, saved.last_model, saved.send_on_enter) == (
        "groq",
        "llama-3.3-70b",
        False,
    )
    assert prefs.send_on_enter is False


def test_testing_a_key_with_the_real_registry_against_the_wire_server(qtbot, open_dialog, keychain):
    with WireServer() as server:
        endpoint = CustomEndpoint("custom-wire", "Wire", server.openai_url)
        prefs = Preferences(custom_endpoints=[endpoint])
        keys = KeyStore(backend=keychain, environ={})
        dialog = open_dialog(prefs, keys=keys, real_registry=ProviderRegistry(keys, lambda: prefs))
        row = dialog.keys_tab.row(endpoint.id)
        qtbot.keyClicks(row.field, KEY)
        qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: row.status_label.text() == "Key works: 2 models available.")
        assert server.last_request.header("authorization") == f"Bearer {KEY}"

        server.queue(Fault.http(401))
        qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "refused (HTTP 401)" in row.status_label.text())
        assert KEY not in row.status_label.text()
    assert server.errors == []


def test_a_long_test_result_is_shown_whole(qtbot, open_dialog, registry):
    registry.answer = ChatError(ErrorKind.CONNECTION_REFUSED, provider="OpenAI", detail="x " * 120)
    dialog = open_dialog(OPENAI_API_KEY=KEY)
    dialog.resize(640, 560)
    row = dialog.keys_tab.row("openai")
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "x x x" in row.status_label.text())
    label = row.status_label
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > 3 * label.fontMetrics().height()


def test_the_endpoint_editor_says_where_its_key_goes(qtbot, open_dialog):
    """With a keychain, the key goes there; without one, the editor does not claim it."""
    keys = KeyStore(backend=keyring.backends.fail.Keyring(), environ={})
    dialog = open_dialog(keys=keys)
    qtbot.waitUntil(lambda: dialog.keys_tab.banner_text() != "")
    dialog.tabs.setCurrentWidget(dialog.servers_tab)
    qtbot.mouseClick(dialog.servers_tab.add_button, Qt.MouseButton.LeftButton)
    hint = dialog.servers_tab.editor().findChild(QLabel, "endpointKeyHint")
    assert "keychain" in hint.text() and "stored in the system keychain" not in hint.text()
    assert "until DesktopChat quits" in hint.text()
    dialog.servers_tab.editor().reject()

    other = open_dialog()
    other.tabs.setCurrentWidget(other.servers_tab)
    qtbot.mouseClick(other.servers_tab.add_button, Qt.MouseButton.LeftButton)
    hint = other.servers_tab.editor().findChild(QLabel, "endpointKeyHint")
    assert hint.text() == "The key is stored in the system keychain, never in a file."


def test_a_key_gone_with_the_last_session_can_be_removed_so_requests_go_without(
    qtbot, open_dialog, settings
):
    """The endpoint had a session key; none is found now. Remove forgets that it had one,
    and a session key saved here is remembered as one (never the key itself)."""
    endpoint = CustomEndpoint("custom-box", "Box", "http://localhost:8080/v1")
    prefs = Preferences(custom_endpoints=[endpoint], key_places={"custom-box": "lost"})
    dialog = open_dialog(prefs)
    row = dialog.keys_tab.row("custom-box")
    assert row.source_label.text() == "Not set" and row.remove_button.isEnabled()

    _remove_key_confirmed(qtbot, dialog, row, "custom-box")
    qtbot.waitUntil(lambda: settings.load().key_places == {})  # saved in a worker
    assert not row.remove_button.isEnabled()

    qtbot.keyClicks(row.field, KEY)
    row.session_button.show()
    _click_and_wait_for_key_change(qtbot, dialog, row.session_button, "custom-box")
    qtbot.waitUntil(lambda: settings.load().key_places == {"custom-box": "session"})
    assert KEY not in settings.path.read_text("utf-8")


def test_settings_are_saved_in_a_worker_thread(qtbot, open_dialog, settings, monkeypatch):
    """Reading, merging, fsync and rename are disk work: never on the loop (DESIGN.md §1)."""
    writers: list[threading.Thread] = []
    save = settings.save

    def recording(*args, **kwargs):
        writers.append(threading.current_thread())
        return save(*args, **kwargs)

    monkeypatch.setattr(settings, "save", recording)
    dialog = open_dialog()
    with qtbot.waitSignal(dialog.preferences_changed):
        dialog.preferences_tab.max_tokens.setValue(1234)
    assert writers and threading.main_thread() not in writers
    assert settings.load().max_tokens == 1234


def test_saves_keep_their_order_and_the_last_state_wins(qtbot, open_dialog, settings, monkeypatch):
    """Edits made while a save is being written wait as one snapshot: the file ends with the
    last state, written once more, never with an older one written last."""
    gate = threading.Event()
    values: list[int] = []
    save = settings.save

    def slow(prefs, *args, **kwargs):
        values.append(prefs.max_tokens)
        if len(values) == 1:
            gate.wait(2)  # a slow disk; the loop must not be the one waiting
        return save(prefs, *args, **kwargs)

    monkeypatch.setattr(settings, "save", slow)
    dialog = open_dialog()
    dialog.preferences_tab.max_tokens.setValue(100)
    dialog.apply()
    qtbot.waitUntil(lambda: values == [100])  # being written, in the worker
    for value in (200, 300):
        dialog.preferences_tab.max_tokens.setValue(value)
        dialog.apply()
    gate.set()
    written(qtbot, dialog)
    assert values == [100, 300]
    assert settings.load().max_tokens == 300
    assert dialog.preferences.max_tokens == 300


def test_a_save_under_way_when_the_app_quits_is_finished(qtbot, qloop, open_dialog, settings):
    """Closing the dialog and then the window's tasks (app.shut_down) waits for the save."""
    owner = Tasks()
    dialog = open_dialog()
    owner.adopt(dialog.tasks)
    dialog.preferences_tab.max_tokens.setValue(4321)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # saves what waits for its delay
    closing = qloop.create_task(owner.aclose(5))
    qtbot.waitUntil(closing.done, timeout=5000)
    assert settings.load().max_tokens == 4321


def test_update_checks_and_the_feed_address_are_preferences(qtbot, open_dialog, settings):
    dialog = open_dialog()
    tab = dialog.preferences_tab
    assert not tab.update_checks.isChecked() and tab.update_feed.text() == ""
    with qtbot.waitSignal(dialog.preferences_changed):
        tab.theme.setCurrentIndex(tab.theme.findData("dark"))
    assert settings.load().update_checks is None  # not asked yet stays not asked
    dialog.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(dialog.preferences_changed):
        qtbot.keyClicks(tab.update_feed, " https://releases.example.org/feed.json ")
    with qtbot.waitSignal(dialog.preferences_changed):
        qtbot.mouseClick(tab.update_checks, Qt.MouseButton.LeftButton)
    saved = settings.load()
    assert (saved.update_checks, saved.update_feed) == (
        True,
        "https://releases.example.org/feed.json",
    )
    with qtbot.waitSignal(dialog.preferences_changed):
        qtbot.mouseClick(tab.update_checks, Qt.MouseButton.LeftButton)
    assert settings.load().update_checks is False
