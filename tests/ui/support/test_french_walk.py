# ruff: noqa: F811  (the shared fixture `french` is a parameter here)
"""A walk through every window and dialog in French: nothing a person sees or hears (texts,
tooltips, placeholders, accessible names, table headers and cells, notices, banners, the
conversation) may be left in English.

Two detectors: a text that matches an English source of the .ts whose French differs (a
missing tr(); tests/ui/support/test_french.py), and English function words in running text
("the", "of", "could" …), which also catch English that never went through the catalogue:
a keychain's reason, a detail written by the core, a note stored as words, Qt's own strings.
Words inside identifiers, paths and addresses (OPENAI_API_KEY, /tmp/…, wire-large) are not
words of a sentence and are not looked at.
"""

from __future__ import annotations

import json
import re

import keyring
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.providers.limits import MODEL_LIST, RESPONSE, TooLarge, TooSlow
from desktopchat.services.attachments import NO_TEXT_NOTE
from desktopchat.services.backups import BackupService
from desktopchat.services.registry import import_sdk
from desktopchat.system.key_text import unsendable_character
from desktopchat.system.keychain_problems import KeychainProblem, KeychainTrouble
from desktopchat.ui.library.restore_dialog import RestoreDialog
from desktopchat.ui.settings.dialog import key_presets
from desktopchat.ui.settings.endpoints import EndpointEditor
from desktopchat.ui.support.translation import (
    describe_error,
    describe_keychain,
    qt_gap_words,
)
from desktopchat.ui.transcript.attachment_lines import note_text
from desktopchat.ui.window.startup import after_window_shown
from tests.file_dialogs import answering_file_dialogs
from tests.keyring_memory import FailingKeyring
from tests.services.importers.archives import chatgpt_linear
from tests.ui.conftest import TEST_KEY
from tests.ui.support.test_french import (  # noqa: F401  (french: the fixture, shared)
    document_strings,
    english_leftovers,
    french,
    widget_strings,
)
from tests.wire_server import Fault

ENGLISH_WORDS = frozenset(
    {
        *("the", "and", "of", "to", "is", "are", "was", "were", "be", "been", "not", "with"),
        *("for", "from", "this", "that", "these", "those", "it", "its", "you", "your", "can"),
        *("cannot", "could", "will", "would", "should", "has", "have", "had", "or", "by"),
        *("what", "which", "when", "where", "there", "here", "than", "then", "only", "into"),
        *("they", "their", "yet", "none", "keep", "kept", "key", "keys", "saved", "stored"),
        *("found", "folder", "file", "files", "look", "can't", "don't", "isn't", "it's"),
    }
)
"""English words that are no French word either ("a", "on", "an", "as", "type" … are)."""
WORD = re.compile(r"(?<![\w\-/.:@&'’])[A-Za-z]+(?:['’][a-z]+)?(?![\w\-/.@'’])")


def english_words(text: str) -> list[str]:
    """The English function words of running text; a word in capitals (an acronym) or
    glued into an identifier, a path or an address does not count."""
    return [
        word
        for word in WORD.findall(text)
        if word.lower() in ENGLISH_WORDS and (word.islower() or word.istitle())
    ]


def leftovers(shown: list[tuple[str, str]]) -> list[str]:
    found = english_leftovers(shown)
    for where, text in dict.fromkeys(shown):
        words = english_words(text)
        if words:
            found.append(f"{where}: {text!r} (English words: {', '.join(words)})")
    return found


def assert_french(shown: list[tuple[str, str]]) -> None:
    found = leftovers(shown)
    assert not found, "English on the French screen:\n" + "\n".join(found)


