"""One app instance for tests/storage/test_concurrency.py, run as its own process.

Usage: python concurrent_instance.py HISTORY NAME KIND TURNS

It opens the history (racing the others to create the file), prints "ready", waits for a
line on stdin, then writes as the app does, queued for the writer thread and not waited
for, keeping every write's future:

- "chat": turns of a question and a reply streamed in many small saves; every third turn
  an edit (a sibling question with its own reply, the branch shown switched back and
  forth), every fifth turn an old turn left out, and renames;
- "import": whole conversations read before "go", then ten at a time their ids given in
  one burst as an archive import gives them, on the same milliseconds as the other
  importers' bursts (the next 50 ms of the wall clock), and written.

At the end it waits for every future (any failure is an error: exit 1), closes the store
(nothing may be left unwritten) and prints, as one JSON line, what it expects the file to
hold: every conversation it made with its title, every message with its conversation,
role, text and whether it is left out.
"""

from __future__ import annotations

import json
import math
import sys
import time
from concurrent.futures import Future
from pathlib import Path

from desktopchat.domain.types import Conversation, Message, MessageStatus, Role
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from desktopchat.storage.imports import AddWholeConversations, WholeConversation, with_ids

STREAMED_SAVES = 12


class Instance:
    def __init__(self, store: ConversationStore, name: str) -> None:
        self.store = store
        self.name = name
        self.written: list[Future] = []
        self.titles: dict[int, str] = {}
        self.messages: dict[int, dict] = {}
        self.trees: list[tuple[Conversation, list[Message], str, dict]] = []
        self.imports: list[AddWholeConversations] = []

    def add(self, conversation_id: int, role: Role, text: str, **options) -> Message:
        queued = self.store.add_message(conversation_id, role, text, **options)
        self.written.append(queued.saved)
        message = queued.value
        self.messages[message.id] = {
            "conversation": conversation_id,
            "role": role.value,
            "text": text,
            "left_out": False,
        }
        return message

    def stream(self, conversation_id: int, parent: Message, label: str) -> Message:
        reply = self.add(
            conversation_id, Role.ASSISTANT, "", parent_id=parent.id, status=MessageStatus.STREAMING
        )
        text = ""
        for save in range(STREAMED_SAVES):
            text += f"{label}-{save} "
            self.written.append(self.store.update_reply(conversation_id, reply.id, text=text))
            time.sleep(0.0005)
        final = f"{self.name} answer {label}"
        self.written.append(
            self.store.update_reply(
                conversation_id, reply.id, text=final, status=MessageStatus.COMPLETE
            )
        )
        self.messages[reply.id]["text"] = final
        return reply

    def chat(self, turns: int) -> None:
        queued = self.store.create_conversation(title=self.name)
        self.written.append(queued.saved)
        conversation = queued.value.id
        self.titles[conversation] = self.name
        parent: Message | None = None
        for turn in range(turns):
            question = self.add(
                conversation,
                Role.USER,
                f"{self.name} question {turn}",
                parent_id=parent.id if parent else None,
            )
            reply = self.stream(conversation, question, str(turn))
            if turn % 3 == 2:  # an edit: a sibling question and its reply, then back
                edited = self.add(
                    conversation,
                    Role.USER,
                    f"{self.name} edited question {turn}",
                    parent_id=parent.id if parent else None,
                )
                self.stream(conversation, edited, f"{turn} edited")
                self.written.append(self.store.set_current_leaf(conversation, reply.id))
            if turn % 5 == 4:
                self.written.append(self.store.set_left_out(conversation, [question.id], True))
                self.messages[question.id]["left_out"] = True
                title = f"{self.name} after {turn}"
                self.written.append(self.store.rename_conversation(conversation, title))
                self.titles[conversation] = title
            parent = reply

    def prepare_import(self, count: int) -> None:
        """An archive's conversations read (before "go")."""
        self.trees = [self._tree(number) for number in range(count)]

    def import_(self) -> None:
        """Ten conversations at a time: their ids given in one burst (as an import gives
        them) that starts on the same millisecond as the other importers' (the next 50 ms
        of the wall clock), then written; each change says what it added."""
        for start in range(0, len(self.trees), 10):
            now = time.time()
            time.sleep(math.ceil(now * 20) / 20 - now)
            wholes = [with_ids(*tree, self.store.new_id) for tree in self.trees[start : start + 10]]
            for whole in wholes:
                self._expect(whole)
            queued = self.store.add_whole_conversations(wholes)
            self.written.append(queued.saved)
            self.imports.append(queued.value)

    def _tree(self, number: int) -> tuple[Conversation, list[Message], str, dict]:
        """An archive's conversation: a path of 40 messages with local ids."""
        title = f"{self.name} imported {number}"
        header = Conversation(0, title, time.time(), time.time())
        local = [
            Message(
                local_id,
                0,
                Role.USER if local_id % 2 else Role.ASSISTANT,
                f"{self.name} imported {number} message {local_id}",
                time.time(),
                parent_id=local_id - 1 if local_id > 1 else None,
            )
            for local_id in range(1, 41)
        ]
        return header, local, f"{self.name}:{number}", {}

    def _expect(self, whole: WholeConversation) -> None:
        self.titles[whole.conversation.id] = whole.conversation.title
        for message in whole.messages:
            self.messages[message.id] = {
                "conversation": whole.conversation.id,
                "role": message.role.value,
                "text": message.text,
                "left_out": False,
            }

    def finish(self) -> None:
        for written in self.written:
            written.result(60)  # raises what the write raised
        for change in self.imports:
            if change.failed or len(change.added) != len(change.conversations):
                raise AssertionError(f"not imported: {change.failed}")
        unsaved = self.store.close(60)
        if unsaved:
            raise AssertionError(f"not written: {[c.describe() for c in unsaved]}")


def main() -> None:
    path, name, kind, turns = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    db, problem = open_database(path)
    if problem is not None:
        raise AssertionError(problem)
    instance = Instance(ConversationStore(db), name)
    if kind == "import":
        instance.prepare_import(turns)
    print("ready", flush=True)
    sys.stdin.readline()
    if kind == "chat":
        instance.chat(turns)
    else:
        instance.import_()
    instance.finish()
    print(json.dumps({"titles": instance.titles, "messages": instance.messages}), flush=True)


if __name__ == "__main__":
    main()
