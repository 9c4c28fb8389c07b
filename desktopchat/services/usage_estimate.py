"""Tokens estimated for a reply whose server reported no usage (llama.cpp, LM Studio, a
stream cut before its usage chunk), so that it still counts in View → Usage.

No tokenizer: about four characters make a token (the rule services/context.py uses for
the context meter), over what was sent (system prompt, every turn's text, documents' text;
a fixed count per image) and what was received (the answer and its reasoning). The figure
is marked estimated wherever it is shown; it is priced like reported usage, so a model with
a known price gets an estimated cost rather than none.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktopchat.domain.types import AttachmentKind, ChatTurn, Usage
from desktopchat.services.context import IMAGE_TOKENS, text_tokens


def sent_tokens(turns: Sequence[ChatTurn], system_prompt: str = "") -> int:
    """About how many input tokens a request with these turns costs."""
    tokens = text_tokens(system_prompt)
    for turn in turns:
        tokens += text_tokens(turn.text)
        for attachment in turn.attachments:
            if attachment.kind is AttachmentKind.IMAGE:
                tokens += IMAGE_TOKENS
            else:
                tokens += text_tokens(attachment.text or "")
    return tokens


def estimated_usage(input_tokens: int, answer: str, reasoning: str) -> Usage:
    """Usage for a reply the server did not count: `input_tokens` from sent_tokens, output
    from the characters received; reasoning is part of the output, as services bill it."""
    reasoning_tokens = text_tokens(reasoning)
    return Usage(
        input_tokens=input_tokens,
        output_tokens=text_tokens(answer) + reasoning_tokens,
        reasoning_tokens=reasoning_tokens or None,
        estimated=True,
    )
