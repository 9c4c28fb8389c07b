"""Language of the UI: our French translation and Qt's own, chosen by the system locale or
the person's preference, and the translated wording of a ChatError."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.system.keychain_problems import (
    SESSION_ONLY,
    TROUBLE_WORDS,
    KeychainError,
    KeychainProblem,
)
from desktopchat.ui.support.resources import resource_path

SUPPORTED = ("en", "fr")


def ui_language(preference: str, system: QLocale | None = None) -> str:
    """ "en" or "fr": the preference when set, else the system's language when we have it."""
    if preference in SUPPORTED:
        return preference
    name = (system or QLocale.system()).name().split("_")[0]
    return name if name in SUPPORTED else "en"


def ui_locale(language: str, system: QLocale | None = None) -> QLocale:
    """The locale numbers and dates are written in: French's for a French UI; for English
    the system's, unless it is C (LANG unset: Qt would write "6 12 2026 21:07"), then US
    English, or it speaks another language we do not have: its formats stay."""
    if language == "fr":
        return QLocale(QLocale.Language.French, QLocale.Country.France)
    system = system or QLocale.system()
    if system.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return system


def install_translators(
    app: QCoreApplication, language: str, system: QLocale | None = None
) -> list[QTranslator]:
    """Load the translations for `language` and make its locale the default; the caller
    keeps the returned objects alive (a QTranslator that is garbage-collected silently stops
    translating). English has a catalogue too: the plural forms of counted phrases only
    ("1 conversation", "2 conversations")."""
    QLocale.setDefault(ui_locale(language, system))
    installed = []
    ours = QTranslator(app)
    if ours.load(str(resource_path(f"translations/desktopchat_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    if language == "en":
        return installed
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed


def _core_words(text: str) -> str:
    """A text the core marked for translation: an error's template or detail phrase, or a
    keychain's trouble (a NO_KEY error's detail); as it is when it is not one of ours."""
    worded = QCoreApplication.translate("ChatError", text)
    return worded if worded != text else QCoreApplication.translate("Keychain", text)


def describe_error(error: ChatError) -> str:
    """The error in the UI's language (the core's templates are marked for lupdate), its
    counts written as the language writes them (a stored count too large for Qt as is)."""
    return error.describe(
        _core_words,
        lambda value: QLocale().toString(value) if abs(value) < 1 << 53 else str(value),
    )


def retry_reason(error: ChatError) -> str:
    """Why a reply waits to be asked for again, in a few words: "Limited by OpenAI." """
    provider = error.provider or QCoreApplication.translate("ChatError", "the provider")
    if error.kind is ErrorKind.RATE_LIMITED:
        return QCoreApplication.translate("ChatError", "Limited by {provider}.").format(
            provider=provider
        )
    return QCoreApplication.translate("ChatError", "{provider} is busy.").format(
        provider=provider[:1].upper() + provider[1:]
    )


def describe_keychain(problem: KeychainProblem) -> str:
    """Why keys cannot be saved, in the UI's language: the trouble's sentence, and for a
    failure the backend's own words after it."""
    words = QCoreApplication.translate("Keychain", TROUBLE_WORDS[problem.trouble])
    if not problem.detail:
        return words
    return (
        QCoreApplication.translate("Keychain", "%1: %2.")
        .replace("%1", words)
        .replace("%2", problem.detail)
    )


def keychain_error_words(error: KeychainError) -> str:
    """Why a save or removal failed, in the UI's language."""
    return describe_keychain(error.problem) if error.problem is not None else str(error)


def session_only() -> str:
    """ "Keys can be kept for this session only.", in the UI's language."""
    return QCoreApplication.translate("Keychain", SESSION_ONLY)


def qt_gap_words() -> list[str]:
    """Strings Qt's own widgets show that the qtbase_fr.qm shipped with PySide6 lacks, in the
    UI's language: the file dialog's labels gained a mnemonic ("&Look in:") and its file
    types moved to another context (QAbstractFileIconProvider) after that catalogue was
    made. Ours carries them, in Qt's contexts (installed before Qt's, it is asked after it);
    the literal calls here are what lupdate finds."""
    return [
        QCoreApplication.translate("QFileDialog", "&Look in:"),
        QCoreApplication.translate("QFileDialog", "Files of &type:"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Drive"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Shortcut", "All other platforms"),
        QCoreApplication.translate("QAbstractFileIconProvider", "Unknown"),
    ]
