"""R9 at the window: a server listing 100,000 models, and a hostile server where the
first run looks for LM Studio.

The list is served by the wire server in a process of its own (in-process, building a
9 MiB body would take the GIL from the window being measured). Bounds checked, generous so
that only a freeze or a runaway fails them (the benchmarks hold the real budgets):
- no event-loop stall above FREEZE_MS while the list loads, nor while conversations are
  switched ten times, nor while a model id is typed with the 5,000 models in the box;
- the list shown is capped at MAX_MODELS, and the cap is said;
- the disk cache is written once and read at most once per provider;
- the first-run probe of a hostile server gives up within PROBE_DEADLINE + 2 s, and the
  process's peak memory grows by less than PROBE_MEMORY_MB.
"""

from __future__ import annotations

import asyncio
import functools
import resource
import time
import zlib
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication

from desktopchat.services import registry as registry_module
from desktopchat.services.local_probe import PROBE_DEADLINE
from desktopchat.services.model_list import MAX_MODELS
from desktopchat.services.registry import import_sdk
from desktopchat.system.paths import app_paths
from desktopchat.ui.models.picker_rows import RowKind
from desktopchat.ui.window.startup import after_window_shown
from tests.bench.wire_process import WireProcess
from tests.reliability.in_window import EventLoopWatch
from tests.ui.window.test_main_window_startup import closed_port_url

LISTED = 100_000
"""Was 300,000 (the finding: a 14 s freeze), which took minutes of CI to serve, parse and
check. 100,000 still proves what the test is about: 20 times MAX_MODELS, so the cap and its
note must apply, and a list that reached the window uncapped would still freeze it for
seconds (the finding's 14 s was for three times as many), past FREEZE_MS; the body (9 MiB)
is still far beyond what the cache may hold (2 MiB)."""
FREEZE_MS = 2000
"""A frozen window, as the finding was (14 s). Not the smoothness budget: while a list this
size loads, the SDK's one json.loads of the body and the collector's passes over its
objects hold the GIL in the worker thread for a good part of a second on a busy 2-core
machine; a body cap in the transport is what would take that away."""
PROBE_MEMORY_MB = 40
"""The probe keeps at most 2 MiB of an answer; 40 MB leaves room for the allocator."""
SWITCHES = 10


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


class RssWatch:
    """The highest resident memory seen, sampled every 10 ms by the event loop."""

    def __init__(self) -> None:
        self.start_mb = self.highest_mb = rss_mb()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._sample)
        self._timer.start()

    def _sample(self) -> None:
        self.highest_mb = max(self.highest_mb, rss_mb())

    def growth_mb(self) -> float:
        self._timer.stop()
        self._sample()
        return self.highest_mb - self.start_mb


@pytest.fixture
def cache_reads(monkeypatch) -> list[str]:
    """The names of the model-list cache files read, in order."""
    reads: list[str] = []
    read = registry_module._read_cache

    def counting(path):
        reads.append(path.name)
        return read(path)

    monkeypatch.setattr(registry_module, "_read_cache", counting)
    return reads


@pytest.fixture(scope="module")
def huge_list_server() -> Iterator[WireProcess]:
    with WireProcess() as server:
        server.configure(model_count=LISTED)
        yield server


def test_a_huge_model_list_is_capped_and_the_window_keeps_answering(
    make_app, huge_list_server, cache_reads
):
    server_url = huge_list_server.openai_url
    memory = RssWatch()
    watch = EventLoopWatch()
    started = time.perf_counter()
    app = make_app(
        keys={},
        last_provider="lmstudio",
        last_model="",
        base_url_overrides={"lmstudio": server_url, "ollama": closed_port_url()},
    )
    bar = app.window.picker
    assert LISTED >= 20 * MAX_MODELS
    app.qtbot.waitUntil(lambda: len(bar.models().models) == MAX_MODELS, timeout=180_000)
    load_s = time.perf_counter() - started
    loading_stalls, loading_longest = watch.stop(), max(watch.gaps_ms, default=0)
    loading_growth = memory.growth_mb()

    note = f"Showing the first {QLocale().toString(MAX_MODELS)} of {QLocale().toString(LISTED)}"
    assert note in app.window.statusBar().currentMessage()
    cache = app_paths().cache / "models-lmstudio.json"
    assert cache.exists() and cache.stat().st_size < 2 * 1024 * 1024
    assert cache_reads == ["models-lmstudio.json"]  # looked for at start: none yet

    # Another provider whose list was cached by an earlier run: read once, then in memory.
    (app_paths().cache / "models-ollama.json").write_bytes(cache.read_bytes())
    store = app.store
    for number in range(4):
        provider = "lmstudio" if number % 2 else "ollama"
        store.create_conversation(title=f"Chat {number}", provider=provider, model="m")
    app.window.sidebar.set_conversations(store.list_conversations())

    watch = EventLoopWatch()
    switch_ms = []
    for number in range(SWITCHES):
        title = f"Chat {number % 4}"
        provider = "lmstudio" if number % 4 % 2 else "ollama"
        began = time.perf_counter()
        app.open_conversation(title)
        app.qtbot.waitUntil(
            lambda p=provider: bar.provider_id() == p and len(bar.models().models) == MAX_MODELS,
            timeout=10_000,
        )
        switch_ms.append((time.perf_counter() - began) * 1000)
    switching_stalls, switching_longest = watch.stop(), max(watch.gaps_ms, default=0)

    # A key and what it sets off (the picker filtering every provider's 5,000 rows, its
    # list laid out), timed until the event queue is empty again: how long the key holds
    # the loop.
    bar.click()
    edit = bar.popup.search
    typing_ms = []
    for key in "model-00012":
        began = time.perf_counter()
        app.qtbot.keyClick(edit, key)
        QApplication.processEvents()
        typing_ms.append(round((time.perf_counter() - began) * 1000))
    shown = [r for r in bar.popup.rows.rows if r.provider_id == bar.provider_id()]
    assert sum(r.kind is RowKind.MODEL for r in shown) == 100
    typing_longest = max(typing_ms)

    # Each cache read once; the picker's popup looked at every provider's, the others too.
    assert cache_reads[:2] == ["models-lmstudio.json", "models-ollama.json"]
    assert len(cache_reads) == len(set(cache_reads))
    print(
        f"\n{LISTED:,} models: shown capped after {load_s:.1f} s; longest stall while loading "
        f"{loading_longest} ms, while switching {switching_longest} ms, while typing "
        f"{typing_longest} ms; switches "
        f"{', '.join(f'{ms:.0f}' for ms in switch_ms)} ms; RSS +{loading_growth:.0f} MB at "
        f"most while loading, {rss_mb():.0f} MB after, peak {peak_rss_mb():.0f} MB"
    )
    assert all(stall <= FREEZE_MS for stall in [*loading_stalls, *switching_stalls, typing_longest])


