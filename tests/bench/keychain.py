"""P9 slow keychain: the longest event-loop stall from start-up through the first reply
while every keychain call takes a second (a slow Secret Service or an unlock prompt).

Each sample is a fresh interpreter: the window is built in app.run()'s order (build_services,
show, after_window_shown) with tests/keyring_memory.SlowKeyring holding the OpenAI key; from
the window's first paint (its building and painting are P1's) a lag probe runs, a message is
sent at once, and the sample ends when the reply is complete. The reference is the same run
with a keychain that answers at once: what the slow one adds is the difference. Its answers
take a second each, so any of them made on the loop would show as a stall of a second or more
(`--quick`: QUICK_KEYCHAIN_DELAY, still six times the 50 ms budget, for a run that waits less).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import BENCH_KEY, Figure, Options, run_sample, sample_main
from tests.bench.wire_process import WireProcess

MODULE = "tests.bench.keychain"
KEYCHAIN_DELAY = 1.0
QUICK_KEYCHAIN_DELAY = 0.3


async def _first_reply(url: str, delay: float, home: Path) -> dict[str, Any]:
    import keyring

    from desktopchat.app.assembly import build_services
    from desktopchat.app.lifetime import shut_down
    from desktopchat.system.paths import app_paths
    from desktopchat.system.settings import SettingsStore
    from desktopchat.ui.window.main_window import MainWindow
    from desktopchat.ui.window.startup import after_window_shown
    from tests.bench.window_harness import LagProbe, PaintWatch, wire_preferences
    from tests.keyring_memory import SlowKeyring

    slow = SlowKeyring()
    slow.delay = delay
    slow.passwords[("desktopchat", "openai")] = BENCH_KEY
    keyring.set_keyring(slow)
    probe = LagProbe()
    began = time.perf_counter()
    paths = app_paths({"DESKTOPCHAT_HOME": str(home)})
    paths.ensure()
    settings = SettingsStore(paths.settings_file)
    services, problem = build_services(paths, settings, wire_preferences(url))
    window = MainWindow(services)
    painted = PaintWatch(window.chat_view.viewport()).next_paint()
    window.show()
    after_window_shown(window, problem, settings.problem)
    await asyncio.wait_for(painted, 30)
    probe.start()  # building and first painting the window are P1's; the keychain's from here
    done = asyncio.get_running_loop().create_future()

    def on_streaming_changed(_conversation_id: int, streaming: bool) -> None:
        if not streaming and not done.done():
            done.set_result(None)

    services.controller.streaming_changed.connect(on_streaming_changed)
    window.composer.send_requested.emit("Hello through a slow keychain")
    await asyncio.wait_for(done, 60)
    replied = time.perf_counter()
    lag = probe.stop()
    window.close()
    await shut_down(services)
    return {
        "stall_ms": max(lag.lateness_ms),
        "reply_s": replied - began,
        "keychain_calls": slow.calls,
        "most_in_flight": slow.most_in_flight,
    }


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    with tempfile.TemporaryDirectory(prefix="dc-bench-keychain-") as home:
        return run_qt(lambda: _first_reply(args[0], float(args[1]), Path(home)))


def measure(options: Options) -> list[Figure]:
    samples, instant = [], []
    delay = QUICK_KEYCHAIN_DELAY if options.quick else KEYCHAIN_DELAY
    with WireProcess(text="Hello back.", chunks=2) as wire:
        for _ in range(options.runs):
            url = wire.openai_url
            samples.append(run_sample(MODULE, options, url, str(delay), timeout=120))
            instant.append(run_sample(MODULE, options, url, "0", timeout=120))
    return [
        Figure(
            "P9",
            f"slow keychain ({delay:g} s a call): window shown → first reply, stall",
            "ms",
            [s["stall_ms"] for s in samples],
            limit=50,
            reference="the same with an instant keychain (the first request's own stall, P2)",
            reference_samples=[s["stall_ms"] for s in instant],
        ),
        Figure(
            "P9",
            "  start → first reply complete",
            "s",
            [s["reply_s"] for s in samples],
            note=f"{samples[0]['keychain_calls']} keychain calls, "
            f"at most {samples[0]['most_in_flight']} at once",
        ),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
