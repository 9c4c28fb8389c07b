"""Formulas as images: TeX → MathML → SVG (ziamath, in a child process) → QImage, cached.

A formula takes ~10 ms to lay out on an idle machine and ziamath's layout is exponential in
nesting (math_limits.py), so none of it runs on the Qt thread (issue items 10, 22, 27):
`image` answers from the cache at once, or says PENDING and queues the formula for this
view's worker thread; the view shows the source meanwhile (math_placeholders.py) and swaps
in the picture when `rendered` says it is ready. Results are kept by formula, colour and
size (CACHE_SIZE entries, CACHE_BYTES in all), refusals too, so reopening a conversation
shows its formulas at once and a formula that was refused is not tried again.

Decided by measurement: the layout runs in a child process (math_child.py), the worker
thread only waits for it and draws the SVG it sends (QtSvg, C++). A first version laid out
in the worker thread itself: ziamath is pure Python and held the GIL, and on a busy machine
the window's loop waited up to 280 ms at a time while 40 formulas were drawn (16 ms without
them); a Python thread also cannot be stopped, whereas a child over its DEADLINE is killed
(and started again for the next formula, ~1 s). The child costs ~36 MB while it runs: it is
started by the first formula, never at start-up, and ends with the worker, after
IDLE_SECONDS without work. Every formula goes through math_limits.py's checks (here before
it is queued, in the child after its conversion), and its picture is sized to the pixel
limits before the image is allocated.

The worker touches none of the view's objects: it reads a queue and sends results through a
relay object of its own (`_Relay`). When the MathImages is destroyed with its view (or
`close` is called) the queue is closed and emptied, and the worker stops its child after
the formula in hand (at most DEADLINE): nothing more is rendered for a view that is gone.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import selectors
import subprocess
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter

from desktopchat.system.child_python import child_command
from desktopchat.ui.transcript.math_child import READY
from desktopchat.ui.transcript.math_limits import DEADLINE, fitted_scale, source_refusal

log = logging.getLogger(__name__)

CACHE_SIZE = 512
CACHE_BYTES = 64 * 1024 * 1024
IDLE_SECONDS = 15.0
"""A view with no new formula for this long lets its worker and child process (~36 MB) go."""
STARTUP_SECONDS = 30.0
"""How long the child may take to import ziamath (~0.5 s idle, seconds on a busy machine)."""
MAX_ANSWER = 8 * 1024 * 1024
"""Bytes of SVG a formula may come back as (the limits keep real ones far below)."""
_SCALE = 2


class _Pending:
    """The answer of `MathImages.image` for a formula the worker has not drawn yet."""

    def __repr__(self) -> str:
        return "PENDING"


PENDING: Any = _Pending()


@dataclass(frozen=True)
class _Job:
    key: str
    source: str
    display: bool
    colour: str
    pixel_size: int


@dataclass
class _Queue:
    """What a MathImages shares with its worker thread (never the MathImages itself)."""

    jobs: deque[_Job] = field(default_factory=deque)
    wake: threading.Condition = field(default_factory=threading.Condition)
    running: bool = False
    closed: bool = False
    ready: bool = False
    """Whether a child has started and loaded ziamath."""
    rendered: int = 0
    """How many formulas the worker has drawn (for tests)."""


class _Relay(QObject):
    """Carries one worker's results to the Qt thread. It belongs to the application, so it
    never dies with a Python reference in the worker; the worker has it deleted (on the Qt
    thread, `deleteLater`) when it ends. The worker touches no other Qt object of ours."""

    finished = Signal(str, object)


class MathImages(QObject):
    """Renders formulas for one view in a worker thread; `rendered(key)` fires on the Qt
    thread once a formula's result (an image, or a refusal) is in the cache."""

    rendered = Signal(str)
    evicted = Signal(str)
    """A key's image left the cache (the document may let its copy go)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue = _Queue()
        self._queued: set[str] = set()
        self._cache: OrderedDict[str, QImage | None] = OrderedDict()
        self._cache_bytes = 0
        self.requested = 0
        """How many times `image` answered PENDING (the document then looks for the
        placeholders it just wrote: math_placeholders.py)."""
        self.destroyed.connect(functools.partial(_close, self._queue))

    @property
    def is_ready(self) -> bool:
        """Whether the child has loaded ziamath (formulas then take milliseconds)."""
        return self._queue.ready

    def warm_up(self) -> None:
        """Start the worker and its child (it imports ziamath) if they are not running."""
        with self._queue.wake:
            self._start_worker()

    def close(self) -> None:
        """Drop what is queued and stop the worker after the formula it is drawing."""
        _close(self._queue)

    @staticmethod
    def key(source: str, display: bool, colour: QColor, pixel_size: int) -> str:
        return f"{'D' if display else 'I'}{colour.name()}/{pixel_size}/{source}"

    def image(self, source: str, display: bool, colour: QColor, pixel_size: int) -> Any:
        """The formula drawn at twice `pixel_size` (for sharp edges); None if it cannot or
        may not be drawn; PENDING if the worker is on it (then `rendered` will say)."""
        key = self.key(source, display, colour, pixel_size)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        refusal = source_refusal(source)
        if refusal is not None:
            log.info("formula shown as its source: %s", refusal)
            self._keep(key, None)
            return None
        self.requested += 1
        if key not in self._queued:
            self._queued.add(key)
            job = _Job(key, source, display, colour.name(), pixel_size)
            with self._queue.wake:
                self._queue.jobs.append(job)
                self._start_worker()
                self._queue.wake.notify()
        return PENDING

    def cached(self, key: str) -> QImage | None:
        """A result in the cache (None if refused, or not there)."""
        return self._cache.get(key)

    def _start_worker(self) -> None:
        """On the Qt thread, with the queue's lock held."""
        if self._queue.running or self._queue.closed:
            return
        self._queue.running = True
        relay = _Relay(QCoreApplication.instance())
        relay.finished.connect(self._on_finished)
        threading.Thread(
            target=_work, args=(self._queue, relay), name="math-images", daemon=True
        ).start()

    @Slot(str, object)
    def _on_finished(self, key: str, image: QImage | None) -> None:
        self._queued.discard(key)
        self._keep(key, image)
        self.rendered.emit(key)

    def _keep(self, key: str, image: QImage | None) -> None:
        self._cache[key] = image
        self._cache_bytes += image.sizeInBytes() if image is not None else 0
        while len(self._cache) > CACHE_SIZE or self._cache_bytes > CACHE_BYTES:
            old_key, old = self._cache.popitem(last=False)
            self._cache_bytes -= old.sizeInBytes() if old is not None else 0
            if old is not None:
                self.evicted.emit(old_key)


