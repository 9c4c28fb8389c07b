"""GUI tests run each on a fresh qasync loop over the shared QApplication (DESIGN.md §5).

The main-window tests build the window exactly as app.run() does (app.build_services) with
every provider pointed at the loopback wire server, and drive it as a person would: typing in
the composer, pressing keys, clicking buttons and the links in the conversation.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from unittest import mock

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QLocale, QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QListView, QMessageBox, QPlainTextEdit, QPushButton

from desktopchat.app.assembly import build_services
from desktopchat.app.lifetime import shut_down
from desktopchat.app.start import finalize_async_generators_on
from desktopchat.system.keys import KeyStore
from desktopchat.system.paths import app_paths
from desktopchat.system.settings import Preferences, SettingsStore
from desktopchat.ui.sidebar.conversation_delegate import CONVERSATION_ID_ROLE
from desktopchat.ui.sidebar.conversation_model import HEADER_ROLE
from desktopchat.ui.support.translation import install_translators
from desktopchat.ui.window.main_window import MainWindow, Services
from tests.keyring_memory import run_keys
from tests.wire_server import WireServer

TEST_KEY = "sk-test-0123456789abcdefghijklmnop"


@pytest.fixture
def qloop(qapp, qtbot):
    """A running qasync loop for the test body; fails the test on unhandled asyncio errors."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    errors = []
    loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=2000)
    with mock.patch.object(QApplication, "exit"):  # loop.stop() calls app.exit()
        loop.stop()
    asyncio.events._set_running_loop(None)
    loop.close()
    # close() waits for the loop's worker threads (an SDK warm-up, a model list); one that
    # ended meanwhile posted its result with call_soon_threadsafe, a queued Qt call that
    # would reach the closed loop's deleted timer: drop it.
    QApplication.removePostedEvents(loop._QEventLoop__call_soon_signaller)
    asyncio.set_event_loop(None)
    if errors:
        pytest.fail(f"unhandled asyncio errors: {errors}")


_CLOSED_LOOPS: list[asyncio.AbstractEventLoop] = []


@pytest.fixture(autouse=True)
def keep_closed_loops_alive(request):
    """Keep each test's qasync loop referenced for the rest of the session.

    A closed qasync loop still owns a QObject with Qt timers for the call_later handles that
    were cancelled but have not fired yet (the SDKs' timeouts). If the garbage collector
    frees the loop from a worker thread (the wire server's, an executor's), that QObject is
    destroyed off the main thread, its timers stay registered, and the next one to fire
    crashes the process. Kept alive, the timers fire into a stopped loop and are killed.
    """
    if "qloop" in request.fixturenames:
        _CLOSED_LOOPS.append(request.getfixturevalue("qloop"))


