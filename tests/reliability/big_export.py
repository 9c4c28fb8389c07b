"""The long conversation that test_export_and_instances.py's exporter processes write and
are killed while writing. A module of its own, importing only the domain types: each of the
seven exporter processes imports it, and importing the test module (Qt's widgets among its
imports) cost each process more than the export itself."""

from __future__ import annotations

from desktopchat.domain.types import Conversation, Message, Role


def big_conversation() -> tuple[Conversation, list[Message]]:
    """About 25 MB of Markdown: long enough to be killed while it is written."""
    conversation = Conversation(1, "A very long one", 1_763_000_000.0, 1_763_000_000.0)
    line = "a line of a long conversation, with words enough to fill the disk a little. "
    messages = [
        Message(i, 1, Role.USER if i % 2 == 0 else Role.ASSISTANT, line * 400, 1_763_000_000.0)
        for i in range(800)
    ]
    return conversation, messages
