"""A process for the kill -9 test: a real history file, the real tool service and echo
server, a reply whose tool runs when this process is killed. Prints RUNNING once the call
is on disk. Run: python -m tests.services.tool_kill_child DB CONFIG_DIR OPENAI_URL."""

from __future__ import annotations

import asyncio
import sys
from contextlib import aclosing
from pathlib import Path

from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.providers.factory import create_provider
from desktopchat.services.chat import ChatService
from desktopchat.services.history import HistoryService
from desktopchat.services.tool_loop import ToolCallStarted
from desktopchat.storage.db import open_database
from desktopchat.storage.history import ConversationStore
from tests.keyring_memory import MemoryKeyring
from tests.tools.helpers import make_service, settled


async def main(database: Path, config: Path, url: str) -> None:
    db, problem = open_database(database)
    assert problem is None, problem
    store = ConversationStore(db)
    tools = make_service(config, MemoryKeyring())
    await tools.start()
    await settled(tools, "echo")
    preset = with_base_url(get_preset("openai"), url)

    async def source(_provider_id: str):
        return create_provider(preset, "sk-test-kill-0123456789")

    chat = ChatService(HistoryService(store), source, tools=lambda: tools)
    chat.answer_tool_questions()
    conversation = store.create_conversation(provider="openai", model="wire-large").result()
    async with aclosing(chat.send(conversation.id, "Sleep")) as events:
        async for event in events:
            if isinstance(event, ToolCallStarted):
                # The running call's save follows the one in flight: wait until it is on
                # disk (the tool sleeps meanwhile), then say so and be killed.
                while not _running_on_disk(store, conversation.id):
                    await asyncio.sleep(0.02)
                print("RUNNING", flush=True)


def _running_on_disk(store: ConversationStore, conversation_id: int) -> bool:
    store.wait_written()
    calls = store.messages(conversation_id)[-1].tool_steps.calls()
    return bool(calls) and calls[0].started is not None


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
