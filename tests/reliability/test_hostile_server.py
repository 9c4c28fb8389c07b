"""R9 at the transport: a hostile server costs bounded memory and time, then a clear error.

Each case runs one provider call (real SDK, the app's HTTP client) in a process of its own
(tests/reliability/hostile_client.py) against the loopback wire server, and checks:

- the bound on memory: the peak RSS grows by less than MEMORY_BOUND_MIB during the call
  (before the fix: 2.2 GB for the gzip bomb, 1.4 GiB in 25 s for the endless line, 3.9 GiB
  for the 100 MB delta);
- the bound on time: the error comes within TIME_BOUND_S (a freeze or an endless wait
  fails it; before the fix the trickling model list and the junk stream never ended);
- the outcome: the ChatError's kind, and for replies the text received before is kept.

The figures are printed (`pytest -s`) for the report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktopchat.providers.limits import MiB
from tests.wire_hostile import comments_forever, endless_line, gzip_bomb, huge_delta, trickle
from tests.wire_script import Fault

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND_MIB = 200
TIME_BOUND_S = 30.0
GiB = 1024 * MiB


@dataclass(frozen=True)
class Case:
    name: str
    preset: str
    action: str
    fault: Fault | None
    kind: str
    text_length: int = 0
    first_byte: float = 60.0
    total: float = 20.0
    reply_chars: int = 0
    """For a reply over the text limit: the wire server's reply, this many characters."""


CASES = [
    Case("gzip bomb model list", "openai", "models", gzip_bomb(GiB), "response_too_large"),
    Case("gzip bomb model list", "anthropic", "models", gzip_bomb(GiB), "response_too_large"),
    Case("gzip bomb error body", "openai", "stream", gzip_bomb(GiB, status=500), "server_error"),
    Case("gzip bomb error body", "anthropic", "models", gzip_bomb(GiB, status=500), "server_error"),
    Case("endless line", "openai", "stream", endless_line(), "reply_too_large"),
    Case("endless line", "anthropic", "stream", endless_line(), "reply_too_large"),
    Case("100 MB delta", "openai", "stream", huge_delta(100 * MiB), "reply_too_large", 6),
    Case(
        "reply over 16 MiB",
        "openai",
        "stream",
        None,
        "reply_too_large",
        16 * MiB,
        reply_chars=17 * MiB,
    ),
    Case(
        "model list a byte every 0.5 s",
        "openai",
        "models",
        trickle(b'{"object":"list","data":[]}', 0.5),
        "timeout",
        total=3.0,
    ),
    Case(
        "model list a byte every 0.5 s",
        "anthropic",
        "models",
        trickle(b'{"data":[],"has_more":false}', 0.5),
        "timeout",
        total=3.0,
    ),
    Case(
        "comments, no event",
        "openai",
        "stream",
        comments_forever(0.05),
        "timeout",
        first_byte=3.0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.name}-{case.preset}")
def test_hostile_server_costs_bounded_memory_and_time(wire_server, case):
    if case.reply_chars:
        wire_server.reply.text = "x" * case.reply_chars
        wire_server.reply.chunks = case.reply_chars // (64 * 1024)
    command = [
        sys.executable,
        "-m",
        "tests.reliability.hostile_client",
        case.preset,
        wire_server.url,
        case.action,
        str(case.first_byte),
        str(case.total),
    ]
    with subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout.readline().strip() == "ready"
            if case.fault is not None:
                wire_server.queue(case.fault)  # the provider asks once: retrying is the service's
            child.stdin.write("go\n")
            child.stdin.flush()
            output, _ = child.communicate(timeout=TIME_BOUND_S + 30)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 0
    result = json.loads(output.strip().splitlines()[-1])
    print(
        f"\n{case.name} ({case.preset}): {result['kind']} after {result['seconds']:.2f} s, "
        f"peak RSS +{result['growth_mib']:.0f} MiB, text kept {result['text_length']} chars"
        f" — {result['detail']}"
    )
    assert result["kind"] == case.kind
    assert result["growth_mib"] < MEMORY_BOUND_MIB, "memory bound crossed"
    assert result["seconds"] < TIME_BOUND_S, "time bound crossed"
    assert result["text_length"] == case.text_length
