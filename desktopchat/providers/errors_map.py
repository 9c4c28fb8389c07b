"""From SDK exceptions to ChatError, and the error handling around a reply stream.

Both adapters fail the same ways (an HTTP status with the service's error object, an error
object inside a 200 stream, a socket that never connects or drops mid-reply) and differ only
in the SDK's exception classes, so the mapping lives here once and takes the SDK module as
an argument: `openai` and `anthropic` name their classes alike (APIStatusError,
APIConnectionError, APIError …). Nothing here imports an SDK; `httpx2` (both SDKs' transport)
is imported only while translating an error, when an SDK is already loaded.

Anything that is not a provider failure (TypeError, AttributeError …) is a bug and is
re-raised untouched so it reaches the excepthook.
"""

from __future__ import annotations

import email.utils
import json
import re
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType, TracebackType
from typing import Any, NoReturn

from desktopchat.domain.errors import QT_TRANSLATE_NOOP, ChatError, ErrorKind, redact, well_formed
from desktopchat.domain.presets import ProviderPreset
from desktopchat.providers.limits import TooLarge, TooSlow

_DETAIL_LIMIT = 500

# Error `type` / `code` strings the services use, for errors that arrive without an HTTP
# status: Anthropic's `event: error` and OpenRouter's `data: {"error": …}` under HTTP 200.
_NAMED_KINDS = {
    "authentication_error": ErrorKind.AUTH,
    "invalid_api_key": ErrorKind.AUTH,
    "permission_error": ErrorKind.PERMISSION,
    "billing_error": ErrorKind.PAYMENT_REQUIRED,
    "not_found_error": ErrorKind.MODEL_NOT_FOUND,
    "rate_limit_error": ErrorKind.RATE_LIMITED,
    "rate_limit_exceeded": ErrorKind.RATE_LIMITED,
    "request_too_large": ErrorKind.CONTEXT_TOO_LONG,
    "invalid_request_error": ErrorKind.BAD_REQUEST,
    "api_error": ErrorKind.SERVER_ERROR,
    "server_error": ErrorKind.SERVER_ERROR,
}
_STATUS_KINDS = {
    401: ErrorKind.AUTH,
    402: ErrorKind.PAYMENT_REQUIRED,
    403: ErrorKind.PERMISSION,
    404: ErrorKind.MODEL_NOT_FOUND,
    408: ErrorKind.TIMEOUT,
    413: ErrorKind.CONTEXT_TOO_LONG,
    429: ErrorKind.RATE_LIMITED,
}
_CONTEXT_WORDS = re.compile(
    r"prompt is too long|maximum context length|context length|context window"
    r"|too many tokens|exceeds the maximum number of tokens|reduce the length",
    re.IGNORECASE,
)
_IMAGE_WORDS = re.compile(
    r"image_url|image input|images? (?:are|is) not supported|not support(?:s)? images?"
    r"|support(?:s)? image input|vision|multimodal|only supported by certain models",
    re.IGNORECASE,
)
"""How services refuse an image for a text-only model: OpenAI "image_url is only supported
by certain models", DeepSeek "unknown variant `image_url`", OpenRouter (404) "No endpoints
found that support image input", LM Studio and Ollama "does not support images"."""
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ErrorContext:
    """Who was asked for what: the ChatError names the provider, model and address."""

    provider: str
    base_url: str
    host: str
    model: str = ""
    secret: str | None = field(default=None, repr=False)
    """The person's key, removed from anything the service says back."""

    @classmethod
    def for_preset(
        cls, preset: ProviderPreset, api_key: str | None, model: str = ""
    ) -> ErrorContext:
        return cls(preset.name, preset.base_url, preset.host, model, api_key)

    def clean(self, text: str) -> str:
        """A service's words made safe to show and store: short, without the key."""
        text = _CONTROL.sub("", " ".join(well_formed(text).split()))
        if len(text) > _DETAIL_LIMIT:
            text = text[: _DETAIL_LIMIT - 1] + "…"
        return redact(text, [self.secret] if self.secret else [])

    def error(
        self,
        kind: ErrorKind,
        *,
        detail: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> ChatError:
        return ChatError(
            kind,
            provider=self.provider,
            model=self.model,
            status=status,
            retry_after=retry_after,
            detail=self.clean(detail),
            base_url=self.base_url,
            host=self.host,
        )


def resolve_key(preset: ProviderPreset, api_key: str | None) -> str:
    """The key to send. Local servers and keyless endpoints get their dummy key, so the SDK
    never falls back to a key from the environment; a service that needs one and has none
    is a NO_KEY error before any request is made."""
    if api_key:
        return api_key
    if preset.dummy_key:
        return preset.dummy_key
    if not preset.needs_key:
        return "no-key"
    raise ErrorContext.for_preset(preset, None).error(ErrorKind.NO_KEY)


# --- the error object a service sent ------------------------------------------------------


@dataclass(frozen=True)
class ServiceError:
    """The fields of an error body, whichever service's shape it came in."""

    message: str = ""
    type: str | None = None
    code: str | int | None = None
    param: str | None = None
    html: bool = False


def read_error_body(body: object) -> ServiceError:
    """OpenAI `{"error": {message, type, param, code}}` (the SDK hands over the inner object),
    Anthropic `{"type": "error", "error": {type, message}}`, or a text or HTML page."""
    if isinstance(body, Mapping):
        inner = body.get("error")
        if isinstance(inner, str):  # {"error": "model not found"}: Ollama, LM Studio
            return ServiceError(message=inner)
        fields: Mapping[str, Any] = inner if isinstance(inner, Mapping) else body
        message = fields.get("message") or fields.get("detail") or ""
        code = fields.get("code")
        return ServiceError(
            message=message if isinstance(message, str) else json.dumps(message),
            type=fields.get("type") if isinstance(fields.get("type"), str) else None,
            code=code if isinstance(code, str | int) else None,
            param=fields.get("param") if isinstance(fields.get("param"), str) else None,
        )
    if isinstance(body, str):
        head = body.lstrip()[:200].lower()
        if head.startswith("<!doctype html") or "<html" in head:
            title = _HTML_TITLE.search(body)
            text = title.group(1) if title else _HTML_TAG.sub(" ", body)
            return ServiceError(message=text.strip(), html=True)
        return ServiceError(message=body.strip())
    return ServiceError()


def temperature_refusal(err: Exception, sdk: ModuleType) -> str | None:
    """The service's reason when `err` is a 400/422 refusing the temperature, else None.
    OpenAI says `unsupported_value` with param `temperature` (reasoning models); Anthropic
    says "temperature is deprecated for this model" (newer models)."""
    if not isinstance(err, sdk.APIStatusError) or err.status_code not in (400, 422):
        return None
    fields = read_error_body(err.body)
    if fields.param == "temperature" or "temperature" in fields.message.lower():
        return fields.message or "The model does not accept a temperature."
    return None


_TOOL_WORDS = re.compile(
    r"\btools?\b|tool[ _-]?(call|use|choice)|function[ _-]?call|--jinja", re.IGNORECASE
)


def tools_refusal(err: Exception, sdk: ModuleType) -> str | None:
    """The service's reason when `err` refuses the tools offered, else None: a 400/404/422
    that names tools or function calling (OpenAI-compatible servers, Anthropic), Ollama's
    400 "… does not support tools", llama.cpp's 500 "tools param requires --jinja flag"."""
    if not isinstance(err, sdk.APIStatusError) or err.status_code not in (400, 404, 422, 500):
        return None
    fields = read_error_body(err.body)
    if fields.html or not _TOOL_WORDS.search(fields.message):
        return None
    return fields.message


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        return max(0.0, float(lowered["retry-after-ms"]) / 1000)
    except (KeyError, ValueError):
        pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# --- exceptions to ChatError --------------------------------------------------------------


def translate(
    err: BaseException, ctx: ErrorContext, sdk: ModuleType, *, streaming: bool
) -> ChatError | None:
    """The ChatError for a failure of an SDK call, or None when `err` is a bug.

    `streaming`: the reply had started, so a dropped connection is a cut stream.
    """
    limit = next((c for c in _causes(err) if isinstance(c, TooLarge | TooSlow)), None)
    if isinstance(limit, TooLarge):  # anthropic wraps it in APIConnectionError, openai not
        kind = ErrorKind.REPLY_TOO_LARGE if limit.streaming else ErrorKind.RESPONSE_TOO_LARGE
        return ctx.error(kind, detail=str(limit))
    if isinstance(limit, TooSlow):
        return ctx.error(ErrorKind.TIMEOUT, detail=str(limit))
    if isinstance(err, sdk.APIStatusError):
        status = err.status_code if err.status_code != 200 else None
        return _from_service(ctx, status, err.body, err.response.headers, err.message)
    if isinstance(err, sdk.APIConnectionError):
        return _from_transport(ctx, err, streaming)
    if isinstance(err, sdk.APIResponseValidationError):
        return ctx.error(ErrorKind.MALFORMED_RESPONSE, detail=err.message)
    if isinstance(err, sdk.APIError):
        return _from_service(ctx, None, err.body, {}, err.message)
    import httpx2

    if isinstance(err, httpx2.TransportError):
        return _from_transport(ctx, err, streaming)
    if isinstance(err, json.JSONDecodeError | UnicodeDecodeError | httpx2.DecodingError):
        return ctx.error(ErrorKind.MALFORMED_RESPONSE, detail=f"{_UNREADABLE}: {err}")
    if isinstance(err, RecursionError) and _raised_by_json(err):
        return ctx.error(ErrorKind.MALFORMED_RESPONSE, detail=_TOO_DEEP)
    return None


def _raised_by_json(err: RecursionError) -> bool:
    """Whether the recursion ran out inside the `json` module: a server's `[[[[…` (a few
    kilobytes, well under every size limit) is deeper than any JSON parser in Python can
    read, and both SDKs call `json.loads` on each event. A RecursionError anywhere else is
    our bug and stays one."""
    frames = [tb.tb_frame for tb in _tracebacks(err)]
    return any(str(frame.f_globals.get("__name__", "")).startswith("json") for frame in frames)


def _tracebacks(err: BaseException) -> Iterator[TracebackType]:
    tb = err.__traceback__
    while tb is not None:
        yield tb
        tb = tb.tb_next


def reraise(err: Exception, ctx: ErrorContext, sdk: ModuleType, *, streaming: bool) -> NoReturn:
    """Raise the ChatError for `err`, or `err` itself when it is a bug.

    The SDK exception is left out of the ChatError's traceback (`from None`): its text may
    quote the key back, and tracebacks end up in logs.
    """
    chat_error = translate(err, ctx, sdk, streaming=streaming)
    if chat_error is None:
        raise err
    raise chat_error from None


def _from_service(
    ctx: ErrorContext,
    status: int | None,
    body: object,
    headers: Mapping[str, str],
    fallback: str,
) -> ChatError:
    fields = read_error_body(body)
    kind = _kind_of(ctx, status, fields)
    retry_after = parse_retry_after(headers)
    return ctx.error(
        kind, status=status, retry_after=retry_after, detail=fields.message or fallback
    )


def _kind_of(ctx: ErrorContext, status: int | None, fields: ServiceError) -> ErrorKind:
    if status is None and isinstance(fields.code, int):
        status = fields.code  # OpenRouter puts the HTTP-like status in `code` mid-stream
    too_long = fields.code == "context_length_exceeded" or _CONTEXT_WORDS.search(fields.message)
    if too_long and (status is None or 400 <= status < 500):
        return ErrorKind.CONTEXT_TOO_LONG
    refused_images = status is None or status in (400, 404, 415, 422)
    if refused_images and not fields.html and _IMAGE_WORDS.search(fields.message):
        return ErrorKind.IMAGES_NOT_SUPPORTED
    if fields.code == "insufficient_quota":
        return ErrorKind.PAYMENT_REQUIRED  # OpenAI's 429 for an account out of credit
    if fields.code == "model_not_found":
        return ErrorKind.MODEL_NOT_FOUND
    if fields.type == "overloaded_error" or status == 529:
        return ErrorKind.OVERLOADED
    if status is None:
        named = _NAMED_KINDS.get(fields.type or "") or _NAMED_KINDS.get(str(fields.code))
        return named or ErrorKind.SERVER_ERROR
    about_model = fields.type or fields.code or "model" in fields.message.lower()
    if status == 404 and not (ctx.model and about_model and not fields.html):
        # A bare "Not Found" (a web server, a proxy) or a 404 for the model list itself:
        # the address does not lead to the API, whatever model is asked for.
        return ErrorKind.MALFORMED_RESPONSE
    if status in _STATUS_KINDS:
        return _STATUS_KINDS[status]
    return ErrorKind.SERVER_ERROR if status >= 500 else ErrorKind.BAD_REQUEST


def _causes(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _from_transport(ctx: ErrorContext, err: BaseException, streaming: bool) -> ChatError | None:
    """A failure below HTTP, told apart by what is in the exception's cause chain."""
    import httpx2

    causes = list(_causes(err))
    if not any(isinstance(c, OSError | httpx2.RequestError) for c in causes):
        return None  # the SDK wrapped something that is not the network: a bug
    timeout = next((c for c in causes if isinstance(c, httpx2.TimeoutException)), None)
    if timeout is not None or any(isinstance(c, TimeoutError) for c in causes):
        connecting = isinstance(timeout, httpx2.ConnectTimeout)
        return ctx.error(ErrorKind.TIMEOUT, detail=_CONNECTING if connecting else _WAITING)
    # The OS's words are the most precise ("[Errno 111] Connect call failed …"), then httpx2's.
    words = [str(c) for c in causes if isinstance(c, OSError) and str(c)][-1:]
    words += [str(c) for c in causes if isinstance(c, httpx2.RequestError) and str(c)]
    detail = words[0] if words else ""
    if any(isinstance(c, socket.gaierror) for c in causes):
        return ctx.error(ErrorKind.DNS_FAILURE, detail=detail)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return ctx.error(ErrorKind.CONNECTION_REFUSED, detail=detail)
    if streaming:
        return ctx.error(ErrorKind.CUT_STREAM, detail=detail)
    return ctx.error(ErrorKind.NETWORK, detail=detail)


# Details DesktopChat writes itself, worded in the UI's language when shown (ChatError).
_UNREADABLE = QT_TRANSLATE_NOOP("ChatError", "unreadable data")
_TOO_DEEP = QT_TRANSLATE_NOOP("ChatError", "unreadable data: JSON nested too deeply")
_CONNECTING = QT_TRANSLATE_NOOP("ChatError", "timed out while connecting")
_WAITING = QT_TRANSLATE_NOOP("ChatError", "timed out while waiting for data")
