"""Fixtures for the reliability suite (DESIGN.md R1–R8).

The in-process window tests reuse the main-window harness of tests/ui (the same
build_services as app.run, the wire server behind every provider); the real-process tests
run the installed `desktopchat` on a private Xvfb started once per session.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6

from desktopchat.app.assembly import build_services
from desktopchat.storage.db import StorageProblem
from desktopchat.system.paths import app_paths
from desktopchat.ui.window.start_notice import start_notice
from desktopchat.ui.window.startup import after_window_shown
from tests.reliability.desktop_process import DesktopApp, app_environment, xvfb
from tests.ui.conftest import App, app, make_app, qloop  # noqa: F401  (the fixtures, shared)

X_TOOLS = ("Xvfb", "xdotool")


@pytest.fixture(autouse=True)
def qt_timers_end_on_the_main_thread(request) -> Iterator[None]:
    """After a test that ran qloop: destroy the closed loop's timer object here, on the GUI
    thread.

    A closed qasync loop keeps a Qt timer registered for every callback still pending (an
    HTTP timeout, a delayed save). Left to the cyclic garbage collector, the loop may be
    destroyed from whatever thread triggers a collection (a wire-server handler, a worker of
    asyncio.to_thread); Qt cannot stop timers from another thread, and the next timer event
    goes to freed memory: a segfault in a later, unrelated test. (Reproduced standalone:
    20 closed loops with a pending call_later, gc.collect() in a thread, then processEvents.)
    """
    yield
    loop = (getattr(request.node, "funcargs", None) or {}).get("qloop")
    if loop is not None and loop.is_closed():
        shiboken6.delete(loop._timer)
    gc.collect()


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """A private X server for the session. Without Xvfb or xdotool the real-process tests
    are skipped, except in CI (CI=true), where .ci/run installs them and they must run."""
    missing = [tool for tool in X_TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install xvfb xdotool)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the real-process tests, but {reason}")
        pytest.skip(reason)
    with xvfb() as display:
        yield display


@pytest.fixture
def desktop(x_display: str, tmp_path: Path) -> Iterator[Callable[..., DesktopApp]]:
    """Starts `desktopchat` processes on the private display; kills any left
    running at the end. Each gets its own HOME under tmp_path/sandbox and writes its
    output to tmp_path/output-N.txt."""
    started: list[DesktopApp] = []
    numbers = itertools.count(1)

    def start(home: Path, *args: str, **env: str) -> DesktopApp:
        sandbox = tmp_path / "sandbox"
        environment = app_environment(x_display, home, sandbox, **env)
        output = tmp_path / f"output-{next(numbers)}.txt"
        process = DesktopApp(x_display, home, output, *args, env=environment)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def start_window(
    make_app,  # noqa: F811  (tests/ui's fixture)
    monkeypatch,
) -> Callable[..., tuple[App, StorageProblem | None]]:
    """The main window as app.run() builds it, whatever state the history is in: the
    problem found while opening it is said the way app.run() says it (ui/startup.py), and
    returned with the window. Built on tests/ui's make_app, whose own check that the history
    opened cleanly is bypassed by recording the problem on the way."""
    problems: list[StorageProblem | None] = []

    def recording(paths, settings, prefs):
        services, problem = build_services(paths, settings, prefs)
        problems.append(problem)
        return services, None

    monkeypatch.setattr("tests.ui.conftest.build_services", recording)

    def start(**changes) -> tuple[App, StorageProblem | None]:
        window_app = make_app(**changes)
        window = window_app.window
        notice = start_notice(app_paths(), [], window_app.services.settings.problem)
        warm_up = after_window_shown(window, problems[-1], notice)
        window_app.qtbot.waitUntil(warm_up.done, timeout=10_000)
        return window_app, problems[-1]

    return start
