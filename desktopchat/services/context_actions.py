"""What the person can do when a conversation outgrows the model's context: see how full
the next request is, leave out the oldest turns (they stay in the history, marked "not
sent"), or have the same model summarise it and continue in a new conversation.

The figures come from services/context.py; this module reads the branch shown, the model's
window (the service's list, else the bundled table) and calls the model for the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import Conversation, GenerationSettings, ModelInfo
from desktopchat.providers.base import TextDelta
from desktopchat.services.chat import ProviderSource
from desktopchat.services.context import (
    SUMMARY_MAX_TOKENS,
    ContextEstimate,
    continued_system_prompt,
    estimate,
    oldest_to_leave_out,
    summary_turns,
)
from desktopchat.services.history import ConversationGone, HistoryService


class ContextService:
    """Estimates and the two ways out, for one history and one set of providers."""

    def __init__(
        self,
        history: HistoryService,
        providers: ProviderSource,
        model_info: Callable[[str, str], ModelInfo],
        *,
        max_tokens: Callable[[], int] = lambda: 4096,
    ) -> None:
        self._history = history
        self._providers = providers
        self._model_info = model_info
        self._max_tokens = max_tokens

    async def estimate(self, conversation_id: int, draft: str = "") -> ContextEstimate:
        """How much of the window the next request (with `draft` sent) will take."""
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        window, reserve = self._limits(conversation)
        return estimate(
            thread.messages,
            draft=draft,
            system_prompt=conversation.system_prompt,
            window=window,
            reserve=reserve,
        )

    async def leave_out_oldest(self, conversation_id: int, draft: str = "") -> list[int]:
        """Mark the oldest turns "not sent" until the next request fits; their ids."""
        conversation = await self._conversation(conversation_id)
        window, reserve = self._limits(conversation)
        if window is None:
            return []
        thread = await self._history.thread(conversation_id)
        ids = oldest_to_leave_out(
            thread.messages,
            draft=draft,
            system_prompt=conversation.system_prompt,
            window=window,
            reserve=reserve,
        )
        if ids:
            self._history.set_left_out(conversation_id, ids, True)
        return ids

    async def summarise_and_continue(self, conversation_id: int, title: str) -> Conversation:
        """Ask the conversation's model for a summary (one call) and start a conversation
        that continues from it, with the same settings; raises ChatError as a reply would."""
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        window, _ = self._limits(conversation)
        provider = await self._providers(conversation.provider or "")
        settings = GenerationSettings(
            model=conversation.model or "",
            max_tokens=SUMMARY_MAX_TOKENS,
            system_prompt=conversation.system_prompt,
        )
        turns = summary_turns(thread.messages, window=window)
        pieces = [
            event.text
            async for event in provider.stream(turns, settings)
            if isinstance(event, TextDelta)
        ]
        summary = "".join(pieces).strip()
        if not summary:
            name = getattr(provider, "display_name", "")
            raise ChatError(ErrorKind.EMPTY_REPLY, provider=name, model=settings.model)
        continued = await self._history.start_conversation(
            title=title,
            provider=conversation.provider,
            model=conversation.model,
            temperature=conversation.temperature,
            system_prompt=continued_system_prompt(conversation.system_prompt, summary),
        )
        carried: dict[str, Any] = {
            "continues": conversation.id,
            "max_tokens": conversation.max_tokens,
            "reasoning_effort": conversation.reasoning_effort,
            "thinking_budget": conversation.thinking_budget,
        }
        self._history.change_conversation(continued.id, **carried)
        return replace(continued, **carried)

    def _limits(self, conversation: Conversation) -> tuple[int | None, int]:
        """The model's context window (None: unknown) and the room its answer needs."""
        info = self._model_info(conversation.provider or "", conversation.model or "")
        reserve = conversation.max_tokens or self._max_tokens()
        if info.max_output_tokens:
            reserve = min(reserve, info.max_output_tokens)
        return info.context_length, reserve

    async def _conversation(self, conversation_id: int) -> Conversation:
        conversation = await self._history.conversation(conversation_id)
        if conversation is None:
            raise ConversationGone(conversation_id)
        return conversation
