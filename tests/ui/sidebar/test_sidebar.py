"""The sidebar: order, groups, pins, selection, rename, delete (one or several), pages,
debounced search and its results (one row per conversation)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QMenu, QMessageBox, QPushButton

from desktopchat.domain.types import Conversation, ConversationPage
from desktopchat.storage.history import SNIPPET_END, SNIPPET_START, ConversationHit
from desktopchat.ui.sidebar.conversation_delegate import (
    HITS_ROLE,
    MARKED_SNIPPET_ROLE,
    MARKED_TITLE_ROLE,
    MESSAGE_ID_ROLE,
)
from desktopchat.ui.sidebar.conversation_model import HEADER_ROLE, group_of
from desktopchat.ui.sidebar.marked_text import marked
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.contrast import match_tint
from desktopchat.ui.support.theme import apply_theme, dark_palette, light_palette

NOW = time.time()


def conversation(
    conversation_id: int, title: str, age: float, *, pinned: bool = False
) -> Conversation:
    return Conversation(conversation_id, title, NOW - age, NOW - age, pinned=pinned)


def hit(conversation_id, title, message_id, snippet, hits=1, title_snippet=None):
    return ConversationHit(conversation_id, title, title_snippet, hits, message_id, snippet)


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
    """The conversations' titles, headers left out."""
    model = view.model()
    rows = (model.index(row, 0) for row in range(model.rowCount()))
    return [index.data() for index in rows if index.data(HEADER_ROLE) is None]


def shown_rows(view: QListView) -> list[str]:
    """Every row: headers as "# label", conversations by title."""
    model = view.model()
    rows = (model.index(row, 0) for row in range(model.rowCount()))
    return [
        index.data() if index.data(HEADER_ROLE) is None else f"# {index.data()}" for index in rows
    ]


def row_of(view: QListView, title: str) -> int:
    return shown_rows(view).index(title)


def selected_title(sidebar: Sidebar) -> str | None:
    index = conversation_list(sidebar).currentIndex()
    return index.data() if index.isValid() else None


def focus_row(qtbot, view: QListView, row: int | str) -> None:
    view.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.hasFocus)
    if isinstance(row, str):
        row = row_of(view, row)
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
    rect = view.visualRect(view.model().index(row_of(view, "Oldest"), 0))
    with qtbot.waitSignal(sidebar.conversation_selected) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [3]
    focus_row(qtbot, view, "Newest")
    with qtbot.waitSignal(sidebar.conversation_browsed) as browsed:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert browsed.args == [2], "the arrow keys open what they move to"
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
    focus_row(qtbot, view, "Oldest")
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
    focus_row(qtbot, view, "Oldest")
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    editor.setText(typed)
    with qtbot.assertNotEmitted(sidebar.rename_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def delete_question(sidebar: Sidebar) -> QMessageBox:
    return sidebar.findChild(QMessageBox, "deleteConversationQuestion")


def test_delete_key_asks_first_naming_the_conversation_then_reports_it(sidebar, qtbot):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, "Newest")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    question = delete_question(sidebar)
    assert "“Newest”" in question.text()
    with qtbot.waitSignal(sidebar.delete_requested) as deleted:
        question.button(QMessageBox.StandardButton.Yes).click()
    assert deleted.args == [[1]]


def test_cancelling_the_delete_question_deletes_nothing(sidebar, qtbot):
    view = conversation_list(sidebar)
    focus_row(qtbot, view, "Newest")
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


