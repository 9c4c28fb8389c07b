"""Attachments on the wire: the exact image and document parts each SDK sends, what a model
reads from its list, and a refused image worded as its own kind."""

from __future__ import annotations

import base64

import pytest

from desktopchat.domain.errors import ErrorKind
from desktopchat.domain.types import AttachmentKind, AttachmentPayload, ChatTurn, Role
from desktopchat.providers.attachment_parts import NO_TEXT
from tests.wire_server import Fault, ModelSpec

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
IMAGE = AttachmentPayload(AttachmentKind.IMAGE, "cat.png", "image/png", data=PNG)
REPORT = AttachmentPayload(
    AttachmentKind.DOCUMENT, 'report "final".pdf', "application/pdf", data=b"%PDF", text="Q3: up"
)
SCAN = AttachmentPayload(AttachmentKind.DOCUMENT, "scan.pdf", "application/pdf", text=None)
TURNS = (
    ChatTurn(Role.USER, "What is in these?", attachments=(IMAGE, REPORT, SCAN)),
    ChatTurn(Role.ASSISTANT, "A cat and a report."),
    ChatTurn(Role.USER, "Thanks"),
)
REPORT_PART = '<file name="report &quot;final&quot;.pdf">\nQ3: up\n</file>'
SCAN_PART = f'<file name="scan.pdf">\n{NO_TEXT}\n</file>'
B64 = base64.b64encode(PNG).decode()


def test_openai_compatible_parts(driver, wire_server):
    driver.events("openrouter", turns=TURNS)
    messages = wire_server.last_request.body["messages"]
    assert messages[0] == {
        "role": "user",
        "content": [
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{B64}"}},
            {"type": "text", "text": REPORT_PART},
            {"type": "text", "text": SCAN_PART},
            {"type": "text", "text": "What is in these?"},
        ],
    }
    assert messages[1:] == [
        {"role": "assistant", "content": "A cat and a report."},
        {"role": "user", "content": "Thanks"},
    ]


def test_anthropic_blocks(driver, wire_server):
    driver.events("anthropic", turns=TURNS)
    messages = wire_server.last_request.body["messages"]
    assert messages[0] == {
        "role": "user",
        "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": B64}},
            {"type": "text", "text": REPORT_PART},
            {"type": "text", "text": SCAN_PART},
            {"type": "text", "text": "What is in these?"},
        ],
    }
    assert messages[2] == {"role": "user", "content": "Thanks"}


def test_a_file_name_cannot_close_the_tag(driver, wire_server):
    sneaky = AttachmentPayload(AttachmentKind.DOCUMENT, '"></file><x a="', "text/plain", text="t")
    driver.events("openai", turns=(ChatTurn(Role.USER, "", attachments=(sneaky,)),))
    part = wire_server.last_request.body["messages"][0]["content"]
    assert part == [
        {"type": "text", "text": '<file name="&quot;&gt;&lt;/file&gt;&lt;x a=&quot;">\nt\n</file>'}
    ]


def test_openrouter_says_what_each_model_reads(driver, wire_server):
    wire_server.models = [
        ModelSpec("vision/model", input_modalities=("text", "image", "file")),
        ModelSpec("text/model", input_modalities=("text",)),
        ModelSpec("quiet/model"),
    ]
    models = {model.id: model for model in driver.models("openrouter")}
    assert models["vision/model"].input_modalities == ("text", "image", "file")
    assert models["text/model"].input_modalities == ("text",)
    assert models["quiet/model"].input_modalities is None


def test_openai_families_that_read_images(driver, wire_server):
    ids = ["gpt-4o", "gpt-4.1-mini", "gpt-5", "o3", "gpt-4o-audio-preview", "gpt-3.5-turbo"]
    wire_server.models = [ModelSpec(model_id) for model_id in [*ids, "dall-e-3"]]
    reads = {model.id: model.input_modalities for model in driver.models("openai")}
    assert reads["gpt-4o"] == reads["gpt-4.1-mini"] == reads["gpt-5"] == reads["o3"]
    assert reads["gpt-4o"] == ("text", "image")
    assert reads["gpt-4o-audio-preview"] == reads["gpt-3.5-turbo"] == ("text",)
    assert reads["dall-e-3"] is None


def test_every_claude_reads_images(driver, wire_server):
    wire_server.models = [ModelSpec("claude-x")]
    assert driver.models("anthropic")[0].input_modalities == ("text", "image")


@pytest.mark.parametrize(
    ("preset", "status", "message"),
    [
        ("openai", 400, "Invalid content type. image_url is only supported by certain models."),
        ("deepseek", 422, "messages[0]: unknown variant `image_url`, expected `text`"),
        ("openrouter", 404, "No endpoints found that support image input"),
        ("lmstudio", 400, "Model does not support images. Please use a model that does."),
    ],
)
def test_a_refused_image_is_its_own_kind(driver, wire_server, preset, status, message):
    wire_server.queue(Fault.http(status, message))
    error = driver.error(preset, model="text-only")
    assert error.kind is ErrorKind.IMAGES_NOT_SUPPORTED
    assert "text-only reads text only" in error.message


def test_an_ordinary_bad_request_stays_one(driver, wire_server):
    wire_server.queue(Fault.http(400, "max_tokens is too large"))
    assert driver.error("openai").kind is ErrorKind.BAD_REQUEST
