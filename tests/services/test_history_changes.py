"""Each change to the history is announced once, as a HistoryChanges that says what kind of
thing changed (services/history_changes.py), with a real store on disk."""

from __future__ import annotations

import asyncio

import pytest

from desktopchat.domain.types import Role
from desktopchat.services.history import HistoryService
from desktopchat.services.history_changes import EVERYTHING, HistoryChanges
from desktopchat.services.importers.reader import parse_export
from desktopchat.services.importers.service import ImportService
from desktopchat.services.projects import ProjectService
from desktopchat.storage.history import ConversationStore
from tests.services.importers.archives import chatgpt_linear


@pytest.fixture
def store(file_store):
    return file_store


class Heard:
    """A HistoryService with a listener that keeps what it hears."""

    def __init__(self, store: ConversationStore) -> None:
        self.history = HistoryService(store)
        self.changes: list[HistoryChanges] = []
        self.stop = self.history.on_changed(self.changes.append)

    def take(self) -> list[HistoryChanges]:
        heard, self.changes[:] = list(self.changes), []
        return heard


def rows(*ids: int) -> HistoryChanges:
    return HistoryChanges(conversations=frozenset(ids))


def test_conversation_writes_say_which_rows_changed_or_went(store):
    heard = Heard(store)
    history = heard.history

    async def run() -> None:
        first = await history.start_conversation(title="First")
        second = await history.start_conversation(title="Second")
        assert heard.take() == [rows(first.id), rows(second.id)]
        history.change_conversation(first.id, title="Renamed")
        assert heard.take() == [rows(first.id)]
        history.set_pinned([first.id, second.id], True)
        assert heard.take() == [rows(first.id, second.id)], "one change for the selection"
        history.change_conversation(first.id, model="m", temperature=0.5, system_prompt="s")
        assert heard.take() == [], "settings show in no row: not announced"
        history.delete(second.id)
        assert heard.take() == [HistoryChanges(removed=frozenset({second.id}))]
        await history.save_draft(first.id, "half a thought")
        assert heard.take() == [], "a draft is no change to the history shown"
        assert (await history.conversation(first.id)).title == "Renamed"

    asyncio.run(run())


def test_message_writes_say_whose_messages_changed(store):
    conversation = store.create_conversation(title="t").result()
    question = store.add_message(conversation.id, Role.USER, "q").result()
    answer = store.add_message(conversation.id, Role.ASSISTANT, "a", parent_id=question.id)
    answer.result()
    heard = Heard(store)
    changed = HistoryChanges(messages_of=frozenset({conversation.id}))

    async def run() -> None:
        heard.history.set_left_out(conversation.id, [question.id], True)
        assert heard.take() == [changed]
        await heard.history.delete_from(conversation.id, answer.value.id)
        assert heard.take() == [changed]
        await heard.history.switch_branch(conversation.id, question.id, 1)
        assert heard.take() == [], "the branch shown is shown by whoever moved it"

    asyncio.run(run())
    assert [m.text for m in store.messages(conversation.id)] == ["q"]


def test_projects_move_rows_and_a_deleted_project_changes_everything(store):
    heard = Heard(store)
    projects = ProjectService(heard.history)

    async def run() -> None:
        conversation = await heard.history.start_conversation(title="t")
        project = await projects.create("Work")
        heard.take()
        projects.move(conversation.id, project.id)
        assert heard.take() == [rows(conversation.id)]
        await projects.delete(project.id)
        assert heard.take() == [EVERYTHING]

    asyncio.run(run())


def test_an_import_announces_everything_once_it_added_something(store):
    heard = Heard(store)
    service = ImportService(store, heard.history.announce)
    parsed = parse_export([chatgpt_linear("c1", 2)])

    async def run() -> None:
        report = await service.write(parsed)
        assert report.added == 1 and heard.take() == [EVERYTHING]
        again = await service.write(parse_export([chatgpt_linear("c1", 2)]))
        assert again.added == 0 and heard.take() == [], "nothing added: nothing to read"

    asyncio.run(run())


def test_a_listener_stopped_hears_nothing_more(store):
    heard = Heard(store)
    heard.stop()

    async def run() -> None:
        await heard.history.start_conversation(title="t")

    asyncio.run(run())
    assert heard.changes == []


def test_what_a_record_says():
    changes = HistoryChanges(
        conversations=frozenset({1, 2}), removed=frozenset({2}), messages_of=frozenset({3})
    )
    assert changes.changed_rows() == {1}
    assert changes.touches_messages_of(3) and not changes.touches_messages_of(1)
    assert EVERYTHING.touches_messages_of(1)
