"""What the person can do when a conversation outgrows the model's context: see how full
the next request is, leave out the oldest turns (they stay in the history, marked "not
sent"), or have the same model summarise it and continue in a new conversation.

The figures come from services/context.py and the model's window from
services/context_limits.py; this module reads the branch shown and calls the model for the
summary.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import Conversation, GenerationSettings, Role
from desktopchat.providers.base import TextDelta
from desktopchat.services.chat import ProviderSource
from desktopchat.services.context import (
    ContextEstimate,
    oldest_to_leave_out,
    summary_room,
    summary_turns,
)
from desktopchat.services.context_limits import ContextLimits
from desktopchat.services.history import ConversationGone, HistoryService


class ContextService:
    """Estimates and the two ways out, for one history and one set of providers."""

    def __init__(
        self, history: HistoryService, providers: ProviderSource, limits: ContextLimits
    ) -> None:
        self._history = history
        self._providers = providers
        self._limits = limits

    def default_max_tokens(self, provider: str, model: str) -> int:
        """What a request to this model allows when its conversation does not say."""
        return self._limits.default_max_tokens(provider, model)

    async def estimate(self, conversation_id: int, draft: str = "") -> ContextEstimate:
        """How much of the window the next request (with `draft` sent) will take."""
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        return self._limits.estimate(conversation, thread.messages, draft)

    async def leave_out_oldest(self, conversation_id: int, draft: str = "") -> list[int]:
        """Mark the oldest turns "not sent" until the next request fits; their ids."""
        conversation = await self._conversation(conversation_id)
        window, reserve = self._limits.limits(conversation)
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

    async def summarise_and_continue(
        self, conversation_id: int, title: str, request: str
    ) -> Conversation:
        """Ask the conversation's model for a summary of as much of it as fits (one call)
        and start a conversation, with the same settings, that opens with it: `request`
        (the person's words for what was asked) and the summary as its reply, seen and sent
        like any turn. Raises ChatError as a reply would, and SummaryWontFit (before asking
        anything) when not even a shortened piece of the conversation fits the window."""
        conversation = await self._conversation(conversation_id)
        thread = await self._history.thread(conversation_id)
        window, _ = self._limits.limits(conversation)
        turns = summary_turns(
            thread.messages, window=window, system_prompt=conversation.system_prompt
        )
        provider = await self._providers(conversation.provider or "")
        settings = GenerationSettings(
            model=conversation.model or "",
            max_tokens=summary_room(window),
            system_prompt=conversation.system_prompt,
        )
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
            system_prompt=conversation.system_prompt,
            web_search=conversation.web_search,
        )
        carried: dict[str, Any] = {
            "continues": conversation.id,
            "max_tokens": conversation.max_tokens,
            "reasoning_effort": conversation.reasoning_effort,
            "thinking_budget": conversation.thinking_budget,
        }
        self._history.change_conversation(continued.id, **carried)
        store = self._history.store
        asked = store.add_message(continued.id, Role.USER, request)
        answered = store.add_message(
            continued.id,
            Role.ASSISTANT,
            summary,
            parent_id=asked.value.id,
            provider=conversation.provider,
            model=conversation.model,
        )
        self._history.track(asked.saved)
        self._history.track(answered.saved)
        return replace(continued, **carried)

    async def _conversation(self, conversation_id: int) -> Conversation:
        conversation = await self._history.conversation(conversation_id)
        if conversation is None:
            raise ConversationGone(conversation_id)
        return conversation
