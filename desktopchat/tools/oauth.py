"""Signing in to a remote MCP server with OAuth 2.1 (PKCE), in the tool host process, through
the SDK's own client (mcp.client.auth.OAuthClientProvider): discovery of the protected
resource's and the authorization server's metadata, dynamic client registration where
offered, the authorization code with PKCE and a checked state, refresh when the access token
expires.

What is ours around it:
- **Storage** (TokenStorage): in memory, seeded from the keychain by the app (the spec
  carries the JSON it read), and every change sent back to the app as an event, which writes
  it to the keychain. Nothing is written to disk here; tokens are never logged. The absolute
  expiry is kept beside the token, so an access token that expired while the app was closed
  is refreshed, not sent, after a restart.
- **The browser**: the host cannot open one; it sends the authorization URL to the app
  (`sign_in` event), which opens it and shows "Waiting for sign-in… Cancel".
- **The redirect**: a loopback listener on 127.0.0.1 (RFC 8252 §7.3), opened only while a
  sign-in waits, answering one request to /callback and closing; its port is kept with the
  registered client (its redirect URI), so a later sign-in reuses the registration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mcp.client.auth import OAuthClientProvider, OAuthFlowError
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthToken,
)

SIGN_IN_TIMEOUT_S = 600.0
"""How long a sign-in waits for the browser to come back (then it fails, said in words)."""
REQUEST_LIMIT = 16 * 1024
CALLBACK_PATH = "/callback"
PAGE = (
    "<!doctype html><meta charset=utf-8><title>DesktopChat</title>"
    "<p style='font: 16px sans-serif; margin: 3em'>{}</p>"
)

Notify = Callable[[dict[str, Any]], None]


class SignInFailed(OAuthFlowError):
    """A sign-in that did not end with tokens, in words for the person."""


class _Storage:
    def __init__(self, server: str, tokens: str, client: str, notify: Notify) -> None:
        self._server = server
        self._notify = notify
        self._tokens: OAuthToken | None = None
        self._expires_at: float | None = None
        self._client: OAuthClientInformationFull | None = None
        with contextlib.suppress(ValueError, TypeError, KeyError):
            data = json.loads(tokens) if tokens else None
            if isinstance(data, dict):
                self._tokens = OAuthToken.model_validate(data["token"])
                self._expires_at = data.get("expires_at")
        with contextlib.suppress(ValueError):
            if client:
                self._client = OAuthClientInformationFull.model_validate_json(client)

    async def get_tokens(self) -> OAuthToken | None:
        if self._tokens is None or self._expires_at is None:
            return self._tokens
        left = max(0, int(self._expires_at - time.time()))
        return self._tokens.model_copy(update={"expires_in": left})

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self._tokens = tokens
        self._expires_at = time.time() + tokens.expires_in if tokens.expires_in else None
        value = {"token": tokens.model_dump(mode="json"), "expires_at": self._expires_at}
        self._send("tokens", json.dumps(value))

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self._client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self._client = client_info
        self._send("client", client_info.model_dump_json(exclude_none=True))

    def redirect_port(self) -> int | None:
        """The loopback port the stored client was registered with, if any."""
        uris = self._client.redirect_uris if self._client is not None else None
        parts = urlsplit(str(uris[0])) if uris else None
        if parts is None or parts.hostname != "127.0.0.1":
            return None
        return parts.port

    def forget_client(self) -> None:
        self._client = None

    def _send(self, kind: str, value: str) -> None:
        self._notify({"event": "oauth_store", "server": self._server, "kind": kind, "value": value})


class _Provider(OAuthClientProvider):
    async def _initialize(self) -> None:
        """As the SDK's, and the stored token's expiry is known (it counts from now)."""
        await super()._initialize()
        if self.context.current_tokens is not None:
            self.context.update_token_expiry(self.context.current_tokens)


class SignIn:
    """One remote server's OAuth: `auth()` is the httpx2 Auth for its HTTP client."""

    def __init__(self, server: str, url: str, tokens: str, client: str, notify: Notify) -> None:
        self._server = server
        self._notify = notify
        self._storage = _Storage(server, tokens, client, notify)
        self._waiting: asyncio.Future[AuthorizationCodeResult] | None = None
        self._listener: asyncio.Server | None = None
        port = self._storage.redirect_port()
        if port is None or not _free(port):
            self._storage.forget_client()  # registered for a port we cannot have: again
            port = _free_port()
        self._port = port
        self._url = url

    def auth(self) -> OAuthClientProvider:
        metadata = OAuthClientMetadata(
            client_name="DesktopChat",
            redirect_uris=[f"http://127.0.0.1:{self._port}{CALLBACK_PATH}"],  # type: ignore[list-item]
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        )
        return _Provider(
            self._url,
            metadata,
            self._storage,
            redirect_handler=self._open_browser,
            callback_handler=self._callback,
        )

    async def _open_browser(self, url: str) -> None:
        """Listen for the redirect first, then ask the app to open the page."""
        loop = asyncio.get_running_loop()
        self._waiting = loop.create_future()
        try:
            self._listener = await asyncio.start_server(self._answer, "127.0.0.1", self._port)
        except OSError as error:
            raise SignInFailed(
                f"The sign-in could not listen on 127.0.0.1:{self._port} ({error.strerror})."
            ) from None
        self._notify({"event": "sign_in", "server": self._server, "url": url})

    async def _callback(self) -> AuthorizationCodeResult:
        waiting = self._waiting
        assert waiting is not None
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), SIGN_IN_TIMEOUT_S)
        except TimeoutError:
            raise SignInFailed("The sign-in was not finished in the browser in time.") from None
        finally:
            await self._close_listener()
            self._notify({"event": "sign_in_done", "server": self._server})

    def cancel(self) -> None:
        """The person pressed Cancel: the sign-in fails at once."""
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_exception(SignInFailed("The sign-in was cancelled."))

    async def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(listener.wait_closed(), 2)

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """The browser's one request: /callback?code=…&state=… (or error=…)."""
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            line = head[:REQUEST_LIMIT].split(b"\r\n", 1)[0].decode("latin-1")
            method, target, _ = [*line.split(" "), "", ""][:3]
            parts = urlsplit(target)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            waiting = self._waiting
            if method != "GET" or parts.path != CALLBACK_PATH or waiting is None or waiting.done():
                _reply(writer, 404, "Not found.")
                return
            if "error" in query:
                words = query.get("error_description") or query["error"]
                waiting.set_exception(SignInFailed(f"The sign-in was refused: {words[:300]}"))
                _reply(writer, 200, "The sign-in was refused. You can close this tab.")
            elif "code" in query:
                waiting.set_result(
                    AuthorizationCodeResult(
                        code=query["code"], state=query.get("state"), iss=query.get("iss")
                    )
                )
                _reply(writer, 200, "Signed in. You can close this tab and go back to DesktopChat.")
            else:
                _reply(writer, 400, "This address expects a sign-in answer.")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            with contextlib.suppress(OSError):
                await writer.drain()
            writer.close()


def _reply(writer: asyncio.StreamWriter, status: int, words: str) -> None:
    body = PAGE.format(words).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}[status]
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
