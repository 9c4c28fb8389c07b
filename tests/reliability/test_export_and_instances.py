"""R7 and R8 as a person meets them.

R7: exporting into a folder that cannot be written, exporting a conversation whose title is
full of path tricks, and an export killed in the middle of writing (which must leave the old
file or the new one, and nothing half-written, not even a temporary file).
R8: two real app processes chatting into the same history at the same time.
(tests/ui/window/test_main_window_export.py covers the round trip and a missing folder.)
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from desktopchat.domain.markdown_export import conversation_to_markdown, safe_file_name
from desktopchat.domain.markdown_import import markdown_to_conversation
from tests.file_dialogs import answering_file_dialogs
from tests.installed import REPO
from tests.reliability.big_export import big_conversation
from tests.reliability.desktop_process import (
    check_integrity,
    read_history,
    wait_for,
    write_settings,
)
from tests.reliability.in_window import chat_round, paste_and_send
from tests.storage.test_db import make_read_only  # noqa: F401  (the fixture, shared)


def export_through_the_menu(
    app, action: str, target: Path
) -> list[tuple[QMessageBox.Icon, str, str]]:
    """File → Export… or Export all…, the dialogs answered with `target`; returns the
    message boxes it opened (icon, title, text)."""
    with answering_file_dialogs(target):
        app.window.findChild(QAction, action).trigger()
        app.settle()  # the history is read and the files written off the loop
    return app.take_message_boxes()


def test_exporting_into_a_folder_that_cannot_be_written_is_said(
    app,
    tmp_path,
    make_read_only,  # noqa: F811
):
    chat_round(app, "Something worth keeping", "Kept.")
    folder = tmp_path / "locked"
    folder.mkdir()
    make_read_only(folder)

    for action, target in (("export", folder / "one.md"), ("exportAll", folder)):
        [(icon, title, text)] = export_through_the_menu(app, action, target)
        assert (icon, title) == (QMessageBox.Icon.Warning, "Export failed")
        assert str(folder) in text
        assert "ermi" in text or "not permitted" in text, text  # Permission denied / EPERM
    assert list(folder.iterdir()) == []
    chat_round(app, "Still working?", "Yes.")


TRICKY_TITLE = "../../etc/passwd: a/b\\c:d 😀 ../.."


def test_a_title_full_of_path_tricks_exports_to_a_safe_name_inside_the_folder(app, tmp_path):
    app.server.reply.text = "Nice try."
    paste_and_send(app, TRICKY_TITLE)
    app.wait_text("Nice try.")
    app.wait_reply_done()
    folder = tmp_path / "exports"

    boxes = export_through_the_menu(app, "exportAll", folder)

    assert boxes == []  # said in the notice bar
    assert app.window.notices.label.text() == f"Exported 1 conversation to {folder}"
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].parent == folder
    name = written[0].name
    assert name.endswith(f"{safe_file_name(TRICKY_TITLE, suffix='')}.md")
    assert "/" not in name and ":" not in name and not name.startswith(".")
    assert "😀" in name
    imported = markdown_to_conversation(written[0].read_text(encoding="utf-8"))
    assert imported.conversation.title == TRICKY_TITLE
    assert [m.text for m in imported.messages] == [TRICKY_TITLE, "Nice try."]
    assert list(tmp_path.glob("**/passwd*")) == []

    with answering_file_dialogs(None) as asked:
        app.window.findChild(QAction, "export").trigger()
        app.settle()
    suggested = asked[0].offered
    assert ".." not in suggested.parts and ":" not in suggested.name and "😀" in suggested.name


_EXPORTER = """
import sys
from pathlib import Path
from desktopchat.services.export import export_conversation
from tests.reliability.big_export import big_conversation
conversation, messages = big_conversation()
print("ready", flush=True)
sys.stdin.readline()
export_conversation(Path(sys.argv[1]), conversation, messages)
"""
KILLED_EXPORTS = 6


def start_exporter(target: Path) -> subprocess.Popen:
    exporter = subprocess.Popen(
        [sys.executable, "-c", _EXPORTER, str(target)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert exporter.stdout.readline() == "ready\n"
    return exporter


def test_an_export_killed_while_writing_leaves_the_old_file_or_the_new_one(tmp_path):
    target = tmp_path / "exports" / "long.md"
    target.parent.mkdir()
    new = conversation_to_markdown(*big_conversation())
    timing = start_exporter(target)
    started = time.monotonic()
    timing.communicate("go\n", timeout=60)
    duration = time.monotonic() - started
    assert target.read_text(encoding="utf-8") == new
    moments = random.Random(7)

    for attempt in range(KILLED_EXPORTS):
        old = f"the export before attempt {attempt}\n"
        target.write_text(old, encoding="utf-8")
        exporter = start_exporter(target)
        exporter.stdin.write("go\n")
        exporter.stdin.flush()
        time.sleep(moments.uniform(0.0, duration))
        exporter.kill()
        exporter.communicate(timeout=30)

        assert [p.name for p in target.parent.iterdir()] == ["long.md"], "nothing half-written"
        assert target.read_text(encoding="utf-8") in (old, new)


ROUNDS = 3


def test_two_app_instances_chatting_at_once_lose_nothing(desktop, wire_server, tmp_path):
    home = tmp_path / "home"
    write_settings(
        home,
        base_url_overrides={"lmstudio": wire_server.openai_url},
        last_provider="lmstudio",
        last_model="wire-large",
    )
    wire_server.reply.text = " ".join(f"word{i}" for i in range(30))
    wire_server.reply.chunks = 30
    wire_server.reply.tokens_per_second = 40

    first = desktop(home)
    first.wait_window()
    first.send("first instance, question 0")
    wait_for(lambda: wire_server.deltas_sent, "the first reply to start")
    second = desktop(home)  # starts while the first one streams
    second.wait_window()
    # The second window opens where the first one is (the open conversation is kept in the
    # shared settings); the person starts a chat of its own there.
    second.key("ctrl+n")
    second.send("second instance, question 0")

    def all_answered(count: int) -> bool:
        messages = read_history(first.paths.database)[1]
        return len(messages) == count and all(m.status == "complete" for m in messages)

    wait_for(lambda: all_answered(4), "both replies")
    for turn in range(1, ROUNDS):
        first.focus()
        first.send(f"first instance, question {turn}")
        second.focus()
        second.send(f"second instance, question {turn}")
        wait_for(lambda turn=turn: all_answered(4 * (turn + 1)), f"round {turn}")
    assert first.quit() == 0, first.output()
    assert second.quit() == 0, second.output()

    check_integrity(first.paths.database)
    conversations, messages = read_history(first.paths.database)
    assert len(conversations) == 2
    for name, conversation in zip(("first", "second"), conversations, strict=True):
        texts = [(m.role, m.text) for m in messages if m.conversation_id == conversation]
        assert texts == [
            (role, text)
            for turn in range(ROUNDS)
            for role, text in (
                ("user", f"{name} instance, question {turn}"),
                ("assistant", wire_server.reply.text),
            )
        ]
    assert {m.status for m in messages} == {"complete"}
