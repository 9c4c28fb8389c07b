"""Saved prompts as data: what one is, how a list of them is read from JSON that may be
hostile, written back, merged with another instance's changes, and joined with an import.

The same reader serves the library file (system/prompt_file.py) and an imported file, so a
prompt the app accepts is always within the limits below, whoever wrote it. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

NAME_LIMIT = 200
BODY_LIMIT = 100_000
"""A prompt is a page or two; a bigger text belongs in an attachment."""
VALUE_LIMIT = 20_000
"""A remembered value longer than this is not remembered (it was a one-off paste)."""
VALUES_PER_PROMPT = 40
LIBRARY_LIMIT = 5_000
"""Prompts in one library or one imported file."""
FILE_BYTES_LIMIT = 8 << 20
"""A library file or an import bigger than this is not read (5,000 prompts of a few
kilobytes fit many times over)."""

EXPORT_FORMAT = "desktopchat-prompts"
EXPORT_VERSION = 1

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Prompt:
    """A saved prompt. `id` is ours (never shown, stable across renames); `values` are the
    last values given to its variables, offered again next time; `updated` is when it was
    last changed (ms since the epoch), so the newer edit wins when two instances edited it."""

    id: str
    name: str
    body: str
    values: Mapping[str, str] = field(default_factory=dict)
    updated: int = 0

    def matches(self, words: str) -> bool:
        """Whether every word of a search is in the name or the body (case ignored)."""
        haystack = f"{self.name}\n{self.body}".casefold()
        return all(word in haystack for word in words.casefold().split())


class NotALibrary(ValueError):
    """An import that is not a prompt library at all: `kind` is "not_object" (wrong shape),
    "wrong_format" (another program's JSON) or "too_many"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class ReadLibrary:
    """Prompts read from JSON, and how many entries had to be left out (damaged, too long,
    a second copy of an id)."""

    prompts: tuple[Prompt, ...]
    left_out: int = 0


def clean_text(text: str) -> str:
    """Text as the library keeps it: lone surrogates (which no UTF-8 file holds) as U+FFFD,
    control characters other than tab and line breaks dropped."""
    return _CONTROL.sub("", _LONE_SURROGATE.sub("\ufffd", text))


def clean_name(name: str) -> str:
    """A prompt's name on one line, trimmed, within NAME_LIMIT."""
    return " ".join(clean_text(name).split())[:NAME_LIMIT]


def _prompt_from(item: Any, new_id: Callable[[], str]) -> Prompt | None:
    """One entry of a library, or None when it cannot be one. An entry without an id (an
    import written by hand) gets `new_id`."""
    if not isinstance(item, dict):
        return None
    name, body = item.get("name"), item.get("body")
    if not isinstance(name, str) or not isinstance(body, str) or len(body) > BODY_LIMIT:
        return None
    name = clean_name(name)
    if not name:
        return None
    prompt_id = item.get("id")
    if not isinstance(prompt_id, str) or not re.fullmatch(r"[0-9a-f]{8,64}", prompt_id):
        prompt_id = new_id()
    updated = item.get("updated")
    if type(updated) is not int or not 0 <= updated < 1 << 53:
        updated = 0
    return Prompt(prompt_id, name, clean_text(body), _values_from(item.get("values")), updated)


def _values_from(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    values = {
        clean_text(k): clean_text(v)
        for k, v in raw.items()
        if isinstance(k, str) and isinstance(v, str) and len(v) <= VALUE_LIMIT
    }
    return dict(list(values.items())[:VALUES_PER_PROMPT])


def read_library(data: Any, new_id: Callable[[], str]) -> ReadLibrary:
    """Prompts from decoded JSON: our file or export (`{"prompts": [...]}`) or a bare list
    of `{"name", "body"}`. `new_id` gives an id to each entry that has none (or a taken
    one). Raises NotALibrary when `data` is none of these."""
    if isinstance(data, dict):
        if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT or "prompts" not in data:
            raise NotALibrary("wrong_format")
        data = data["prompts"]
    if not isinstance(data, list):
        raise NotALibrary("not_object")
    if len(data) > LIBRARY_LIMIT:
        raise NotALibrary("too_many")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for item in data:
        prompt = _prompt_from(item, new_id)
        if prompt is not None and prompt.id in seen:
            prompt = replace(prompt, id=new_id())
        if prompt is None:
            continue
        seen.add(prompt.id)
        prompts.append(prompt)
    return ReadLibrary(tuple(prompts), len(data) - len(prompts))


def library_json(prompts: Sequence[Prompt], *, with_state: bool = True) -> dict[str, Any]:
    """The JSON object of a library. `with_state` (the app's own file) keeps ids, remembered
    values and times; an export carries names and bodies only, since what was typed into a
    prompt's fields last time is the person's working material, not the prompt."""

    def entry(prompt: Prompt) -> dict[str, Any]:
        if not with_state:
            return {"name": prompt.name, "body": prompt.body}
        return {
            "id": prompt.id,
            "name": prompt.name,
            "body": prompt.body,
            "values": dict(prompt.values),
            "updated": prompt.updated,
        }

    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "prompts": [entry(p) for p in prompts],
    }


def merge_libraries(
    base: Sequence[Prompt], ours: Sequence[Prompt], theirs: Sequence[Prompt]
) -> tuple[Prompt, ...]:
    """Three-way merge by id, for two instances sharing one file (DESIGN.md R8): `base` is
    what this instance last read or wrote, `ours` what it holds now, `theirs` the file now.

    A prompt we changed or added is ours, unless they changed it too later (the newer
    `updated` wins); one we left alone takes their edit, or goes if they deleted it; one we
    deleted stays deleted; one they added is kept. Our order first, then their additions.
    """
    base_by_id = {p.id: p for p in base}
    theirs_by_id = {p.id: p for p in theirs}
    ours_ids = {p.id for p in ours}
    merged: list[Prompt] = []
    for prompt in ours:
        old, other = base_by_id.get(prompt.id), theirs_by_id.get(prompt.id)
        if prompt == old:  # untouched here: theirs, or gone with their delete
            if other is not None:
                merged.append(other)
        elif other is not None and other != old and other.updated > prompt.updated:
            merged.append(other)
        else:
            merged.append(prompt)
    merged += [p for p in theirs if p.id not in ours_ids and p.id not in base_by_id]
    return tuple(merged)


@dataclass(frozen=True)
class ImportReport:
    """What an import did: prompts added under their own name, added under a new name
    because the library had another prompt of that name (old → new), and left out because
    the library already had the same name with the same text."""

    added: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    identical: tuple[str, ...] = ()
    left_out: int = 0
    """Entries of the file that were not prompts (damaged, too long)."""


def join_import(
    library: Sequence[Prompt], incoming: Sequence[Prompt], updated: int
) -> tuple[tuple[Prompt, ...], ImportReport]:
    """The library with `incoming` added after it. A name already taken with the same body
    is skipped (already there); with another body the newcomer is renamed "Name (2)", "Name
    (3)"… so nothing of either is lost. `incoming` must carry fresh ids (an import never
    keeps the ids a file names); they get `updated` as their time."""
    names = {p.name.casefold(): p for p in library}
    joined = list(library)
    added: list[str] = []
    renamed: list[tuple[str, str]] = []
    identical: list[str] = []
    for prompt in incoming:
        same = names.get(prompt.name.casefold())
        if same is not None and same.body == prompt.body:
            identical.append(prompt.name)
            continue
        name = prompt.name if same is None else free_name(prompt.name, names)
        if same is None:
            added.append(name)
        else:
            renamed.append((prompt.name, name))
        kept = replace(prompt, name=name, updated=updated)
        joined.append(kept)
        names[name.casefold()] = kept
    report = ImportReport(tuple(added), tuple(renamed), tuple(identical))
    return tuple(joined), report


def free_name(name: str, taken: Mapping[str, Any] | Iterable[str]) -> str:
    """`name` with " (2)", " (3)"… after it, the first that no prompt has (names compared
    without case); used for imports and for Duplicate."""
    used = {n.casefold() for n in taken}
    stem = re.sub(r" \(\d+\)$", "", name)
    counter = 2
    while True:
        suffix = f" ({counter})"
        candidate = stem[: NAME_LIMIT - len(suffix)] + suffix
        if candidate.casefold() not in used:
            return candidate
        counter += 1
