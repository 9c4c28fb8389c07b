"""What the context meter and Send do with a small local model, in the real window against
the wire server playing LM Studio, llama.cpp and an OpenAI-compatible list: the window each
says it holds, no warning for a short message, a message that cannot fit kept in the box and
refused before it leaves (a Regenerate or an edit too, changing nothing on screen), and a
server that hangs up on a full context named as such."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktopchat.domain.types import Role
from desktopchat.system.settings import CustomEndpoint
from desktopchat.ui.composer.context_meter import ContextMeter
from tests.wire_formats import ModelSpec
from tests.wire_local import llama_props, lmstudio_models
from tests.wire_server import Fault


def meter(app) -> ContextMeter:
    return app.window.findChild(ContextMeter, "contextMeter")


def said(app) -> str:
    """The meter's words, its numbers without group separators (they follow the locale)."""
    return "".join(c for c in meter(app).text() if c not in ",\u00a0\u202f")


def offered(app) -> bool:
    """Whether the meter warns and offers the ways out (leave out, summarise)."""
    return meter(app).offers_ways_out()


def chats(server) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/chat/completions"))


def say_hi(app) -> None:
    app.send("Hi there")
    app.wait_reply_done()
    app.qtbot.waitUntil(lambda: meter(app).isVisible() and "4096" in said(app), timeout=5000)


def test_a_listed_4096_window_does_not_warn_after_hi(make_app, wire_server):
    wire_server.models = [ModelSpec("wire-large", context_length=4096), ModelSpec("wire-small")]
    app = make_app()
    say_hi(app)
    assert said(app).endswith("of 4096 tokens (estimate)"), said(app)
    assert not meter(app).warning()
    assert not offered(app)


def test_lm_studio_says_the_window_its_model_is_loaded_with(make_app, wire_server):
    wire_server.models = [ModelSpec("wire-small"), ModelSpec("wire-large")]
    wire_server.local.lmstudio = lmstudio_models(
        {"id": "wire-small", "state": "loaded", "max_context_length": 32768,
         "loaded_context_length": 4096},
    )  # fmt: skip
    app = make_app(last_provider="lmstudio", last_model="wire-small")
    say_hi(app)
    assert not offered(app)
    asked = [r for r in wire_server.requests if r.path == "/api/v0/models"]
    assert len(asked) == 1, "once per model"


def small_llama(make_app, wire_server):
    """llama.cpp started with a 2,048-token context, as the person's own endpoint."""
    wire_server.models = [ModelSpec("wire-small", meta={"n_ctx_train": 131072})]
    wire_server.local.props = llama_props(2048)
    endpoint = CustomEndpoint("custom-llama", "llama.cpp", wire_server.openai_url)
    return make_app(
        custom_endpoints=[endpoint], last_provider="custom-llama", last_model="wire-small"
    )


def paste_and_send(app, text: str) -> None:
    app.composer.setFocus()
    app.composer.insertPlainText(text)
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Return)


def test_a_message_that_cannot_fit_stays_in_the_box_and_is_not_sent(make_app, wire_server):
    app = small_llama(make_app, wire_server)
    app.send("Hi there")
    app.wait_reply_done()
    conversation_id = app.window.conversation_id
    before = chats(wire_server)
    paste = ("word " * 2_800).strip()  # 14 kB
    paste_and_send(app, paste)
    app.qtbot.waitUntil(lambda: "no longer fits" in meter(app).text(), timeout=5000)
    words = said(app)
    assert "wire-small's 2048-token context" in words and "(~35" in words, words
    assert app.composer.toPlainText() == paste, "the text is kept in the box"
    assert offered(app) and meter(app).warning()
    assert chats(wire_server) == before, "nothing sent"
    assert len(app.store.thread(conversation_id).messages) == 2, "nothing stored"
    assert "no longer fits" in app.window.statusBar().currentMessage() or "Not sent" in (
        app.window.statusBar().currentMessage()
    )


