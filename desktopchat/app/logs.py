"""The app's log: a rotating, owner-only file written by a thread of its own.

Apart from start-up's order (app/start.py) because it is the one part of the app that must
work before anything else, and the tests of secret hygiene and of folders that cannot be
written use it alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from logging.handlers import QueueHandler, QueueListener, RotatingFileHandler
from queue import SimpleQueue
from typing import TYPE_CHECKING, cast

from desktopchat.system.paths import AppPaths

if TYPE_CHECKING:
    from io import TextIOWrapper


log = logging.getLogger("desktopchat")


class PrivateLogFile(RotatingFileHandler):
    """A rotating log whose files are owner-only (0600) whatever the umask: a log says which
    services and models a person uses. An older log left readable by others is tightened."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):
                os.fchmod(fd, 0o600)
        # A text mode (the handler's "a"), so the stream is text, as FileHandler's own.
        return cast(
            "TextIOWrapper", open(fd, self.mode, encoding=self.encoding, errors=self.errors)
        )


class QueuedLog(QueueHandler):
    """The root logger's one handler: it only puts the record on a queue, and a listener
    thread writes it to `target` (the file, rotated there too), so a log line never waits on
    the disk on the Qt thread (DESIGN.md §1). The message is formatted here, in the caller's
    thread, as QueueHandler does, so no argument object crosses threads. close() (quitting,
    or logging.shutdown at exit) writes what is queued, then stops the thread and closes the
    file."""

    def __init__(self, target: logging.Handler) -> None:
        queue: SimpleQueue[logging.LogRecord] = SimpleQueue()
        super().__init__(queue)
        self.target = target
        self.listener = QueueListener(queue, target)
        self.listener.start()
        self._listening = True

    def close(self) -> None:
        if self._listening:
            self._listening = False
            self.listener.stop()  # enqueues a sentinel, waits for what is before it
            self.target.close()
        super().close()


def setup_logging(paths: AppPaths, debug: bool) -> bool:
    """A rotating log file in the logs folder, written by a thread of its own (QueuedLog);
    keys never reach it (they are never logged). False when the file cannot be opened (a
    read-only folder): the log then goes to stderr, and the app runs on.

    --debug turns on our own loggers only: the SDKs and their HTTP transports log request
    and response headers verbatim at DEBUG, and a service may echo a key in one.
    """
    try:
        handler: logging.Handler = PrivateLogFile(
            paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        to_file = True
    except OSError as error:
        handler = logging.StreamHandler(sys.stderr)
        to_file = False
        failure = error
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    queued = QueuedLog(handler)
    # Even if a library turns its own logger to DEBUG (OPENAI_LOG=debug does), only its
    # warnings reach the file (filtered before the queue: they are not even formatted).
    queued.addFilter(
        lambda record: record.name.startswith("desktopchat") or record.levelno >= logging.WARNING
    )
    root = logging.getLogger()
    root.addHandler(queued)
    root.setLevel(logging.WARNING)
    logging.getLogger("desktopchat").setLevel(logging.DEBUG if debug else logging.INFO)
    if not to_file:
        log.warning("cannot write the log file %s (%s); logging to stderr", paths.log_file, failure)
    return to_file


def stop_logging() -> None:
    """Write what the log queue holds and stop its thread (the end of main): nothing logged
    before this is lost, and no thread outlives the app."""
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if isinstance(handler, QueuedLog):
            root.removeHandler(handler)
            handler.close()