def test_search_results_are_one_row_per_conversation_with_plain_marked_text(sidebar, english):
    search_box(sidebar).setText("x")
    sidebar.show_search_results(
        "x",
        [
            hit(7, "<b>x</b>", None, "", 0, f"<b>{SNIPPET_START}x{SNIPPET_END}</b>"),
            hit(8, "A & B", 42, f"…**<i>y</i>** & {SNIPPET_START}x{SNIPPET_END}…", hits=7),
        ],
    )
    view = results_list(sidebar)
    assert view.isVisible()
    title_hit, message_hit = (view.model().index(row, 0) for row in range(2))
    assert view.model().rowCount() == 2
    assert marked(title_hit.data(MARKED_TITLE_ROLE)) == ("<b>x</b>", [(3, 1)])
    assert marked(message_hit.data(MARKED_SNIPPET_ROLE)) == ("…<i>y</i> & x…", [(12, 1)])
    assert [title_hit.data(MESSAGE_ID_ROLE), message_hit.data(MESSAGE_ID_ROLE)] == [-1, 42]
    assert message_hit.data(HITS_ROLE) == 7
    assert "7 matching messages" in message_hit.data(Qt.ItemDataRole.AccessibleTextRole)


def test_marked_text_drops_markdown_marks_and_joins_lines():
    assert marked(f"```python\n## A **{SNIPPET_START}b{SNIPPET_END}** `c`") == (
        "A b c",
        [(2, 1)],
    )


def test_no_results_and_stale_results(sidebar):
    search_box(sidebar).setText("nothing")
    sidebar.show_search_results("nothin", [hit(1, "Newest", None, "Newest")])
    assert results_list(sidebar).model().rowCount() == 0
    sidebar.show_search_results("nothing", [])
    assert sidebar.findChild(QLabel, "noResultsLabel").isVisible()


def test_escape_clears_the_search_and_shows_the_list_again(sidebar, qtbot):
    box = search_box(sidebar)
    box.setText("x")
    sidebar.show_search_results("x", [hit(1, "Newest", 5, "x")])
    assert not conversation_list(sidebar).isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    assert conversation_list(sidebar).isVisible()


