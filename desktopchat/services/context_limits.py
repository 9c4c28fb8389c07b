"""A conversation's model window and its answer's room, shared by the meter, the chat
service (which refuses a request that cannot fit before it leaves) and the two ways out.

Kept apart from services/context.py (pure arithmetic over messages) because it reads what
the registry knows of a model: its window from the local server's own details, the
service's list or the bundled table (services/registry.py `model_info`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from desktopchat.domain.answer_allowance import answer_allowance
from desktopchat.domain.errors import ChatError, ErrorKind
from desktopchat.domain.types import AttachmentPayload, Conversation, Message, ModelInfo
from desktopchat.services.chat_events import ResendRefused
from desktopchat.services.context import ContextEstimate, answer_room, estimate


class ContextLimits:
    """What fits in a conversation's model: read on the loop from what is in memory."""

    def __init__(
        self,
        model_info: Callable[[str, str], ModelInfo] = lambda _provider, model: ModelInfo(model),
        max_tokens: Callable[[], int] = lambda: 4096,
        learn: Callable[[str, str], Awaitable[None]] | None = None,
    ) -> None:
        """`learn(provider, model)` asks a local server for the window it holds the model
        in, once (services/registry.py `learn_window`); model_info knows it after."""
        self._model_info = model_info
        self._max_tokens = max_tokens
        self._learn = learn

    async def learn(self, conversation: Conversation) -> None:
        """Make sure the window of the conversation's model is known where it can be: a
        message sent before the meter asked is judged against it too."""
        if self._learn is not None:
            await self._learn(conversation.provider or "", conversation.model or "")

    def max_tokens(self, conversation: Conversation) -> int:
        """What a request lets the model write: the conversation's own longest answer as the
        person set it, else the app's setting with room to reason for a model that spends
        it from there, lowered to the model's output limit (domain/answer_allowance)."""
        if conversation.max_tokens:
            return conversation.max_tokens
        return self.default_max_tokens(conversation.provider or "", conversation.model or "")

    def default_max_tokens(self, provider: str, model: str) -> int:
        """What a request to this model allows when its conversation does not say."""
        limit = self._model_info(provider, model).max_output_tokens
        return answer_allowance(self._max_tokens(), provider, model, limit)

    def limits(self, conversation: Conversation) -> tuple[int | None, int]:
        """The model's context window (None: unknown) and the room counted for its answer:
        what the request allows (max_tokens), lowered to the model's output limit, as
        answer_room counts it."""
        info = self._model_info(conversation.provider or "", conversation.model or "")
        allowance = self.max_tokens(conversation)
        if info.max_output_tokens:
            allowance = min(allowance, info.max_output_tokens)
        return info.context_length, answer_room(allowance, info.context_length)

    def estimate(
        self,
        conversation: Conversation,
        path: Sequence[Message],
        draft: str = "",
        attachments: Sequence[AttachmentPayload] = (),
    ) -> ContextEstimate:
        """The next request for this conversation, `draft` sent at the end of `path`."""
        window, reserve = self.limits(conversation)
        return estimate(
            path,
            draft=draft,
            attachments=attachments,
            system_prompt=conversation.system_prompt,
            window=window,
            reserve=reserve,
        )

    async def refusal(
        self,
        conversation: Conversation,
        path: Sequence[Message],
        draft: str = "",
        attachments: Sequence[AttachmentPayload] = (),
    ) -> ResendRefused | None:
        """Refuse the request `path` (then `draft`) would make when it is surely over the
        window of the conversation's model, asked of a local server first: resent each
        time, it would fail each time. None when it may go."""
        await self.learn(conversation)
        would_send = self.estimate(conversation, path, draft, attachments)
        if would_send.sendable:
            return None
        return ResendRefused(conversation.id, would_send, conversation.model or "")

    async def refusals(
        self,
        conversation: Conversation,
        targets: Sequence[tuple[str, str]],
        path: Sequence[Message],
        draft: str,
        attachments: Sequence[AttachmentPayload] = (),
    ) -> list[ResendRefused | None]:
        """`refusal` for each (provider id, model) of a compare, in order: each model is
        judged against its own window."""
        return [
            await self.refusal(
                replace(conversation, provider=provider, model=model), path, draft, attachments
            )
            for provider, model in targets
        ]

    @staticmethod
    def explain(error: ChatError, sent: ContextEstimate, received: bool) -> ChatError:
        """A server that hung up before anything arrived, on a request near or over the
        model's window, has most likely run out of context: say so, with the figures."""
        if error.kind is not ErrorKind.CUT_BEFORE_REPLY or received or not sent.near_full:
            return error
        return ChatError(
            ErrorKind.CUT_OVER_CONTEXT,
            provider=error.provider,
            model=error.model,
            detail=error.detail,
            context_tokens=sent.tokens,
            context_window=sent.window,
        )
