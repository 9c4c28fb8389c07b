"""How much of the model's context window the next request will take, and what to do when
it will not fit: leave out the oldest turns, or summarise and continue in a new
conversation.

The estimate needs no tokenizer: where the service reported the last request's input
tokens, that count plus the text since is exact enough; elsewhere ~4 characters make a
token. Only what is sent counts: reasoning is never sent back, and messages left out and
replies that did not complete are skipped (services/request_turns.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from desktopchat.domain.types import (
    AttachmentKind,
    AttachmentPayload,
    ChatTurn,
    Message,
    MessageStatus,
    Role,
)

CHARS_PER_TOKEN = 4
IMAGE_TOKENS = 1_000
"""An image as most services count one scaled to their limits (Anthropic ≤ ~1,600)."""
WARN_AT = 0.8
ANSWER_SHARE = 8
"""The answer's room counted against a window is at most 1/ANSWER_SHARE of it."""
REFUSE_OVER = 1.1
"""A request is refused before sending only when its estimate is this far over the window:
characters are not tokens, and a request the server would have taken must never be held
back (one that slips through and fails is then said to be too long, chat.py)."""
NEAR_FULL = 0.75
"""From this share of the window, a server that hangs up without a word has most likely
run out of context: the estimate may be a quarter too low."""
SUMMARY_MAX_TOKENS = 2_048
SUMMARY_LEAST_TOKENS = 64
"""The shortest piece of the conversation worth summarising, and the least room a summary
needs: below that, summarising is refused rather than sending only the instruction."""
SUMMARY_INSTRUCTION = (
    "Summarise our conversation so far for a fresh start: the facts, decisions, open "
    "questions and anything I asked you to remember, in the language we used. Write only "
    "the summary."
)
LEFT_OUT_NOTE = "[The {count} oldest messages of this conversation did not fit and are left out.]"
SHORTENED_MARK = "[… the start of this message is left out to fit …]"


@dataclass(frozen=True)
class ContextEstimate:
    """The next request's input tokens against the model's window."""

    tokens: int
    window: int | None
    """The model's context window; None: not known (no meter, no warning)."""
    reserve: int = 0
    """The room counted for the answer (see answer_room)."""
    measured: bool = False
    """Built on the tokens the service reported, not only on characters."""

    @property
    def fraction(self) -> float | None:
        return None if not self.window else self.tokens / self.window

    @property
    def fits(self) -> bool:
        """Whether the request and its answer fit in the window (True when unknown)."""
        return self.window is None or self.tokens + self.reserve <= self.window

    @property
    def warn(self) -> bool:
        """Past 80 % of the window, or no room left for the answer."""
        fraction = self.fraction
        return fraction is not None and (fraction >= WARN_AT or not self.fits)

    @property
    def sendable(self) -> bool:
        """False when the request is surely over the window: it is not sent."""
        return self.window is None or self.tokens <= self.window * REFUSE_OVER

    @property
    def near_full(self) -> bool:
        """Close enough to the window that running out of it explains a failure."""
        return self.window is not None and self.tokens >= self.window * NEAR_FULL


