"""A service made on first use and then kept: the tool service is one (app/assembly.py), so that
neither its modules nor its files are touched at start (DESIGN.md P1) and nothing is
added to an idle window's memory when no MCP server is configured (P6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """`lazy()` makes the value the first time and returns the same one after; `made` is
    it or None, without making it; `when_made(callback)` runs callback with it once it
    exists (at once when it already does)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._waiting: list[Callable[[T], object]] = []

    def __call__(self) -> T:
        if self._value is None:
            self._value = self._make()
            waiting, self._waiting = self._waiting, []
            for callback in waiting:
                callback(self._value)
        return self._value

    @property
    def made(self) -> T | None:
        return self._value

    def when_made(self, callback: Callable[[T], object]) -> None:
        if self._value is not None:
            callback(self._value)
        else:
            self._waiting.append(callback)
