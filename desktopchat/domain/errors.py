"""Errors a person can act on, as opposed to bugs.

Every failure of a provider call ends as a ChatError: a kind the UI can branch on (to offer
Settings for a key, a countdown for a rate limit, Retry for the rest) and the details it
needs to say what happened in words. Bugs stay ordinary exceptions and reach the excepthook.
The English `message` is for logs, tests and non-Qt callers; the UI words each kind itself
so it can be translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from enum import StrEnum


class ErrorKind(StrEnum):
    """What went wrong, precisely enough to say what to do about it."""

    NO_KEY = "no_key"
    AUTH = "auth"
    PERMISSION = "permission"
    PAYMENT_REQUIRED = "payment_required"
    MODEL_NOT_FOUND = "model_not_found"
    RATE_LIMITED = "rate_limited"
    CONTEXT_TOO_LONG = "context_too_long"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"
    OVERLOADED = "overloaded"
    CONNECTION_REFUSED = "connection_refused"
    DNS_FAILURE = "dns_failure"
    NETWORK = "network"
    TIMEOUT = "timeout"
    CUT_STREAM = "cut_stream"
    CUT_BEFORE_REPLY = "cut_before_reply"
    """The connection closed after the request, before anything of the reply arrived."""
    CUT_OVER_CONTEXT = "cut_over_context"
    """CUT_BEFORE_REPLY on a request near or over the model's window: most likely that."""
    MALFORMED_RESPONSE = "malformed_response"
    EMPTY_REPLY = "empty_reply"
    REPLY_TOO_LARGE = "reply_too_large"
    RESPONSE_TOO_LARGE = "response_too_large"
    IMAGES_NOT_SUPPORTED = "images_not_supported"
    OTHER = "other"
    """A kind this version does not know (stored by a newer DesktopChat)."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a string for Qt's translation tools without importing Qt: pyside6-lupdate finds
    these calls in the source, and the UI translates the text with QCoreApplication."""
    return text


# Kinds whose fix is in Settings → Keys.
KEY_PROBLEMS = frozenset({ErrorKind.NO_KEY, ErrorKind.AUTH, ErrorKind.PERMISSION})

_TEMPLATES: dict[ErrorKind, str] = {
    ErrorKind.NO_KEY: QT_TRANSLATE_NOOP(
        "ChatError", "No API key is set for {provider}. Add one in Settings → Keys."
    ),
    ErrorKind.AUTH: QT_TRANSLATE_NOOP(
        "ChatError", "The {provider} key was refused{status}. Check it in Settings → Keys."
    ),
    ErrorKind.PERMISSION: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} refused access{status}: the key may not be allowed to use this model "
        "or region. Check the key's permissions in your {provider} account.",
    ),
    ErrorKind.PAYMENT_REQUIRED: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} says the account has no credit left{status}. Add credit, then retry.",
    ),
    ErrorKind.MODEL_NOT_FOUND: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} does not know the model “{model}”{status}. Pick another model or refresh "
        "the model list.",
    ),
    ErrorKind.RATE_LIMITED: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} is rate-limiting requests{status}. {retry}"
    ),
    ErrorKind.CONTEXT_TOO_LONG: QT_TRANSLATE_NOOP(
        "ChatError",
        "The conversation is too long for {model}{status}. Start a new conversation, "
        "delete earlier messages, or pick a model with a larger context.",
    ),
    ErrorKind.BAD_REQUEST: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} rejected the request{status}."
    ),
    ErrorKind.SERVER_ERROR: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} had a server error{status}. Retry in a moment."
    ),
    ErrorKind.OVERLOADED: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} is overloaded{status}. Retry in a moment."
    ),
    ErrorKind.CONNECTION_REFUSED: QT_TRANSLATE_NOOP(
        "ChatError",
        "Nothing answered at {base_url}. Is the server running? Check the address in Settings.",
    ),
    ErrorKind.DNS_FAILURE: QT_TRANSLATE_NOOP(
        "ChatError",
        "The address of {provider} could not be found ({host}). Check your network connection "
        "and the server address.",
    ),
    ErrorKind.NETWORK: QT_TRANSLATE_NOOP(
        "ChatError", "Could not reach {provider}. Check your network connection, then retry."
    ),
    ErrorKind.TIMEOUT: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} did not answer in time. Retry, or raise the timeout in Settings."
    ),
    ErrorKind.CUT_STREAM: QT_TRANSLATE_NOOP(
        "ChatError",
        "The connection to {provider} was cut before the reply ended. The part received is kept.",
    ),
    ErrorKind.CUT_BEFORE_REPLY: QT_TRANSLATE_NOOP(
        "ChatError",
        "The connection to {provider} was cut before any reply arrived. Retry; if it happens "
        "again, the server may be failing on this request.",
    ),
    ErrorKind.CUT_OVER_CONTEXT: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} closed the connection before any reply arrived: this conversation "
        "(~{tokens} tokens) is most likely too long for {model}'s {window}-token context. "
        "Leave out the oldest turns, or summarise and continue.",
    ),
    ErrorKind.MALFORMED_RESPONSE: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} sent a response DesktopChat could not read. Check the server address; "
        "it may not be an OpenAI-compatible API.",
    ),
    ErrorKind.EMPTY_REPLY: QT_TRANSLATE_NOOP(
        "ChatError", "{provider} sent an empty reply. Retry, or try another model."
    ),
    ErrorKind.REPLY_TOO_LARGE: QT_TRANSLATE_NOOP(
        "ChatError",
        "The reply from {provider} was too large; DesktopChat stopped reading it and kept "
        "the part received.",
    ),
    ErrorKind.RESPONSE_TOO_LARGE: QT_TRANSLATE_NOOP(
        "ChatError",
        "{provider} sent a response too large to read. Check the server address in Settings.",
    ),
    ErrorKind.IMAGES_NOT_SUPPORTED: QT_TRANSLATE_NOOP(
        "ChatError",
        "{model} reads text only{status}: pick a model that reads images (a vision model), "
        "or remove the images and send again.",
    ),
    ErrorKind.OTHER: QT_TRANSLATE_NOOP("ChatError", "The reply from {provider} failed{status}."),
}