def answer_room(allowance: int, window: int | None) -> int:
    """The room an answer is counted to need: the allowance (the most the request lets the
    model answer), but never more than 1/ANSWER_SHARE of the window.

    A whole allowance would warn on the first "Hi" of a small local model: the app's 4,096
    tokens fill a 4,096-token window alone. Local servers do not refuse a request whose
    allowance overflows the window; they end the answer when the window is full. So the
    answer is counted for what it can sensibly use: all its allowance in a large window
    (4,096 of 128,000), an eighth of a small one (512 of 4,096).
    """
    if window is None:
        return allowance
    return max(0, min(allowance, window // ANSWER_SHARE))


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


def payload_tokens(attachments: Sequence[AttachmentPayload]) -> int:
    """What attachments about to be sent cost, counted as message_tokens counts them."""
    return sum(
        IMAGE_TOKENS if a.kind is AttachmentKind.IMAGE else text_tokens(a.text or "")
        for a in attachments
    )


def _sent(path: Sequence[Message]) -> list[Message]:
    """The messages of `path` a request carries (as services/request_turns.py picks them)."""
    return [
        m
        for m in path
        if not m.left_out and (m.role is Role.USER or m.status is MessageStatus.COMPLETE)
    ]


def estimate(
    path: Sequence[Message],
    *,
    draft: str = "",
    attachments: Sequence[AttachmentPayload] = (),
    system_prompt: str = "",
    window: int | None = None,
    reserve: int = 0,
) -> ContextEstimate:
    """The next request: the path's messages that are sent, the system prompt and the
    message being typed (with its attachments). The last reply whose input the service
    counted stands for everything before it, unless some of that has been left out since."""
    sent = _sent(path)
    base, rest, measured = text_tokens(system_prompt), sent, False
    if not any(m.left_out for m in path):
        for index in range(len(sent) - 1, -1, -1):
            usage = sent[index].usage
            if sent[index].role is Role.ASSISTANT and usage and usage.input_tokens:
                base = usage.input_tokens + text_tokens(sent[index].text)
                rest, measured = sent[index + 1 :], True
                break
    tokens = base + sum(message_tokens(m) for m in rest) + text_tokens(draft)
    tokens += payload_tokens(attachments)
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
    next request fits with its answer and is no longer past the warning (so the meter
    calms down). The question being asked is never left out: the draft when there is one,
    else the last question of the path."""
    sent = _sent(path)
    last_user = len(sent)
    if not draft:
        last_user = max((i for i, m in enumerate(sent) if m.role is Role.USER), default=last_user)
    goal = min(window - reserve, math.ceil(window * WARN_AT) - 1)
    total = text_tokens(system_prompt) + text_tokens(draft) + sum(message_tokens(m) for m in sent)
    chosen: list[int] = []
    index = 0
    while total > goal and index < last_user:
        # A turn: a user message and the replies after it.
        turn_end = index + 1
        while turn_end < last_user and sent[turn_end].role is not Role.USER:
            turn_end += 1
        for message in sent[index:turn_end]:
            chosen.append(message.id)
            total -= message_tokens(message)
        index = turn_end
    return chosen


class SummaryWontFit(Exception):
    """Not even a shortened piece of the conversation fits with room for a summary."""

    def __init__(self, window: int, needed: int) -> None:
        super().__init__(f"a summary needs ~{needed} tokens; the window is {window}")
        self.window = window
        self.needed = needed


def summary_room(window: int | None) -> int:
    """The longest summary asked for: SUMMARY_MAX_TOKENS, or a quarter of a small window."""
    return SUMMARY_MAX_TOKENS if window is None else min(SUMMARY_MAX_TOKENS, window // 4)


def summary_turns(
    path: Sequence[Message], *, window: int | None, system_prompt: str = ""
) -> list[ChatTurn]:
    """The request that asks the model for a summary: as much of the conversation as fits
    with the instruction, the system prompt and the summary's room, newest first; the
    message where room runs out is shortened (its start left out, marked), older ones are
    left out and the request says how many. Raises SummaryWontFit when not even
    SUMMARY_LEAST_TOKENS of the conversation would fit, or it has nothing to summarise."""
    sent = [m for m in _sent(path) if m.text.strip()]
    note = LEFT_OUT_NOTE.format(count=len(sent))
    fixed = text_tokens(SUMMARY_INSTRUCTION) + text_tokens(system_prompt) + text_tokens(note)
    budget = None if window is None else window - summary_room(window) - fixed
    if not sent or (budget is not None and budget < SUMMARY_LEAST_TOKENS):
        raise SummaryWontFit(window or 0, fixed + summary_room(window) + SUMMARY_LEAST_TOKENS)
    kept: list[ChatTurn] = []
    for message in reversed(sent):
        cost = text_tokens(message.text)
        if budget is None or cost <= budget:
            kept.append(ChatTurn(message.role, message.text))
            budget = None if budget is None else budget - cost
            continue
        room = budget - text_tokens(SHORTENED_MARK) - 1
        if room >= SUMMARY_LEAST_TOKENS:
            tail = message.text[-room * CHARS_PER_TOKEN :]
            kept.append(ChatTurn(message.role, f"{SHORTENED_MARK}\n{tail}"))
        break
    kept.reverse()
    if not kept:
        raise SummaryWontFit(window or 0, fixed + summary_room(window) + SUMMARY_LEAST_TOKENS)
    dropped = len(sent) - len(kept)
    if dropped:
        note = LEFT_OUT_NOTE.format(count=dropped)
        if kept[0].role is Role.USER:
            kept[0] = ChatTurn(Role.USER, f"{note}\n\n{kept[0].text}")
        else:  # the request must begin with the person's turn on some services
            kept.insert(0, ChatTurn(Role.USER, note))
    if kept[-1].role is Role.USER:
        # Roles must alternate on some services: the instruction joins the last question.
        return [*kept[:-1], ChatTurn(Role.USER, f"{kept[-1].text}\n\n{SUMMARY_INSTRUCTION}")]
    return [*kept, ChatTurn(Role.USER, SUMMARY_INSTRUCTION)]
