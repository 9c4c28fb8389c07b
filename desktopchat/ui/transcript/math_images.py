"""Formulas as images: TeX → MathML → SVG (ziamath) → QImage (QtSvg), off the loop, cached.

A formula takes ~10 ms to render on an idle machine and ziamath's layout is exponential in
nesting (math_limits.py), so nothing of it runs on the Qt thread (issue items 10, 22, 27):
`image` answers from the cache at once, or says PENDING and queues the formula for this
view's worker thread; the view shows the source meanwhile (math_placeholders.py) and swaps
in the picture when `rendered` says it is ready. Results are kept by formula, colour and
size (CACHE_SIZE entries, CACHE_BYTES in all), refusals too, so reopening a conversation
shows its formulas at once and a formula that was refused is not tried again.

Every formula goes through math_limits.py's checks before ziamath sees it, and its render
has a deadline (DEADLINE). A Python thread cannot be killed, but ziamath is pure Python, so
the deadline raises an exception in the worker (`PyThreadState_SetAsyncExc`), which Python
delivers between two bytecodes: the formula is dropped and stays as its source. It derives
from BaseException, so no `except Exception` in ziamath swallows it. A child process was
the other way; it was not needed: after the checks, the worst formulas measured take at
most the deadline (see the tests' figures), and a process would cost ~0.5 s of imports per
start and a round trip per formula. ziamath's import (~0.5 s) is made by the worker, with a
first small formula, outside any deadline (an exception must never land in an import).

The worker touches none of the view's objects: it reads a queue and sends results through a
relay object of its own (`_Relay`). When the MathImages is destroyed with its view (or
`close` is called) the queue is closed and emptied, and the worker stops after the formula
it is drawing: nothing is rendered for a view that no longer exists. It also ends after
IDLE_SECONDS without work, and is started again by the next formula.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import threading
import warnings
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter

from desktopchat.ui.transcript.math_limits import (
    DEADLINE,
    fitted_scale,
    mathml_refusal,
    source_refusal,
)

log = logging.getLogger(__name__)

CACHE_SIZE = 512
CACHE_BYTES = 64 * 1024 * 1024
IDLE_SECONDS = 30.0
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
    ziamath: Any = None
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
        """Whether ziamath is loaded (formulas then take milliseconds, not a second)."""
        return self._queue.ziamath is not None

    def warm_up(self) -> None:
        """Start the worker (it imports ziamath) if it is not running."""
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
    """The worker thread: import ziamath, then draw queued formulas until there are none
    for IDLE_SECONDS, or the view is gone (`closed`)."""
    try:
        if queue.ziamath is None:
            _load(queue)  # if it fails, every formula stays as its source
        while True:
            with queue.wake:
                if not queue.jobs and not queue.closed:
                    queue.wake.wait(IDLE_SECONDS)
                if not queue.jobs or queue.closed:
                    queue.running = False
                    return
                job = queue.jobs.popleft()
            image = None
            if queue.ziamath is not None:
                image = with_deadline(DEADLINE, render, queue.ziamath, job)
                queue.rendered += 1
            if not queue.closed:
                relay.finished.emit(job.key, image)
    finally:
        relay.deleteLater()


def _load(queue: _Queue) -> None:
    try:
        with warnings.catch_warnings():  # its own use of pkg_resources.path
            warnings.simplefilter("ignore", DeprecationWarning)
            import ziamath

        ziamath.config.svg2 = False  # QtSvg (SVG Tiny) draws no <symbol>: paths inline
        ziamath.Latex("x", size=12).svg()  # loads the font, outside any deadline
    except Exception:
        log.exception("ziamath could not be imported; formulas are shown as code")
        return
    queue.ziamath = ziamath


class OverBudget(BaseException):
    """Raised in the worker when a formula's time is up (see the module's docstring)."""


def with_deadline(seconds: float, function: Any, *args: Any) -> Any:
    """`function(*args)` in this thread, or None if it has not returned after `seconds`
    (pure Python code is interrupted; C code finishes its call first)."""
    thread_id = threading.get_ident()
    guard = threading.Lock()
    state = {"running": True, "fired": False}

    def interrupt() -> None:
        with guard:
            if state["running"] and not state["fired"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(OverBudget)
                )

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        try:
            return function(*args)
        finally:
            with guard:
                state["running"] = False
            timer.cancel()
    except OverBudget:  # also when it lands in the finally clause above
        with guard:
            state["running"] = False
        timer.cancel()
        log.info("formula over its %.1f s budget, shown as its source", seconds)
        return None


def render(ziamath: Any, job: _Job) -> QImage | None:
    """The formula as an image (any thread), or None if it fails or breaks a limit."""
    from PySide6.QtSvg import QSvgRenderer

    size = job.pixel_size * (1.15 if job.display else 1.0)
    try:
        mathml = ziamath.tex.tex2mml(job.source, inline=not job.display)
        refusal = mathml_refusal(mathml)
        if refusal is not None:
            log.info("formula shown as its source: %s", refusal)
            return None
        svg = ziamath.Latex(job.source, size=size, color=job.colour, inline=not job.display).svg()
    except Exception:
        return None
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
