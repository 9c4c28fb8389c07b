"""Language of the UI: our French translation and Qt's own, chosen by the system locale or
the person's preference, and the translated wording of a ChatError."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktopchat.domain.errors import ChatError
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


def describe_error(error: ChatError) -> str:
    """The error in the UI's language (the core's templates are marked for lupdate)."""
    return error.describe(lambda text: QCoreApplication.translate("ChatError", text))
