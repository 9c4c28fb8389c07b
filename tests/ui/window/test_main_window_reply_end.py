"""A reply the service stopped short, in the window against the wire server: the footer
says why as the stream ends (no notice besides), and again after a restart; in French too."""

from __future__ import annotations

from desktopchat.domain.reply_end import EndKind, ReplyEnd
from tests.ui.support.test_french import french  # noqa: F401  (the fixture, shared)
from tests.ui.window.test_main_window_place import saved_place

CUT = (
    "Cut off at the length limit (4,096 tokens). Raise Longest answer in the side panel,"
    " then regenerate."
)
CUT_FR = (
    "Coupée à la limite de longueur (4\u202f096 jetons). Augmentez Réponse la plus longue dans"
    " le panneau latéral, puis régénérez."
)


def cut_reply(app, text: str = "The story begins and then") -> None:
    app.server.reply.text = text
    app.server.reply.finish_reason = "length"
    app.send("Tell me a long story")
    app.wait_text(text)
    app.wait_reply_done()


def test_a_reply_cut_at_the_limit_says_so_under_it_and_after_a_restart(english, make_app):
    app = make_app()
    cut_reply(app)

    assert app.server.last_request.body["max_tokens"] == 4096
    app.wait_text(CUT)
    assert app.view_text().count("Cut off") == 1
    assert not app.window.notices.isVisible()  # the footer says it: no notice besides
    reply = app.store.thread(app.window.conversation_id).messages[-1]
    assert reply.reply_end == ReplyEnd(EndKind.CUT_AT_LIMIT, 4096)
    conversation_id = app.window.conversation_id
    app.quit()

    again = make_app(**saved_place())
    assert again.window.conversation_id == conversation_id
    again.wait_text("The story begins and then")
    again.wait_text(CUT)


def test_a_reply_that_ends_normally_says_nothing_more(english, app):
    app.server.reply.text = "A short story."
    app.send("Tell me a short story")
    app.wait_text("A short story.")
    app.wait_reply_done()
    assert "Cut off" not in app.view_text()


def test_a_filtered_reply_in_french(french, make_app):  # noqa: F811
    app = make_app()
    app.server.reply.finish_reason = "content_filter"
    app.server.reply.text = "Il était une"
    app.send("Raconte")
    app.wait_reply_done()
    app.wait_text("Le filtre de contenu du fournisseur a arrêté cette réponse.")

    app.server.reply.finish_reason = "length"
    app.click_link("Régénérer")
    app.wait_reply_done()
    app.wait_text(CUT_FR)
