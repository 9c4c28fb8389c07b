"""The whole path of attachments below the UI: files read by the attachments service, sent
with a message through the real SDKs, stored as blobs, and sent again from the history in
a later turn, in each wire format."""

from __future__ import annotations

import asyncio
import base64

import pytest

from desktopchat.domain.types import AttachmentKind, AttachmentPayload, Role
from desktopchat.services.attachments import NO_TEXT_NOTE, ingest_path
from tests.attachment_files import pdf
from tests.providers.conftest import Driver
from tests.services.test_chat import collect, make_service, new_conversation

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))  # as the UI's image_prep hands it over
PICTURE = AttachmentPayload(AttachmentKind.IMAGE, "chart.png", "image/png", data=PNG)


def _send(store, provider_factory, conversation_id, text, attachments=()):
    async def run():
        provider = provider_factory()
        try:
            service = make_service(store, provider)
            return await collect(service.send(conversation_id, text, attachments))
        finally:
            await provider.aclose()

    return asyncio.run(run())


@pytest.mark.parametrize("preset", ["openrouter", "anthropic"])
def test_sent_stored_and_sent_again_from_the_blobs(store, wire_server, tmp_path, preset):
    (tmp_path / "report.pdf").write_bytes(pdf(["Revenue grew in Lisbon"]))
    (tmp_path / "scan.pdf").write_bytes(pdf([""]))
    report = ingest_path(tmp_path / "report.pdf").payload()
    scan = ingest_path(tmp_path / "scan.pdf").payload()
    assert scan.note == NO_TEXT_NOTE
    driver = Driver(wire_server)
    conversation = new_conversation(store, provider=preset, model="wire-large")

    _send(
        store,
        lambda: driver.provider(preset),
        conversation.id,
        "Read these",
        [PICTURE, report, scan],
    )
    first = wire_server.last_request.body["messages"]
    _send(store, lambda: driver.provider(preset), conversation.id, "And the chart?")
    later = wire_server.last_request.body["messages"]

    user_turns = [m for m in later if m["role"] == "user"]
    assert user_turns[0] == next(m for m in first if m["role"] == "user"), "sent again, same bytes"
    parts = user_turns[0]["content"]
    data = base64.b64encode(PNG).decode()
    if preset == "anthropic":
        image = {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": data},
        }
    else:
        image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}
    assert parts[0] == image
    assert parts[1] == {
        "type": "text",
        "text": '<file name="report.pdf">\nRevenue grew in Lisbon\n</file>',
    }
    assert "No text could be extracted" in parts[2]["text"]
    assert parts[3] == {"type": "text", "text": "Read these"}
    assert user_turns[1]["content"] == "And the chart?"

    stored = store.thread(conversation.id).messages[0]
    assert stored.role is Role.USER
    assert [(a.name, a.kind, a.note) for a in stored.attachments] == [
        ("chart.png", AttachmentKind.IMAGE, None),
        ("report.pdf", AttachmentKind.DOCUMENT, None),
        ("scan.pdf", AttachmentKind.DOCUMENT, NO_TEXT_NOTE),
    ]
    assert store.blob(stored.attachments[0].sha256) == PNG
    assert store.blob(stored.attachments[1].sha256) == report.data
    assert store.search("lisbon")[0].message_id == stored.id
