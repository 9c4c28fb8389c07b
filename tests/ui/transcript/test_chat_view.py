"""The conversation pane: rendering, streaming, actions, paging and inert model output."""

from __future__ import annotations

import gc
import http.server
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QHelpEvent,
    QImage,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QToolTip

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import Message, MessageStatus, Role, Usage
from desktopchat.ui.transcript import live_replies
from desktopchat.ui.transcript import streaming as streaming_module
from desktopchat.ui.transcript.chat_view import ChatView
from desktopchat.ui.transcript.code_highlighter import DARK_STYLE, CodeTheme, visible_blocks
from desktopchat.ui.transcript.markdown import InertDocument, is_code_block
from desktopchat.ui.transcript.shown_messages import PAGE_SIZE

NOW = time.time()


def message(message_id: int, role: Role, text: str, **fields) -> Message:
    return Message(message_id, 1, role, text, NOW - 60 + message_id, **fields)


def user(message_id: int, text: str) -> Message:
    return message(message_id, Role.USER, text)


def reply(message_id: int, text: str, **fields) -> Message:
    return message(message_id, Role.ASSISTANT, text, model="test-model", **fields)


@pytest.fixture
def view(qtbot):
    opened: list[QUrl] = []
    widget = ChatView(open_url=opened.append)
    widget.opened = opened
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def anchors(view: ChatView) -> list[tuple[str, str]]:
    found = []
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor():
                found.append((fragment.text(), fragment.charFormat().anchorHref()))
            fragments += 1
        block = block.next()
    return found


def hrefs(view: ChatView) -> set[str]:
    return {href for _, href in anchors(view)}


def click_link(qtbot, view: ChatView, href: str) -> None:
    """Click the middle of the first link to `href`, scrolled into view, like a person."""
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + fragment.length())
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                after = view.cursorRect(cursor).center()
                cursor.setPosition(fragment.position())
                point = (view.cursorRect(cursor).center() + after) / 2  # mid-link (or icon)
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def content(view: ChatView, message_id: int) -> str:
    """The rendered text of a message between its header and its footer."""
    conversation = view._conversation
    cursor = QTextCursor(view.document())
    cursor.setPosition(conversation.header_end(message_id))
    cursor.setPosition(conversation.content_end(message_id), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selection().toPlainText()


def meaningful_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and line != "Copy code"]


def reference_content(qtbot, text: str) -> str:
    other = ChatView()
    qtbot.addWidget(other)
    other.show_conversation([reply(1, text)])
    return content(other, 1)


def stream(view: ChatView, message_id: int, text: str, piece: int = 7) -> None:
    for start in range(0, len(text), piece):
        view.append_delta(message_id, text[start : start + piece])


LONG_REPLY = (
    "# Report\n\nSome **bold** intro text.\n\n```python\n"
    + "\n".join(f"def step_{i}(value):\n    return value * {i}  # note" for i in range(120))
    + "\n```\n\n| n | square |\n|---|---|\n"
    + "\n".join(f"| {i} | {i * i} |" for i in range(40))
    + "\n\n1. first\n2. second\n\nThe end.\n"
)


# --- identity and rendering ------------------------------------------------------------


def test_names_for_tests_and_screen_readers(view):
    assert view.objectName() == "conversationView"
    assert view.accessibleName() == "Conversation"
    assert isinstance(view.document(), InertDocument)


def test_messages_show_header_text_and_footer_actions(view):
    view.show_conversation(
        [
            user(1, "Hello *there*"),
            reply(2, "Hi!", usage=Usage(10, 20), duration=2.0),
            user(3, "Again"),
            reply(4, "Sure.", status=MessageStatus.INTERRUPTED),
        ]
    )
    text = view.toPlainText()
    for expected in ("Hello there", "test-model", "Hi!", "10 tokens in", "20 tokens out"):
        assert expected in text
    assert "10.0 tokens/s" in text
    assert "Interrupted" in text
    links = hrefs(view)
    assert {"dc-action:copy/1", "dc-action:edit/1", "dc-action:copy/2"} <= links
    assert "dc-action:regenerate/4" in links
    assert "dc-action:regenerate/2" not in links  # only the last reply


def test_regenerate_moves_to_the_new_last_reply(view):
    view.show_conversation([user(1, "q"), reply(2, "a")])
    assert "dc-action:regenerate/2" in hrefs(view)
    view.append_message(user(3, "next"))
    assert "dc-action:regenerate/2" not in hrefs(view)
    view.append_message(reply(4, "answer"))
    assert "dc-action:regenerate/4" in hrefs(view)


