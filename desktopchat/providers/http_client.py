"""The HTTP client both SDKs are given (`http_client=`): bounded bodies, deadlines, proxies.

The SDKs' own clients read any body whole, follow `HTTP_PROXY` for every address and wait
for response headers as long as bytes trickle in. Ours, for every request either SDK makes
(replies, model lists, Settings → Test):

- counts a body as it comes out of decompression (httpx2 inflates in 1 MiB steps) and stops
  it at the limits of providers/limits.py: an error body is cut at 1 MiB, any other body
  read whole fails past 32 MiB, and an event stream fails when one event passes 4 MiB;
- gives each attempt `connect + first_byte` seconds to send its response headers, and
  notes when the attempt began (`sent_at`), from which the reply stream counts its
  deadline to the first event (providers/reply_stream.py);
- never sends a request through a proxy unless it is HTTPS to a host that is not loopback:
  a local server is reached directly, and a key for a plain-HTTP server never crosses a
  proxy in clear. For HTTPS the environment's proxy (`HTTPS_PROXY`, `ALL_PROXY`,
  `NO_PROXY`) applies; the key travels inside TLS.

Imported only by the adapters when they build their SDK client, so httpx2 loads with an SDK.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import urllib.request
from collections.abc import AsyncGenerator, Mapping

import httpx2

from desktopchat.domain.presets import is_loopback
from desktopchat.providers.base import RequestTimeouts
from desktopchat.providers.limits import (
    ERROR_BODY_LIMIT,
    RESPONSE,
    WHOLE_BODY_LIMIT,
    EventFraming,
    TooLarge,
)

log = logging.getLogger(__name__)


def make_http_client(timeouts: RequestTimeouts) -> httpx2.AsyncClient:
    """A client for one SDK client; closed with it (the SDKs close the client they hold)."""
    return httpx2.AsyncClient(
        transport=BoundedTransport(timeouts.connect + timeouts.first_byte),
        timeout=httpx2.Timeout(timeouts.first_byte, connect=timeouts.connect),
        follow_redirects=True,  # as the SDKs' own clients do
        trust_env=False,  # no proxy or .netrc from the environment but what _route allows
    )


def https_proxy(environment: Mapping[str, str] | None = None) -> str | None:
    """The proxy the environment names for HTTPS (`HTTPS_PROXY`, else `ALL_PROXY`)."""
    proxies = urllib.request.getproxies_environment() if environment is None else environment
    return proxies.get("https") or proxies.get("all") or None


class BoundedTransport(httpx2.AsyncBaseTransport):
    """httpx2's own transport (and a proxied one for HTTPS when the environment has a
    proxy), with a header deadline per attempt and bounded response bodies."""

    def __init__(self, header_timeout: float) -> None:
        self._header_timeout = header_timeout
        self._direct = httpx2.AsyncHTTPTransport(trust_env=True)  # SSL_CERT_FILE/DIR only
        self._proxies = urllib.request.getproxies_environment()
        self._proxied: httpx2.AsyncHTTPTransport | None = None
        proxy = https_proxy(self._proxies)
        if proxy:
            try:
                self._proxied = httpx2.AsyncHTTPTransport(proxy=proxy, trust_env=True)
            except (ValueError, ImportError, httpx2.InvalidURL) as error:
                log.warning("ignoring the HTTPS proxy from the environment: %s", error)

    def _route(self, url: httpx2.URL) -> httpx2.AsyncHTTPTransport:
        if (
            self._proxied is None
            or url.scheme != "https"
            or is_loopback(url.host)
            # Undocumented (what urllib itself uses for no_proxy), so typeshed leaves it out.
            or urllib.request.proxy_bypass_environment(url.host, self._proxies)  # type: ignore[attr-defined]
        ):
            return self._direct
        return self._proxied

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        transport = self._route(request.url)
        sent_at = asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(self._header_timeout):
                response = await transport.handle_async_request(request)
        except TimeoutError:
            seconds = f"{self._header_timeout:g}"
            raise httpx2.ReadTimeout(f"no response within {seconds} s", request=request) from None
        bounded = BoundedResponse(
            response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
            request=request,
        )
        bounded.sent_at = sent_at
        return bounded

    async def aclose(self) -> None:
        await self._direct.aclose()
        if self._proxied is not None:
            await self._proxied.aclose()


class BoundedResponse(httpx2.Response):
    """A response whose decoded bytes are counted as the SDK reads them: `aread()` (the
    SDKs' way to read a body whole) and every text or line iterator go through
    `aiter_bytes`, so nothing over a limit is ever buffered."""

    sent_at: float
    """The event loop's time when the request that got this response went out."""

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncGenerator[bytes, None]:
        async with contextlib.aclosing(super().aiter_bytes(chunk_size)) as parts:
            if self.status_code >= 400:
                kept = 0
                async for part in parts:
                    part = part[: ERROR_BODY_LIMIT - kept]
                    kept += len(part)
                    yield part
                    if kept >= ERROR_BODY_LIMIT:
                        return  # the rest is dropped with the connection
            elif "event-stream" in self.headers.get("content-type", ""):
                framing = EventFraming()
                async for part in parts:
                    if part := framing.feed(part):
                        yield part
                if tail := framing.finish():
                    yield tail
            else:
                size = 0
                async for part in parts:
                    size += len(part)
                    if size > WHOLE_BODY_LIMIT:
                        raise TooLarge(RESPONSE, WHOLE_BODY_LIMIT, streaming=False)
                    yield part
