"""One provider call against a hostile server, in a process of its own, measured.

`python -m tests.reliability.hostile_client PRESET BASE_URL ACTION FIRST_BYTE TOTAL`
builds the provider as the app does (real SDK, our HTTP client), warms it up with one model
list (SDK imported, connection pool made), prints `ready` and waits for a line on stdin:
the test queues its fault in between. Then it resets the peak RSS (/proc/self/clear_refs),
runs ACTION (`models`, or `stream`, which keeps the text as the app does) and prints one
JSON line: the ChatError's kind and detail, the text kept, the seconds to the error, and the
peak RSS growth in MiB over the RSS just before.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit

from desktopchat.domain.errors import ChatError
from desktopchat.domain.presets import get_preset, with_base_url
from desktopchat.domain.types import ChatTurn, GenerationSettings, Role
from desktopchat.providers.base import RequestTimeouts, TextDelta
from desktopchat.providers.factory import create_provider

MiB = 1024 * 1024


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # the peak RSS becomes the current RSS
    except OSError:
        pass  # the peak then includes the warm-up: the growth measured is only larger


async def run(preset_id: str, base_url: str, action: str, timeouts: RequestTimeouts) -> dict:
    preset = get_preset(preset_id)
    preset = with_base_url(preset, base_url + urlsplit(preset.base_url).path)
    provider = create_provider(preset, "sk-hostile-0123456789abcdef", timeouts=timeouts)
    try:
        await provider.list_models()
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        _reset_peak()
        before = _status_kib("VmRSS")
        started = time.monotonic()
        parts: list[str] = []
        result: dict = {"kind": None, "detail": "", "status": None}
        try:
            if action == "models":
                await provider.list_models()
            else:
                turns = [ChatTurn(Role.USER, "Hello?")]
                async for event in provider.stream(turns, GenerationSettings(model="wire-large")):
                    if isinstance(event, TextDelta):
                        parts.append(event.text)
        except ChatError as error:
            result = {"kind": error.kind.value, "detail": error.detail, "status": error.status}
        result["seconds"] = time.monotonic() - started
        result["growth_mib"] = (_status_kib("VmHWM") - before) / 1024
        result["text_length"] = len("".join(parts))
        result["text_head"] = "".join(parts)[:40]
        return result
    finally:
        await provider.aclose()


def main() -> None:
    preset_id, base_url, action, first_byte, total = sys.argv[1:6]
    timeouts = RequestTimeouts(connect=5.0, first_byte=float(first_byte), total=float(total))
    result = asyncio.run(run(preset_id, base_url, action, timeouts))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
