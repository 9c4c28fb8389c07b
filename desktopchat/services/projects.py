"""Projects (issue 20, item 6): named folders of conversations with their own defaults
(system prompt, provider and model, temperature, tools) and files.

What the UI asks for goes through here: create, rename, change the defaults, delete
(conversations stay, moved out), add and remove files (read and checked off the loop by
services/attachments.py, cut in passages and indexed), move conversations in and out,
and start a conversation that takes the project's defaults. Writes are queued for the
history's writer and awaited, so the next read sees them; a failure raises StorageError.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from concurrent.futures import Future
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktopchat.domain.projects import NAME_MAX_CHARS, Project, ProjectFile, split_passages
from desktopchat.domain.types import AttachmentKind, Conversation
from desktopchat.services.attachments import Ingested, Limits, ingest_file
from desktopchat.services.history import HistoryService
from desktopchat.services.history_changes import EVERYTHING
from desktopchat.storage.attachment_rows import Blob
from desktopchat.storage.project_rows import (
    AddProjectFile,
    DeleteProject,
    RemoveProjectFile,
    SaveProject,
    read_project_files,
    read_projects,
)

MB = 1024 * 1024
FILE_LIMITS = Limits(text_bytes=10 * MB, pdf_bytes=50 * MB, chars_per_message=10_000_000)
"""One project file: a text file up to 10 MB, a PDF up to 50 MB whose text is kept up to
10 M characters (extracted in a limited child process, services/pdf_text.py)."""
MAX_FILES = 200
"""Files one project may hold."""
MAX_PROJECT_CHARS = 20_000_000
"""The text of all of a project's files together (~5 M tokens): past it a file is
refused; passages are sent from it, never the whole."""


class FileRefusal(StrEnum):
    """Why a file cannot be added to a project (besides attachments' own Reasons)."""

    IMAGE = "image"
    """Project files are sent as text: an image has none."""
    NO_TEXT = "no_text"
    """A PDF without text (a scan)."""
    TOO_MANY = "too_many"
    PROJECT_FULL = "project_full"


class ProjectFileRefused(Exception):
    """A file that cannot be a project file, and why (worded by the UI)."""

    def __init__(self, refusal: FileRefusal, name: str) -> None:
        super().__init__(f"{name}: {refusal.value}")
        self.refusal = refusal
        self.name = name


def clean_name(name: str) -> str:
    """A project's name as stored: one line, trimmed, cut; never empty."""
    cleaned = " ".join(name.split())[:NAME_MAX_CHARS]
    return cleaned or "Project"


class ProjectService:
    """Projects, their files and their conversations, over the history."""

    def __init__(self, history: HistoryService) -> None:
        self._history = history
        self._store = history.store

    async def projects(self) -> list[Project]:
        return await self._history.read(self._store.read_rows, read_projects)

    async def project(self, project_id: int) -> Project | None:
        return next((p for p in await self.projects() if p.id == project_id), None)

    async def create(self, name: str) -> Project:
        now = time.time()
        project = Project(id=self._store.new_id(), name=clean_name(name), created=now, updated=now)
        await self._written(self._store.queue(SaveProject(project)))
        return project

    async def save(self, project: Project) -> Project:
        """Store a project's name and defaults as given (they apply to new conversations)."""
        saved = replace(project, name=clean_name(project.name), updated=time.time())
        await self._written(self._store.queue(SaveProject(saved)))
        return saved

    async def rename(self, project: Project, name: str) -> Project:
        return await self.save(replace(project, name=name))

    async def delete(self, project_id: int) -> None:
        """Delete a project and its files; its conversations stay, in no project (which
        of them were in it is not known here: everything is announced)."""
        await self._written(self._store.queue(DeleteProject(project_id)))
        self._history.announce(EVERYTHING)

    async def files(self, project_id: int) -> list[ProjectFile]:
        reading = functools.partial(read_project_files, project_id=project_id)
        return await self._history.read(self._store.read_rows, reading)

    async def add_file(self, project_id: int, path: Path) -> ProjectFile:
        """Read, check and add one file. Raises attachments' AttachmentProblem (too large,
        unreadable, damaged, encrypted, too slow) or ProjectFileRefused."""
        present = await self.files(project_id)
        if len(present) >= MAX_FILES:
            raise ProjectFileRefused(FileRefusal.TOO_MANY, path.name)
        ingested = await ingest_file(path, FILE_LIMITS)
        if ingested.kind is AttachmentKind.IMAGE:
            raise ProjectFileRefused(FileRefusal.IMAGE, ingested.name)
        if not (ingested.text or "").strip():
            raise ProjectFileRefused(FileRefusal.NO_TEXT, ingested.name)
        text = ingested.text or ""
        if sum(f.chars for f in present) + len(text) > MAX_PROJECT_CHARS:
            raise ProjectFileRefused(FileRefusal.PROJECT_FULL, ingested.name)
        change = await asyncio.to_thread(self._file_change, project_id, ingested, text)
        await self._written(self._store.queue(change))
        return change.file

    def _file_change(self, project_id: int, ingested: Ingested, text: str) -> AddProjectFile:
        """Hash the bytes and cut the passages: in a worker, a 50 MB PDF's text is long."""
        data = ingested.data
        file = ProjectFile(
            id=self._store.new_id(),
            project_id=project_id,
            name=ingested.name,
            mime=ingested.mime,
            size=ingested.size,
            chars=len(text),
            added=time.time(),
        )
        sha256 = hashlib.sha256(data).hexdigest()
        return AddProjectFile(file, sha256, Blob(ingested.mime, data), text, split_passages(text))

    async def remove_file(self, project_id: int, file_id: int) -> None:
        await self._written(self._store.queue(RemoveProjectFile(project_id, file_id)))

    def move(self, conversation_id: int, project_id: int | None) -> None:
        """Move a conversation into a project, or out of any (None); reads see it at once."""
        self._history.change_conversation(conversation_id, project_id=project_id)

    async def start_conversation(
        self,
        project: Project,
        *,
        provider: str | None = None,
        model: str | None = None,
        temperature: float | None = None,
    ) -> Conversation:
        """A new conversation in `project`, with its defaults (`project_settings`).
        The tools flag is the project's own (`Project.tools`): conversations do not store
        one yet."""
        settings = project_settings(project, provider, model, temperature)
        return await self._history.start_conversation(project_id=project.id, **settings)

    async def _written(self, written: Future[None]) -> None:
        await asyncio.wrap_future(written)


def project_settings(
    project: Project, provider: str | None, model: str | None, temperature: float | None
) -> dict[str, Any]:
    """What a new conversation in `project` starts with: its system prompt, and its
    provider, model and temperature where it sets them, else the `provider`, `model` and
    `temperature` given (the window's current choice). A project's provider without a
    model keeps the given model only when it is the same provider."""
    settings: dict[str, Any] = {
        "system_prompt": project.system_prompt,
        "temperature": temperature if project.temperature is None else project.temperature,
        "provider": provider,
        "model": model,
    }
    if project.provider:
        same = project.provider == provider
        settings.update(provider=project.provider, model=project.model or (model if same else None))
    return settings
