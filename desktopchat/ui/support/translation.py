"""Language of the UI: our French translation and Qt's own, chosen by the system locale or
the person's preference, and the translated wording of a ChatError."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.ui.support.resources import resource_path

SUPPORTED = ("en", "fr")


def ui_language(preference: str, system: QLocale | None = None) -> str:
    """ "en" or "fr": the preference when set, else the system's language when we have it."""
    if preference in SUPPORTED:
        return preference
    name = (system or QLocale.system()).name().split("_")[0]
    return name if name in SUPPORTED else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load the translations for `language`; the caller keeps the returned objects alive
    (a QTranslator that is garbage-collected silently stops translating)."""
    if language == "en":
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(str(resource_path(f"translations/desktopchat_{language}.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    QLocale.setDefault(QLocale(language))
    return installed


def describe_error(error: ChatError) -> str:
    """The error in the UI's language (the core's templates are marked for lupdate), its
    counts written as the language writes them (a stored count too large for Qt as is)."""
    return error.describe(
        lambda text: QCoreApplication.translate("ChatError", text),
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