def view_strings(root: QWidget) -> list[tuple[str, str]]:
    """What the item views under `root` show: headers, and the cells of the first rows
    (a file dialog's names, sizes, types; the usage table; the shortcuts list)."""
    shown = []
    for view in [root, *root.findChildren(QAbstractItemView)]:
        if not isinstance(view, QAbstractItemView) or view.model() is None:
            continue
        model, where = view.model(), view.objectName() or type(view).__name__
        parent = view.rootIndex() if view.rootIndex().isValid() else QModelIndex()
        try:
            columns = model.columnCount(parent)
        except TypeError:  # a list model keeps columnCount to itself: one column
            columns = 1
        for column in range(columns):
            shown.append((where, str(model.headerData(column, Qt.Orientation.Horizontal) or "")))
        for row in range(min(model.rowCount(parent), 50)):
            for column in range(columns):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        shown.append((where, value))
    return [(where, text) for where, text in shown if text]


def everything(root: QWidget) -> list[tuple[str, str]]:
    return widget_strings(root) + view_strings(root)


def visible(window: QWidget, kind: type, name: str | None = None) -> list:
    return [w for w in window.findChildren(kind, name) if w.isVisible()]


# --- the detector itself ------------------------------------------------------------------


def test_the_detector_finds_english_and_leaves_french_and_names_alone():
    assert english_words("Détails : the stream ended before the reply did") == ["the", "the"]
    assert english_words("Files of type:") == ["Files", "of"]
    assert english_words("Look in:") == ["Look"]
    assert english_words("Folder") == ["Folder"]
    assert english_words("Clé dans la variable OPENAI_API_KEY") == []
    assert english_words("Il a mis une clé sur /tmp/the-file.txt, à 10 h, type texte") == []
    assert english_words("wire-large · 1,2 ko · it's") == ["it's"]


# --- the core's words, worded in French -----------------------------------------------------


def test_keychain_reasons_details_and_notes_are_french(french):
    for trouble in KeychainTrouble:
        problem = KeychainProblem(trouble, "KeyringError: backend gone" * (trouble == "failed"))
        said = describe_keychain(problem)
        assert said != str(problem) and not english_words(said.replace("backend gone", "")), said
    errors = [
        ChatError(ErrorKind.CUT_STREAM, provider="OpenAI", detail=detail)
        for detail in (
            "the stream ended before the reply did",
            "timed out while connecting",
            "finish reason: length",
            str(KeychainProblem(KeychainTrouble.LOCKED)),
            str(TooSlow(MODEL_LIST, 0.6)),
            str(TooLarge(RESPONSE, 32 << 20, streaming=False)),
            unsendable_character("sk-ab\u2013cd").describe(),
        )
    ]
    for error in errors:
        said = describe_error(error)
        assert not english_words(said.replace("length", "")), said
    assert note_text(NO_TEXT_NOTE) == "Aucun texte trouvé\u00a0: un PDF scanné\u00a0?"
    assert not any(english_words(words) for words in qt_gap_words())


# --- the walk -------------------------------------------------------------------------------


def test_the_main_window_its_notices_and_settings_speak_french(
    french, make_app, qtbot, monkeypatch
):
    """No keychain (its notice at start, the Keys banner; the key comes from the
    environment), a reply, a cut reply, every tab of Settings and the endpoint editor."""
    keyring.set_keyring(FailingKeyring(keyring.errors.KeyringError("backend gone")))
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    app = make_app(keys={})
    app.run(import_sdk("openai"), timeout=60000)  # a cold import under load takes seconds
    window = app.window
    warm_up = after_window_shown(window, None, None)
    qtbot.waitUntil(warm_up.done, timeout=10000)
    assert window.notices.isVisible()
    shown = everything(window)

    window.open_settings()
    dialog = window.findChild(QDialog, "settingsDialog")
    rows = [dialog.keys_tab.row(p.id) for p in key_presets(window.prefs.custom_endpoints)]
    qtbot.waitUntil(lambda: all(row.source is not None for row in rows), timeout=10000)
    qtbot.waitUntil(lambda: dialog.keys_tab.banner_text() != "", timeout=10000)
    row = dialog.keys_tab.row("openai")
    qtbot.keyClicks(row.field, "sk-test-0123456789abcdefghij")
    row.save_button.click()
    qtbot.waitUntil(lambda: row.source is not None and not row.busy, timeout=10000)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        shown += everything(dialog)
    for keychain in (True, False):
        editor = EndpointEditor(None, dialog, keychain=keychain)
        shown += everything(editor)
        editor.deleteLater()
    dialog.reject()

    app.server.reply.text = "Bonjour."
    app.send("Salut")
    app.wait_reply_done(timeout=20000)
    app.server.queue(Fault.truncated(after=2))  # ends cleanly, the reply unfinished
    app.send("Encore")
    app.wait_reply_done(timeout=20000)
    shown += document_strings(window.chat_view.document(), "conversationView")
    assert ("conversationView", "Bonjour.") in shown
    assert any("Détails" in text and "flux" in text for _where, text in shown)
    assert_french(shown)


