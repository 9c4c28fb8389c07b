"""P1 start-up and P6 idle memory, measured from outside real processes on the suite's Xvfb.

Each round starts, in turn, the bare reference window (bare_window.py), the installed
`desktopchat` launcher (tests/installed.py) on a fresh data folder and on a populated one (a
copy of corpus.populate_home), so the reference and the app share every slow or busy moment
of the machine. The clock runs from just before the process is spawned to the X server's
MapNotify of the window; the process's VmRSS is read IDLE_WAIT seconds later (the app
imports its provider's SDK in a worker thread right after showing the window, which the P6
target allows).

Then the same copy of the app is started under `-X importtime` (with `-P`: the checkout is
not put on its path) and killed as soon as its window maps, which lists what it imports
before showing the window: imports made by the SDK warm-up thread are told apart with an
audit hook and left out.

Every process here runs with its bytecode cached (in a scratch PYTHONPYCACHEPREFIX filled by
one unmeasured start of each), as an installed app's is: with PYTHONDONTWRITEBYTECODE set in
the caller's environment, each start would otherwise compile the app's ~60 modules again,
which no installed copy ever does and the bare reference (one small script) barely pays.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tests.bench.bare_window import TITLE as BARE_TITLE
from tests.bench.common import PYTHON, REPO, Figure, Options, child_env, rss_mb
from tests.bench.xserver import MapWatcher
from tests.installed import desktopchat_command, desktopchat_env

APP_TITLE = "DesktopChat"
IDLE_WAIT = 2.0
MAP_TIMEOUT = 30.0
TOP_IMPORTS = 10
BARE_COMMAND = (PYTHON, str(REPO / "tests" / "bench" / "bare_window.py"))
BARE = "bare PySide6 window of the same widgets (bare_window.py), same rounds"

# Runs the app as the launcher does, writing the name of every module imported
# off the main thread (the SDK warm-up) to stderr, beside -X importtime's lines.
_IMPORTTIME_DRIVER = """
import runpy, sys, threading
main = threading.main_thread()
def hook(event, args):
    if event == "import" and threading.current_thread() is not main:
        sys.stderr.write("bench-thread-import: " + args[0] + "\\n")
sys.addaudithook(hook)
sys.argv = ["desktopchat"]
runpy.run_module("desktopchat", run_name="__main__", alter_sys=True)
"""
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


@dataclass
class Launch:
    mapped_ms: float
    idle_rss_mb: float


def cached_bytecode_env(options: Options, home: Path) -> dict[str, str]:
    """child_env, with compiled modules kept in the scratch folder that holds `home` (every
    data folder of a run is made directly in it, so all its processes share one cache), and
    the checkout off PYTHONPATH when the installed app is measured (desktopchat_env)."""
    env = child_env(options, DESKTOPCHAT_HOME=str(home), PYTHONPYCACHEPREFIX=str(home.parent))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return desktopchat_env(env)


def launch(
    watcher: MapWatcher, command: tuple[str, ...], title: str, options: Options, home: Path
) -> Launch:
    """Start `command`, wait for its window to map, read its memory, then stop it."""
    watcher.drain()
    env = cached_bytecode_env(options, home)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        mapped = watcher.wait_mapped(title, MAP_TIMEOUT)
        if mapped is None:
            raise RuntimeError(f"{title} did not map within {MAP_TIMEOUT:.0f} s")
        time.sleep(IDLE_WAIT)
        return Launch((mapped - started) * 1000, rss_mb(process.pid))
    finally:
        _stop(process)


def _stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if kill:
        process.kill()
    else:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def import_times(watcher: MapWatcher, options: Options, home: Path) -> dict[str, tuple[int, int]]:
    """Module → (self µs, cumulative µs) of what the main thread imports before the window
    maps; the second element of the value is what -X importtime calls cumulative."""
    watcher.drain()
    env = cached_bytecode_env(options, home)
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            (PYTHON, "-X", "importtime", "-P", "-c", _IMPORTTIME_DRIVER),
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            if watcher.wait_mapped(APP_TITLE, MAP_TIMEOUT) is None:
                raise RuntimeError("the app did not map under -X importtime")
        finally:
            _stop(process, kill=True)
        stderr.seek(0)
        lines = stderr.read().splitlines()
    off_main = {line.split(": ", 1)[1] for line in lines if line.startswith("bench-thread-import")}
    times = {}
    for line in lines:
        match = _IMPORTTIME_LINE.match(line)
        if match and match[4] not in off_main:
            times[match[4]] = (int(match[1]), int(match[2]))
    return times


def _import_figures(samples: list[dict[str, tuple[int, int]]]) -> list[Figure]:
    total = [sum(own for own, _ in run.values()) / 1000 for run in samples]
    figures = [
        Figure(
            "P1",
            "imports before the window maps, total",
            "ms",
            total,
            note=f"{len(samples[0])} modules; the SDK warm-up thread's left out",
        )
    ]
    cumulative: dict[str, list[float]] = defaultdict(list)
    for run in samples:
        for module, (_own, cum) in run.items():
            cumulative[module].append(cum / 1000)
    top = sorted(cumulative, key=lambda m: statistics.median(cumulative[m]), reverse=True)
    figures += [
        Figure("P1", f"  import {module} (cumulative)", "ms", cumulative[module])
        for module in top[:TOP_IMPORTS]
    ]
    return figures


def measure(options: Options, populated_template: Path) -> list[Figure]:
    """P1 start-up ratios and P6 idle memory, then the import breakdown."""
    assert options.display, "start-up is measured on the suite's Xvfb"
    app_command = tuple(desktopchat_command())
    watcher = MapWatcher(options.display)
    results: dict[str, list[Launch]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="dc-bench-start-") as scratch:
        warm = Path(scratch) / "warm"  # fills the bytecode cache; not measured
        launch(watcher, BARE_COMMAND, BARE_TITLE, options, warm)
        launch(watcher, app_command, APP_TITLE, options, warm)
        for round_number in range(options.runs):
            fresh = Path(scratch) / f"fresh-{round_number}"
            populated = Path(scratch) / f"populated-{round_number}"
            shutil.copytree(populated_template, populated)
            results["bare"].append(launch(watcher, BARE_COMMAND, BARE_TITLE, options, fresh))
            results["fresh"].append(launch(watcher, app_command, APP_TITLE, options, fresh))
            results["populated"].append(launch(watcher, app_command, APP_TITLE, options, populated))
        runs = 1 if options.quick else 3
        imports = [
            import_times(watcher, options, Path(scratch) / f"imports-{n}") for n in range(runs)
        ]
    watcher.close()
    bare = results["bare"]
    figures = []
    for home in ("fresh", "populated"):
        figures.append(
            Figure(
                "P1",
                f"start → main window mapped, {home} data folder",
                "ms",
                [launch.mapped_ms for launch in results[home]],
                limit=1.3,
                limit_is_ratio=True,
                reference=BARE,
                reference_samples=[launch.mapped_ms for launch in bare],
            )
        )
    for home in ("fresh", "populated"):
        figures.append(
            Figure(
                "P6",
                f"RSS idle {IDLE_WAIT:g} s after the window mapped, {home} folder",
                "MB",
                [launch.idle_rss_mb for launch in results[home]],
                limit=120,
                reference=BARE,
                reference_samples=[launch.idle_rss_mb for launch in bare],
            )
        )
    return figures + _import_figures(imports)
