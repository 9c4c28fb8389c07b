"""The French UI: the shipped translation is complete, current with the sources and compiled,
and a French main window and Settings dialog show nothing that stayed English.

"Stayed English" means a string on screen that matches an English source of the .ts (with
its placeholders filled in) whose French translation differs: brand names and words that are
the same in both languages ("Message", "Assistant") are not flagged.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QStatusBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.ui.settings.dialog import key_presets
from desktopchat.ui.settings.endpoints import EndpointEditor
from desktopchat.ui.support.resources import resource_path
from desktopchat.ui.support.translation import describe_error, install_translators, ui_language
from desktopchat.ui.transcript.inline_editor import InlineEditor

REPO = Path(__file__).resolve().parents[3]
TS_FILE = resource_path("translations/desktopchat_fr.ts")
QM_NAME = "translations/desktopchat_fr.qm"
# What must survive translation untouched: Qt and str.format placeholders, and HTML tags.
PLACEHOLDER = re.compile(r"%L?n|%L?\d+|\{\w+\}|<[^>]+>")
# What tools/update_translations.sh scans, run from the repository's top folder.
LUPDATE_SCAN = ("-silent", "-extensions", "py", "-locations", "none", "desktopchat")
# A mnemonic marker (a lone "&"; "&&" is a literal ampersand).
MNEMONIC = re.compile(r"(?<!&)&(?!&)")


@dataclass(frozen=True)
class TsMessage:
    context: str
    source: str
    numerus: bool
    state: str | None  # the translation's type attribute: unfinished, vanished, obsolete
    forms: tuple[str, ...]  # the translation, or its plural forms


def read_ts(path: Path) -> list[TsMessage]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = message.get("numerus") == "yes"
            if numerus:
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            messages.append(
                TsMessage(
                    name,
                    message.findtext("source") or "",
                    numerus,
                    translation.get("type"),
                    forms,
                )
            )
    return messages


MESSAGES = read_ts(TS_FILE)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def without_mnemonic(text: str) -> str:
    return MNEMONIC.sub("", text)


def english_pattern(source: str) -> re.Pattern[str]:
    """Matches the English source once its placeholders are filled in, with or without
    its mnemonic (an action's tooltip drops the "&")."""
    parts = PLACEHOLDER.split(without_mnemonic(source))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


# Sources whose French differs, so seeing them on a French screen means a missing tr(); a
# source that is placeholders and punctuation ("%1: %2.") has no English word to find.
ENGLISH_ONLY = [
    (message, english_pattern(message.source))
    for message in MESSAGES
    if all(form != message.source for form in message.forms)
    and re.search("[A-Za-z]{2,}", PLACEHOLDER.sub("", message.source))
]


def english_leftovers(shown: list[tuple[str, str]]) -> list[str]:
    leftovers = []
    for where, text in dict.fromkeys(shown):
        contexts = {m.context for m, p in ENGLISH_ONLY if p.fullmatch(without_mnemonic(text))}
        if contexts:
            leftovers.append(f"{where}: {text!r} (English source in {', '.join(sorted(contexts))})")
    return leftovers


def find_lupdate() -> str | None:
    beside_python = Path(sys.executable).with_name("pyside6-lupdate")
    return str(beside_python) if beside_python.exists() else shutil.which("pyside6-lupdate")


@pytest.fixture
def french(qapp) -> Iterator[list[QTranslator]]:
    """French installed as app.run() does; English again afterwards for the other tests."""
    previous_locale = QLocale()
    translators = install_translators(qapp, "fr")
    yield translators
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(previous_locale)


# --- the translation file ----------------------------------------------------------------


def test_every_message_is_translated_and_finished():
    assert MESSAGES, f"no messages in {TS_FILE}"
    problems = []
    for message in MESSAGES:
        where = f"{message.context}: {message.source!r}"
        if message.state is not None:
            problems.append(f"{where} is {message.state}")
        if message.numerus and len(message.forms) != 2:
            problems.append(f"{where} needs the 2 French plural forms, has {message.forms}")
        for form in message.forms:
            if not form.strip():
                problems.append(f"{where} has no translation")
            if placeholders(form) != placeholders(message.source):
                problems.append(f"{where}: placeholders differ in {form!r}")
            if len(MNEMONIC.findall(form)) != len(MNEMONIC.findall(message.source)):
                problems.append(f"{where}: the mnemonic (&) is lost or doubled in {form!r}")
    assert not problems, "\n".join(problems)


def test_the_translation_is_current_with_the_sources(tmp_path):
    lupdate = find_lupdate()
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed: cannot compare the .ts with the sources")
    fresh = tmp_path / "desktopchat_fr.ts"
    subprocess.run(
        [lupdate, *LUPDATE_SCAN, "-ts", str(fresh)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )

    def keys(messages: list[TsMessage]) -> set[tuple[str, str, bool]]:
        return {(m.context, m.source, m.numerus) for m in messages}

    in_sources, committed = keys(read_ts(fresh)), keys(MESSAGES)
    assert in_sources == committed, (
        "run tools/update_translations.sh and translate what it adds\n"
        f"missing from the .ts: {sorted(in_sources - committed)}\n"
        f"no longer in the sources: {sorted(committed - in_sources)}"
    )


def test_the_compiled_translation_ships_and_matches_the_ts():
    translator = QTranslator()
    assert translator.load(str(resource_path(QM_NAME)))
    stale = []
    for message in MESSAGES:
        # French uses the first form for 0 and 1, the second from 2 on.
        counts = (1, 2) if message.numerus else (-1,)
        for n, form in zip(counts, message.forms, strict=True):
            compiled = translator.translate(message.context, message.source, None, n)
            if compiled != form:
                stale.append(f"{message.context}: {message.source!r} → {compiled!r}")
    assert not stale, "the .qm is older than the .ts; run tools/update_translations.sh\n" + (
        "\n".join(stale)
    )


# --- installing it -------------------------------------------------------------------------


def test_french_follows_the_preference_then_the_system_language():
    assert ui_language("fr", QLocale("en_US")) == "fr"
    assert ui_language("en", QLocale("fr_FR")) == "en"
    assert ui_language("system", QLocale("fr_CA")) == "fr"
    assert ui_language("system", QLocale("de_DE")) == "en"


def test_install_translators_installs_ours_and_qts_own(french):
    assert len(french) == 2
    assert QCoreApplication.translate("SettingsDialog", "&Keys") == "&Clés"
    assert QLocale().language() == QLocale.Language.French
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert "Annuler" in buttons.button(QDialogButtonBox.StandardButton.Cancel).text()


def test_plural_messages_pick_the_french_form(french):
    source = "Key works: %n models available."
    assert QCoreApplication.translate("KeysTab", source, None, 1).endswith("1 modèle disponible.")
    assert QCoreApplication.translate("KeysTab", source, None, 5).endswith("5 modèles disponibles.")


def test_every_error_kind_is_described_in_french(french):
    french_text = {m.source: m.forms[0] for m in MESSAGES if m.context == "ChatError"}
    errors = [
        ChatError(
            kind,
            provider="OpenAI",
            model="gpt-test",
            status=429,
            retry_after=3 if kind is ErrorKind.RATE_LIMITED else None,
            base_url="http://localhost:1234/v1",
            host="api.example.invalid",
            detail="upstream said no",
        )
        for kind in ErrorKind
    ]
    errors.append(ChatError(ErrorKind.RATE_LIMITED, provider="Groq"))
    for error in errors:
        shown = describe_error(error)
        assert shown != error.message, error.kind
        assert shown == error.describe(lambda text: french_text.get(text, text)), error.kind


# --- what a person sees ----------------------------------------------------------------------


def widget_strings(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every string `root` and its children show or announce, hidden
    children included: a page of a tab or a button shown later is as visible as the rest."""
    shown: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = widget.objectName() or type(widget).__name__
        texts = [
            widget.windowTitle() if widget.isWindow() else "",
            widget.toolTip(),
            widget.statusTip(),
            widget.whatsThis(),
            widget.accessibleName(),
            widget.accessibleDescription(),
        ]
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        if isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            texts.append(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QMenu):
            texts.append(widget.title())
        if isinstance(widget, QStatusBar):
            texts.append(widget.currentMessage())
        if isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                texts += [widget.tabText(index), widget.tabToolTip(index)]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(index) for index in range(widget.count())]
        if isinstance(widget, QAbstractSpinBox):
            texts.append(widget.specialValueText())
        if isinstance(widget, QSpinBox):
            texts += [widget.prefix(), widget.suffix()]
        shown += [(where, text) for text in texts if text]
    for action in root.findChildren(QAction):
        where = action.objectName() or "QAction"
        texts = [action.text(), action.toolTip(), action.statusTip(), action.iconText()]
        shown += [(where, text) for text in texts if text]
    return shown


def document_strings(document: QTextDocument, where: str) -> list[tuple[str, str]]:
    """Each run of text of the conversation (headers, links and footer facts are runs),
    and the names of its icon actions."""
    shown = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            shown.append((where, fragment.text()))
            if fragment.charFormat().isImageFormat():
                shown.append((where, fragment.charFormat().toolTip()))
            fragments += 1
        block = block.next()
    return shown


def test_the_french_window_and_dialogs_show_nothing_in_english(french, make_app, qtbot):
    app = make_app()
    window = app.window
    shown = widget_strings(window)

    app.server.reply.text = "Bonjour."
    app.send("Salut")
    app.wait_reply_done()
    shown += document_strings(window.chat_view.document(), "conversationView")
    assert ("conversationView", "Régénérer") in shown

    window.open_settings()
    dialog = window.findChild(QDialog, "settingsDialog")
    rows = [dialog.keys_tab.row(p.id) for p in key_presets(window.prefs.custom_endpoints)]
    qtbot.waitUntil(lambda: all(row.source is not None for row in rows))
    assert dialog.windowTitle() == "Paramètres"
    shown += widget_strings(dialog)
    for other in (EndpointEditor(None, dialog), InlineEditor(1, "Salut", window)):
        shown += widget_strings(other)
        other.deleteLater()

    assert not english_leftovers(shown), "English on the French screen:\n" + "\n".join(
        english_leftovers(shown)
    )
