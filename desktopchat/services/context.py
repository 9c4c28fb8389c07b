"""How much of the model's context window the next request will take, and what to do when
it will not fit: leave out the oldest turns, or summarise and continue in a new
conversation.

The estimate needs no tokenizer: where the service reported the last request's input
tokens, that count plus the text since is exact enough; elsewhere ~4 characters make a
token. Reasoning is never sent back, so it never counts; messages left out do not either.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from desktopchat.domain.types import AttachmentKind, ChatTurn, Message, Role

CHARS_PER_TOKEN = 4
IMAGE_TOKENS = 1_000
"""An image as most services count one scaled to their limits (Anthropic ≤ ~1,600)."""
WARN_AT = 0.8
SUMMARY_MAX_TOKENS = 2_048
SUMMARY_INSTRUCTION = (
    "Summarise our conversation so far for a fresh start: the facts, decisions, open "
    "questions and anything I asked you to remember, in the language we used. Write only "
    "the summary."
)
SUMMARY_HEADING = "A summary of an earlier conversation this one continues:"
"""What the new conversation's system prompt says before the summary (sent to the model)."""


@dataclass(frozen=True)
class ContextEstimate:
    """The next request's input tokens against the model's window."""

    tokens: int
    window: int | None
    """The model's context window; None: not known (no meter, no warning)."""
    reserve: int = 0
    """Tokens the request asks room for in its answer (max tokens)."""
    measured: bool = False
    """Built on the tokens the service reported, not only on characters."""

    @property
    def fraction(self) -> float | None:
        return None if not self.window else self.tokens / self.window

    @property
    def warn(self) -> bool:
        """Past 80 % of the window."""
        return self.fraction is not None and self.fraction >= WARN_AT

    @property
    def fits(self) -> bool:
        """Whether the request and its answer fit in the window (True when unknown)."""
        return self.window is None or self.tokens + self.reserve <= self.window


def text_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def message_tokens(message: Message) -> int:
    """What a stored message costs when sent: its text and its attachments."""
    tokens = text_tokens(message.text)
    for attachment in message.attachments:
        if attachment.kind is AttachmentKind.IMAGE:
            tokens += IMAGE_TOKENS
        else:
            tokens += text_tokens(attachment.text or "")
    return tokens


def estimate(
    path: Sequence[Message],
    *,
    draft: str = "",
    system_prompt: str = "",
    window: int | None = None,
    reserve: int = 0,
) -> ContextEstimate:
    """The next request: the path's messages that are sent, the system prompt and the
    message being typed. The last reply whose input the service counted stands for
    everything before it, unless some of that has been left out since."""
    sent = [message for message in path if not message.left_out]
    base, rest, measured = text_tokens(system_prompt), sent, False
    if len(sent) == len(path):
        for index in range(len(sent) - 1, -1, -1):
            usage = sent[index].usage
            if sent[index].role is Role.ASSISTANT and usage and usage.input_tokens:
                base = usage.input_tokens + text_tokens(sent[index].text)
                rest, measured = sent[index + 1 :], True
                break
    tokens = base + sum(message_tokens(m) for m in rest) + text_tokens(draft)
    return ContextEstimate(tokens, window, reserve, measured)


def oldest_to_leave_out(
    path: Sequence[Message],
    *,
    draft: str = "",
    system_prompt: str = "",
    window: int,
    reserve: int = 0,
) -> list[int]:
    """The ids of the oldest sent messages to leave out, whole turns at a time, until the
    next request fits. The question being asked is never left out: the draft when there
    is one, else the last question of the path."""
    sent = [message for message in path if not message.left_out]
    last_user = len(sent)
    if not draft:
        last_user = max((i for i, m in enumerate(sent) if m.role is Role.USER), default=last_user)
    fixed = text_tokens(system_prompt) + text_tokens(draft) + reserve
    total = fixed + sum(message_tokens(m) for m in sent)
    chosen: list[int] = []
    index = 0
    while total > window and index < last_user:
        # A turn: a user message and the replies after it.
        turn_end = index + 1
        while turn_end < last_user and sent[turn_end].role is not Role.USER:
            turn_end += 1
        for message in sent[index:turn_end]:
            chosen.append(message.id)
            total -= message_tokens(message)
        index = turn_end
    return chosen


def summary_turns(path: Sequence[Message], *, window: int | None) -> list[ChatTurn]:
    """The request that asks the model for a summary: the conversation as it is sent (the
    oldest turns dropped if it would not fit with the summary's room) and the instruction."""
    sent = [m for m in path if not m.left_out and m.text.strip()]
    if window is not None:
        dropped = oldest_to_leave_out(
            sent, draft=SUMMARY_INSTRUCTION, window=window, reserve=SUMMARY_MAX_TOKENS
        )
        sent = [m for m in sent if m.id not in set(dropped)]
    turns = [ChatTurn(m.role, m.text) for m in sent]
    if turns and turns[-1].role is Role.USER:
        # Roles must alternate on some services: the instruction joins the last question.
        return [*turns[:-1], ChatTurn(Role.USER, f"{turns[-1].text}\n\n{SUMMARY_INSTRUCTION}")]
    return [*turns, ChatTurn(Role.USER, SUMMARY_INSTRUCTION)]


def continued_system_prompt(system_prompt: str, summary: str) -> str:
    """The new conversation's system prompt: the old one, then the summary."""
    parts = [system_prompt.strip(), f"{SUMMARY_HEADING}\n\n{summary.strip()}"]
    return "\n\n".join(part for part in parts if part)
