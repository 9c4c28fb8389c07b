"""Which models are offered tools.

A model is offered the tools of the running servers unless it is known not to take them:
the service's model list says so (OpenRouter's `supported_parameters`), the bundled model
table says so (`"tools": false`), or its server refused them once (a 400 naming tools,
Ollama's "does not support tools", llama.cpp's "--jinja"): that refusal is remembered for
the provider and model, in memory and through `remember` (the preferences), and the
request is sent again without tools. Unknown: offered (most servers take them).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from desktopchat.domain.types import Usage
from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.small_files import UnusableFile, read_small_json

log = logging.getLogger(__name__)

REFUSED_FILE = "tools_refused.json"
"""Beside mcp.json: the "provider/model" keys whose server refused tools."""
_REFUSED_LIMIT = 1024 * 1024

Known = Callable[[str, str], bool | None]
"""(provider id, model) → True / False / None (unknown), from the model lists and table."""


def _key(provider: str, model: str) -> str:
    return f"{provider}/{model}"


class ToolSupport:
    def __init__(
        self,
        known: Known = lambda _provider, _model: None,
        refused: Iterable[str] = (),
        remember: Callable[[list[str]], None] = lambda _refused: None,
    ) -> None:
        """`refused`: the "provider/model" keys remembered from earlier runs; `remember`
        is called with the whole list whenever a new refusal is learnt."""
        self._known = known
        self._refused = set(refused)
        self._remember = remember
        self._told: set[str] = set()
        self._file: RefusedFile | None = None

    @classmethod
    def remembered_in(cls, path: Path, known: Known) -> ToolSupport:
        """Refusals kept in `path` (read before the first reply that offers tools)."""
        support = cls(known)
        support._file = RefusedFile(path)
        support._remember = support._file.save
        return support

    async def ready(self) -> None:
        """Read the remembered refusals, once, off the loop."""
        if self._file is not None:
            loading, self._file = self._file, None
            self._refused.update(await loading.load())

    def takes_tools(self, provider: str, model: str) -> bool:
        if _key(provider, model) in self._refused:
            return False
        return self._known(provider, model) is not False

    def refused(self, provider: str, model: str) -> None:
        """The server refused tools for this model: never offered them again."""
        key = _key(provider, model)
        self._told.add(key)  # the refusal itself was said
        if key not in self._refused:
            self._refused.add(key)
            self._remember(sorted(self._refused))

    def first_time_left_out(self, provider: str, model: str) -> bool:
        """True once per run and model: tools were not offered to a model that cannot take
        them, which the person is told once."""
        key = _key(provider, model)
        if key in self._told:
            return False
        self._told.add(key)
        return True


class RefusedFile:
    """The refusals remembered across runs, in the config folder: read once off the loop,
    written in a worker thread by a task this object owns (a write lost at quit only means
    one more refusal next time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writes: set[asyncio.Task[None]] = set()

    async def load(self) -> list[str]:
        return await asyncio.to_thread(self._read)

    def _read(self) -> list[str]:
        try:
            data: Any = read_small_json(self.path, _REFUSED_LIMIT)
        except (FileNotFoundError, UnusableFile):
            return []
        listed = data.get("refused") if isinstance(data, dict) else None
        return [k for k in listed if isinstance(k, str)] if isinstance(listed, list) else []

    def save(self, refused: list[str]) -> None:
        text = json.dumps({"refused": refused}, indent=2, ensure_ascii=False) + "\n"
        task = asyncio.get_running_loop().create_task(
            asyncio.to_thread(write_text_atomic, self.path, text)
        )
        self._writes.add(task)
        task.add_done_callback(self._written)

    def _written(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not remember a tool refusal: %s", task.exception())


def added_usage(before: Usage | None, more: Usage) -> Usage:
    """Two requests' usage as one reply's (a tool loop sends several): counts and costs
    added where both are known; a cost unknown in either is unknown."""
    if before is None:
        return more

    def total(a: int | None, b: int | None) -> int | None:
        return None if a is None and b is None else (a or 0) + (b or 0)

    cost = None if before.cost is None or more.cost is None else before.cost + more.cost
    return Usage(
        input_tokens=total(before.input_tokens, more.input_tokens),
        output_tokens=total(before.output_tokens, more.output_tokens),
        reasoning_tokens=total(before.reasoning_tokens, more.reasoning_tokens),
        cached_tokens=total(before.cached_tokens, more.cached_tokens),
        cost=cost,
        cost_source=more.cost_source if cost is not None else None,
        estimated=before.estimated or more.estimated,
    )
