"""The sidebar through the window: pages of a big history, pins that are stored, the
highlight on the conversation shown, F2 and Del away from the list, folding, and a search
result that opens at its match with every hit marked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QToolButton

from desktopchat.domain.types import Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.system.paths import app_paths
from desktopchat.ui.sidebar.conversation_model import (
    CONVERSATION_ID_ROLE,
    HEADER_ROLE,
    PAGE_SIZE,
)
from desktopchat.ui.window.sidebar_fold import AUTO_FOLD_WIDTH


def seed(*conversations: tuple[str, list[str]]) -> list[int]:
    """Write conversations (title, texts) into the history the app will open, oldest first."""
    paths = app_paths()
    paths.ensure()
    db, problem = open_database(paths.database)
    assert problem is None
    store = ConversationStore(db)
    ids = []
    for title, texts in conversations:
        conversation = store.create_conversation(title=title).result()
        parent = None
        for number, text in enumerate(texts):
            role = Role.USER if number % 2 == 0 else Role.ASSISTANT
            parent = store.add_message(conversation.id, role, text, parent_id=parent).result().id
        ids.append(conversation.id)
    store.close()
    db.close()
    return ids


def highlighted(app) -> list[int]:
    """The conversations highlighted in the list."""
    selection = app.conversation_list.selectionModel().selectedIndexes()
    return [index.data(CONVERSATION_ID_ROLE) for index in selection]


def loaded(app) -> int:
    model = app.conversation_list.model()
    rows = (model.index(row, 0) for row in range(model.rowCount()))
    return sum(1 for index in rows if index.data(HEADER_ROLE) is None)


def test_a_big_history_is_read_a_page_at_a_time_as_the_list_scrolls(make_app):
    seed(*((f"Conversation {n}", []) for n in range(PAGE_SIZE + 50)))
    app = make_app()
    assert loaded(app) == PAGE_SIZE, "the first page only"
    assert app.sidebar_titles()[0] == f"Conversation {PAGE_SIZE + 49}"
    app.conversation_list.scrollToBottom()
    app.qtbot.waitUntil(lambda: loaded(app) == PAGE_SIZE + 50)
    titles = app.sidebar_titles()
    assert len(set(titles)) == len(titles) and titles[-1] == "Conversation 0"


def test_pinning_stores_it_and_puts_it_on_top(make_app):
    first, _second = seed(("Old one", ["hello"]), ("New one", ["hi"]))
    app = make_app()
    app.open_conversation("Old one")
    app.window.chat_view.setFocus()
    app.window.sidebar.list_actions.pin.trigger()  # Ctrl+Shift+D on the conversation shown
    app.qtbot.waitUntil(lambda: app.sidebar_titles() == ["Old one", "New one"])
    app.qtbot.waitUntil(lambda: app.store.get_conversation(first).pinned)
    assert highlighted(app) == [first]


def test_the_highlight_stays_on_the_conversation_shown(make_app):
    shown, other, _third = seed(("Shown", ["a"]), ("Other", ["b"]), ("Third", ["c"]))
    app = make_app()
    app.open_conversation("Shown")
    assert highlighted(app) == [shown]
    view = app.conversation_list
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Other")
    view.customContextMenuRequested.emit(view.visualRect(model.index(row, 0)).center())
    assert highlighted(app) == [shown], "a right-click does not move it"
    app.window.sidebar.delete_requested.emit([other])
    assert highlighted(app) == [shown], "nor does deleting the row above"
    app.qtbot.waitUntil(lambda: app.store.get_conversation(other) is None)
    app.window.sidebar.delete_requested.emit([shown])
    assert highlighted(app) == [] and app.window.conversation_id is None


def test_arrow_keys_in_the_list_open_what_they_move_to(make_app):
    first, _second = seed(("First", ["one"]), ("Second", ["two"]))
    app = make_app()
    app.open_conversation("Second")
    view = app.conversation_list
    view.setFocus()
    app.qtbot.waitUntil(view.hasFocus)
    app.qtbot.keyClick(view, Qt.Key.Key_Down)
    app.qtbot.waitUntil(lambda: app.window.conversation_id == first)
    app.wait_text("one")
    assert highlighted(app) == [first] and view.hasFocus()


def test_f2_and_del_act_on_the_conversation_shown_from_the_transcript(make_app):
    shown, _other = seed(("Shown", ["a"]), ("Other", ["b"]))
    app = make_app()
    app.open_conversation("Shown")
    app.window.chat_view.setFocus()
    app.qtbot.waitUntil(app.window.chat_view.hasFocus)
    app.qtbot.keyClick(app.window.chat_view, Qt.Key.Key_F2)
    editor = app.conversation_list.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Shown"
    editor.setText("Renamed")
    app.qtbot.keyClick(editor, Qt.Key.Key_Return)
    app.qtbot.waitUntil(lambda: app.store.get_conversation(shown).title == "Renamed")
    app.qtbot.waitUntil(lambda: "Renamed" in app.sidebar_titles())
    app.window.chat_view.setFocus()
    app.qtbot.waitUntil(app.window.chat_view.hasFocus)
    app.qtbot.keyClick(app.window.chat_view, Qt.Key.Key_Delete)
    question = app.window.findChild(QMessageBox, "deleteConversationQuestion")
    assert "“Renamed”" in question.text()
    question.button(QMessageBox.StandardButton.Yes).click()
    app.qtbot.waitUntil(lambda: app.store.get_conversation(shown) is None)


def test_del_in_the_message_box_deletes_a_character_not_the_conversation(make_app):
    seed(("Shown", ["a"]))
    app = make_app()
    app.open_conversation("Shown")
    app.composer.setFocus()
    app.composer.setPlainText("ab")
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Home)
    app.qtbot.keyClick(app.composer, Qt.Key.Key_Delete)
    assert app.composer.toPlainText() == "b"
    assert app.window.findChild(QMessageBox, "deleteConversationQuestion") is None


def test_ctrl_b_folds_and_it_is_remembered_a_narrow_window_folds_by_itself(make_app):
    seed(("Shown", ["a"]))
    app = make_app()
    sidebar = app.window.sidebar
    app.window.resize(1200, 700)
    app.qtbot.waitUntil(lambda: app.window.width() == 1200)
    assert not sidebar.is_folded() and app.conversation_list.isVisible()
    app.window.splitter.setSizes([300, 900])
    app.qtbot.keyClick(app.window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.is_folded() and not app.conversation_list.isVisible()
    assert app.window.prefs.sidebar_folded and app.window.prefs.sidebar_width == 300
    assert app.window.splitter.sizes()[0] < 100, "a narrow rail"
    sidebar.findChild(QToolButton, "foldSidebarButton").click()
    assert not sidebar.is_folded() and not app.window.prefs.sidebar_folded
    assert app.window.splitter.sizes()[0] == 300, "unfolded as wide as it was"

    app.window.resize(AUTO_FOLD_WIDTH - 100, 700)
    app.qtbot.waitUntil(sidebar.is_folded)
    assert not app.window.prefs.sidebar_folded, "a fold made by the width is not the person's"
    app.window.resize(1200, 700)
    app.qtbot.waitUntil(lambda: not sidebar.is_folded())


def test_ctrl_k_on_a_folded_sidebar_unfolds_it_at_the_search(make_app):
    seed(("Shown", ["a"]))
    app = make_app()
    sidebar = app.window.sidebar
    app.window.resize(AUTO_FOLD_WIDTH - 100, 700)
    app.qtbot.waitUntil(sidebar.is_folded)
    app.qtbot.keyClick(app.window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    search = sidebar.findChild(QLineEdit, "conversationSearch")
    app.qtbot.waitUntil(lambda: search.isVisible() and search.hasFocus())
    assert not sidebar.is_folded() and not app.window.prefs.sidebar_folded


@pytest.mark.usefixtures("english")
def test_a_search_result_opens_at_its_match_with_every_hit_marked(make_app):
    seed(
        ("Holiday", ["Where is the zebra?", "The zebra is at the zoo.", "Thanks"]),
        ("Other", ["nothing here"]),
    )
    app = make_app()
    sidebar = app.window.sidebar
    search = sidebar.findChild(QLineEdit, "conversationSearch")
    search.setText("zebra")
    results = sidebar.findChild(type(app.conversation_list), "searchResultsList")
    app.qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() == 1)
    index = results.model().index(0, 0)
    assert "2 matching messages" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    results.setFocus()
    results.setCurrentIndex(index)
    app.qtbot.keyClick(results, Qt.Key.Key_Return)
    app.qtbot.waitUntil(lambda: app.window.sidebar_link.find.count() == 2)
    find = app.window.sidebar_link.find
    assert len(app.window.chat_view.extraSelections()) == 2
    count = app.window.findChild(QLabel, "findBarCount")
    assert count.text() == "1 of 2" and count.isVisible()
    app.qtbot.keyClick(app.window.chat_view, Qt.Key.Key_F3)
    assert find.current() == 1 and count.text() == "2 of 2"
    app.qtbot.keyClick(app.window.chat_view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert find.current() == 0
    app.qtbot.keyClick(app.window.chat_view, Qt.Key.Key_Escape)
    assert find.count() == 0 and app.window.chat_view.extraSelections() == []
