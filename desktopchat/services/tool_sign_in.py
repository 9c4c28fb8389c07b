"""The app's side of signing in to remote MCP servers with OAuth (the flow itself runs in
the tool host process: tools/oauth.py).

The host asks for two things, as events: open this page in the browser (`sign_in`, and
`sign_in_done` once the browser came back or the sign-in ended), and keep this in the
keychain (`oauth_store`: the tokens, or the client the authorization server registered).
SignIns keeps the pages waiting for the person, tells the UI (which opens them and shows
"Waiting for sign-in… Cancel"), and writes what is to be kept under oauth_account: never a
file, never the log.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from desktopchat.system.mcp_config import OAUTH_KINDS, oauth_account

if TYPE_CHECKING:
    from desktopchat.services.tool_secrets import SecretStore

log = logging.getLogger(__name__)


class SignIns:
    def __init__(
        self, keys: SecretStore, spawn: Callable[[Coroutine[Any, Any, Any]], None]
    ) -> None:
        self._keys = keys
        self._spawn = spawn
        self.waiting: dict[str, str] = {}
        """Server name → the page its sign-in waits on, while the person is in the browser."""
        self._listeners: list[Callable[[str, str], None]] = []

    def subscribe(self, callback: Callable[[str, str], None]) -> Callable[[], None]:
        """`callback(server, url)` on the app's loop when a sign-in starts ("" once it ended):
        open the page and say that DesktopChat waits."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def take(self, event: dict[str, Any]) -> None:
        """An event of the host, on the app's loop."""
        server = str(event.get("server", ""))
        kind = event.get("event")
        if kind == "oauth_store" and event.get("kind") in OAUTH_KINDS:
            account = oauth_account(server, str(event["kind"]))
            self._spawn(self._keep(account, str(event.get("value", ""))))
            return
        url = str(event.get("url", "")) if kind == "sign_in" else ""
        if kind == "sign_in" and not url.lower().startswith(("https://", "http://")):
            log.warning("tool server %s asked to open a page that is not a web address", server)
            return
        if url:
            self.waiting[server] = url
        else:
            self.waiting.pop(server, None)
        for listener in list(self._listeners):
            listener(server, url)

    async def _keep(self, account: str, value: str) -> None:
        try:
            await self._keys.aset(account, value)
        except Exception as error:  # said in the log, in words; the value is never logged
            log.error("the sign-in of %s could not be kept in the keychain: %r", account, error)

    async def stored(self, server: str) -> dict[str, str]:
        """What the keychain holds for this server's sign-in, by kind ("" when nothing)."""
        found = {}
        for kind in OAUTH_KINDS:
            try:
                found[kind] = await self._keys.aget(oauth_account(server, kind)) or ""
            except Exception as error:  # a keychain that does not answer: sign in again
                log.warning("keychain read for the sign-in of %s failed: %r", server, error)
                found[kind] = ""
        return found

    async def forget(self, server: str) -> None:
        """Sign out: the tokens and the registered client leave the keychain."""
        self.waiting.pop(server, None)
        for kind in OAUTH_KINDS:
            with contextlib.suppress(Exception):
                await self._keys.adelete(oauth_account(server, kind))