_RETRY_IN = QT_TRANSLATE_NOOP("ChatError", "Retry in {seconds} s.")
_RETRY_LATER = QT_TRANSLATE_NOOP("ChatError", "Wait a little, then retry.")
_DETAILS = QT_TRANSLATE_NOOP("ChatError", "Details: {detail}")
_PHRASE_AND_WORDS = QT_TRANSLATE_NOOP("ChatError", "{phrase}: {words}")


TOO_LARGE = QT_TRANSLATE_NOOP("ChatError", "{what} was larger than {size}")
TOO_SLOW = QT_TRANSLATE_NOOP("ChatError", "{what} did not come within {seconds} s")
UNSENDABLE_KEY = QT_TRANSLATE_NOOP(
    "ChatError",
    "The key contains {shown}({code}, {name}) at position {position}, which cannot be sent: "
    "it was probably pasted with formatting. Paste it again from the provider's page.",
)
_DETAIL_TEMPLATES = tuple(
    (template, re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(template))))
    for template in (TOO_LARGE, TOO_SLOW, UNSENDABLE_KEY)
)
"""Details written from a template (providers/limits.py, system/key_text.py), each part of
them a marked phrase, a number or a name."""


def word_detail(detail: str, translate: Callable[[str], str]) -> str:
    """A detail in the UI's language where it is ours: details DesktopChat writes are a phrase
    marked for translation ("the stream ended before the reply did"), such a phrase, ": "
    and words from outside ("finish reason: length"), or a template's sentence ("the model
    list did not come within 20 s"). Anything else (a server's own words) is shown as it
    came."""
    whole = translate(detail)
    if whole != detail:
        return whole
    for template, pattern in _DETAIL_TEMPLATES:
        found = pattern.fullmatch(detail)
        if found:
            parts = {name: translate(part) for name, part in found.groupdict().items()}
            return translate(template).format(**parts)
    phrase, colon, words = detail.partition(": ")
    if colon:
        worded = translate(phrase)
        if worded != phrase:
            return translate(_PHRASE_AND_WORDS).format(phrase=worded, words=words)
    return detail


