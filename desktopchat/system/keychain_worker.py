"""The one thread that talks to the keychain, and the patience the app has for it.

A Secret Service over D-Bus can take seconds (an unlock prompt) or never answer at all (a
stuck daemon: keyring waits with no timeout). So every keychain call of the app runs here,
one at a time, on a daemon thread nobody joins: quitting never waits for it. A caller waits
a bounded time; when a call outlives it, the keychain is *not answering*: the callers queued
behind it are released at once, and later callers are answered from memory without asking
the keychain, so calls never pile up behind a hung one. When the hung call returns at last,
the keychain answers again and is used again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class NotAnswering(Exception):
    """The keychain did not answer in time, or has not answered a call given up on."""


class KeychainWorker:
    """Runs blocking keychain calls in order on one daemon thread, with a timeout each."""

    def __init__(self, name: str = "keychain") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], object]]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._silent = False
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = set()

    @property
    def silent(self) -> bool:
        """Whether a call was given up on and has not returned yet."""
        return self._silent

    def _submit(self, call: Callable[[], T]) -> Future[T]:
        job: Future[T] = Future()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
        self._jobs.put((job, call))
        return job

    def _serve(self) -> None:
        while True:
            job, call = self._jobs.get()
            if not job.set_running_or_notify_cancel():
                continue  # its caller gave up while it was queued: never run it late
            try:
                result = call()
            except BaseException as error:  # handed to the caller, who decides
                job.set_exception(error)
            else:
                job.set_result(result)
            with self._lock:
                answered_again, self._silent = self._silent, False
            if answered_again:
                log.info("The keychain answers again")

    async def call(self, blocking: Callable[[], T], timeout: float) -> T:
        """`blocking()` run on the keychain thread; NotAnswering when the keychain is known
        not to answer, or does not within `timeout` seconds."""
        if self._silent:
            raise NotAnswering
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[T] = loop.create_future()
        entry = (loop, answer)
        with self._lock:
            self._waiting.add(entry)
        job = self._submit(blocking)
        job.add_done_callback(lambda done: _settle_soon(loop, answer, done))
        try:
            return await asyncio.wait_for(answer, timeout)
        except TimeoutError:
            job.cancel()
            self._give_up(timeout)
            raise NotAnswering from None
        except NotAnswering:
            job.cancel()
            raise
        finally:
            with self._lock:
                self._waiting.discard(entry)

    def _give_up(self, timeout: float) -> None:
        with self._lock:
            first, self._silent = not self._silent, True
            others = list(self._waiting)
        if first:
            log.warning("The keychain did not answer within %.0f s; using memory only", timeout)
        for loop, answer in others:
            with contextlib.suppress(RuntimeError):  # that caller's loop is closed
                loop.call_soon_threadsafe(_fail, answer)


def _fail(answer: asyncio.Future[Any]) -> None:
    if not answer.done():
        answer.set_exception(NotAnswering())


def _settle(answer: asyncio.Future[Any], job: Future[Any]) -> None:
    if answer.done():
        return
    if job.cancelled():
        answer.set_exception(NotAnswering())
    elif (error := job.exception()) is not None:
        answer.set_exception(error)
    else:
        answer.set_result(job.result())


def _settle_soon(
    loop: asyncio.AbstractEventLoop, answer: asyncio.Future[Any], job: Future[Any]
) -> None:
    # A call that hung past its caller's loop (the app or a test has ended) has nobody
    # waiting: qasync would still post it, to a loop whose timer is gone.
    if loop.is_closed():
        return
    with contextlib.suppress(RuntimeError):  # closed meanwhile: nobody waits
        loop.call_soon_threadsafe(_settle, answer, job)
