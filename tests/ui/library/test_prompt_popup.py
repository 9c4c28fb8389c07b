"""`/` in an empty message box, the variables form and the text it puts in the composer, as a
person uses them in the main window (ui/library/prompt_link.py, slash_trigger.py,
prompt_picker.py, variables_form.py). Nothing is ever sent by using a prompt."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QFrame, QLineEdit, QPlainTextEdit, QWidget

from desktopchat.system.prompt_file import read_prompts
from desktopchat.ui.library.prompt_picker import PromptPicker, popup_place
from desktopchat.ui.library.variables_form import VariablesForm


def with_prompts(app, *prompts):
    library = app.services.prompts
    app.run(library.load())
    made = [library.add(name, body) for name, body in prompts]
    app.run(library.aclose())
    return made


def picker(app) -> PromptPicker:
    app.qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), PromptPicker))
    return QApplication.activePopupWidget()


def picker_rows(popup: PromptPicker) -> list[str]:
    shown = popup.findChild(type(popup._list), "promptPickerList")
    return [shown.item(row).text() for row in range(shown.count())]


def chat_requests(app) -> list:
    return [r for r in app.server.requests if r.path.endswith("/chat/completions")]


def form(app) -> VariablesForm:
    app.qtbot.waitUntil(lambda: app.window.findChild(VariablesForm) is not None)
    found = app.window.findChild(VariablesForm)
    app.qtbot.waitUntil(found.isVisible)
    return found


def test_slash_filters_and_enter_puts_the_prompt_in_the_box_unsent(make_app):
    app = make_app()
    with_prompts(app, ("Summarise", "Summarise the text above."), ("Translate", "Into French."))
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "/")
    popup = picker(app)
    assert app.composer.toPlainText() == "/"
    assert picker_rows(popup) == ["Summarise", "Translate", "Manage prompts… (Ctrl+Shift+P)"]
    filter_box = popup.findChild(QLineEdit, "promptFilter")
    app.qtbot.keyClicks(filter_box, "fren")  # the body matches too
    assert picker_rows(popup)[0] == "Translate"
    app.qtbot.keyClick(filter_box, Qt.Key.Key_Return)
    app.qtbot.waitUntil(lambda: app.composer.toPlainText() == "Into French.")
    assert app.composer.hasFocus()
    app.settle()
    assert chat_requests(app) == []
    app.composer.undo()  # one step takes the prompt out and gives the `/` back
    assert app.composer.toPlainText() == "/"


def test_esc_leaves_the_slash_and_a_slash_after_text_opens_nothing(make_app):
    app = make_app()
    with_prompts(app, ("One", "1"))
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "/")
    popup = picker(app)
    app.qtbot.keyClick(popup.findChild(QLineEdit, "promptFilter"), Qt.Key.Key_Escape)
    app.qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert app.composer.toPlainText() == "/"
    app.qtbot.waitUntil(app.composer.hasFocus)
    app.qtbot.keyClicks(app.composer, "a/b")
    app.settle()
    assert QApplication.activePopupWidget() is None
    assert app.composer.toPlainText() == "/a/b"


def test_arrows_choose_and_the_form_fills_variables_and_built_ins(make_app, english):
    app = make_app()
    app.send("Hello there")
    app.wait_reply_done()
    view = app.window.chat_view
    cursor = view.document().find("Hello there")
    view.setTextCursor(cursor)  # selected in the transcript
    QGuiApplication.clipboard().setText("from the clipboard")
    body = "{{ tone }} reply to {{selection}} on {{date}}: {{text}} + {{clipboard}} {{{raw}}} {{x"
    with_prompts(app, ("Other", "o"), ("Reply", body))
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "/")
    popup = picker(app)
    filter_box = popup.findChild(QLineEdit, "promptFilter")
    app.qtbot.keyClick(filter_box, Qt.Key.Key_Down)
    app.qtbot.keyClick(filter_box, Qt.Key.Key_Return)
    filling = form(app)
    tone = filling.findChild(QLineEdit, "variable:tone")
    text = filling.findChild(QPlainTextEdit, "variable:text")  # a passage: several lines
    assert tone is not None and text is not None
    app.qtbot.waitUntil(tone.hasFocus)
    app.qtbot.keyClicks(tone, "Warm")
    text.setPlainText("line one\nline two")
    app.qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    today = QLocale().toString(QDate.currentDate(), QLocale.FormatType.LongFormat)
    expected = (
        f"Warm reply to Hello there on {today}: line one\nline two + from the clipboard "
        "{{{raw}}} {{x"
    )
    app.qtbot.waitUntil(lambda: app.composer.toPlainText() == expected)
    app.run(app.services.prompts.aclose())
    stored = {p.name: p for p in read_prompts(app.services.prompts._file.path)[0]}
    assert dict(stored["Reply"].values) == {"tone": "Warm", "text": "line one\nline two"}
    assert chat_requests(app) and len(chat_requests(app)) == 1  # only "Hello there"

    # Next time the form offers what was typed, and Cancel changes nothing.
    app.composer.clear()
    app.window.prompts.use(stored["Reply"].id, replace_slash=False)
    again = form(app)
    assert again.findChild(QLineEdit, "variable:tone").text() == "Warm"
    again.reject()
    assert app.composer.toPlainText() == ""


def test_an_empty_selection_is_left_as_typed_and_said(make_app):
    app = make_app()
    (prompt,) = with_prompts(app, ("Quote", "> {{selection}}"))
    app.window.chat_view.setTextCursor(QTextCursor(app.window.chat_view.document()))
    app.window.prompts.use(prompt.id, replace_slash=False)
    assert app.composer.toPlainText() == "> {{selection}}"
    assert "{{selection}} was left as typed" in app.window.statusBar().currentMessage()


def test_the_last_row_opens_the_library_even_when_empty(make_app):
    app = make_app()
    app.composer.setFocus()
    app.qtbot.keyClicks(app.composer, "/")
    popup = picker(app)
    assert picker_rows(popup) == ["No saved prompts yet", "Manage prompts… (Ctrl+Shift+P)"]
    app.qtbot.keyClick(popup.findChild(QLineEdit, "promptFilter"), Qt.Key.Key_Return)
    app.qtbot.waitUntil(lambda: app.window.prompts._dialog is not None)
    assert app.window.prompts._dialog.isVisible()
    app.window.prompts._dialog.reject()


def test_a_huge_clipboard_is_cut_and_said(make_app, english):
    app = make_app()
    (prompt,) = with_prompts(app, ("Paste", "<{{clipboard}}>"))
    QGuiApplication.clipboard().setText("x" * 100_001)
    app.window.prompts.use(prompt.id, replace_slash=False)
    assert app.composer.toPlainText() == "<" + "x" * 100_000 + ">"
    assert "first 100,000 characters" in app.window.statusBar().currentMessage()


def test_the_popup_sits_above_the_card_clear_of_its_border_at_every_width(make_app):
    app = make_app()
    with_prompts(app, ("Summarise", "Summarise the text above."))
    card = app.window.findChild(QFrame, "composerCard")
    for width in (640, 1600):
        app.window.resize(width, 900)
        app.settle()
        app.composer.clear()
        app.composer.setFocus()
        app.qtbot.keyClicks(app.composer, "/")
        popup = picker(app)
        top_left = card.mapToGlobal(QPoint(0, 0))
        shown = popup.frameGeometry()
        assert shown.bottom() < top_left.y()  # the card's top border stays in sight
        assert abs(shown.left() - top_left.x()) <= 2  # offscreen moves windows by 2 px
        assert shown.right() < top_left.x() + card.width()
        popup.close()


def test_with_no_room_above_the_popup_opens_below_the_card(qtbot):
    card = QWidget()
    qtbot.addWidget(card)
    screen = card.screen().availableGeometry()
    card.setGeometry(screen.left() + 20, screen.top() + 30, 400, 80)
    card.show()
    qtbot.waitExposed(card)
    place = popup_place(QSize(300, 200), card)
    top_left = card.mapToGlobal(QPoint(0, 0))
    assert place.y() > top_left.y() + card.height()
    assert place.x() == top_left.x()
