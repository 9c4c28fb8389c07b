"""Two versions of one draft made into one that loses neither (DESIGN.md R8).

Two instances on one history each keep a conversation's draft in their box and save it as
it is typed. When a save finds that another instance changed the stored draft since this
one read it, the two texts are kept together, the other's below a marker line, rather than
the last writer winning. The marker holds no words (storage writes it, and the person's
language is the window's business); the window says what happened.

Merging is idempotent on what is already there: a part of the other text that the box
already holds (because the window took the merged text in, or because one text is the
other with more typed) is not added again, so two windows that keep saving do not make the
draft grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

MARKER = "\n\n" + "\u2500" * 16 + "\n\n"
"""Between the text of this window and the text another window kept."""

T = TypeVar("T")


def merged_text(mine: str, theirs: str) -> str:
    """`mine` with every part of `theirs` it does not hold yet appended below a marker.

    Linear in the texts' length (substring searches), since a draft may be megabytes.
    """
    if not theirs or theirs in mine:
        return mine
    if mine in theirs:  # theirs is mine with more: nothing of mine is lost by taking it
        return theirs
    parts = [part for part in theirs.split(MARKER) if part.strip() and part not in mine]
    return MARKER.join([mine, *parts]) if mine else MARKER.join(parts)


def merged_items(mine: Sequence[T], theirs: Sequence[T]) -> tuple[T, ...]:
    """`mine`, then the items of `theirs` it does not hold (attachments)."""
    return (*mine, *(item for item in theirs if item not in mine))
