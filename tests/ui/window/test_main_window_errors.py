"""Provider faults as a person meets them (DESIGN.md R5): a specific message at the reply, the
message they typed kept, Retry in one click once the fault is gone, Settings for key problems;
and drafts that survive switching conversations and failed replies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QDialog, QLabel

from desktopchat.domain.types import MessageStatus, Role
from desktopchat.ui.support.translation import install_translators
from tests.wire_server import Fault

QUICK_RETRY = {"retry-after-ms": "5"}
"""The app retries 429 and 5xx three times, where the person sees it (the SDKs' own
retries are off): the fault is queued four times, retried quickly."""

FAULTS = [
    # (fault, times queued, words the person reads)
    (Fault.http(400), 1, "rejected the request (HTTP 400)"),
    (Fault.http(401), 1, "The OpenAI key was refused (HTTP 401). Check it in Settings → Keys."),
    (Fault.http(402), 1, "has no credit left (HTTP 402)"),
    (Fault.http(403), 1, "OpenAI refused access (HTTP 403)"),
    (Fault.http(404), 1, "OpenAI does not know the model “wire-large” (HTTP 404)"),
    (Fault.http(413), 1, "The conversation is too long for wire-large (HTTP 413)"),
    (Fault.http(422), 1, "rejected the request (HTTP 422)"),
    (Fault.rate_limited("0.005"), 4, "OpenAI is rate-limiting requests (HTTP 429). Retry in 1 s."),
    (Fault.http(500, headers=QUICK_RETRY), 4, "OpenAI had a server error (HTTP 500)"),
    (Fault.http(529, headers=QUICK_RETRY), 4, "OpenAI is overloaded (HTTP 529)"),
    (Fault.context_too_long(), 1, "The conversation is too long for wire-large (HTTP 400)"),
    (Fault.html(200), 1, "OpenAI sent a response DesktopChat could not read"),
    (Fault.html(404), 1, "OpenAI sent a response DesktopChat could not read"),
    (Fault.cut(after=1), 1, "The connection to OpenAI was cut before the reply ended"),
    (Fault.truncated(after=1), 1, "The connection to OpenAI was cut before the reply ended"),
    (Fault.malformed(after=1), 1, "OpenAI sent a response DesktopChat could not read"),
    (Fault.stream_error(after=1), 1, "OpenAI had a server error"),
    (Fault.stall(3.0, after=1), 1, "OpenAI did not answer in time"),
    (Fault.drop(), 1, "Could not reach OpenAI"),
]


def fault_id(case) -> str:
    fault = case[0]
    return f"{fault.kind}-{fault.status}"


def chat_requests(app) -> int:
    return sum(r.path.endswith("/chat/completions") for r in app.server.requests)


def reply_of(app):
    return app.store.messages(app.window.conversation_id)[-1]


@pytest.mark.parametrize("case", FAULTS, ids=fault_id)
def test_each_fault_is_said_at_the_reply_and_retry_works_once_it_is_gone(make_app, case):
    fault, times, words = case
    app = make_app(request_timeout=0.5)
    app.server.reply.text = "abc"
    app.server.queue(fault, times=times)

    app.send("Hello there")
    app.wait_reply_done()

    reply = reply_of(app)
    assert reply.status is MessageStatus.FAILED
    assert words in reply.error.message
    assert reply.error.message in app.view_text()
    user = app.store.messages(app.window.conversation_id)[0]
    assert (user.role, user.text) == (Role.USER, "Hello there")
    assert "Hello there" in app.view_text()

    app.click_link("Retry")
    app.wait_text("abc")
    app.wait_reply_done()
    messages = app.store.thread(app.window.conversation_id).messages
    assert [(m.role, m.text, m.status) for m in messages] == [
        (Role.USER, "Hello there", MessageStatus.COMPLETE),
        (Role.ASSISTANT, "abc", MessageStatus.COMPLETE),
    ]
    assert words not in app.view_text()


def test_a_rate_limit_is_said_at_once_with_its_countdown_and_retry_now_sends(app):
    """A 429 with Retry-After: 20 looked like a hang for 40 s ("Waiting for the first
    token… 38.9 s") while the SDK retried in silence; now the wait is said at once."""
    app.server.reply.text = "abc"
    app.server.queue(Fault.rate_limited("20"))
    app.send("Hello there")
    app.wait_text("Limited by OpenAI. Retrying in 20 s (1 of 3).")
    assert "Retry now" in app.view_text()
    assert app.controller.is_streaming()
    app.qtbot.waitUntil(lambda: "Retrying in 19 s" in app.view_text(), timeout=3000)

    app.click_link("Retry now")
    app.wait_text("abc")
    app.wait_reply_done()
    assert "Retrying" not in app.view_text() and "Retry now" not in app.view_text()
    assert chat_requests(app) == 2
    assert reply_of(app).status is MessageStatus.COMPLETE


def test_esc_while_waiting_to_retry_stops_the_reply(app):
    app.server.queue(Fault.rate_limited("20"))
    app.send("Hello there")
    app.wait_text("Retrying in")
    app.window.controller.stop(app.window.conversation_id)
    app.wait_reply_done()
    assert reply_of(app).status is MessageStatus.INTERRUPTED
    assert "Retry now" not in app.view_text()
    assert chat_requests(app) == 1


def test_an_empty_reply_is_an_error_not_a_blank(app):
    app.server.reply.text = ""
    app.send("Say nothing")
    app.wait_reply_done()
    assert "OpenAI sent an empty reply. Retry, or try another model." in reply_of(app).error.message
    assert reply_of(app).error.message in app.view_text()


def test_a_key_problem_offers_settings(app):
    app.server.queue(Fault.http(401))
    app.send("Hello")
    app.wait_reply_done()

    app.click_link("Open Settings")
    dialog = app.window.findChild(QDialog, "settingsDialog")
    app.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    dialog.reject()


def reopen(app, conversation_id: int) -> None:
    """Open the conversation again from the history, as a click in the sidebar does."""
    opening = app.window.open_conversation(conversation_id)
    app.qtbot.waitUntil(opening.done, timeout=5000)
    opening.result()


def test_a_reloaded_key_problem_still_offers_settings_in_the_language_of_the_day(make_app):
    first = make_app()
    first.server.queue(Fault.http(401))
    first.send("Hello")
    first.wait_reply_done()
    conversation_id = first.window.conversation_id
    assert first.store.wait_written(5)
    refused = "The OpenAI key was refused (HTTP 401). Check it in Settings → Keys."

    # A window built afresh on the same history (the app started again) shows it as it was.
    second = make_app()
    reopen(second, conversation_id)
    assert refused in second.view_text()
    second.click_link("Open Settings")
    dialog = second.window.findChild(QDialog, "settingsDialog")
    second.qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=2000)
    dialog.reject()

    # In French, the stored error is worded in French, not in the English of the day it failed.
    app = QCoreApplication.instance()
    previous_locale = QLocale()
    translators = install_translators(app, "fr")
    try:
        reopen(second, conversation_id)
        text = second.view_text()
        assert "La clé OpenAI a été refusée (HTTP 401). Vérifiez-la dans Paramètres → Clés." in text
        assert refused not in text
        second.click_link("Ouvrir les paramètres")
        second.qtbot.waitUntil(dialog.isVisible, timeout=2000)
        dialog.reject()
    finally:
        for translator in translators:
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(previous_locale)


