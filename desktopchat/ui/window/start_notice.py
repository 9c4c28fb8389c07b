"""The words for what start-up found wrong with the person's folders and settings file: said
once above the conversation, in the person's language, with what is not kept and what to do."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from desktopchat.system.paths import AppPaths, FolderProblem
from desktopchat.system.settings import SettingsProblem


def start_notice(
    paths: AppPaths, folder_problems: Sequence[FolderProblem], settings: SettingsProblem | None
) -> str | None:
    """What to say above the conversation about folders that cannot be written and a
    settings file that could not be used, in the person's language; None if all is well."""
    parents = {problem.folder.parent for problem in folder_problems}
    if len(folder_problems) > 1 and len(parents) == 1:  # DESKTOPCHAT_HOME: say it once
        cannot_write = [(parents.pop(), folder_problems[0].reason)]
    else:
        cannot_write = [(problem.folder, problem.reason) for problem in folder_problems]
    sentences = [
        QCoreApplication.translate("App", "DesktopChat cannot write to %1 (%2).")
        .replace("%1", str(folder))
        .replace("%2", reason)
        for folder, reason in cannot_write
    ]
    unusable = {problem.folder for problem in folder_problems}
    consequences = {
        paths.data: QCoreApplication.translate(
            "App", "Your conversations are kept in memory only and are lost when you quit."
        ),
        paths.config: QCoreApplication.translate("App", "Changes to the settings are not kept."),
        paths.logs: QCoreApplication.translate("App", "The log goes to the terminal instead."),
    }
    sentences += [said for folder, said in consequences.items() if folder in unusable]
    if folder_problems:
        sentences.append(
            QCoreApplication.translate(
                "App",
                "Check the folder's permissions, or start DesktopChat with DESKTOPCHAT_HOME "
                "set to a folder you can write to.",
            )
        )
    if settings is not None:
        sentences += settings_problem_words(settings)
    return " ".join(sentences) or None


def settings_problem_words(problem: SettingsProblem) -> list[str]:
    defaults = {
        "unreadable": QCoreApplication.translate(
            "App", "The settings file could not be read (%1); defaults are used."
        ),
        "too_large": QCoreApplication.translate(
            "App", "The settings file is too large to be one; defaults are used."
        ),
        "not_text": QCoreApplication.translate(
            "App", "The settings file is not UTF-8 text; defaults are used."
        ),
        "not_json": QCoreApplication.translate(
            "App", "The settings file is not valid JSON; defaults are used."
        ),
        "too_deep": QCoreApplication.translate(
            "App", "The settings file is nested too deeply to read; defaults are used."
        ),
        "not_object": QCoreApplication.translate(
            "App", "The settings file does not hold a JSON object; defaults are used."
        ),
        "repaired": QCoreApplication.translate(
            "App", "Some settings were unreadable and were reset: %1."
        ),
    }
    detail = ", ".join(problem.repaired) if problem.kind == "repaired" else problem.detail
    said = [defaults.get(problem.kind, defaults["unreadable"]).replace("%1", detail)]
    if problem.moved_to is not None:
        said.append(
            QCoreApplication.translate("App", "The damaged file was kept as %1.").replace(
                "%1", str(problem.moved_to)
            )
        )
    elif problem.move_failed is not None:
        said.append(
            QCoreApplication.translate(
                "App", "The damaged file could not be moved aside (%1)."
            ).replace("%1", problem.move_failed)
        )
    return said