def test_raw_html_from_the_model_is_shown_as_text(view):
    view.show_conversation([reply(1, "<b>x</b> <script>alert(1)</script>")])
    assert "<b>x</b> <script>alert(1)</script>" in view.toPlainText()


def test_update_message_rerenders_only_that_message(view):
    view.show_conversation([user(1, "first"), reply(2, "answer"), user(3, "third")])
    view.update_message(user(1, "edited **text**"))
    assert content(view, 1).strip() == "edited text"
    assert content(view, 2).strip() == "answer"
    assert view.message_text(1) == "edited **text**"
    assert view.toPlainText().index("edited text") < view.toPlainText().index("answer")


def test_clear_conversation(view):
    view.show_conversation([user(1, "x")])
    view.clear_conversation()
    assert view.toPlainText().strip() == ""
    assert view.message_text(1) is None


# --- R6: nothing is fetched, nothing is read, links are policed ------------------------


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    requests: list[str] = []
    handler = type("Handler", (_RecordingHandler,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], requests
    server.shutdown()
    server.server_close()


def test_remote_images_are_never_requested(qtbot, view, http_server):
    port, requests = http_server
    text = (
        f'![i](http://127.0.0.1:{port}/x.png)\n\n<img src="http://127.0.0.1:{port}/y.png">\n\n'
        f"[link](http://127.0.0.1:{port}/page)"
    )
    view.show_conversation([reply(1, text)])
    view.begin_reply(reply(2, ""))
    stream(view, 2, text)
    qtbot.waitUntil(lambda: "[image: i]" in content(view, 2))
    view.finish_reply(reply(2, text))
    view.grab()
    view.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"http://127.0.0.1:{port}/x.png")
    )
    # A request would have been made synchronously by now; prove the server does answer.
    assert requests == []
    assert f'<img src="http://127.0.0.1:{port}/y.png">' in view.toPlainText()


def test_local_files_are_not_read(view, monkeypatch, tmp_path):
    picture = tmp_path / "secret.png"
    assert QImage(4, 4, QImage.Format.Format_RGB32).save(str(picture))
    asked = []
    original = InertDocument.loadResource

    def recording(document, kind, name):
        result = original(document, kind, name)
        asked.append((name.toString(), result))
        return result

    monkeypatch.setattr(InertDocument, "loadResource", recording)
    url = QUrl.fromLocalFile(str(picture))
    view.show_conversation([reply(1, f"![x]({url.toString()})\n\n![p](file:///etc/passwd)")])
    view.grab()
    ours = view._conversation.images
    assert all(ours.is_ours(name) for name in _image_formats(view))  # icons only
    assert view.document().resource(QTextDocument.ResourceType.ImageResource, url) is None
    assert asked == [(url.toString(), None)]
    assert view.loadResource(QTextDocument.ResourceType.ImageResource, url) is None


def _image_formats(view: ChatView):
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char_format = fragments.fragment().charFormat()
            if char_format.isImageFormat():
                yield char_format.toImageFormat().name()
            fragments += 1
        block = block.next()


def test_web_links_open_through_the_opener_and_others_do_not(qtbot, view):
    text = (
        "[web](https://example.com/a) [mail](mailto:a@example.com) "
        "[js](javascript:alert(1)) [file](file:///etc/passwd) [data](data:text/html,x)"
    )
    view.show_conversation([reply(1, text)])
    for href in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"):
        click_link(qtbot, view, href)
    assert view.opened == []
    click_link(qtbot, view, "https://example.com/a")
    click_link(qtbot, view, "mailto:a@example.com")
    assert [url.toString() for url in view.opened] == [
        "https://example.com/a",
        "mailto:a@example.com",
    ]
    assert view.toPlainText().count("web") == 1  # the view did not navigate away


def test_a_mail_link_opens_without_its_parameters(qtbot, view):
    view.show_conversation([reply(1, "[mail](mailto:a@example.com?attach=/etc/passwd&body=x)")])
    click_link(qtbot, view, "mailto:a@example.com?attach=/etc/passwd&body=x")
    assert [url.toString() for url in view.opened] == ["mailto:a@example.com"]