@pytest.mark.parametrize(("message_id", "expected"), [(None, None), (5, 5)])
def test_activating_a_hit_opens_its_conversation_at_the_message(
    sidebar, qtbot, message_id, expected
):
    search_box(sidebar).setText("x")
    sidebar.show_search_results("x", [hit(3, "Oldest", message_id, "x")])
    view = results_list(sidebar)
    focus_row(qtbot, view, 0)
    opened = []
    sidebar.conversation_selected.connect(opened.append)
    with qtbot.waitSignal(sidebar.search_hit_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [3]
    assert activated.args == [3, expected, "x"]


def test_down_in_the_search_box_moves_into_the_results(sidebar, qtbot):
    box = search_box(sidebar)
    sidebar.focus_search()
    qtbot.waitUntil(box.hasFocus)
    box.setText("x")
    sidebar.show_search_results("x", [hit(3, "Oldest", 5, "x")])
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert results_list(sidebar).hasFocus()
    assert results_list(sidebar).currentIndex().row() == 0


def test_down_then_enter_from_the_empty_search_box_opens_the_newest_conversation(sidebar, qtbot):
    """Ctrl+K, Down, Enter (the keyboard way the end-to-end tests use): the list starts with
    a group's header, yet Enter opens the newest conversation."""
    box = search_box(sidebar)
    sidebar.focus_search()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    view = conversation_list(sidebar)
    assert view.hasFocus()
    assert view.currentIndex().data(HEADER_ROLE) is None
    opened = []
    sidebar.conversation_selected.connect(opened.append)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [1]


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


def test_context_menu_acts_on_the_row_clicked_and_leaves_the_highlight(sidebar, qtbot):
    sidebar.select_conversation(1)
    view = conversation_list(sidebar)
    position = view.visualRect(view.model().index(row_of(view, "New conversation"), 0)).center()
    view.customContextMenuRequested.emit(position)
    menu = sidebar.findChild(QMenu)
    assert [action.text() for action in menu.actions()] == ["Rename…", "Pin", "Delete…"]
    assert selected_title(sidebar) == "Newest", "the highlight stays on what is on screen"
    next(action for action in menu.actions() if action.text() == "Delete…").trigger()
    with qtbot.waitSignal(sidebar.delete_requested) as deleted:
        delete_question(sidebar).button(QMessageBox.StandardButton.Yes).click()
    assert deleted.args == [[2]]
    menu.close()
    sidebar.remove_conversation(2)
    assert selected_title(sidebar) == "Newest"


def test_deleting_the_row_above_keeps_the_highlight_on_the_conversation_shown(sidebar):
    sidebar.select_conversation(3)
    sidebar.remove_conversation(1)
    assert selected_title(sidebar) == "Oldest"
    sidebar.remove_conversation(3)
    assert selected_title(sidebar) is None, "nothing is highlighted rather than a neighbour"


def test_groups_by_date_with_pins_on_top(qtbot, english):
    widget = Sidebar()
    qtbot.addWidget(widget)
    day = 86_400
    widget.set_conversations(
        [
            conversation(1, "Now", 5),
            conversation(2, "Old but pinned", 400 * day, pinned=True),
            conversation(3, "Yesterday's", day + 60),
            conversation(4, "Last week", 3 * day),
            conversation(5, "Last month", 20 * day),
            conversation(6, "Long ago", 100 * day),
        ]
    )
    rows = shown_rows(conversation_list(widget))
    assert rows[:10] == [
        "# Pinned",
        "Old but pinned",
        "# Today",
        "Now",
        "# Yesterday",
        "Yesterday's",
        "# Previous 7 days",
        "Last week",
        "# Previous 30 days",
        "Last month",
    ]
    month = group_of(conversation(6, "", 100 * day), QDate.currentDate())
    assert rows[10:] == [f"# {month}", "Long ago"]
    assert month.split()[0] in {
        QDate(2026, number, 1).toString("MMMM") for number in range(1, 13)
    } | {QLocale().standaloneMonthName(number) for number in range(1, 13)}, month
    assert not month[0].isdigit(), "a month's name (LANG unset: the C locale), not a number"
    header = conversation_list(widget).model().index(0, 0)
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable


def test_a_pin_moves_the_conversation_to_the_top_and_back(sidebar):
    sidebar.upsert_conversation(conversation(3, "Oldest", 30, pinned=True))
    assert shown_rows(conversation_list(sidebar)) == [
        "# Pinned",
        "Oldest",
        "# Today",
        "Newest",
        "New conversation",
    ]
    sidebar.upsert_conversation(conversation(3, "Oldest", 30))
    assert shown_rows(conversation_list(sidebar)) == [
        "# Today",
        "Newest",
        "New conversation",
        "Oldest",
    ]


def test_ctrl_click_selects_several_and_one_question_names_the_count(sidebar, qtbot, english):
    sidebar.select_conversation(1)
    view = conversation_list(sidebar)
    opened = []
    sidebar.conversation_selected.connect(opened.append)
    for title in ("New conversation", "Oldest"):
        rect = view.visualRect(view.model().index(row_of(view, title), 0))
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            rect.center(),
        )
    assert opened == [], "a Ctrl click selects, it does not open"
    assert sidebar.selected_ids() == [1, 2, 3]
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(sidebar.pin_requested) as pinned:
        sidebar.list_actions.pin.trigger()
    assert pinned.args == [[1, 2, 3], True]
    sidebar.list_actions.delete.trigger()
    question = delete_question(sidebar)
    assert "3 conversations" in question.text()
    with qtbot.waitSignal(sidebar.delete_requested) as deleted:
        question.button(QMessageBox.StandardButton.Yes).click()
    assert deleted.args == [[1, 2, 3]]


