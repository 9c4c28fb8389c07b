"""The sidebar: order, selection, rename, delete, debounced search and its results."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QMenu, QMessageBox, QPushButton

from desktopchat.domain.types import Conversation, Role
from desktopchat.storage.history import SNIPPET_END, SNIPPET_START, SearchHit
from desktopchat.ui.sidebar.conversation_delegate import (
    MESSAGE_ID_ROLE,
    SNIPPET_HTML_ROLE,
    TITLE_HTML_ROLE,
    snippet_to_html,
)
from desktopchat.ui.sidebar.sidebar import Sidebar

NOW = time.time()


def conversation(conversation_id: int, title: str, age: float) -> Conversation:
    return Conversation(conversation_id, title, NOW - age, NOW - age)


@pytest.fixture
def sidebar(qtbot):
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.resize(300, 500)
    widget.set_conversations(
        [conversation(1, "Newest", 10), conversation(2, "", 20), conversation(3, "Oldest", 30)]
    )
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def conversation_list(sidebar: Sidebar) -> QListView:
    return sidebar.findChild(QListView, "conversationList")


def results_list(sidebar: Sidebar) -> QListView:
    return sidebar.findChild(QListView, "searchResultsList")


def search_box(sidebar: Sidebar) -> QLineEdit:
    return sidebar.findChild(QLineEdit, "conversationSearch")


def shown_titles(view: QListView) -> list[str]:
    model = view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def selected_title(sidebar: Sidebar) -> str | None:
    index = conversation_list(sidebar).currentIndex()
    return index.data() if index.isValid() else None


def focus_row(qtbot, view: QListView, row: int) -> None:
    view.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(view.model().index(row, 0))


def test_list_shows_conversations_in_order_with_a_name_for_untitled(sidebar):
    assert shown_titles(conversation_list(sidebar)) == ["Newest", "New conversation", "Oldest"]
    assert conversation_list(sidebar).accessibleName()


def test_upsert_moves_a_bumped_conversation_to_the_top_and_keeps_the_selection(sidebar, qtbot):
    sidebar.select_conversation(1)
    with qtbot.assertNotEmitted(sidebar.conversation_selected):
        sidebar.upsert_conversation(Conversation(3, "Oldest, now busy", NOW - 30, NOW))
    assert shown_titles(conversation_list(sidebar)) == [
        "Oldest, now busy",
        "Newest",
        "New conversation",
    ]
    assert selected_title(sidebar) == "Newest"


def test_upsert_adds_a_new_conversation_and_retitles_in_place(sidebar):
    sidebar.upsert_conversation(conversation(4, "Brand new", 0))
    sidebar.upsert_conversation(conversation(2, "Named at last", 20))
    assert shown_titles(conversation_list(sidebar)) == [
        "Brand new",
        "Newest",
        "Named at last",
        "Oldest",
    ]


def test_set_conversations_keeps_the_selection(sidebar):
    sidebar.select_conversation(3)
    sidebar.set_conversations([conversation(3, "Oldest", 0), conversation(1, "Newest", 10)])
    assert selected_title(sidebar) == "Oldest"
    sidebar.select_conversation(None)
    assert selected_title(sidebar) is None


def test_remove_conversation(sidebar):
    sidebar.remove_conversation(2)
    assert shown_titles(conversation_list(sidebar)) == ["Newest", "Oldest"]


def test_click_and_enter_open_a_conversation(sidebar, qtbot):
    view = conversation_list(sidebar)
    rect = view.visualRect(view.model().index(2, 0))
    with qtbot.waitSignal(sidebar.conversation_selected) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [3]
    focus_row(qtbot, view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(sidebar.conversation_selected) as entered:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert entered.args == [2]


def test_new_chat_button_asks_for_a_new_chat(sidebar, qtbot):
    button = sidebar.findChild(QPushButton, "newChatButton")
    assert "Ctrl+N" in button.toolTip()
    with qtbot.waitSignal(sidebar.new_chat_requested):
        button.click()


def test_f2_renames_inline_and_reports_the_new_title(sidebar, qtbot):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, 2)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Oldest"
    editor.setText("  Trip   notes ")
    with qtbot.waitSignal(sidebar.rename_requested) as renamed:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert renamed.args == [3, "Trip notes"]


@pytest.mark.parametrize("typed", ["Oldest", "   "])
def test_rename_to_the_same_or_a_blank_title_reports_nothing(sidebar, qtbot, typed):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, 2)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    editor.setText(typed)
    with qtbot.assertNotEmitted(sidebar.rename_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def delete_question(sidebar: Sidebar) -> QMessageBox:
    return sidebar.findChild(QMessageBox, "deleteConversationQuestion")


def test_delete_key_asks_first_naming_the_conversation_then_reports_it(sidebar, qtbot):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    question = delete_question(sidebar)
    assert "“Newest”" in question.text()
    with qtbot.waitSignal(sidebar.delete_requested) as deleted:
        question.button(QMessageBox.StandardButton.Yes).click()
    assert deleted.args == [1]


def test_cancelling_the_delete_question_deletes_nothing(sidebar, qtbot):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    with qtbot.assertNotEmitted(sidebar.delete_requested):
        delete_question(sidebar).button(QMessageBox.StandardButton.Cancel).click()


def test_search_is_debounced_to_one_emission_for_fast_typing(sidebar, qtbot):
    emitted = []
    sidebar.search_changed.connect(emitted.append)
    with qtbot.waitSignal(sidebar.search_changed) as searched:
        qtbot.keyClicks(search_box(sidebar), "lisbon trip")
    assert searched.args == ["lisbon trip"]
    assert emitted == ["lisbon trip"]


def test_search_results_escape_html_and_bold_only_the_matches(sidebar, qtbot):
    search_box(sidebar).setText("x")
    sidebar.show_search_results(
        "x",
        [
            SearchHit(7, "<b>x</b>", None, None, f"<b>{SNIPPET_START}x{SNIPPET_END}</b>"),
            SearchHit(8, "A & B", 42, Role.USER, f"…<i>y</i> & {SNIPPET_START}x{SNIPPET_END}…"),
        ],
    )
    view = results_list(sidebar)
    assert sidebar.findChild(QListView, "searchResultsList").isVisible()
    title_hit, message_hit = (view.model().index(row, 0) for row in range(2))
    assert rendered(title_hit.data(TITLE_HTML_ROLE)) == ("<b>x</b>", ["x"])
    assert rendered(message_hit.data(SNIPPET_HTML_ROLE)) == ("…<i>y</i> & x…", ["x"])
    assert [title_hit.data(MESSAGE_ID_ROLE), message_hit.data(MESSAGE_ID_ROLE)] == [-1, 42]


def rendered(markup: str) -> tuple[str, list[str]]:
    """The text a person reads, and the parts of it shown in bold."""
    document = QTextDocument()
    document.setHtml(markup)
    bold = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().fontWeight() > 400:
                bold.append(fragment.text())
            iterator += 1
        block = block.next()
    return document.toPlainText(), bold


def test_snippet_to_html_joins_lines_and_escapes_quotes_safely():
    assert snippet_to_html(f'a\n"{SNIPPET_START}b{SNIPPET_END}" <c>') == ('a "<b>b</b>" &lt;c&gt;')


def test_no_results_and_stale_results(sidebar):
    search_box(sidebar).setText("nothing")
    sidebar.show_search_results("nothin", [SearchHit(1, "Newest", None, None, "Newest")])
    assert results_list(sidebar).model().rowCount() == 0
    sidebar.show_search_results("nothing", [])
    assert sidebar.findChild(QLabel, "noResultsLabel").isVisible()


def test_escape_clears_the_search_and_shows_the_list_again(sidebar, qtbot):
    box = search_box(sidebar)
    box.setText("x")
    sidebar.show_search_results("x", [SearchHit(1, "Newest", 5, Role.USER, "x")])
    assert not conversation_list(sidebar).isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    assert conversation_list(sidebar).isVisible()


@pytest.mark.parametrize(("message_id", "expected"), [(None, -1), (5, 5)])
def test_activating_a_hit_opens_its_conversation_at_the_message(
    sidebar, qtbot, message_id, expected
):
    search_box(sidebar).setText("x")
    sidebar.show_search_results("x", [SearchHit(3, "Oldest", message_id, None, "x")])
    view = results_list(sidebar)
    focus_row(qtbot, view, 0)
    opened = []
    sidebar.conversation_selected.connect(opened.append)
    with qtbot.waitSignal(sidebar.search_hit_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [3]
    assert activated.args == [3, expected]
    assert selected_title(sidebar) == "Oldest"


def test_down_in_the_search_box_moves_into_the_results(sidebar, qtbot):
    box = search_box(sidebar)
    sidebar.focus_search()
    qtbot.waitUntil(box.hasFocus)
    box.setText("x")
    sidebar.show_search_results("x", [SearchHit(3, "Oldest", 5, Role.USER, "x")])
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert results_list(sidebar).hasFocus()
    assert results_list(sidebar).currentIndex().row() == 0


def test_relative_dates(sidebar):
    delegate = conversation_list(sidebar).itemDelegate()
    today = QDate(2026, 3, 14)

    def at(day: QDate, hour: int) -> float:
        return QDateTime(day, QTime(hour, 3)).toSecsSinceEpoch()

    assert delegate.relative_date(at(today, 14), today).startswith("Today")
    assert "14" in delegate.relative_date(at(today, 14), today)
    assert delegate.relative_date(at(today.addDays(-1), 9), today) == "Yesterday"
    older = delegate.relative_date(at(today.addDays(-40), 9), today)
    assert older and not older.startswith(("Today", "Yesterday"))


def test_context_menu_offers_rename_and_delete_for_the_row_clicked(sidebar, qtbot):
    view = conversation_list(sidebar)
    position = view.visualRect(view.model().index(1, 0)).center()
    view.customContextMenuRequested.emit(position)
    menu = sidebar.findChild(QMenu)
    assert [action.text() for action in menu.actions()] == ["Rename…", "Delete…"]
    next(action for action in menu.actions() if action.text() == "Delete…").trigger()
    with qtbot.waitSignal(sidebar.delete_requested) as deleted:
        delete_question(sidebar).button(QMessageBox.StandardButton.Yes).click()
    assert deleted.args == [2]
