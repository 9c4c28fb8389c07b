"""`python -m tests.bench`: measure DESIGN.md targets P1–P10 on this machine and print them.

One line per figure: its median, min–max and number of samples, the reference measured in
the same run with the ratio, the target and whether it is met. `--quick` is CI's smoke run
(within a minute on an idle 2-core machine): one run of each family, and smaller data where
a family's own size dominates (streaming, search, import; the figure's name says the size),
so every target still gets its figures. `--only P3` (or `--only P1,P6`) runs the families
that measure those targets. One Xvfb serves the whole suite and is stopped at the end; without
Xvfb, start-up (P1, idle P6) is not measured and the windows run offscreen.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench import (
    attach_pdf,
    corpus,
    first_token,
    history,
    imports,
    keychain,
    locked_history,
    picker,
    search_export,
    sidebar,
    startup,
    streaming,
    sync,
    sync_typing,
)
from tests.bench.common import Figure, Options, SampleFailed, format_figure
from tests.bench.xserver import xvfb

TARGETS = tuple(f"P{n}" for n in range(1, 11))


@dataclass(frozen=True)
class Family:
    name: str
    targets: frozenset[str]
    measure: Callable[[Options, Path], list[Figure]]
    windows: bool = True
    """Shows windows: on the suite's Xvfb when there is one, else offscreen."""
    needs_display: bool = False
    """Measures from outside on an X server: not measured without Xvfb."""


FAMILIES = (
    Family("start-up", frozenset({"P1", "P6"}), startup.measure, needs_display=True),
    Family("first token", frozenset({"P2", "P4"}), lambda o, _data: first_token.measure(o)),
    Family("streaming", frozenset({"P3"}), lambda o, _data: streaming.measure(o)),
    Family("history", frozenset({"P5", "P6"}), history.measure),
    Family("sidebar", frozenset({"P5"}), lambda o, _data: sidebar.measure(o)),
    Family(
        "search and export",
        frozenset({"P7", "P8"}),
        lambda o, _data: search_export.measure(o),
        windows=False,
    ),
    Family("import", frozenset({"P8"}), lambda o, _data: imports.measure(o), windows=False),
    Family("slow keychain", frozenset({"P9"}), lambda o, _data: keychain.measure(o)),
    Family("locked history", frozenset({"P9"}), lambda o, _data: locked_history.measure(o)),
    Family("attached PDF", frozenset({"P9"}), lambda o, _data: attach_pdf.measure(o)),
    Family("sync", frozenset({"P10"}), lambda o, _data: sync.measure(o), windows=False),
    Family("sync while typing", frozenset({"P9"}), lambda o, _data: sync_typing.measure(o)),
    Family("model picker", frozenset({"P9"}), lambda o, _data: picker.measure(o)),
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter runs")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="P1,P3",
        help="measure only these targets (repeatable, comma-separated)",
    )
    parser.add_argument("--runs", type=int, help="repetitions (default 5, 1 with --quick)")
    args = parser.parse_args(argv)
    wanted = {t.strip().upper() for item in args.only for t in item.split(",") if t.strip()}
    unknown = wanted - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s) {', '.join(sorted(unknown))}; known: {TARGETS}")
    args.targets = wanted or set(TARGETS)
    args.runs = args.runs or (1 if args.quick else 5)
    return args


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def print_header(options: Options) -> None:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    screen = f"Xvfb {options.display} (xcb)" if options.display else "offscreen (no Xvfb)"
    print(
        f"DesktopChat benchmarks, {time.strftime('%Y-%m-%d %H:%M')}: "
        f"{'quick' if options.quick else 'full'} run, {options.runs} runs\n"
        f"machine: {os.cpu_count()} CPUs, load {load}, Python {platform.python_version()}, "
        f"PySide6 {_version('PySide6_Essentials')}, openai {_version('openai')}, "
        f"windows on {screen}\n"
        "columns: median [min–max] n · reference median, ratio to it · target, verdict",
        flush=True,
    )


def print_figures(figures: list[Figure]) -> None:
    """The figures, each reference named once under the first line that uses it."""
    named = ""
    for figure in figures:
        print(format_figure(figure))
        if figure.reference and figure.reference != named:
            print(f"      ref: {figure.reference}")
            named = figure.reference
    sys.stdout.flush()


def run_family(family: Family, options: Options, data: Path, targets: set[str]) -> list[Figure]:
    if family.needs_display and not options.display:
        figures = [Figure(t, family.name, "", note="needs Xvfb") for t in sorted(family.targets)]
    else:
        try:
            figures = family.measure(options, data)
        except (SampleFailed, RuntimeError, OSError) as error:
            reason = f"{type(error).__name__}: {error}"
            figures = [Figure(t, family.name, "", note=reason) for t in sorted(family.targets)]
    return [figure for figure in figures if figure.target in targets]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    families = [f for f in FAMILIES if f.targets & args.targets]
    measured: list[Figure] = []
    with contextlib.ExitStack() as stack:
        windows = any(family.windows for family in families)
        display = stack.enter_context(xvfb()) if windows and shutil.which("Xvfb") else None
        options = Options(quick=args.quick, runs=args.runs, display=display)
        print_header(options)
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dc-bench-data-")))
        corpus.populate_home(data / "populated")
        for family in families:
            print(f"\n== {family.name} ({', '.join(sorted(family.targets))})", flush=True)
            family_started = time.perf_counter()
            figures = run_family(family, options, data / "populated", args.targets)
            print_figures(figures)
            print(f"   ({time.perf_counter() - family_started:.1f} s)", flush=True)
            measured += figures
    misses = [f for f in measured if f.verdict == "MISS"]
    unmeasured = [f for f in measured if f.verdict == "n/a"]
    missed = ", ".join(sorted({f.target for f in misses}))
    print(
        f"\n{len(measured)} figures: {len(misses)} miss their target"
        f"{f' (in {missed})' if misses else ''}, {len(unmeasured)} not measured; "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 1 if unmeasured else 0


if __name__ == "__main__":
    sys.exit(main())