def test_no_key_says_where_to_add_one_and_sends_nothing(make_app):
    app = make_app(keys={})
    app.send("Hello")
    app.wait_reply_done()

    assert (
        "No API key is set for OpenAI. Add one in Settings → Keys." in reply_of(app).error.message
    )
    assert reply_of(app).error.message in app.view_text()
    assert "Open Settings" in app.view_text()
    assert not [r for r in app.server.requests if r.path.endswith("/chat/completions")]
    assert app.store.messages(app.window.conversation_id)[0].text == "Hello"


def test_a_reply_failing_in_another_conversation_is_said_in_the_status_bar(app):
    app.send("first")
    app.wait_reply_done()
    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.server.reply.text = "abcdefgh"
    app.server.reply.chunks = 8
    app.server.reply.tokens_per_second = 20
    app.server.queue(Fault.cut(after=4))
    app.send("second")
    app.qtbot.waitUntil(lambda: "ab" in app.view_text(), timeout=5000)

    app.open_conversation("first")
    app.wait_reply_done()
    status = app.window.statusBar().currentMessage()
    assert "was cut before the reply ended" in status
    app.open_conversation("second")
    assert "was cut before the reply ended" in app.view_text()
    assert "Retry" in app.view_text()


def test_a_refused_temperature_is_dropped_and_said(make_app):
    app = make_app()
    app.server.reply.reject_temperature = True
    app.window.panel.slider.setValue(70)
    app.send("Hello")
    app.wait_text("Hello from the wire server.")
    app.wait_reply_done()
    notice = app.window.findChild(QLabel, "noticeText")
    assert notice.isVisible()
    assert "did not accept the temperature" in notice.text()
    assert reply_of(app).status is MessageStatus.COMPLETE


def test_drafts_follow_their_conversation(app):
    app.send("conversation A")
    app.wait_reply_done()
    app.qtbot.keyClicks(app.composer, "draft for A")

    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert app.composer.toPlainText() == ""
    app.send("conversation B")
    app.wait_reply_done()
    app.qtbot.keyClicks(app.composer, "draft for B")

    app.open_conversation("conversation A")
    assert app.composer.toPlainText() == "draft for A"
    app.open_conversation("conversation B")
    assert app.composer.toPlainText() == "draft for B"
    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    app.qtbot.keyClicks(app.composer, "draft for a new chat")
    app.open_conversation("conversation A")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert app.composer.toPlainText() == "draft for a new chat"


def test_a_draft_typed_while_a_reply_fails_is_kept(app):
    app.server.reply.text = "abcdefgh"
    app.server.reply.chunks = 8
    app.server.reply.tokens_per_second = 20
    app.server.queue(Fault.cut(after=3))
    app.send("first message")
    app.qtbot.keyClicks(app.composer, "my next thought")
    app.wait_reply_done()

    assert reply_of(app).status is MessageStatus.FAILED
    assert app.composer.toPlainText() == "my next thought"
    app.click_link("Retry")
    app.qtbot.waitUntil(lambda: reply_of(app).status is MessageStatus.COMPLETE)
    app.wait_reply_done()
    assert app.composer.toPlainText() == "my next thought"