def hover_tooltip(qtbot, view: ChatView, text: str) -> str:
    """Rest the pointer on `text` (Qt's tooltip event); the tooltip shown then."""
    cursor = view.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    middle = QTextCursor(view.document())
    middle.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    point = view.cursorRect(middle).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_a_link_title_is_shown_as_written_in_its_tooltip(qtbot, view, tmp_path):
    missing = tmp_path / "never-read.png"
    title = f"<img src='file://{missing}'><b>bold?</b>"
    view.show_conversation([reply(1, f'See [docs](https://docs.python.org/3/ "{title}").')])
    asked: list[QUrl] = []
    view.document().loadResource = lambda kind, url: asked.append(url)

    tooltip = hover_tooltip(qtbot, view, "docs")

    shown = InertDocument()
    shown.setHtml(tooltip)
    assert shown.toPlainText() == f"{title}\nhttps://docs.python.org/3/"
    assert asked == []
    hover_tooltip(qtbot, view, "See")  # not a link: no tooltip
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


# --- actions ---------------------------------------------------------------------------


def test_action_links_emit_with_the_message_id(qtbot, view):
    view.show_conversation([user(7, "question"), reply(8, "**answer**")])
    with qtbot.waitSignal(view.action_requested) as signal:
        click_link(qtbot, view, "dc-action:regenerate/8")
    assert tuple(signal.args) == ("regenerate", 8)


def test_copy_puts_the_raw_markdown_on_the_clipboard(qtbot, view):
    view.show_conversation([user(1, "q"), reply(2, "**answer** with `code`")])
    with qtbot.waitSignal(view.action_requested) as signal:
        click_link(qtbot, view, "dc-action:copy/2")
    assert tuple(signal.args) == ("copy", 2)
    assert QGuiApplication.clipboard().text() == "**answer** with `code`"


def test_copy_code_copies_exactly_the_code_with_its_tabs(qtbot, view):
    text = "Two blocks:\n\n```python\nprint('a')\n```\n\nand\n\n```make\nall:\n\techo 'hi'\n```"
    view.show_conversation([reply(3, text)])
    copy_code = {href for _, href in anchors(view) if href.startswith("dc-action:copy_code/")}
    assert copy_code == {"dc-action:copy_code/3/0", "dc-action:copy_code/3/1"}
    click_link(qtbot, view, "dc-action:copy_code/3/1")
    assert QGuiApplication.clipboard().text() == "all:\n\techo 'hi'"
    click_link(qtbot, view, "dc-action:copy_code/3/0")
    assert QGuiApplication.clipboard().text() == "print('a')"


# --- paging ----------------------------------------------------------------------------


def conversation(count: int) -> list[Message]:
    return [
        user(i, f"question {i}") if i % 2 else reply(i, f"answer {i}\n\n- point\n- point")
        for i in range(1, count + 1)
    ]


def test_a_long_conversation_shows_its_newest_page_and_pages_back(qtbot, view):
    messages = conversation(2000)
    view.show_conversation(messages, total=2000)
    first_shown = 2000 - PAGE_SIZE + 1
    assert len(view._conversation.frames) == PAGE_SIZE
    assert "answer 2000" in view.toPlainText() and "question 1\n" not in view.toPlainText()
    scroll_bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.value() == scroll_bar.maximum())
    scroll_bar.setValue(0)
    with qtbot.waitSignal(view.action_requested) as signal:
        click_link(qtbot, view, f"dc-action:load_earlier/{first_shown}")
    assert tuple(signal.args) == ("load_earlier", first_shown)

    top_block = next(b for b in visible_blocks(view) if b.blockNumber() > 0)
    top_before = view.document().documentLayout().blockBoundingRect(top_block).top()
    offset_before = top_before - scroll_bar.value()
    view.prepend_messages(messages[first_shown - PAGE_SIZE - 1 : first_shown - 1], more=True)
    top_after = view.document().documentLayout().blockBoundingRect(top_block).top()
    assert top_after > top_before  # the page went in above
    assert top_after - scroll_bar.value() == pytest.approx(offset_before, abs=1)
    assert len(view._conversation.frames) == 2 * PAGE_SIZE
    assert f"dc-action:load_earlier/{first_shown - PAGE_SIZE}" in hrefs(view)
    assert f"dc-action:load_earlier/{first_shown}" not in hrefs(view)
    assert view.toPlainText().index(f"question {first_shown - PAGE_SIZE}") < (
        view.toPlainText().index(f"question {first_shown}")
    )
    view.prepend_messages(messages[: first_shown - PAGE_SIZE - 1], more=False)
    assert not any(href.startswith("dc-action:load_earlier") for href in hrefs(view))
    assert view.message_text(1) == "question 1"


def test_total_beyond_the_given_messages_offers_earlier_ones(view):
    view.show_conversation(conversation(4)[2:], total=4)
    assert "dc-action:load_earlier/3" in hrefs(view)
    view.show_conversation(conversation(4), total=4)
    assert not any(href.startswith("dc-action:load_earlier") for href in hrefs(view))


