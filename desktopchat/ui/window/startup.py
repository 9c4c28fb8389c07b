"""What happens once the window is on screen: problems found while starting are said once,
the selected provider's SDK is imported in a worker thread (so the first Send does not stall),
and on a first run a local LM Studio or Ollama server is looked for and selected."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktopchat.domain.errors import ChatError
from desktopchat.services.history import StorageProblem
from desktopchat.services.registry import import_sdk
from desktopchat.ui.support.asyncutils import spawn

if TYPE_CHECKING:
    from desktopchat.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

LOCAL_PROBE_TIMEOUT = 0.4


def _problem_words(kind: str) -> str:
    """The storage problem's kind in the person's language."""
    words = {
        "corrupt": QCoreApplication.translate("Startup", "the file is damaged"),
        "unreadable": QCoreApplication.translate("Startup", "the file cannot be read"),
        "future_schema": QCoreApplication.translate(
            "Startup", "it was written by a newer DesktopChat"
        ),
        "read_only": QCoreApplication.translate("Startup", "it is read-only"),
        "locked": QCoreApplication.translate("Startup", "another program holds it locked"),
    }
    return words.get(kind, kind)


def after_window_shown(
    window: MainWindow, storage_problem: StorageProblem | None, settings_problem: str | None
) -> asyncio.Task:
    """Say what went wrong while starting, once; then warm up in the background (the
    returned task: the SDK import, and on a first run the search for a local server)."""
    if storage_problem is not None:
        text = (
            QCoreApplication.translate("Startup", "Your history could not be opened (%1): %2")
            .replace("%1", _problem_words(storage_problem.kind))
            .replace("%2", storage_problem.detail.rstrip(". ") + ".")
        )
        if storage_problem.moved_to is not None:
            text += " " + QCoreApplication.translate(
                "Startup", "The damaged file was kept as %1; a new, empty history was started."
            ).replace("%1", str(storage_problem.moved_to))
        window.notices.show_error(text)
    elif settings_problem:
        window.notices.show_notice(settings_problem)
    elif not window.keys.available:
        window.notices.show_notice(window.keys.unavailable_reason)
    return spawn(_warm_up(window))


async def _warm_up(window: MainWindow) -> None:
    await window.check_keys()
    preset = window.model_bar.preset()
    if window.welcome.isVisibleTo(window):
        await _select_local_server(window)
        preset = window.model_bar.preset()
    if preset is not None:
        await import_sdk(preset.sdk)


async def _server_answers(host: str, port: int) -> bool:
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port), LOCAL_PROBE_TIMEOUT
        )
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def _select_local_server(window: MainWindow) -> None:
    """First run with no keys: if a local server answers on its usual port, use it."""
    from urllib.parse import urlsplit

    for preset in [p for p in window.registry.presets() if p.local]:
        parts = urlsplit(preset.base_url)
        if not await _server_answers(parts.hostname or "localhost", parts.port or 80):
            continue
        try:
            models = await window.registry.models(preset.id)
        except ChatError as error:
            log.info("%s answers but its model list failed: %s", preset.name, error.kind)
            continue
        if models:
            window.select_provider(preset.id, models)
            window.statusBar().showMessage(
                QCoreApplication.translate("Startup", "Found %1 with %2 model(s).")
                .replace("%1", preset.name)
                .replace("%2", str(len(models))),
                8000,
            )
            return
