"""How many tokens a request lets the model write (`max_tokens`, `max_completion_tokens`).

The person sets the length of an answer (Settings' default, or a conversation's "Longest
answer"). A model that reasons with an effort (OpenAI's o-series and gpt-5, Gemini 2.5,
Groq's gpt-oss and Qwen3: model_catalog.takes_reasoning_effort) spends its hidden reasoning
from the same allowance, so 4,096 tokens often end such a reply before its first word or
mid-sentence. Those models are given REASONING_ROOM more, as OpenAI advises ("reserve at
least 25,000 tokens for reasoning and outputs"). Claude's thinking has a budget of its own,
added by the Anthropic adapter. The model's own output limit, where known, caps it all.
"""

from __future__ import annotations

from desktopchat.domain.model_catalog import takes_reasoning_effort

REASONING_ROOM = 24_000
"""Tokens added for the reasoning of a model that spends it from the answer's allowance:
with the default 4,096 for the answer, 28,096 in all (OpenAI advises at least 25,000)."""


def answer_allowance(answer: int, provider_id: str, model: str, output_limit: int | None) -> int:
    """What the request allows for an answer of `answer` tokens by this model."""
    if takes_reasoning_effort(provider_id, model):
        answer += REASONING_ROOM
    return min(answer, output_limit) if output_limit else answer
