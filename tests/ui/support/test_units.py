"""Counts, sizes, durations and dates are written one way each, in the UI's language: "1
conversation" (never "1 conversations"), kB everywhere, one rule for seconds, and dates in a
real format when the system locale is C (LANG unset)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from desktopchat.domain.types import Attachment, AttachmentKind, Reasoning
from desktopchat.ui.composer.attachment_chip import size_text
from desktopchat.ui.support.resources import resource_path
from desktopchat.ui.support.translation import install_translators, ui_locale
from desktopchat.ui.support.units import conversations, data_size, duration, messages
from desktopchat.ui.transcript.attachment_lines import describe
from desktopchat.ui.transcript.reasoning_section import reasoning_label
from tests.ui.support.test_french import LUPDATE_SCAN, REPO, TS_FILE, find_lupdate, read_ts

EN_TS = TS_FILE.with_name("desktopchat_en.ts")


@pytest.fixture
def french(qapp) -> Iterator[None]:
    previous = QLocale()
    translators = install_translators(qapp, "fr")
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(previous)


def test_counts_take_the_english_singular_and_plural(english):
    assert conversations(1) == "1 conversation"
    assert conversations(2) == "2 conversations"
    assert messages(1) == "1 message"
    assert messages(1200) == "1,200 messages"


def test_counts_take_the_french_forms(french):
    assert conversations(0) == "0 conversation"
    assert conversations(1) == "1 conversation"
    assert conversations(2) == "2 conversations"
    assert messages(1200) == "1\u202f200 messages"


def test_sizes_are_in_kilobytes_everywhere(english):
    attachment = Attachment(AttachmentKind.DOCUMENT, "notes.txt", "text/plain", 1190)
    assert data_size(13_000) == "13.0 kB"
    assert size_text(1190) == "1.2 kB"
    assert describe(attachment) == "notes.txt · 1.2 kB"


def test_durations_follow_one_rule(english):
    assert duration(0.42) == "0.4 s"
    assert duration(9.94) == "9.9 s"
    assert duration(3.02) == "3 s"
    assert duration(12.4) == "12 s"
    assert duration(125) == "2 min 05 s"
    assert reasoning_label(Reasoning("...", seconds=2.3), streaming=False) == "Thought for 2.3 s"


def test_a_c_system_locale_writes_dates_as_a_person_reads_them(english):
    moment = datetime(2026, 12, 6, 21, 7)
    shown = QLocale().toString(moment, QLocale.FormatType.ShortFormat)
    assert shown != "6 12 2026 21:07"
    assert shown == "12/6/26 9:07\u202fPM"


def test_the_ui_locale_keeps_a_real_system_locale():
    assert ui_locale("en", QLocale("en_GB")).name() == "en_GB"
    assert ui_locale("en", QLocale("de_DE")).name() == "de_DE"
    assert ui_locale("en", QLocale.c()).name() == "en_US"
    assert ui_locale("fr", QLocale.c()).name() == "fr_FR"


def test_the_english_plural_catalogue_is_complete_current_and_compiled(tmp_path):
    """Every plural message has its two English forms, the .ts follows the sources (as
    tools/update_translations.sh writes it) and the .qm matches the .ts."""
    lupdate = find_lupdate()
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed: cannot compare the .ts with the sources")
    fresh = tmp_path / "desktopchat_en.ts"
    subprocess.run(
        [lupdate, *LUPDATE_SCAN, "-pluralonly", "-ts", str(fresh)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    committed = read_ts(EN_TS)
    assert {(m.context, m.source) for m in read_ts(fresh)} == {
        (m.context, m.source) for m in committed
    }, "run tools/update_translations.sh and give the new plural messages their English forms"
    translator = QTranslator()
    assert translator.load(str(resource_path("translations/desktopchat_en.qm")))
    for message in committed:
        assert message.state is None and len(message.forms) == 2, message
        for n, form in zip((1, 2), message.forms, strict=True):
            assert translator.translate(message.context, message.source, None, n) == form
