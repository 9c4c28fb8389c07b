"""The benchmark suite (tests/bench) still runs, and its arithmetic is right.

The whole `--quick` run takes about a minute, too long for the unit tests: CI runs it on
its own. Here one short family runs end to end (`--only P5 --runs 1`: a child process with
the real main window, the populated data folder, the figures printed), which breaks as soon
as the app's window, services or store change under the suite. Nothing here asserts a
timing: the verdicts depend on the machine.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.bench.common import REPO, Figure, format_figure, percentile


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_ratio_target_compares_medians():
    figure = Figure(
        "P1",
        "start",
        "ms",
        [100, 140, 130],
        limit=1.3,
        limit_is_ratio=True,
        reference="bare",
        reference_samples=[100, 90, 110],
    )
    assert figure.ratio == pytest.approx(1.3)
    assert figure.verdict == "ok"
    figure.samples = [150, 140, 160]
    assert figure.verdict == "MISS"


def test_absolute_target_and_unmeasured_figures():
    assert Figure("P7", "search", "ms", [40, 60, 45], limit=50).verdict == "ok"
    assert Figure("P7", "search", "ms", [55, 60, 45], limit=50).verdict == "MISS"
    assert Figure("P3", "cpu", "s", [1.0]).verdict == ""
    unmeasured = Figure("P1", "start", "ms", note="needs Xvfb")
    assert unmeasured.verdict == "n/a"
    assert "not measured: needs Xvfb" in format_figure(unmeasured)


def test_line_shows_median_spread_reference_ratio_and_target():
    line = format_figure(
        Figure(
            "P5",
            "open",
            "ms",
            [120, 80, 100],
            limit=300,
            reference="qt",
            reference_samples=[50],
        )
    )
    assert line.startswith("P5  open")
    assert "100 ms" in line
    assert "80.0–120" in line
    assert "n=3" in line
    assert "ref    50.0 ms" in line
    assert "× 2.00" in line
    assert "≤ 300 ms" in line
    assert line.endswith("ok")


def test_history_family_runs_end_to_end():
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--only", "P5", "--runs", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,  # a cap, not a target: two pytest workers share the CPUs with it
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    opened = [line for line in lines if line.startswith("P5  switch between two")]
    assert len(opened) == 1
    assert "n=4" in opened[0]
    assert re.search(r"≤ 300 ms\s+(ok|MISS)", opened[0])
    assert "0 not measured" in lines[-1]
