"""ProjectService and what a project's request carries: the real store, the real SDKs
against the wire server."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest

from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.projects import FileUse, uses_from_record
from desktopchat.domain.types import ModelInfo
from desktopchat.providers.factory import create_provider
from desktopchat.services.attachments import AttachmentProblem, Reason
from desktopchat.services.chat import ChatService, ReplyFinished
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import HistoryService
from desktopchat.services.projects import FileRefusal, ProjectFileRefused, ProjectService
from tests.wire_server import WireServer

KEY = "sk-test-projects-0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def wire():
    with WireServer() as server:
        yield server


def run(coroutine):
    return asyncio.run(coroutine)


def test_create_rename_defaults_and_delete_keep_conversations(store):
    history = HistoryService(store)
    projects = ProjectService(history)

    async def scenario():
        garden = await projects.create("  Garden\n plans ")
        garden = await projects.rename(garden, "Garden")
        await projects.save(replace(garden, system_prompt="Answer as a gardener.", tools=True))
        conversation = await projects.start_conversation(await projects.project(garden.id))
        other = await projects.create("Other")
        projects.move(conversation.id, other.id)
        moved = await history.conversation(conversation.id)
        await projects.delete(other.id)
        after = await history.conversation(conversation.id)
        return garden, conversation, moved, after, await projects.projects()

    garden, conversation, moved, after, left = run(scenario())
    assert garden.name == "Garden"
    assert conversation.project_id == garden.id
    assert conversation.system_prompt == "Answer as a gardener."
    assert moved.project_id is not None and moved.project_id != garden.id
    assert after.project_id is None  # the project went, the conversation stayed
    assert [(p.name, p.tools) for p in left] == [("Garden", True)]


def test_files_are_added_checked_and_removed(store, tmp_path):
    projects = ProjectService(HistoryService(store))
    (tmp_path / "notes.md").write_text("# Notes\nThe heater runs at night.\n")
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "big.txt").write_bytes(b"x" * (10 * 1024 * 1024 + 1))
    (tmp_path / "empty.txt").write_text("   \n")

    async def scenario():
        project = await projects.create("P")
        added = await projects.add_file(project.id, tmp_path / "notes.md")
        refusals = []
        for name in ("photo.png", "big.txt", "empty.txt", "missing.txt"):
            try:
                await projects.add_file(project.id, tmp_path / name)
            except ProjectFileRefused as refused:
                refusals.append(refused.refusal)
            except AttachmentProblem as problem:
                refusals.append(problem.reason)
        listed = await projects.files(project.id)
        await projects.remove_file(project.id, added.id)
        return added, listed, refusals, await projects.files(project.id)

    added, listed, refusals, after = run(scenario())
    assert (added.name, added.mime, added.size) == ("notes.md", "text/markdown", 34)
    assert listed == [added]
    assert refusals == [
        FileRefusal.IMAGE,
        Reason.TOO_LARGE,
        FileRefusal.NO_TEXT,
        Reason.UNREADABLE,
    ]
    assert after == []


def _service_on(store, server: WireServer, sdk: str, window: int) -> ChatService:
    url = server.openai_url if sdk == "openai" else server.url
    preset = with_base_url(get_preset(sdk), url)

    async def source(_provider_id: str):
        return create_provider(preset, KEY)

    limits = ContextLimits(model_info=lambda _p, model: ModelInfo(model, context_length=window))
    return ChatService(HistoryService(store), source, context=limits)


def _ask(store, wire, folder, sdk: str, window: int, files: dict[str, str], question: str):
    """A project with `files` and defaults; a new conversation in it; one question. Returns
    the request body the server received and the reply as stored."""
    model = "wire-large" if sdk == "openai" else "claude-test"
    history = HistoryService(store)
    projects = ProjectService(history)

    async def scenario():
        project = await projects.create("Greenhouse")
        project = await projects.save(
            replace(
                project,
                system_prompt="You are the greenhouse assistant.",
                provider=sdk,
                model=model,
                temperature=0.3,
            )
        )
        for name, text in files.items():
            path = folder / name
            path.write_text(text)
            await projects.add_file(project.id, path)
        conversation = await projects.start_conversation(project)
        service = _service_on(store, wire, sdk, window)
        events = [e async for e in service.send(conversation.id, question)]
        return [e for e in events if isinstance(e, ReplyFinished)]

    (finished,) = run(scenario())
    stored = store.get_message(finished.message.id)
    return wire.last_request.body, stored


def _system_text(body, sdk: str) -> str:
    if sdk == "anthropic":
        system = body["system"]
        return system if isinstance(system, str) else "".join(b["text"] for b in system)
    (first,) = [m for m in body["messages"] if m["role"] == "system"]
    return first["content"] if isinstance(first["content"], str) else json.dumps(first)


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_small_files_go_whole_with_the_projects_defaults(store, wire, tmp_path, sdk):
    files = {"notes.md": "The heater runs at night.", "plan.txt": "Tomatoes in May."}
    body, reply = _ask(store, wire, tmp_path, sdk, 128_000, files, "When do tomatoes go in?")

    assert body["model"] == ("wire-large" if sdk == "openai" else "claude-test")
    temperature = body.get("temperature")
    assert temperature == 0.3
    system = _system_text(body, sdk)
    assert system.startswith("You are the greenhouse assistant.")
    assert "=== File: notes.md ===\nThe heater runs at night." in system
    assert "=== File: plan.txt ===\nTomatoes in May." in system
    assert uses_from_record(reply.project_files) == (FileUse("notes.md"), FileUse("plan.txt"))


@pytest.mark.parametrize("sdk", ["openai", "anthropic"])
def test_files_too_large_for_the_window_send_the_best_passages(store, wire, tmp_path, sdk):
    filler = "Sheep graze the upper field while the farmer mends fences.\n" * 400
    files = {
        "field.txt": filler,
        "heating.md": filler[:3000] + "\n\nThe greenhouse heater must stay above 7 degrees.\n",
    }
    body, reply = _ask(store, wire, tmp_path, sdk, 8_000, files, "What temperature for the heater?")

    system = _system_text(body, sdk)
    assert "File: field.txt" not in system  # not whole
    assert "=== heating.md (from character " in system
    assert "must stay above 7 degrees" in system
    uses = uses_from_record(reply.project_files)
    assert uses[0].name == "heating.md" and uses[0].passages >= 1
    assert len(system) < 8_000 * 4  # within the window's room, never the whole 48 kB


def test_a_conversation_outside_a_project_sends_no_files(store, wire):
    history = HistoryService(store)
    projects = ProjectService(history)

    async def scenario():
        await projects.create("Unused")
        conversation = store.create_conversation(provider="openai", model="wire-large").result()
        service = _service_on(store, wire, "openai", 128_000)
        return [e async for e in service.send(conversation.id, "hi")]

    events = run(scenario())
    (finished,) = [e for e in events if isinstance(e, ReplyFinished)]
    assert finished.message.project_files is None
    assert all(m["role"] != "system" for m in wire.last_request.body["messages"])