# The first-run probe against a hostile server on LM Studio's address.


async def _endless(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
    block = b'{"data":[' + b'{"id":"x"},' * 6000
    while True:
        writer.write(block)
        await writer.drain()


async def _endless_chunked(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    while True:
        writer.write(b"10000\r\n" + b" " * 0x10000 + b"\r\n")
        await writer.drain()


@functools.cache
def _bomb() -> bytes:
    """256 MiB of spaces, gzipped to ~250 KiB, made a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: with a gzip header
    block = b" " * (1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(256)) + packer.flush()


async def _gzip_bomb(writer: asyncio.StreamWriter) -> None:
    bomb = _bomb()
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(bomb)}\r\n\r\n".encode()
        + bomb
    )
    await writer.drain()


async def _huge_length(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\n{")
    await writer.drain()
    await asyncio.sleep(60)


async def _deeply_nested(writer: asyncio.StreamWriter) -> None:
    body = b'{"data":' + b"[" * 1_000_000
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    await writer.drain()


async def _drip(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\n")
    while True:
        writer.write(b"X-Slow: y\r\n")
        await writer.drain()
        await asyncio.sleep(0.1)


async def _endless_header(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nX-Long: ")
    while True:
        writer.write(b"a" * 65536)
        await writer.drain()


HOSTILE: dict[str, Callable] = {
    "endless body": _endless,
    "endless chunked body": _endless_chunked,
    "gzip bomb": _gzip_bomb,
    "five gigabytes announced": _huge_length,
    "JSON nested a million deep": _deeply_nested,
    "headers dripping forever": _drip,
    "endless header": _endless_header,
}


@pytest.mark.parametrize("behaviour", list(HOSTILE))
def test_the_first_run_probe_gives_up_on_a_hostile_server(make_app, behaviour):
    answer = HOSTILE[behaviour]
    served: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        served.append(1)
        try:
            await answer(writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    closed = closed_port_url()
    app = make_app(keys={}, last_provider=None, last_model=None)
    server = app.run(asyncio.start_server(handle, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    prefs = app.window.prefs
    prefs.base_url_overrides = {"lmstudio": f"http://127.0.0.1:{port}/v1", "ollama": closed}
    app.run(import_sdk("openai"), timeout=30_000)  # what the warm-up does after the probe
    _bomb()
    try:
        memory = RssWatch()
        watch = EventLoopWatch()
        began = time.perf_counter()
        warm_up = after_window_shown(app.window, None, None)
        app.qtbot.waitUntil(warm_up.done, timeout=int((PROBE_DEADLINE + 5) * 1000))
        # The welcome page then looks for local servers: its first look is the probe.
        watch_servers = app.window.local_servers
        app.qtbot.waitUntil(
            lambda: watch_servers.current_look is not None and watch_servers.current_look.done(),
            timeout=int((PROBE_DEADLINE + 5) * 1000),
        )
        watch_servers.stop()
        took = time.perf_counter() - began
        stalls, longest = watch.stop(), max(watch.gaps_ms, default=0)
        growth = memory.growth_mb()
    finally:
        server.close()
    print(
        f"\n{behaviour}: gave up after {took:.2f} s, longest stall {longest} ms, "
        f"RSS +{growth:.1f} MB at most"
    )
    assert warm_up.exception() is None
    assert served, "the probe never asked"
    assert app.window.welcome.isVisible()
    assert app.window.picker.provider_id() == "openai"
    assert took < PROBE_DEADLINE + 2
    assert growth < PROBE_MEMORY_MB
    assert all(stall <= FREEZE_MS for stall in stalls)