# --- streaming -------------------------------------------------------------------------


def test_waiting_indicator_counts_until_the_first_token(qtbot, view):
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    assert view.is_streaming()
    assert "Waiting for the first token… 0.0 s" in view.toPlainText()
    qtbot.waitUntil(lambda: "Waiting for the first token… 0.0 s" not in view.toPlainText())
    assert "Waiting for the first token" in view.toPlainText()
    view.append_delta(2, "Hel")
    view.append_delta(2, "lo")
    qtbot.waitUntil(lambda: content(view, 2).strip() == "Hello")
    assert "Waiting for the first token" not in view.toPlainText()
    assert view.message_text(2) == "Hello"


def test_streamed_reply_with_code_and_table_matches_a_full_render(qtbot, view):
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    stream(view, 2, LONG_REPLY)
    expected = reference_content(qtbot, LONG_REPLY)
    qtbot.waitUntil(lambda: meaningful_lines(content(view, 2)) == meaningful_lines(expected))
    view.finish_reply(reply(2, LONG_REPLY, usage=Usage(5, 900), duration=3.0))
    assert not view.is_streaming()
    assert content(view, 2) == expected
    assert "dc-action:regenerate/2" in hrefs(view)
    assert "300.0 tokens/s" in view.toPlainText()


@pytest.mark.parametrize("ending", ["", "\n```js\nlet x = 1;\n```", "\n```js\nlet x = 1;"])
def test_a_long_reply_is_finished_in_place(qtbot, view, monkeypatch, ending):
    monkeypatch.setattr(live_replies, "FULL_RENDER_LIMIT", 0)
    text = LONG_REPLY + ending
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    stream(view, 2, text, piece=5)
    view.finish_reply(reply(2, text))
    expected = reference_content(qtbot, text)
    assert meaningful_lines(content(view, 2)) == meaningful_lines(expected)
    code_links = [href for label, href in anchors(view) if label == "Copy code"]
    assert code_links == [f"dc-action:copy_code/2/{i}" for i in range(len(code_links))]
    assert len(code_links) == expected.count("Copy code")


def test_a_burst_of_text_is_rendered_over_several_flushes(qtbot, view, monkeypatch):
    monkeypatch.setattr(streaming_module, "FLUSH_MAX_CHARS", 500)
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    view.append_delta(2, LONG_REPLY)
    qtbot.waitUntil(lambda: "The end." in content(view, 2))
    expected = reference_content(qtbot, LONG_REPLY)
    assert meaningful_lines(content(view, 2)) == meaningful_lines(expected)


def test_stays_at_the_bottom_only_if_the_person_was_there(qtbot, view):
    view.show_conversation(conversation(40))
    scroll_bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll_bar.value() == scroll_bar.maximum() > 0)
    view.begin_reply(reply(100, "", status=MessageStatus.STREAMING))
    stream(view, 100, "line\n\n" * 60)
    qtbot.waitUntil(lambda: content(view, 100).count("line") == 60)
    assert scroll_bar.value() == scroll_bar.maximum()
    scroll_bar.setValue(0)
    stream(view, 100, "more\n\n" * 60)
    qtbot.waitUntil(lambda: content(view, 100).count("more") == 60)
    assert scroll_bar.value() == 0


def test_deltas_for_unknown_replies_are_ignored(view):
    view.show_conversation([user(1, "q")])
    view.append_delta(99, "stray")
    assert not view.is_streaming()
    assert "stray" not in view.toPlainText()


# --- failures --------------------------------------------------------------------------


def test_fail_reply_keeps_the_partial_text_and_offers_retry_and_settings(qtbot, view):
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    stream(view, 2, "Partial answ")
    refused = ChatError(ErrorKind.AUTH, provider="OpenAI", status=401)
    failed = reply(2, "", status=MessageStatus.FAILED, error=refused)
    view.fail_reply(failed, refused)
    assert not view.is_streaming()
    assert content(view, 2).startswith("\nPartial answ")
    assert "The OpenAI key was refused (HTTP 401)." in view.toPlainText()
    assert {"dc-action:retry/2", "dc-action:settings/2"} <= hrefs(view)
    assert "dc-action:regenerate/2" not in hrefs(view)
    with qtbot.waitSignal(view.action_requested) as signal:
        click_link(qtbot, view, "dc-action:settings/2")
    assert tuple(signal.args) == ("settings", 2)


