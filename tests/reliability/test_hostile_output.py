"""R6 at the window, with a real stream: model output is untrusted.

A reply streamed by the wire server holds script tags, raw HTML, remote images (HTML and
Markdown) pointing back at the wire server, local files as images and links, javascript:
and data: links, ANSI escapes, bidi overrides, a huge table and deeply nested lists and
quotes. While it streams, when it is finished, and when the conversation is opened again
from the history: the wire server sees no request but the chat itself, the kernel reports
no open of the local files (inotify), nothing is handed to the system browser, and the
window keeps answering. Then links are clicked: only http, https and mailto open, through
the system's URL handlers (recorded here instead of a browser).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage

from desktopchat.domain.types import MessageStatus
from desktopchat.ui.transcript.markdown import MAX_TABLE_CELLS
from desktopchat.ui.transcript.markdown_blocks import fence_large_tables
from tests.reliability.in_window import EventLoopWatch

_IN_ACCESS, _IN_OPEN = 0x1, 0x20


class FileWatch:
    """Every open or read of a file in `folder`, by any process, as the kernel reports it."""

    def __init__(self, folder: Path) -> None:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            pytest.skip(f"inotify unavailable: {os.strerror(ctypes.get_errno())}")
        watch = self._libc.inotify_add_watch(self._fd, str(folder).encode(), _IN_ACCESS | _IN_OPEN)
        assert watch >= 0, os.strerror(ctypes.get_errno())

    def touched(self) -> list[str]:
        names = []
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return names
        offset = 0
        while offset < len(data):
            _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
            name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode()
            names.append(name)
            offset += 16 + length
        return names

    def close(self) -> None:
        os.close(self._fd)


class UrlRecorder(QObject):
    """Stands in for the system browser: QDesktopServices.openUrl hands it every URL."""

    SCHEMES = ("http", "https", "mailto", "file", "javascript", "data", "ftp")

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        for scheme in self.SCHEMES:
            QDesktopServices.setUrlHandler(scheme, self, "open")

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())

    def close(self) -> None:
        for scheme in self.SCHEMES:
            QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def browser() -> Iterator[UrlRecorder]:
    recorder = UrlRecorder()
    yield recorder
    recorder.close()


@pytest.fixture
def local_files(tmp_path) -> Iterator[tuple[Path, FileWatch]]:
    """A folder with an image and a text file the reply points at, watched for reads."""
    folder = tmp_path / "private"
    folder.mkdir()
    assert QImage(8, 8, QImage.Format.Format_RGB32).save(str(folder / "secret.png"))
    (folder / "secret.txt").write_text("private", encoding="utf-8")
    watch = FileWatch(folder)
    yield folder, watch
    watch.close()


def table(columns: int, rows: int) -> str:
    head = "| " + " | ".join(f"h{c}" for c in range(columns)) + " |\n"
    line = "|" + "---|" * columns + "\n"
    body = "".join(
        "| " + " | ".join(f"r{r}c{c}" for c in range(columns)) + " |\n" for r in range(rows)
    )
    return head + line + body


def hostile_reply(server_url: str, private: Path) -> str:
    image = (private / "secret.png").as_uri()
    text = (private / "secret.txt").as_uri()
    return "\n\n".join(
        [
            "<script>alert(document.cookie)</script>",
            '<b onmouseover="alert(1)">raw html</b> <iframe src="' + server_url + '/frame">',
            f'<img src="{server_url}/html-image.png"> <img src="{image}">',
            f'<link rel="stylesheet" href="{server_url}/style.css">',
            f"<style>@import url({server_url}/import.css);</style>",
            f"![remote]({server_url}/markdown-image.png) ![local]({image}) ![relative](secret.png)",
            f"![inline data](data:image/png;base64,{'iVBORw0KGgo' * 4})",
            f"[LinkWeb]({server_url}/page) [LinkSecure](https://example.com/a) "
            "[LinkMail](mailto:someone@example.com)",
            f"[LinkFile]({text}) [LinkPasswd](file:///etc/passwd) "
            "[LinkScript](javascript:alert(1)) "
            "[LinkData](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            f"<{server_url}/autolink> and a bare {server_url}/bare-url",
            "\x1b[31mred\x1b[0m \x1b]8;;" + server_url + "/osc8\x07terminal link\x1b]8;;\x07",
            "name: \u202egpj.exe\u202c and \u2067isolated\u2069 \u200fmark",
            table(50, 400),
            "".join("  " * depth + f"- level {depth}\n" for depth in range(300)),
            ">" * 400 + " deep quote",
            "The end.",
        ]
    )


def test_hostile_output_streams_inert_and_links_open_only_on_click(app, browser, local_files):
    private, watch = local_files
    reply = hostile_reply(app.server.url, private)
    app.server.reply.text = reply
    app.server.reply.chunks = 400
    app.server.reply.tokens_per_second = 4000
    loop = EventLoopWatch()

    app.send("Show me everything")
    app.wait_reply_done(timeout=30_000)
    app.qtbot.waitUntil(lambda: not app.window.chat_view.is_streaming(), timeout=30_000)
    app.window.chat_view.grab()
    conversation = app.window.conversation_id
    title = app.store.get_conversation(conversation).title
    app.window.show_new_chat()
    app.open_conversation(title)
    app.window.chat_view.grab()
    stalls = loop.stop()

    paths = {request.path for request in app.server.requests}
    assert paths <= {"/v1/chat/completions", "/v1/models"}, "nothing but the chat was fetched"
    assert watch.touched() == [], "no local file was opened or read"
    assert browser.opened == [], "nothing opens without a click"
    assert max(stalls, default=0) < 5_000, f"the window froze: {stalls} ms"
    stored = app.store.messages(conversation)[-1]
    assert (stored.status, stored.text) == (MessageStatus.COMPLETE, reply)
    shown = app.view_text()
    assert "<script>alert(document.cookie)</script>" in shown, "raw HTML is shown as text"
    assert "[image: remote]" in shown and "[image: local]" in shown
    assert "r399c49" in shown and "level 299" in shown and "The end." in shown

    for label in ("LinkWeb", "LinkSecure", "LinkMail", "LinkFile", "LinkPasswd", "LinkScript"):
        app.click_link(label)
    app.click_link("LinkData")
    assert browser.opened == [
        f"{app.server.url}/page",
        "https://example.com/a",
        "mailto:someone@example.com",
    ]
    assert watch.touched() == []
    assert {request.path for request in app.server.requests} == paths
    (private / "secret.txt").read_bytes()
    assert "secret.txt" in watch.touched(), "the watch does see a read"


HUGE_TABLE_ROWS = 500


def test_a_huge_table_streams_without_freezing_and_ends_readable(app):
    """40 columns by 500 rows (was 1,500: ~30 s here; this is ~a ninth of the streaming work,
    which grows with the square of the rows, the unfinished tail being rendered again at
    each flush). It still proves the property: 20,000 cells are 20 times MAX_TABLE_CELLS
    (so it must end as aligned text) and 100 times UNFINISHED_TABLE_CELLS (so it must stream
    as code), the ~190 KB tail is rendered again across some 48 flushes of FLUSH_MAX_CHARS,
    and laying out a table of 20,000 cells, finished or not, would stall for seconds."""
    assert 40 * HUGE_TABLE_ROWS >= 20 * MAX_TABLE_CELLS
    last_row = HUGE_TABLE_ROWS - 1
    app.server.reply.text = "Here it is:\n\n" + table(40, HUGE_TABLE_ROWS) + "\nThat was the table."
    app.server.reply.chunks = 2000
    loop = EventLoopWatch()

    app.send("A table of everything, please")
    # The bound that matters is the stall below; this wait only has to outlast a busy
    # CI machine.
    app.wait_reply_done(timeout=90_000)
    app.qtbot.waitUntil(lambda: not app.window.chat_view.is_streaming(), timeout=90_000)

    stalls = loop.stop()
    assert max(stalls, default=0) < 5_000, f"the window froze: {stalls} ms"
    shown = app.view_text()
    assert f"| r{last_row}c0 | r{last_row}c1 |" in shown, "a huge table is shown as text, aligned"
    assert "That was the table." in shown


@pytest.mark.parametrize(
    ("text", "fenced"),
    [
        (table(3, 2), False),
        (table(10, 200), True),
        ("```\n" + table(10, 200) + "```\n", False),
        ("> " + table(10, 200).replace("\n", "\n> "), False),
    ],
    ids=["small", "huge", "inside-a-fence", "inside-a-quote"],
)
def test_only_huge_top_level_tables_become_code(text, fenced):
    result = fence_large_tables(text, MAX_TABLE_CELLS)
    if fenced:
        assert result == "```\n" + text + "```\n"
    else:
        assert result == text


def test_a_fenced_table_keeps_its_backticks_inside():
    text = "| `a` | ```` b |\n|---|---|\n" + "| x | y |\n" * 600
    assert fence_large_tables(text, MAX_TABLE_CELLS) == "`````\n" + text + "`````\n"