def _close(queue: _Queue, *_destroyed: object) -> None:
    with queue.wake:
        queue.closed = True
        queue.jobs.clear()
        queue.wake.notify()


def _work(queue: _Queue, relay: _Relay) -> None:
    """The worker thread: start the child, then have it lay out queued formulas until
    there are none for IDLE_SECONDS, or the view is gone (`closed`)."""
    child = _Child()
    try:
        queue.ready = child.start() or queue.ready
        while True:
            with queue.wake:
                if not queue.jobs and not queue.closed:
                    queue.wake.wait(IDLE_SECONDS)
                if not queue.jobs or queue.closed:
                    queue.running = False
                    return
                job = queue.jobs.popleft()
            try:
                svg = child.svg(job, DEADLINE)
                image = draw(svg) if svg is not None and not queue.closed else None
            except Exception:  # a bug here must not stop the view's formulas for good
                log.exception("formula could not be drawn")
                child.stop()
                image = None
            queue.rendered += 1
            if not queue.closed:
                relay.finished.emit(job.key, image)
    except RuntimeError:  # the application (the relay's parent) is gone: quitting
        return
    finally:
        child.stop()
        with contextlib.suppress(RuntimeError):
            relay.deleteLater()


class _Child:
    """The layout process (math_child.py), owned by one worker thread."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def start(self) -> bool:
        """Start it and wait until it has loaded ziamath; False if it could not."""
        if self._process is not None and self._process.poll() is None:
            return True
        command, env = child_command("desktopchat.ui.transcript.math_child")
        try:
            self._process = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=0,
            )
        except OSError:
            log.exception("the formula process could not start; formulas are shown as code")
            return False
        self._buffer = b""
        if self._line(STARTUP_SECONDS) != READY.encode():
            log.warning("the formula process did not start; formulas are shown as code")
            self.stop()
            return False
        return True

    def svg(self, job: _Job, seconds: float) -> str | None:
        """The formula's SVG, or None if refused, failed or over `seconds` (then the
        process is killed: the next formula starts another)."""
        if not self.start():
            return None
        size = job.pixel_size * (1.15 if job.display else 1.0)
        request = {"source": job.source, "display": job.display, "colour": job.colour}
        request["size"] = size
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
        except OSError:
            self.stop()
            return None
        line = self._line(seconds)
        if line is None:
            log.info("formula over its %.1f s budget, shown as its source", seconds)
            self.stop()
            return None
        try:
            answer = json.loads(line)
        except ValueError:
            self.stop()
            return None
        if "refused" in answer:
            log.info("formula shown as its source: %s", answer["refused"])
        return answer.get("svg")

    def _line(self, seconds: float) -> bytes | None:
        """The child's next line, or None if it does not come within `seconds`, is too
        long, or the child ended."""
        deadline = time.monotonic() + seconds
        stdout = self._process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or len(self._buffer) > MAX_ANSWER or not selector.select(left):
                    return None
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    return None
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            for pipe in (self._process.stdin, self._process.stdout):
                pipe.close()
            self._process = None


def draw(svg: str) -> QImage | None:
    """The SVG as an image at twice its size (sharp edges), smaller if that is needed to
    keep within the pixel limits, or None if it is too large even at its own size."""
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.encode()))
    if not renderer.isValid():
        return None
    natural = renderer.defaultSize()
    scale = fitted_scale(natural.width(), natural.height(), _SCALE)
    if scale is None:
        log.info("formula shown as its source: %s px is too large", natural.toTuple())
        return None
    image = QImage(
        round(natural.width() * scale),
        round(natural.height() * scale),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(image.rect()))
    painter.end()
    image.setDevicePixelRatio(scale)
    return image
