"""The prompt library as the UI uses it: saved prompts in memory, changed at once, written to
disk behind (system/prompt_file.py), imported and exported.

Changes are plain calls that return at once, so the library window and the `/` popup never
wait on the disk; each one starts (or extends) one background write, which always writes
the newest state and never two at a time. The service owns that write: `aclose` waits for
it at quit (app.shut_down), so a prompt saved just before Ctrl+Q is on disk. A write that
fails is reported to the listeners (`on_failed`), and the next change tries again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from desktopchat.domain.prompts import (
    BODY_LIMIT,
    VALUE_LIMIT,
    VALUES_PER_PROMPT,
    ImportReport,
    NotALibrary,
    Prompt,
    clean_name,
    clean_text,
    free_name,
    join_import,
    merge_libraries,
)
from desktopchat.system.prompt_file import (
    PromptFile,
    PromptFileProblem,
    export_prompts,
    new_prompt_id,
    read_prompts,
)
from desktopchat.system.small_files import UnusableFile

log = logging.getLogger(__name__)

LoadProblem = PromptFileProblem
"""What `load` found wrong with the library's file, for the window to say once."""


class ImportRefused(Exception):
    """A file that is not a prompt library we can read; `kind` is "unreadable" (detail: the
    error), "too_large", "not_text", "not_json", "too_deep", "not_object", "wrong_format",
    "too_many" or "missing". The library is untouched."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def _now() -> int:
    return int(time.time() * 1000)


class PromptLibrary:
    """See the module docstring. Call `load` (awaited) before anything else."""

    def __init__(self, file: PromptFile) -> None:
        self._file = file
        self._prompts: tuple[Prompt, ...] = ()
        self._loading: asyncio.Task[PromptFileProblem | None] | None = None
        self._generation = 0
        self._written = 0
        self._writer: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[], None]] = []
        self._failure_listeners: list[Callable[[str], None]] = []

    # --- reading --------------------------------------------------------------------------

    async def load(self) -> PromptFileProblem | None:
        """Read the file once (later calls wait for the same read); the problem, if any, is
        returned to the first caller only, so it is said once."""
        if self._loading is None:
            self._loading = asyncio.get_running_loop().create_task(self._load())
            return await asyncio.shield(self._loading)
        await asyncio.shield(self._loading)
        return None

    async def _load(self) -> PromptFileProblem | None:
        prompts, problem = await asyncio.to_thread(self._file.load)
        if problem is not None:
            log.warning("prompt library %s: %s", self._file.path, problem)
        self._prompts = prompts
        self._notify()
        return problem

    @property
    def loaded(self) -> bool:
        return self._loading is not None and self._loading.done()

    def prompts(self) -> tuple[Prompt, ...]:
        return self._prompts

    def get(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self._prompts if p.id == prompt_id), None)

    def on_changed(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` after every change (ours, a load, another instance's merged in);
        returns the function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def on_failed(self, listener: Callable[[str], None]) -> None:
        """Call `listener` with the OS's words when the library could not be written."""
        self._failure_listeners.append(listener)

    # --- changing -------------------------------------------------------------------------

    def add(self, name: str, body: str = "") -> Prompt:
        prompt = Prompt(
            new_prompt_id(), clean_name(name), clean_text(body)[:BODY_LIMIT], {}, _now()
        )
        self._set((*self._prompts, prompt))
        return prompt

    def update(self, prompt_id: str, *, name: str | None = None, body: str | None = None) -> None:
        """Rename or rewrite a prompt; an empty name keeps the old one."""
        prompt = self.get(prompt_id)
        if prompt is None:
            return
        changed = prompt
        if name is not None and clean_name(name):
            changed = replace(changed, name=clean_name(name))
        if body is not None:
            changed = replace(changed, body=clean_text(body)[:BODY_LIMIT])
        if changed != prompt:
            self._replace(replace(changed, updated=_now()))

    def duplicate(self, prompt_id: str, copy_word: str) -> Prompt | None:
        """A copy right after the original, named "<name> (<copy_word>)" and numbered if that
        is taken; its remembered values come along."""
        index = self._index(prompt_id)
        if index is None:
            return None
        original = self._prompts[index]
        name = clean_name(f"{original.name} ({copy_word})")
        taken = [p.name for p in self._prompts]
        if name.casefold() in {n.casefold() for n in taken}:
            name = free_name(name, taken)
        copy = replace(original, id=new_prompt_id(), name=name, updated=_now())
        self._set((*self._prompts[: index + 1], copy, *self._prompts[index + 1 :]))
        return copy

    def delete(self, prompt_id: str) -> tuple[Prompt, int] | None:
        """Remove a prompt; returns it and its place, for Undo (`restore`)."""
        index = self._index(prompt_id)
        if index is None:
            return None
        prompt = self._prompts[index]
        self._set(self._prompts[:index] + self._prompts[index + 1 :])
        return prompt, index

    def restore(self, prompt: Prompt, index: int) -> None:
        """Put a deleted prompt back where it was (Undo)."""
        if self.get(prompt.id) is None:
            at = min(index, len(self._prompts))
            restored = replace(prompt, updated=_now())
            self._set((*self._prompts[:at], restored, *self._prompts[at:]))

    def remember(self, prompt_id: str, values: Mapping[str, str]) -> None:
        """Keep what was typed into a prompt's fields, to offer it next time (a value too
        long to be worth remembering is not)."""
        prompt = self.get(prompt_id)
        if prompt is None:
            return
        kept = {**prompt.values}
        for name, value in values.items():
            if len(value) <= VALUE_LIMIT:
                kept[name] = value
            else:
                kept.pop(name, None)
        kept = dict(list(kept.items())[-VALUES_PER_PROMPT:])
        if kept != prompt.values:
            self._replace(replace(prompt, values=kept, updated=_now()))

    # --- import and export ----------------------------------------------------------------

    async def import_file(self, path: Path) -> ImportReport:
        """Add the prompts of a library file (ours or a bare list of name and body). Raises
        ImportRefused when the file cannot be one, with the library untouched."""
        try:
            incoming, left_out = await asyncio.to_thread(read_prompts, path)
        except FileNotFoundError as exc:
            raise ImportRefused("missing") from exc
        except (UnusableFile, NotALibrary) as exc:
            raise ImportRefused(*exc.args) from exc
        fresh = [replace(p, id=new_prompt_id()) for p in incoming]
        joined, report = join_import(self._prompts, fresh, _now())
        if len(joined) != len(self._prompts):
            self._set(joined)
        return replace(report, left_out=left_out)

    async def export_file(self, path: Path) -> int:
        """Write every prompt (names and bodies) to `path`; how many. Raises OSError."""
        prompts = self._prompts
        await asyncio.to_thread(export_prompts, path, prompts)
        return len(prompts)

    # --- writing --------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Wait for the last change to be written (quit)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    def _index(self, prompt_id: str) -> int | None:
        return next((i for i, p in enumerate(self._prompts) if p.id == prompt_id), None)

    def _replace(self, prompt: Prompt) -> None:
        self._set(tuple(prompt if p.id == prompt.id else p for p in self._prompts))

    def _set(self, prompts: tuple[Prompt, ...]) -> None:
        self._prompts = prompts
        self._generation += 1
        self._notify()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        while self._written < self._generation:
            generation, snapshot = self._generation, self._prompts
            try:
                merged = await asyncio.to_thread(self._file.save, snapshot)
            except OSError as exc:
                self._written = generation
                log.warning("prompt library not saved: %s", exc)
                for listener in list(self._failure_listeners):
                    listener(exc.strerror or str(exc))
                continue
            self._written = generation
            if merged == snapshot:
                continue
            # Another instance's changes came in: laid under what changed here meanwhile.
            self._prompts = merge_libraries(snapshot, self._prompts, merged)
            self._notify()

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()
