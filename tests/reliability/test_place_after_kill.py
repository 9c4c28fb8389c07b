"""The person's place survives a `kill -9` (DESIGN.md §7): a real `desktopchat`
on Xvfb is given a conversation and a half-typed message, killed with SIGKILL, and started
again: the conversation is open again and the message is back in the box.

Bound checked: the kill comes PLACE_SETTLE_S after the last keystroke, which covers the
draft's save delay (0.5 s) and the place's (1 s) with room for a slow, shared machine; what
was typed earlier than that is never lost.
"""

from __future__ import annotations

import json
import sqlite3
import time

from tests.reliability.desktop_process import wait_for, write_settings

PLACE_SETTLE_S = 3.0
DRAFT = "a half typed thought"


def chat_requests(server) -> list:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def stored_drafts(database) -> dict[int, str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT conversation_id, text FROM drafts"))


def test_a_draft_and_the_open_conversation_survive_kill_9(desktop, wire_server, tmp_path):
    home = tmp_path / "home"
    write_settings(
        home,
        base_url_overrides={"lmstudio": wire_server.openai_url},
        last_provider="lmstudio",
        last_model="wire-large",
    )
    wire_server.reply.text = "Noted."
    app = desktop(home)
    app.wait_window()
    app.send("remember this conversation")
    wait_for(lambda: app.title() == "remember this conversation — DesktopChat", "the title")
    wait_for(lambda: len(chat_requests(wire_server)) == 1, "the request")
    time.sleep(0.5)  # the reply is short; let it finish streaming
    app.type(DRAFT)
    time.sleep(PLACE_SETTLE_S)
    app.kill()

    assert list(stored_drafts(app.paths.database).values()) == [DRAFT]
    settings = json.loads(app.paths.settings_file.read_text(encoding="utf-8"))
    assert settings["open_conversation"] is not None

    again = desktop(home)
    again.wait_window()
    wait_for(
        lambda: again.title() == "remember this conversation — DesktopChat",
        "the conversation open again",
    )
    again.key("Return")  # sends what is in the box: the draft, into that conversation
    wait_for(lambda: len(chat_requests(wire_server)) == 2, "the draft sent")
    sent = [m["content"] for m in chat_requests(wire_server)[1].body["messages"]]
    assert sent == ["remember this conversation", "Noted.", DRAFT]
    wait_for(lambda: stored_drafts(again.paths.database) == {}, "the sent draft gone")
    again.quit()
