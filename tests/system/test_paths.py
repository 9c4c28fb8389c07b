"""The app's folders and files are private, and a folder that cannot be written is reported,
never raised: AppPaths.ensure, the log file, atomic writes."""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktopchat.app.logs import PrivateLogFile, setup_logging, stop_logging
from desktopchat.system.atomic import write_text_atomic
from desktopchat.system.paths import AppPaths, app_paths, make_private_folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: a file the code does not make private itself comes out 0666."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def root_handlers() -> Iterator[None]:
    """Remove and close the handlers a test's setup_logging adds to the root logger."""
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _paths(home: Path) -> AppPaths:
    return app_paths({"DESKTOPCHAT_HOME": str(home)})


def test_folders_are_created_owner_only(tmp_path, open_umask):
    paths = _paths(tmp_path / "home")

    assert paths.ensure() == []

    for folder in (paths.data, paths.config, paths.cache, paths.logs):
        assert _mode(folder) == 0o700


def test_our_folders_left_open_are_tightened_but_not_their_parent(tmp_path):
    paths = _paths(tmp_path / "home")
    paths.data.mkdir(parents=True)
    paths.data.chmod(0o755)
    (tmp_path / "home").chmod(0o755)

    paths.ensure()

    assert _mode(paths.data) == 0o700
    assert _mode(tmp_path / "home") == 0o755


def test_a_folder_that_cannot_be_created_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    paths = _paths(blocker / "home")

    problems = paths.ensure()

    assert [p.folder for p in problems] == [paths.data, paths.config, paths.cache, paths.logs]
    assert all(p.reason for p in problems)


def test_a_read_only_folder_is_reported(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes through modes (tests/reliability uses chattr for this)")
    folder = tmp_path / "data"
    folder.mkdir(mode=0o500)

    problem = make_private_folder(folder)

    assert problem is not None and problem.folder == folder


def test_the_log_file_is_0600_whatever_the_umask_and_after_rotation(tmp_path, open_umask):
    log_file = tmp_path / "desktopchat.log"
    handler = PrivateLogFile(log_file, maxBytes=200, backupCount=2, encoding="utf-8")
    logger = logging.getLogger("desktopchat.test_paths")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for number in range(20):
            logger.warning("line %d of a log that rotates", number)
    finally:
        logger.removeHandler(handler)
        handler.close()

    written = sorted(tmp_path.glob("desktopchat.log*"))
    assert len(written) == 3
    assert all(_mode(path) == 0o600 for path in written)


def test_an_older_log_readable_by_others_is_tightened(tmp_path, root_handlers):
    paths = _paths(tmp_path / "home")
    paths.ensure()
    paths.log_file.write_text("older\n")
    paths.log_file.chmod(0o644)

    assert setup_logging(paths, debug=False) is True

    assert _mode(paths.log_file) == 0o600


def test_a_log_that_cannot_be_opened_goes_to_stderr(tmp_path, root_handlers, capsys):
    paths = _paths(tmp_path / "home")
    paths.ensure()
    paths.log_file.mkdir()  # a folder where the log file should be

    assert setup_logging(paths, debug=False) is False
    logging.getLogger("desktopchat").warning("said on stderr")
    stop_logging()

    assert "said on stderr" in capsys.readouterr().err


def test_the_log_file_is_written_by_a_thread_of_its_own_and_flushed_at_stop(
    tmp_path, root_handlers, monkeypatch
):
    """A log line never waits on the disk (or a rotation) on the Qt thread; stop_logging, at
    the end of main, writes what is still queued."""
    writers: list[threading.Thread] = []
    emit = PrivateLogFile.emit

    def recording_emit(self: PrivateLogFile, record: logging.LogRecord) -> None:
        writers.append(threading.current_thread())
        emit(self, record)

    monkeypatch.setattr(PrivateLogFile, "emit", recording_emit)
    paths = _paths(tmp_path / "home")
    paths.ensure()
    assert setup_logging(paths, debug=False) is True

    for number in range(50):
        logging.getLogger("desktopchat.queued_log").info("line %d", number)
    stop_logging()

    assert len(writers) == 50
    assert threading.main_thread() not in writers
    assert "line 49" in paths.log_file.read_text()
    assert not [h for h in logging.getLogger().handlers if h.__class__.__name__ == "QueuedLog"]


def test_atomic_writes_are_0600_whatever_the_umask(tmp_path, open_umask):
    target = tmp_path / "export.md"
    target.write_text("an older, open file")
    target.chmod(0o644)

    write_text_atomic(target, "private")

    assert _mode(target) == 0o600
    assert target.read_text() == "private"
