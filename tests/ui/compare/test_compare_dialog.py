"""Compare models: three models answer one question at once over the real SDKs (a local
server and two cloud services, all on the wire server); one failing mid-stream stops none
of the others; the one picked becomes the conversation's branch and model."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.ui.compare.column import CompareColumn
from desktopchat.ui.compare.dialog import CompareDialog, TargetPicker
from tests.wire_formats import ModelSpec
from tests.wire_server import Fault


def _dialog(app) -> CompareDialog:
    services = app.services

    async def conversation(provider: str, model: str) -> int:
        started = await services.history.start_conversation(provider=provider, model=model)
        return started.id

    dialog = CompareDialog(
        services.controller.service, services.history, services.registry, conversation, app.window
    )
    dialog.show()
    return dialog


def _columns(dialog) -> list[CompareColumn]:
    return dialog.columns.findChildren(CompareColumn)


def test_three_models_stream_side_by_side_and_one_failing_stops_no_other(make_app):
    app = make_app(keys={"openai": "sk-test-openai", "anthropic": "sk-ant-test"})
    dialog = _dialog(app)
    dialog.question.setPlainText("Name a colour")
    dialog.add_target("lmstudio", "wire-small")
    dialog.add_target("openai", "wire-large")
    dialog.add_target("anthropic", "wire-claude")
    app.server.reply.text = "Blue is calm."
    app.server.reply.chunks = 6
    app.server.reply.tokens_per_second = 60
    app.server.queue(Fault.cut(after=2))

    dialog.send_button.click()

    app.qtbot.waitUntil(lambda: len(_columns(dialog)) == 3, timeout=5000)
    columns = _columns(dialog)
    # Each SDK is imported and warmed up once, in a thread, on its first request: the first
    # Anthropic request can take seconds on a loaded machine.
    app.qtbot.waitUntil(lambda: not any(c.is_running() for c in columns), timeout=40000)
    statuses = sorted(c.reply.status.value for c in columns)
    assert statuses == ["complete", "complete", "failed"]
    for column in columns:
        assert column.choose_button.isEnabled()
    finished = [c for c in columns if c.reply.status is MessageStatus.COMPLETE]
    assert all("Blue is calm." in c.view.toPlainText() for c in finished)

    chosen = (
        next(c for c in finished if c.reply.provider == "anthropic")
        if any(c.reply.provider == "anthropic" for c in finished)
        else finished[0]
    )
    seen = []
    dialog.continued.connect(seen.append)
    chosen.choose_button.click()
    app.qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    conversation_id = seen[0]
    app.services.history.store.wait_written(5)
    thread = app.store.thread(conversation_id)
    assert [m.role for m in thread.messages] == [Role.USER, Role.ASSISTANT]
    assert thread.messages[-1].id == chosen.reply.id
    assert thread.position(chosen.reply.id)[1] == 3, "all three replies kept as siblings"
    conversation = app.store.get_conversation(conversation_id)
    assert (conversation.provider, conversation.model) == (
        chosen.reply.provider,
        chosen.reply.model,
    )


def test_stop_one_column_and_the_other_finishes(make_app):
    app = make_app(keys={"openai": "sk-test-openai"})
    dialog = _dialog(app)
    dialog.question.setPlainText("Count")
    dialog.add_target("lmstudio", "wire-small")
    dialog.add_target("openai", "wire-large")
    app.server.reply.text = " ".join(str(n) for n in range(40))
    app.server.reply.chunks = 40
    app.server.reply.tokens_per_second = 40

    dialog.send_button.click()
    app.qtbot.waitUntil(lambda: len(_columns(dialog)) == 2, timeout=5000)
    first, second = _columns(dialog)
    app.qtbot.waitUntil(lambda: "1" in first.view.toPlainText(), timeout=5000)
    first.stop_button.click()
    app.qtbot.waitUntil(lambda: not second.is_running(), timeout=10000)

    assert first.status.text() == "Stopped."
    assert second.reply.status is MessageStatus.COMPLETE
    app.services.history.store.wait_written(5)
    assert app.store.get_message(first.reply.id).status is MessageStatus.INTERRUPTED


def test_a_question_and_two_models_are_needed(app):
    dialog = _dialog(app)
    dialog.add_target("openai", "wire-large")
    dialog.send_button.click()
    assert dialog.problem.text() == "Write the question first."
    dialog.question.setPlainText("Hi")
    dialog.send_button.click()
    assert "at least two" in dialog.problem.text()
    assert _columns(dialog) == []


def test_from_the_window_a_new_chat_is_compared_and_the_pick_is_shown(app):
    app.composer.setPlainText("Which colour?")
    app.qtbot.keyClick(
        app.composer,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = app.window.compare_link.dialog
    assert dialog is not None and dialog.question.toPlainText() == "Which colour?"
    dialog.findChildren(TargetPicker)[1].choose("lmstudio", "wire-small")
    app.server.reply.text = "Green."

    dialog.send_button.click()
    app.qtbot.waitUntil(lambda: len(_columns(dialog)) == 2, timeout=5000)
    columns = _columns(dialog)
    app.qtbot.waitUntil(lambda: not any(c.is_running() for c in columns), timeout=40000)
    picked = next(c for c in columns if c.reply.provider == "lmstudio")
    picked.choose_button.click()

    app.qtbot.waitUntil(lambda: app.window.compare_link.dialog is None, timeout=5000)
    app.wait_text("Green.")
    assert app.window.conversation_id == dialog.conversation_id
    assert "2/2" in app.view_text() or "1/2" in app.view_text()
    assert app.window.picker.provider_id() == "lmstudio"
    assert app.composer.toPlainText() == ""


def _too_long_for_the_tiny_model(app) -> CompareDialog:
    """The wire server's list gives wire-tiny a 1,024-token window, wire-large a big one."""
    app.qtbot.waitUntil(
        lambda: app.services.registry.known_models("lmstudio") is not None, timeout=5000
    )
    dialog = _dialog(app)
    dialog.question.setPlainText(("word " * 2_800).strip())
    return dialog