def test_fail_reply_offers_settings_only_for_a_key(view):
    view.show_conversation([user(1, "q")])
    rejected = ChatError(ErrorKind.BAD_REQUEST, provider="OpenAI")
    view.fail_reply(reply(2, "", status=MessageStatus.FAILED, error=rejected), rejected)
    assert "OpenAI rejected the request." in view.toPlainText()
    assert "dc-action:retry/2" in hrefs(view)
    assert "dc-action:settings/2" not in hrefs(view)


def test_a_stored_failed_reply_is_worded_from_its_kind_with_settings_for_a_key(view):
    refused = ChatError(ErrorKind.AUTH, provider="OpenAI", status=401)
    failed = reply(2, "half", status=MessageStatus.FAILED, error=refused)
    view.show_conversation([user(1, "q"), failed])
    assert "half" in content(view, 2)
    assert "The OpenAI key was refused (HTTP 401)." in view.toPlainText()
    assert {"dc-action:retry/2", "dc-action:settings/2"} <= hrefs(view)


def test_a_reply_stored_before_error_kinds_shows_its_words_and_retry(view):
    failed = reply(
        2, "half", status=MessageStatus.FAILED, error_text="The server closed the stream."
    )
    view.show_conversation([user(1, "q"), failed])
    assert "half" in content(view, 2)
    assert "The server closed the stream." in view.toPlainText()
    assert "dc-action:retry/2" in hrefs(view)
    assert "dc-action:settings/2" not in hrefs(view)


# --- lifetime --------------------------------------------------------------------------


def python_owned_qt_garbage() -> list[str]:
    """The live QObjects that only the garbage collector would free (owned by Python, held
    in reference cycles), by class."""
    debug = gc.get_debug()
    gc.set_debug(debug | gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = [
            type(garbage).__name__
            for garbage in gc.garbage
            if isinstance(garbage, QObject)
            and shiboken6.isValid(garbage)
            and shiboken6.ownedByPython(garbage)
        ]
    finally:
        gc.set_debug(debug)
        gc.garbage.clear()
    gc.collect()  # frees them now, on this thread
    return found


def test_a_deleted_view_leaves_no_qt_object_to_the_garbage_collector(qtbot):
    """What a view makes is deleted with it, on the GUI thread. A QObject left to Python in
    a reference cycle waits for the garbage collector, which runs on whichever thread
    allocates next (a lexer being made, an SDK's import): a QTextDocument deleted there
    left its layout's timers armed on the GUI thread, and the next one crashed the process
    (once in about six runs of the transcript tests)."""
    gc.collect()  # what earlier tests left
    view = ChatView()
    view.show_conversation([user(1, "q"), reply(2, LONG_REPLY)])
    view.begin_reply(reply(3, "", status=MessageStatus.STREAMING))
    stream(view, 3, "Some `code`:\n\n```js\nlet x = 1;\n```\n")
    view.finish_reply(reply(3, "Some `code`:\n\n```js\nlet x = 1;\n```\n"))
    shiboken6.delete(view)  # as the deleteLater of a closed window does
    del view
    assert python_owned_qt_garbage() == []


# --- theme -----------------------------------------------------------------------------


def test_a_dark_palette_rerenders_code_in_the_dark_style(view):
    view.show_conversation([reply(1, "```python\nx = 1\n```")])
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(palette)
    QApplication.processEvents()
    code = [b for b in _blocks(view) if is_code_block(b)]
    assert [b.text() for b in code] == ["x = 1"]
    assert view._formats.theme.background == CodeTheme(DARK_STYLE).background


def _blocks(view: ChatView):
    block = view.document().begin()
    while block.isValid():
        yield block
        block = block.next()


@pytest.mark.parametrize("piece", [1, 3, 7])
def test_a_fence_without_a_language_streams_in_small_pieces(qtbot, view, piece):
    """A code block with no language, streamed a few characters at a time as models send
    it: its lines' empty language read back as a list crashed the highlighter, and the
    exception inside Qt's call took the whole app down (a segmentation fault)."""
    text = "```\nline one\nline two\n```\n\nAfter the code."
    view.show()
    view.show_conversation([user(1, "q")])
    view.begin_reply(reply(2, "", status=MessageStatus.STREAMING))
    for start in range(0, len(text), piece):
        view.append_delta(2, text[start : start + piece])
        qtbot.wait(35)
    qtbot.waitUntil(lambda: "After the code." in content(view, 2))
    view.finish_reply(reply(2, text))
    assert "line two" in content(view, 2)
