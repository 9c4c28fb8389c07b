"""The prompt library service (services/prompts.py): changes at once, written behind in
order, imports that refuse hostile files whole, and a failed write said, never lost."""

from __future__ import annotations

import asyncio
import json

import pytest

from desktopchat.domain.prompts import FILE_BYTES_LIMIT
from desktopchat.services.prompts import ImportRefused, PromptLibrary
from desktopchat.system.prompt_file import PromptFile, read_prompts


def run(coro):
    return asyncio.run(coro)


def test_changes_show_at_once_and_reach_the_file_in_order(tmp_path):
    path = tmp_path / "prompts.json"

    async def scenario():
        library = PromptLibrary(PromptFile(path))
        assert await library.load() is None
        seen = []
        library.on_changed(lambda: seen.append(len(library.prompts())))
        first = library.add("Summarise", "Summarise {{text}}")
        second = library.add("Translate", "Into {{language}}: {{text}}")
        library.update(first.id, body="Summarise in {{n}} lines: {{text}}")
        copy = library.duplicate(second.id, "copy")
        deleted = library.delete(first.id)
        library.remember(second.id, {"language": "French", "text": "x" * 30_000})
        assert [p.name for p in library.prompts()] == ["Translate", "Translate (copy)"]
        assert seen[:5] == [1, 2, 2, 3, 2]
        await library.aclose()
        assert deleted is not None
        library.restore(*deleted)
        await library.aclose()
        return copy

    copy = run(scenario())
    on_disk, _ = read_prompts(path)
    assert [p.name for p in on_disk] == ["Summarise", "Translate", "Translate (copy)"]
    assert on_disk[0].body == "Summarise in {{n}} lines: {{text}}"
    assert dict(on_disk[1].values) == {"language": "French"}  # 30,000 characters: not kept
    assert copy is not None and on_disk[2].id == copy.id


def test_a_failed_write_is_said_and_the_next_change_writes_everything(tmp_path):
    blocker = tmp_path / "config"
    path = blocker / "prompts.json"

    async def scenario():
        library = PromptLibrary(PromptFile(path))
        await library.load()
        blocker.write_text("a file where the folder should be")
        failures = []
        library.on_failed(failures.append)
        library.add("Kept in memory", "body")
        await library.aclose()
        assert failures and [p.name for p in library.prompts()] == ["Kept in memory"]
        blocker.unlink()
        library.add("Second")
        await library.aclose()

    run(scenario())
    assert [p.name for p in read_prompts(path)[0]] == ["Kept in memory", "Second"]


def test_another_instances_prompt_comes_in_with_the_next_write(tmp_path):
    path = tmp_path / "prompts.json"

    async def scenario():
        mine, theirs = PromptLibrary(PromptFile(path)), PromptLibrary(PromptFile(path))
        await mine.load()
        await theirs.load()
        theirs.add("Theirs")
        await theirs.aclose()
        mine.add("Mine")
        await mine.aclose()
        return [p.name for p in mine.prompts()]

    assert run(scenario()) == ["Mine", "Theirs"]


def test_import_merges_duplicates_by_name_and_export_round_trips(tmp_path):
    exported = tmp_path / "exported.json"
    incoming = tmp_path / "incoming.json"
    incoming.write_text(
        json.dumps(
            [
                {"name": "Summarise", "body": "S {{text}}"},
                {"name": "Translate", "body": "another text"},
                {"name": "Fresh", "body": "F"},
                {"name": "", "body": "nameless"},
            ]
        )
    )

    async def scenario():
        library = PromptLibrary(PromptFile(tmp_path / "prompts.json"))
        await library.load()
        library.add("Summarise", "S {{text}}")
        library.add("Translate", "T")
        report = await library.import_file(incoming)
        assert await library.export_file(exported) == 4
        other = PromptLibrary(PromptFile(tmp_path / "other.json"))
        await other.load()
        again = await other.import_file(exported)
        await library.aclose()
        await other.aclose()
        return report, again, library, other

    report, again, library, other = run(scenario())
    assert report.added == ("Fresh",)
    assert report.renamed == (("Translate", "Translate (2)"),)
    assert report.identical == ("Summarise",)
    assert report.left_out == 1
    assert len(again.added) == 4
    assert [(p.name, p.body) for p in other.prompts()] == [
        (p.name, p.body) for p in library.prompts()
    ]
    assert {p.id for p in other.prompts()}.isdisjoint({p.id for p in library.prompts()})


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\xff\xfe not utf-8", "not_text"),
        (b"{not json", "not_json"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b'{"mcpServers": {}}', "wrong_format"),
        (b'"just a string"', "not_object"),
        (b" " * (FILE_BYTES_LIMIT + 1), "too_large"),
    ],
)
def test_hostile_imports_are_refused_and_nothing_changes(tmp_path, content, kind):
    hostile = tmp_path / "hostile.json"
    hostile.write_bytes(content)

    async def scenario():
        library = PromptLibrary(PromptFile(tmp_path / "prompts.json"))
        await library.load()
        library.add("Mine", "kept")
        with pytest.raises(ImportRefused) as refused:
            await library.import_file(hostile)
        await library.aclose()
        return refused.value.kind, library.prompts()

    refused_kind, prompts = run(scenario())
    assert refused_kind == kind
    assert [p.name for p in prompts] == ["Mine"]
