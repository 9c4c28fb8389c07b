"""R4: no API key in any file the app writes, nor in anything it prints.

Distinctive keys, shaped like each service's own, are set for every provider and a custom
endpoint; the app chats with each through the wire server, meets errors whose messages and
headers echo the key back (whole, or its ends, as services do), exports, changes settings,
tests a key, all with debug logging on. Then every file under DESKTOPCHAT_HOME (data,
config, cache, logs), the export folder and the process output are searched for each key
and its first and last 8 characters: there must be no hit. Once in-process (every provider,
through the Settings dialog), once as a real `desktopchat --debug` process with
the keys in the environment.
"""

from __future__ import annotations

import logging
import secrets
import string
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from desktopchat.app.logs import setup_logging, stop_logging
from desktopchat.domain.errors import redact
from desktopchat.domain.types import MessageStatus
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import CustomEndpoint
from tests.file_dialogs import answering_file_dialogs
from tests.reliability.desktop_process import read_history, wait_for, write_settings
from tests.reliability.in_window import settings_dialog, type_key
from tests.reliability.secret_scan import files_under, find_keys
from tests.ui.models.picking import pick
from tests.wire_server import Fault

ENV_VARS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "groq": "GROQ_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "qwen": "DASHSCOPE_API_KEY",
}
CUSTOM = CustomEndpoint("custom-r4", "R4 server", "http://127.0.0.1:9/v1")