def test_the_dialogs_of_the_menus_speak_french(french, make_app, qtbot, tmp_path):
    """Import (its preview and its report), restore from a backup, compare, usage, the
    keyboard shortcuts, and the file dialog Qt draws itself."""
    app = make_app(keys={"openai": TEST_KEY})  # the model is typed in: no list to wait for
    app.run(import_sdk("openai"), timeout=60000)
    window = app.window
    app.server.reply.text = "Bonjour."
    app.send("Salut")
    app.wait_reply_done(timeout=20000)
    shown: list[tuple[str, str]] = []

    archive = tmp_path / "conversations.json"
    archive.write_text(json.dumps([chatgpt_linear("x", 2)]))
    with answering_file_dialogs(archive):
        window.findChild(QAction, "import").trigger()
        qtbot.waitUntil(lambda: bool(visible(window, QMessageBox, "importPreview")), timeout=10000)
    preview = visible(window, QMessageBox, "importPreview")[0]
    shown += [*everything(preview), ("importPreview", preview.text())]
    preview.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: len(app.sidebar_titles()) == 2, timeout=10000)
    qtbot.waitUntil(lambda: bool(visible(window, QMessageBox)), timeout=10000)
    for box in visible(window, QMessageBox):
        shown += [*everything(box), ("importReport", box.text())]
        box.close()

    assert BackupService(app.store).back_up_if_due() is not None
    window.findChild(QAction, "restore").trigger()
    restore = window.findChild(RestoreDialog)
    qtbot.waitUntil(lambda: restore.list.count() == 1, timeout=10000)
    qtbot.waitUntil(lambda: restore.preview.toPlainText() != "", timeout=10000)
    shown += [*everything(restore), ("restorePreview", restore.preview.toPlainText())]
    restore.reject()

    window.findChild(QAction, "compareModels").trigger()
    compare = window.compare_link.dialog
    app.settle()  # its model lists
    shown += everything(compare)
    compare.reject()

    window.findChild(QAction, "usage").trigger()
    qtbot.waitUntil(lambda: bool(visible(window, QDialog)), timeout=10000)
    app.settle()  # its figures
    for usage in visible(window, QDialog):
        shown += everything(usage)
        usage.reject()

    window.findChild(QAction, "shortcuts").trigger()
    qtbot.waitUntil(lambda: bool(visible(window, QDialog)), timeout=10000)
    for shortcuts in visible(window, QDialog):
        shown += everything(shortcuts)
        shortcuts.reject()

    (tmp_path / "Un dossier").mkdir()
    (tmp_path / "notes.txt").write_text("Bonjour")
    window.composer.choose_files()
    files = visible(window, QFileDialog)[0]
    files.setDirectory(str(tmp_path))
    listing = files.findChild(QAbstractItemView, "treeView")
    qtbot.waitUntil(lambda: listing.model().rowCount(listing.rootIndex()) >= 3, timeout=10000)
    shown += everything(files)
    assert ("treeView", "Dossier") in shown
    assert any("Voir dans" in label.text() for label in files.findChildren(QLabel))
    files.reject()

    assert_french(shown)