_KEY_LIKE = re.compile(
    r"(sk-[A-Za-z0-9_\-]{8,}|sk_[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{16,}|gsk_[A-Za-z0-9]{8,}"
    r"|Bearer\s+[A-Za-z0-9._\-]{8,})"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """`text` with every lone UTF-16 surrogate replaced by U+FFFD.

    JSON may carry them (`"\\ud800"` parses), but no UTF-8 encoder accepts them: one left
    in a reply or an error message fails the first write to SQLite or to the screen. A pair
    that is whole is joined into its character rather than replaced.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_HIDDEN = "[key hidden]"
KEY_FRAGMENT = 8
"""The shortest start or end of a key that is hidden on its own wherever it appears."""
_KEY_RUN = 2 * KEY_FRAGMENT
"""The shortest piece from the middle of a key that is hidden on its own."""


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove keys from text that came from outside (a provider may echo the key back).

    Besides each whole secret, any run of text that is its first or last KEY_FRAGMENT or
    more characters goes, as does any run of _KEY_RUN or more characters from its middle:
    services often echo only part of a key ("Incorrect API key provided: sk-proj-ab****wxyz").
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, _HIDDEN)
            if len(secret) >= KEY_FRAGMENT:
                text = _hide_spans(text, _key_spans(text, secret))
    return _KEY_LIKE.sub(_HIDDEN, text)


def _key_spans(text: str, secret: str) -> list[tuple[int, int]]:
    """Where `text` holds part of `secret`: runs that contain its start, its end, or a piece
    of _KEY_RUN characters, grown both ways as far as the text goes on matching it.

    The runs are looked for in the text's characters that can be in the key only: a server
    that echoes the key in pieces of seven joined by zero-width joiners, spaces or line
    breaks has it read whole, and each run goes with what lies between its pieces.
    """
    alphabet = set(secret)
    kept = [index for index, character in enumerate(text) if character in alphabet]
    projected = "".join(text[index] for index in kept)
    return [(kept[begin], kept[end - 1] + 1) for begin, end in _runs(projected, secret)]


def _runs(text: str, secret: str) -> list[tuple[int, int]]:
    anchors = [(0, KEY_FRAGMENT), (len(secret) - KEY_FRAGMENT, KEY_FRAGMENT)]
    anchors += [(offset, _KEY_RUN) for offset in range(len(secret) - _KEY_RUN + 1)]
    spans = []
    for offset, length in anchors:
        found = text.find(secret[offset : offset + length])
        while found >= 0:
            left = 0
            while left < min(found, offset) and text[found - left - 1] == secret[offset - left - 1]:
                left += 1
            right = offset + length
            while found - offset + right < len(text) and right < len(secret):
                if text[found - offset + right] != secret[right]:
                    break
                right += 1
            spans.append((found - left, found - offset + right))
            found = text.find(secret[offset : offset + length], found + 1)
    return spans


def _hide_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each run in `spans` (overlapping runs as one) replaced by _HIDDEN."""
    pieces, position = [], 0
    for begin, end in sorted(spans):
        if end <= position:
            continue
        if begin >= position:
            pieces += [text[position:begin], _HIDDEN]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class ChatError(Exception):
    """A failure the person can understand and act on."""

    def __init__(
        self,
        kind: ErrorKind,
        *,
        provider: str = "",
        model: str = "",
        status: int | None = None,
        retry_after: float | None = None,
        detail: str = "",
        base_url: str = "",
        host: str = "",
        context_tokens: int | None = None,
        context_window: int | None = None,
    ) -> None:
        self.kind = kind
        self.provider = provider
        self.model = model
        self.status = status
        self.retry_after = retry_after
        self.detail = redact(well_formed(detail))
        self.base_url = base_url
        self.host = host
        self.context_tokens = context_tokens
        """The request's estimated tokens and the model's window, where they explain it."""
        self.context_window = context_window
        super().__init__(self.message)

    @property
    def key_problem(self) -> bool:
        return self.kind in KEY_PROBLEMS

    @property
    def message(self) -> str:
        """What happened and what to do, in English, followed by the provider's own words."""
        return self.describe()

    def describe(
        self,
        translate: Callable[[str], str] = lambda text: text,
        number: Callable[[int], str] = lambda value: f"{value:,}",
    ) -> str:
        """The message in the UI's language: `translate` maps each English template and
        `number` writes a count as the language does ("3,900", "3 900")."""
        if self.retry_after is not None:
            retry = translate(_RETRY_IN).format(seconds=max(1, round(self.retry_after)))
        else:
            retry = translate(_RETRY_LATER)
        text = translate(_TEMPLATES[self.kind]).format(
            provider=self.provider or "The provider",
            model=self.model or "this model",
            status=f" (HTTP {self.status})" if self.status else "",
            retry=retry,
            base_url=self.base_url or "the server address",
            host=self.host or "unknown host",
            tokens=number(self.context_tokens or 0),
            window=number(self.context_window or 0),
        )
        if self.detail:
            text += " " + translate(_DETAILS).format(detail=word_detail(self.detail, translate))
        return text

    def to_record(self) -> tuple[str, str]:
        """The kind and the details as stored: the error is worded again, in the language of
        the day, each time it is shown (a stored sentence would stay in yesterday's)."""
        details = {name: getattr(self, name) for name in _RECORDED}
        recorded = {name: value for name, value in details.items() if value not in ("", None)}
        return self.kind.value, json.dumps(recorded, ensure_ascii=False)

    @classmethod
    def from_record(cls, kind: str, details: str | None) -> ChatError:
        """The error `to_record` stored. A kind from a newer version reads as OTHER and
        details that are not what we write read as none: an old row never stops a reload."""
        try:
            known = ErrorKind(kind)
        except ValueError:
            known = ErrorKind.OTHER
        try:
            fields = json.loads(details or "{}")
        except ValueError:
            fields = {}
        if not isinstance(fields, dict):
            fields = {}
        return cls(known, **{n: v for n, v in fields.items() if _fits(n, v)})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChatError):
            return NotImplemented
        return self.to_record() == other.to_record()

    def __hash__(self) -> int:
        return hash(self.to_record())

    def __repr__(self) -> str:
        return f"ChatError({self.kind.value!r}, status={self.status}, detail={self.detail!r})"


_RECORDED: dict[str, tuple[type, ...]] = {
    "provider": (str,),
    "model": (str,),
    "status": (int,),
    "retry_after": (int, float),
    "detail": (str,),
    "base_url": (str,),
    "host": (str,),
    "context_tokens": (int,),
    "context_window": (int,),
}
"""The details a stored error keeps, and the JSON types each may have."""


def _fits(name: str, value: object) -> bool:
    """Whether a stored detail is one we know, of its type (bool never counts as a number)."""
    types = _RECORDED.get(name)
    return types is not None and isinstance(value, types) and not isinstance(value, bool)