def opened_with(app, question: str) -> int:
    """A conversation with the small model holding `question` and an answer (as one made
    with a larger model before would), opened in the window."""
    store = app.store
    made = store.create_conversation(provider="custom-llama", model="wire-small").result()
    asked = store.add_message(made.id, Role.USER, question).value
    store.add_message(made.id, Role.ASSISTANT, "The old answer.", parent_id=asked.id)
    store.wait_written(5)
    app.window.open_conversation(made.id)
    app.wait_text("The old answer.")
    return made.id


def refused_on_screen(app) -> None:
    app.qtbot.waitUntil(lambda: "Not sent" in app.window.statusBar().currentMessage(), timeout=5000)
    app.wait_reply_done()
    assert "no longer fits" in meter(app).text() and offered(app), "the two ways out"
    assert "wire-small's 2048-token context" in said(app)
    assert "The old answer." in app.view_text(), "the screen is as it was"


def everything(app, conversation_id: int) -> list[str]:
    return [m.text for m in app.store.messages(conversation_id)]


def test_a_regenerate_that_cannot_fit_is_refused_and_keeps_the_reply(make_app, wire_server):
    app = small_llama(make_app, wire_server)
    conversation_id = opened_with(app, ("word " * 2_800).strip())
    before = everything(app, conversation_id)
    app.click_link("Regenerate")
    refused_on_screen(app)
    assert chats(wire_server) == 0, "nothing sent"
    assert everything(app, conversation_id) == before, "no new branch"


def test_an_edit_that_cannot_fit_is_refused_and_stays_in_its_editor(make_app, wire_server):
    app = small_llama(make_app, wire_server)
    conversation_id = opened_with(app, "Hi there")
    before = everything(app, conversation_id)
    app.click_link("Edit", occurrence=0)
    app.qtbot.waitUntil(lambda: app.window.chat_view.inline_editor() is not None)
    editor = app.window.chat_view.inline_editor().editor
    paste = ("word " * 2_800).strip()
    editor.setPlainText(paste)
    app.qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    refused_on_screen(app)
    assert app.window.chat_view.inline_editor() is not None, "the editor stays open"
    assert app.window.chat_view.inline_editor().editor.toPlainText() == paste
    assert chats(wire_server) == 0 and everything(app, conversation_id) == before


def test_a_server_that_hangs_up_on_a_full_context_is_named(make_app, wire_server):
    app = small_llama(make_app, wire_server)
    wire_server.queue(Fault.cut(after=0))
    paste_and_send(app, "word " * 1_400)  # ~1,750 tokens of 2,048: sent, near full
    app.qtbot.waitUntil(lambda: chats(wire_server) == 1, timeout=10_000)
    app.wait_reply_done()
    app.wait_text("2048-token context", timeout=10_000)
    assert "part received" not in app.view_text()


def test_a_small_model_summarises_what_fits_and_the_new_chat_shows_it(make_app, wire_server):
    wire_server.models = [ModelSpec("wire-large", context_length=600), ModelSpec("wire-small")]
    app = make_app()
    wire_server.reply.text, wire_server.reply.usage = "r" * 600, "never"
    for question in ("first " + "x" * 1000, "second " + "y" * 600):
        app.send(question)
        app.wait_reply_done()
    old = app.window.conversation_id
    app.qtbot.waitUntil(lambda: offered(app), timeout=5000)
    wire_server.reply.text = "We spoke of x and y."
    meter(app).summarise_action.trigger()
    app.qtbot.waitUntil(lambda: app.window.conversation_id != old, timeout=10_000)
    asked = wire_server.last_request.body
    sent = " ".join(m["content"] for m in asked["messages"])
    assert "second yyy" in sent and "left out" in sent, "what fits, the rest said"
    assert asked["max_tokens"] == 150
    app.wait_text("We spoke of x and y.")
