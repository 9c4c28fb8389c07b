"""What every benchmark family shares: figures, their statistics and printing, and running a
family in a child process of its own.

Noisy-machine rules (the machine is a 2-core box other work runs on): every figure is
measured several times and printed as a median with its min–max, and where a target is a
ratio the reference is measured in the same run, interleaved with the figure, so a busy
minute slows both alike.

What needs Qt, the SDKs or a fresh interpreter runs in child processes (`python -m
tests.bench.<module> --out FILE …`): a first request after start needs an interpreter that
has not imported the SDK yet, and one family's memory must not count in another's. A child
writes its raw samples as JSON; the family turns them into figures in the parent.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.provider_env import PROVIDER_ENV

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

BENCH_KEY = "sk-bench-0123456789abcdefghijklmnop"
"""A made-up key for the wire server, which accepts any."""


@dataclass
class Figure:
    """One measured quantity, its repeated samples, its reference and its target.

    `limit` applies to the median, or to the ratio median / reference median when
    `limit_is_ratio`. A figure with no samples was not measured; `note` says why.
    """

    target: str
    name: str
    unit: str
    samples: list[float] = field(default_factory=list)
    limit: float | None = None
    limit_is_ratio: bool = False
    reference: str = ""
    reference_samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def reference_median(self) -> float | None:
        return statistics.median(self.reference_samples) if self.reference_samples else None

    @property
    def ratio(self) -> float | None:
        median, reference = self.median, self.reference_median
        if median is None or not reference:
            return None
        return median / reference

    @property
    def verdict(self) -> str:
        """ "ok", "MISS", "n/a" (not measured) or "" (no target, for information)."""
        if not self.samples:
            return "n/a"
        if self.limit is None:
            return ""
        value = self.ratio if self.limit_is_ratio else self.median
        if value is None:
            return "n/a"
        return "ok" if value <= self.limit else "MISS"


LAG_INTERVAL_MS = 5
"""The lag probes' tick: a stall shows as a tick that fires late."""


class LagRecorder:
    """The bookkeeping of an event-loop lag probe, whatever loop drives its ticks.

    Each tick records how late it fired and how much of that the loop thread spent on the
    CPU: on a machine other work shares, a late tick with little CPU of ours was the OS
    running someone else; one with as much CPU as lateness was our own work.
    """

    def __init__(self) -> None:
        self.lateness_ms: list[float] = []
        self.own_ms: list[float] = []
        self._last = self._last_cpu = 0.0
        self.restart()

    def restart(self) -> None:
        self.lateness_ms, self.own_ms = [], []
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        lateness = max(0.0, (now - self._last) * 1000 - LAG_INTERVAL_MS)
        self.lateness_ms.append(lateness)
        self.own_ms.append(min(lateness, (cpu - self._last_cpu) * 1000))
        self._last, self._last_cpu = now, cpu

    def summary(self) -> dict[str, float]:
        """Longest stall, 99th percentile, and the longest stall of our own CPU."""
        return {
            "stall_ms": max(self.lateness_ms),
            "p99_ms": percentile(self.lateness_ms, 0.99),
            "own_stall_ms": max(self.own_ms),
        }


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (nearest rank, as latency figures are read)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _target_text(figure: Figure) -> str:
    if figure.limit is None:
        return ""
    if figure.limit_is_ratio:
        return f"≤ {figure.limit:g}× ref"
    return f"≤ {_number(figure.limit)} {figure.unit}"


def format_figure(figure: Figure) -> str:
    """One line: name, median, min–max and n, reference, ratio, target and verdict."""
    head = f"{figure.target:<3} {figure.name:<54}"
    if not figure.samples:
        return f"{head} not measured: {figure.note}"
    samples = figure.samples
    spread = f"{_number(min(samples))}–{_number(max(samples))}"
    line = f"{head} {_number(figure.median):>7} {figure.unit:<3} [{spread:>13}] n={len(samples):<3}"
    if figure.reference_samples:
        line += f" ref {_number(figure.reference_median):>7} {figure.unit:<3}"
        line += f" ×{figure.ratio:5.2f}" if figure.ratio is not None else " ×  —  "
    else:
        line += " " * 26
    line += f"  {_target_text(figure):<13} {figure.verdict}"
    if figure.note:
        line += f"  ({figure.note})"
    return line.rstrip()


# --- running a measurement in a child process --------------------------------------------


@dataclass(frozen=True)
class Options:
    """What the command line asked for, as a family sees it."""

    quick: bool = False
    runs: int = 5
    display: str | None = None
    """The suite's Xvfb; None when there is none (the children then use offscreen)."""


class SampleFailed(RuntimeError):
    """A child process failed or timed out; the message ends with its last error lines."""


def child_env(options: Options, **extra: str) -> dict[str, str]:
    """The environment of every process the suite starts: no provider keys, no keychain."""
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_ENV}
    env.pop("DESKTOPCHAT_HOME", None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["PYTHONPATH"] = str(REPO)
    if options.display:
        env["DISPLAY"] = options.display
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def run_sample(module: str, options: Options, *args: str, timeout: float) -> dict[str, Any]:
    """Run `python -m module --out FILE args…` in a fresh interpreter; return what it wrote."""
    with tempfile.TemporaryDirectory(prefix="dc-bench-") as folder:
        out = Path(folder) / "sample.json"
        command = [PYTHON, "-m", module, "--out", str(out), *args]
        try:
            done = subprocess.run(
                command,
                cwd=REPO,
                env=child_env(options),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise SampleFailed(f"{module} {' '.join(args)} took over {timeout:.0f} s") from error
        if done.returncode != 0 or not out.exists():
            tail = " | ".join(done.stderr.strip().splitlines()[-3:])
            raise SampleFailed(f"{module} {' '.join(args)} exited {done.returncode}: {tail}")
        return json.loads(out.read_text())


def sample_main(sample: Callable[[list[str]], dict[str, Any]]) -> None:
    """The entry point of a child process: `--out FILE`, then the sample's own arguments."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args, rest = parser.parse_known_args()
    Path(args.out).write_text(json.dumps(sample(rest)))


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (VmRSS), as `ps` and the targets count it."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for process {pid}")