def test_a_model_whose_window_is_too_small_is_refused_in_its_column(make_app, wire_server):
    wire_server.models = [
        ModelSpec("wire-tiny", context_length=1024),
        ModelSpec("wire-large", context_length=200_000),
    ]
    app = make_app(last_provider="lmstudio", last_model="wire-large")
    dialog = _too_long_for_the_tiny_model(app)
    dialog.add_target("lmstudio", "wire-tiny")
    dialog.add_target("lmstudio", "wire-large")
    dialog.send_button.click()
    app.qtbot.waitUntil(lambda: len(_columns(dialog)) == 2, timeout=5000)
    app.qtbot.waitUntil(lambda: not any(c.is_running() for c in _columns(dialog)), timeout=20000)
    tiny, large = sorted(_columns(dialog), key=lambda c: "wire-tiny" not in c.label)
    words = "".join(c for c in tiny.status.text() if c not in ",\u00a0\u202f")
    assert "Not sent" in words and "1024-token context" in words, words
    assert tiny.reply is None and not tiny.choose_button.isEnabled()
    assert large.reply.status is MessageStatus.COMPLETE
    asked = [r.body["model"] for r in wire_server.requests if r.path.endswith("/completions")]
    assert asked == ["wire-large"]


def test_when_no_model_has_room_nothing_is_stored(make_app, wire_server):
    wire_server.models = [ModelSpec("wire-tiny", context_length=1024), ModelSpec("wire-large")]
    app = make_app(last_provider="lmstudio", last_model="wire-tiny")
    dialog = _too_long_for_the_tiny_model(app)
    for _ in range(2):
        dialog.add_target("lmstudio", "wire-tiny")
    dialog.send_button.click()
    app.qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=5000)
    assert "Not sent" in dialog.problem.text() and "wire-tiny" in dialog.problem.text()
    assert not _columns(dialog) and not dialog.question.isReadOnly()
    assert dialog.send_button.isEnabled()
    assert not [r for r in wire_server.requests if r.path.endswith("/completions")]