def test_f2_and_del_act_on_the_conversation_shown_when_the_list_has_no_focus(sidebar, qtbot):
    sidebar.select_conversation(3)
    sidebar.setFocus()  # not the list
    sidebar.list_actions.delete.trigger()
    assert "“Oldest”" in delete_question(sidebar).text()
    delete_question(sidebar).button(QMessageBox.StandardButton.Cancel).click()
    sidebar.list_actions.rename.trigger()
    editor = conversation_list(sidebar).findChild(QLineEdit)
    assert editor is not None and editor.text() == "Oldest"


def test_pages_load_as_the_list_is_scrolled(qtbot):
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.resize(300, 400)
    first = tuple(conversation(n, f"c{n}", n * 60) for n in range(1, 51))
    asked = []
    widget.page_wanted.connect(asked.append)
    widget.set_first_page(ConversationPage(first, True, (0, first[-1].updated, 50)))
    widget.show()
    qtbot.waitExposed(widget)
    view = conversation_list(widget)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: asked == [(0, first[-1].updated, 50)])
    more = tuple(conversation(n, f"c{n}", n * 60) for n in range(51, 61))
    widget.add_page(ConversationPage((first[-1], *more), False, None))
    titles = shown_titles(view)
    assert titles == [f"c{n}" for n in range(1, 61)], "in order, none twice"


def test_a_page_arriving_does_not_pull_the_list_back_to_the_conversation_shown(qtbot):
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.resize(300, 400)
    first = tuple(conversation(n, f"c{n}", n * 60) for n in range(1, 51))
    widget.set_first_page(ConversationPage(first, True, (0, first[-1].updated, 50)))
    widget.show()
    qtbot.waitExposed(widget)
    widget.select_conversation(1)
    view = conversation_list(widget)
    view.scrollToBottom()
    bottom = view.verticalScrollBar().value()
    assert bottom > 0
    more = tuple(conversation(n, f"c{n}", n * 60) for n in range(51, 61))
    widget.add_page(ConversationPage(more, False, None))
    assert view.verticalScrollBar().value() == bottom
    assert selected_title(widget) == "c1"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_pinned_rows_pin_is_drawn_in_the_themes_text_colour(sidebar, dark):
    """The pin is the icon of our set (pin.svg), painted like the row's muted text: light
    on the dark theme, dark on the light one, before the title."""
    palette = dark_palette() if dark else light_palette()
    sidebar.setPalette(palette)
    view = conversation_list(sidebar)

    def pin_place(pinned: bool) -> list[int]:
        """The lightness of the pixels where a pin goes: the start of the title line."""
        sidebar.upsert_conversation(conversation(3, "Oldest", 30, pinned=pinned))
        rect = view.visualRect(view.model().index(row_of(view, "Oldest"), 0))
        image = view.viewport().grab().toImage()
        return [
            image.pixelColor(x, y).lightness()
            for x in range(rect.left() + 8, rect.left() + 22)
            for y in range(rect.top() + 6, rect.top() + 22)
        ]

    pinned, unpinned = pin_place(True), pin_place(False)
    assert pinned != unpinned
    background = palette.color(QPalette.ColorRole.Window).lightness()
    if dark:
        assert max(pinned) > background + 60
    else:
        assert min(pinned) < background - 60


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_search_matches_are_tinted_over_the_sidebars_own_colour(qapp, sidebar, theme):
    """The theme's style sheet makes the lists transparent (their window colour transparent
    black): the tint is worked out over what is behind them, light on the light theme."""
    palette, sheet = qapp.palette(), qapp.styleSheet()
    try:
        apply_theme(qapp, theme)
        search_box(sidebar).setText("word")
        sidebar.show_search_results(
            "word", [hit(7, "word", None, "", 0, f"{SNIPPET_START}word{SNIPPET_END} " * 3)]
        )
        view = results_list(sidebar)
        image = view.viewport().grab().toImage()
        expected = match_tint(sidebar.palette()).name()
        rect = view.visualRect(view.model().index(0, 0))
        tinted = [
            (x, y)
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
            if image.pixelColor(x, y).name() == expected
        ]
        assert len(tinted) > 50, expected
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