class App:
    """The main window under test, and the person's hands on it."""

    def __init__(self, qtbot, window: MainWindow, services: Services, server: WireServer):
        self.qtbot = qtbot
        self.window = window
        self.services = services
        self.server = server
        self.quitted = False
        self.store = services.history.store
        """The store itself, for tests to read what is stored (blocking reads)."""
        self.controller = services.controller
        self.composer: QPlainTextEdit = window.findChild(QPlainTextEdit, "composer")
        self.send_button: QPushButton = window.findChild(QPushButton, "sendButton")
        self.stop_button: QPushButton = window.findChild(QPushButton, "stopButton")
        self.conversation_list: QListView = window.findChild(QListView, "conversationList")

    # What a person sees.

    def view_text(self) -> str:
        return self.window.chat_view.toPlainText()

    def take_message_boxes(self) -> list[tuple[QMessageBox.Icon, str, str]]:
        """The message boxes open over the window (icon, title, text), closed on the way."""
        boxes = [box for box in self.window.findChildren(QMessageBox) if box.isVisible()]
        for box in boxes:
            box.close()
        return [(box.icon(), box.windowTitle(), box.text()) for box in boxes]

    def sidebar_titles(self) -> list[str]:
        """The conversations' titles in the list, without the group headers."""
        model = self.conversation_list.model()
        rows = (model.index(row, 0) for row in range(model.rowCount()))
        return [index.data() for index in rows if index.data(HEADER_ROLE) is None]

    # What a person does.

    def send(self, text: str) -> None:
        """Type the message in the composer and press Enter."""
        self.composer.setFocus()
        self.qtbot.keyClicks(self.composer, text)
        self.qtbot.keyClick(self.composer, Qt.Key.Key_Return)
        self.settle()

    def open_conversation(self, title: str) -> None:
        """Click the conversation with this title in the sidebar, and wait until it is on
        screen (it is read off the loop)."""
        model = self.conversation_list.model()
        index = next(
            model.index(row, 0)
            for row in range(model.rowCount())
            if model.index(row, 0).data() == title and model.index(row, 0).data(HEADER_ROLE) is None
        )
        wanted = index.data(CONVERSATION_ID_ROLE)
        self.conversation_list.scrollTo(index)
        center = self.conversation_list.visualRect(index).center()
        self.qtbot.mouseClick(
            self.conversation_list.viewport(), Qt.MouseButton.LeftButton, pos=center
        )
        self.qtbot.waitUntil(lambda: self.window.conversation_id == wanted, timeout=5000)
        self.settle()

    def click_link(self, label: str, *, occurrence: int = -1) -> None:
        """Click an action link of the conversation ("Retry", "Edit", …), the last one by
        default, where it is drawn."""
        view = self.window.chat_view
        document = view.document()
        found: list[int] = []  # the position of each link's first character
        block = document.begin()
        while block.isValid():  # text links by their text, icons by their name
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                char_format = fragment.charFormat()
                if char_format.isAnchor() and label in (fragment.text(), char_format.toolTip()):
                    found.append(fragment.position())
                fragments += 1
            block = block.next()
        assert found, f"no “{label}” link in the conversation"
        target = QTextCursor(document)
        target.setPosition(found[occurrence] + 1)
        view.setTextCursor(target)
        view.ensureCursorVisible()
        rect = view.cursorRect(target)
        target.setPosition(found[occurrence])
        point = QPoint((rect.left() + view.cursorRect(target).left()) // 2, rect.center().y())
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.settle()

    def settle(self) -> None:
        """Wait until what the last action started off the loop (history reads, and the
        step they lead to) is done; a reply it started may still be streaming."""
        self.qtbot.waitUntil(lambda: not self.window.tasks.running(), timeout=5000)

    # Waiting.

    def wait_reply_done(self, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: not self.controller.is_streaming(), timeout=timeout)

    def wait_text(self, text: str, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: text in self.view_text(), timeout=timeout)

    def quit(self) -> None:
        """Quit as Ctrl+Q does: the window closes, then the app shuts down in order."""
        if not self.quitted:
            self.quitted = True
            self.window.close()
            self.run(shut_down(self.services))

    def run(self, coro, timeout: int = 5000):
        """Run a coroutine on the test's loop and return its result."""
        task = asyncio.get_event_loop().create_task(coro)
        self.qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()


def wire_preferences(server: WireServer, **changes) -> Preferences:
    """Preferences that point OpenAI, Anthropic and LM Studio at the wire server."""
    prefs = Preferences(
        base_url_overrides={
            "openai": server.openai_url,
            "anthropic": server.url,
            "lmstudio": server.openai_url,
        },
        last_provider="openai",
        last_model="wire-large",
        request_timeout=5.0,
        # The first start's update question answered (no): other notices are seen alone,
        # and no test reads a release feed unless it asks to (tests/ui/window/test_updates).
        update_checks=False,
    )
    for name, value in changes.items():
        setattr(prefs, name, value)
    return prefs


@pytest.fixture
def make_app(qtbot, qloop, wire_server) -> Iterator[Callable[..., App]]:
    """Builds the main window as app.run() does; shuts it down in the same order after."""
    built: list[App] = []
    hooks = sys.get_asyncgen_hooks()
    finalize_async_generators_on(qloop)

    def make(
        *, keys: dict[str, str] | None = None, show: bool = True, load: bool = True, **prefs_changes
    ) -> App:
        """`load=False`: the list and the person's place are not read yet (the test starts
        window.load_conversations itself, as app.run() does once the window shows)."""
        paths = app_paths()
        paths.ensure()
        settings = SettingsStore(paths.settings_file)
        for account, key in ({"openai": TEST_KEY} if keys is None else keys).items():
            run_keys(KeyStore().aset(account, key))
        services, problem = build_services(
            paths, settings, wire_preferences(wire_server, **prefs_changes)
        )
        assert problem is None
        window = MainWindow(services)
        if load:  # read before the window shows: the tests begin with the place restored
            loaded = qloop.create_task(window.load_conversations())
            qtbot.waitUntil(loaded.done, timeout=5000)
        app = App(qtbot, window, services, wire_server)
        built.append(app)
        if show:
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        # As after_window_shown does: learn off the loop whether any key exists.
        checked = qloop.create_task(window.check_keys())
        qtbot.waitUntil(checked.done, timeout=5000)
        if keys is None:
            # The model list is fetched at start: let it arrive before a test queues faults.
            # The first one in a process imports and warms up the SDK in a thread: seconds
            # on a busy machine (two pytest workers on two cores), so the wait is generous.
            picker = window.picker
            expected = len(wire_server.models)
            qtbot.waitUntil(lambda: len(picker.models().models) == expected, timeout=20_000)
        return app

    yield make
    for app in built:
        app.quit()
        app.window.deleteLater()
    sys.set_asyncgen_hooks(*hooks)


@pytest.fixture
def english(qapp) -> Iterator[None]:
    """English as app.run() installs it where LANG is unset (the system locale is C): its
    catalogue of plural forms, and US formats for numbers and dates."""
    previous = QLocale()
    translators = install_translators(qapp, "en", QLocale.c())
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(previous)


@pytest.fixture
def app(make_app) -> App:
    """The window with an OpenAI key, OpenAI's wire-large model selected."""
    return make_app()
