"""Local reasoning models (DeepSeek R1 distills, Qwen3, QwQ on LM Studio or Ollama) put their
thinking in the reply's text, between `<think>` and `</think>` at its very start. This
splits it off as it streams, however the tags fall across chunks: a tag cut in two
(`<thi` + `nk>`) is held back until the next chunk says what it is, and nothing else is.

Only a `<think>` at the start of the reply (after blank space) opens thinking: a reply that
mentions the tag later is the model's answer, shown as it is.
"""

from __future__ import annotations

from desktopchat.providers.base import ReasoningDelta, TextDelta

OPEN = "<think>"
CLOSE = "</think>"


class ThinkSplitter:
    """Feed the reply's content pieces in order; get reasoning and text events back."""

    def __init__(self) -> None:
        self._state = "start"  # "start" → "thinking" → "text"; or "start" → "text"
        self._held = ""
        self._skip_space = False
        """After `</think>`: the blank lines before the answer are not part of it."""

    def feed(self, piece: str) -> list[ReasoningDelta | TextDelta]:
        """The events this piece completes; a possible tag's beginning is held back."""
        events: list[ReasoningDelta | TextDelta] = []
        if self._state == "start":
            self._held += piece
            stripped = self._held.lstrip()
            if stripped.startswith(OPEN):
                self._state, self._held = "thinking", ""
                piece = stripped[len(OPEN) :]
            elif OPEN.startswith(stripped):
                return events  # blank space, or the tag's beginning: wait for more
            else:
                self._state, piece, self._held = "text", self._held, ""
        if self._state == "thinking":
            piece = self._think(self._held + piece, events)
        if self._state == "text" and piece:
            self._text(piece, events)
        return events

    def finish(self) -> list[ReasoningDelta | TextDelta]:
        """What is still held when the reply ends: an unclosed thinking stays reasoning,
        a `<thi` that never became a tag is text."""
        held, self._held = self._held, ""
        if not held:
            return []
        if self._state == "thinking":
            return [ReasoningDelta(held)]
        return [TextDelta(held)]

    def _think(self, piece: str, events: list[ReasoningDelta | TextDelta]) -> str:
        """Reasoning up to `</think>`; returns the text after it ("" while still thinking)."""
        end = piece.find(CLOSE)
        if end >= 0:
            if end:
                events.append(ReasoningDelta(piece[:end]))
            self._state, self._held, self._skip_space = "text", "", True
            return piece[end + len(CLOSE) :]
        keep = _tag_prefix_at_end(piece, CLOSE)
        if len(piece) > keep:
            events.append(ReasoningDelta(piece[: len(piece) - keep]))
        self._held = piece[len(piece) - keep :]
        return ""

    def _text(self, piece: str, events: list[ReasoningDelta | TextDelta]) -> None:
        if self._skip_space:
            piece = piece.lstrip()
            self._skip_space = not piece
        if piece:
            events.append(TextDelta(piece))


def _tag_prefix_at_end(text: str, tag: str) -> int:
    """The length of the longest end of `text` that begins `tag` (0 if none)."""
    if tag[0] not in text[-(len(tag) - 1) :]:
        return 0  # the usual case, found without trying every length
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
