"""When a reply that failed before it began is asked for again, and how long to wait first.

The SDKs retry 408/409/429/5xx by themselves, in silence: a server answering 429 with
`Retry-After: 20` looked like a hang ("Waiting for the first token… 38.9 s") while three
attempts went by unseen. Their retries are off (providers/sdk_provider.py); the chat
service retries here instead, saying so as it waits ("limited by the provider, retrying in
20 s (1 of 3)"), and the person can stop or retry at once. Only a reply that has received
nothing is retried: a partial reply is kept as it is, with its error.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.domain.errors import ChatError, ErrorKind

RETRIED_KINDS = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED, ErrorKind.SERVER_ERROR})
"""Faults that pass by themselves; a refused key or a missing model does not."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Retries after the first request, at most."""
    backoff: tuple[float, ...] = (2.0, 4.0, 8.0)
    """Seconds before each retry when the server does not say (Retry-After)."""
    longest_wait: float = 120.0
    """A server that asks for a longer wait is not retried by itself: the error says when."""

    def delay(self, error: ChatError, retries_done: int) -> float | None:
        """Seconds to wait before retrying after `error`, or None when it is not retried."""
        if error.kind not in RETRIED_KINDS or retries_done >= self.attempts:
            return None
        asked = error.retry_after
        wait = self.backoff[min(retries_done, len(self.backoff) - 1)] if asked is None else asked
        return max(0.0, wait) if wait <= self.longest_wait else None


DEFAULT_RETRIES = RetryPolicy()