def random_text(length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def distinctive_keys() -> dict[str, str]:
    """A fresh key per account, shaped like the service's own (Mistral's has no prefix)."""
    return {
        "openai": "sk-proj-" + random_text(48) + "T3BlbkFJ" + random_text(48),
        "anthropic": "sk-ant-api03-" + random_text(93) + "-" + random_text(6) + "AA",
        "openrouter": "sk-or-v1-" + secrets.token_hex(32),
        "groq": "gsk_" + random_text(52),
        "deepseek": "sk-" + secrets.token_hex(16),
        "mistral": random_text(32),
        "gemini": "AIzaSy" + random_text(33, string.ascii_letters + string.digits + "-_"),
        "qwen": "sk-" + secrets.token_hex(16),
        CUSTOM.id: "cst-" + random_text(40),
    }


def echoing(key: str, in_header: bool) -> Fault:
    """A 401 that quotes the key in its message, whole and by its ends, and, as some
    proxies do, in a response header."""
    message = (
        f"Incorrect API key provided: {key}. You passed {key[:10]}***{key[-10:]}, "
        f"starting {key[:8]} and ending {key[-8:]}."
    )
    headers = {"x-echo-authorization": f"Bearer {key}"} if in_header else {}
    return Fault.http(401, message, headers=headers)


ECHOES = [
    pytest.param(False, id="echo-in-body"),
    pytest.param(True, id="echo-in-header-too"),
]


@pytest.mark.parametrize(
    ("shown", "hidden"),
    [
        ("{key}", "[key hidden]"),
        ("key {head10}***{tail4}", "key [key hidden]***{tail4}"),
        ("{head8}", "[key hidden]"),
        ("…{tail8}.", "…[key hidden]."),
        ("x{middle20}y", "x[key hidden]y"),
        ("echo: {zero_width_joined}!", "echo: [key hidden]!"),
        ("echo: {spaced}!", "echo: [key hidden]!"),
        ("{lines}", "[key hidden]"),
        (
            "key {head10}***{tail4}, then {zero_width_joined}",
            "key [key hidden]***{tail4}, then [key hidden]",
        ),
    ],
)
def test_echoed_keys_and_their_ends_are_hidden(shown, hidden):
    # No x or y in the key: the cases put them around a piece of it, and a key character
    # that happens to equal its neighbour there is rightly hidden with it.
    key = "sk-proj-" + random_text(60, string.ascii_letters.replace("x", "").replace("y", ""))
    parts = {
        "key": key,
        "head10": key[:10],
        "head8": key[:8],
        "tail4": key[-4:],
        "tail8": key[-8:],
        "middle20": key[20:40],
        # A server that echoes the key in pieces shorter than any run looked for alone.
        "zero_width_joined": "\u200d".join(_pieces(key, 7)),
        "spaced": " ".join(_pieces(key, 7)),
        "lines": "\n".join(_pieces(key, 5)),
    }
    assert redact(shown.format(**parts), [key]) == hidden.format(**parts)


def _pieces(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


@pytest.fixture
def debug_log() -> Iterator[None]:
    """The app's own logging set-up with --debug, into this test's log folder."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in ("httpx2", "httpcore", "openai")}
    paths = app_paths()
    paths.ensure()
    setup_logging(paths, debug=True)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


def select_provider(running, account: str) -> None:
    """A new chat with this provider picked in the bar, its model list fetched."""
    running.window.show_new_chat()
    bar = running.window.picker
    pick(running.qtbot, bar, "wire-large", account)
    # The popup fetched every provider's list: they are in before a fault is queued.
    running.qtbot.waitUntil(lambda: not running.window.tasks.running(), timeout=20000)
    fetched = app_paths().cache / f"models-{account}.json"
    # A provider's first list imports and warms up its SDK in a thread: seconds on a busy
    # machine (the anthropic SDK especially).
    running.qtbot.waitUntil(fetched.exists, timeout=20000)
    running.qtbot.waitUntil(lambda: bar.current_model_id() == "wire-large", timeout=5000)


@pytest.mark.parametrize("in_header", ECHOES)
def test_no_key_reaches_a_file_or_the_output_in_process(
    make_app, wire_server, debug_log, capfd, tmp_path, isolated_home, in_header
):
    keys = distinctive_keys()
    overrides = {p: wire_server.openai_url for p in ENV_VARS} | {"anthropic": wire_server.url}
    endpoint = CustomEndpoint(CUSTOM.id, CUSTOM.name, wire_server.openai_url)
    running = make_app(keys={}, base_url_overrides=overrides, custom_endpoints=[endpoint])
    for account, key in keys.items():
        assert type_key(running, account, key) == "Keychain"
    settings_dialog(running).reject()

    for account, key in keys.items():
        select_provider(running, account)
        wire_server.queue(echoing(key, in_header))
        running.send(f"Hello {account}")
        running.wait_reply_done()
        wire_server.queue(
            Fault.stream_error(
                after=1,
                error_type="authentication_error",
                code=401,
                message=f"key {key[:12]}… was revoked",
            )
        )
        running.click_link("Retry")
        running.wait_reply_done()
        running.click_link("Retry")
        running.wait_text("Hello from the wire server.")
        running.wait_reply_done()
        last = running.store.messages(running.window.conversation_id)[-1]
        assert last.status is MessageStatus.COMPLETE
        assert wire_server.last_request.header("authorization") == f"Bearer {key}"
        assert find_keys([key], [], [running.view_text()]) == []

    dialog = settings_dialog(running, "openai")
    row = dialog.keys_tab.row("openai")
    wire_server.queue(echoing(keys["openai"], in_header))
    running.qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    running.qtbot.waitUntil(lambda: "refused" in row.status_label.text(), timeout=5000)
    with running.qtbot.waitSignal(dialog.preferences_changed):
        dialog.preferences_tab.max_tokens.setValue(2048)
    running.qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton
    )
    exports = tmp_path / "exports"
    exports.mkdir()
    with answering_file_dialogs(exports / "one.md", exports):
        running.window.findChild(QAction, "export").trigger()
        running.settle()
        running.window.findChild(QAction, "exportAll").trigger()
        running.settle()
    assert len(list(exports.iterdir())) == len(keys) + 1
    running.window.close()
    stop_logging()  # what the log's thread still holds is written

    written = files_under(isolated_home, exports)
    assert app_paths().log_file in written
    assert app_paths().settings_file in written
    captured = capfd.readouterr()
    assert find_keys(keys.values(), written, [captured.out, captured.err]) == []


@pytest.mark.parametrize("in_header", ECHOES)
def test_no_key_reaches_a_file_or_the_output_of_the_real_app(
    desktop, wire_server, tmp_path, in_header
):
    keys = {account: key for account, key in distinctive_keys().items() if account in ENV_VARS}
    home = tmp_path / "home"
    overrides = {p: wire_server.openai_url for p in ENV_VARS} | {"anthropic": wire_server.url}
    write_settings(
        home, base_url_overrides=overrides, last_provider="openai", last_model="wire-large"
    )
    app = desktop(home, "--debug", **{ENV_VARS[account]: key for account, key in keys.items()})
    app.wait_window()
    wait_for((app.paths.cache / "models-openai.json").exists, "the model list")
    wire_server.queue(echoing(keys["openai"], in_header))
    app.send("Hello")
    wait_for(
        lambda: [m.status for m in read_history(app.paths.database)[1]] == ["complete", "failed"],
        "the failed reply",
    )

    def answered() -> bool:
        messages = read_history(app.paths.database)[1]
        return len(messages) == 4 and messages[-1].status == "complete"

    app.send("Hello again")
    wait_for(answered, "the second reply")
    failed = read_history(app.paths.database)[1][1]
    assert failed.status == "failed"
    assert app.quit() == 0, app.output()

    assert wire_server.last_request.header("authorization") == f"Bearer {keys['openai']}"
    written = files_under(home, tmp_path / "sandbox")
    assert app.paths.log_file in written
    assert find_keys(keys.values(), written, [app.output()]) == []
