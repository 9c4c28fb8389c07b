"""Sync through a WebDAV server (Nextcloud, ownCloud, a NAS, any `mod_dav`), with a user
name and a password or app token, over the `webdav4` client (httpx).

A new file is PUT under a hidden temporary name, then MOVEd to its name with
`Overwrite: F`, so another computer listing the folder never reads half a file and two
computers never overwrite each other. Reads are streamed and stop at a size cap; every
request has a timeout; what the server answers becomes a TransportError with a kind.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import httpx
from webdav4.client import (
    Client,
    ClientError,
    HTTPError,
    InsufficientStorage,
    ResourceAlreadyExists,
    ResourceNotFound,
)

from desktopchat.sync.errors import AlreadyThere, SyncError, TransportError, TransportFailure
from desktopchat.sync.transport import ROOT, Entry

LISTING_LIMIT = 32 * 1024 * 1024
"""The most a folder listing (PROPFIND) may take: ~50,000 files' worth of XML, far more
than sync keeps in a folder; a server answering more is refused rather than let fill
memory."""
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Seconds without progress before a request fails (each read of a big file is progress)."""


class WebDavTransport:
    def __init__(
        self, url: str, user: str, password: str, *, timeout: httpx.Timeout | float = TIMEOUT
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("a WebDAV address starts with https:// (or http://)")
        self.description = url
        self._base = url.rstrip("/") + "/" + ROOT + "/"
        self._client = _CappedClient(
            self._base,
            auth=(user, password),
            timeout=timeout,
            retry=False,
            follow_redirects=False,
        )
        self._made: set[str] = set()

    def list(self, folder: str = "") -> list[Entry]:
        with _answers(self.description):
            try:
                found = self._client.ls(folder or "/", detail=True)
            except ResourceNotFound:
                return []
        entries = []
        for item in found:
            if not isinstance(item, dict):
                continue
            name = str(item.get("name", "")).rstrip("/").rsplit("/", 1)[-1]
            if not name or name.startswith("."):
                continue
            is_folder = item.get("type") == "directory"
            length = item.get("content_length")
            entries.append(Entry(name, int(length) if length is not None else None, is_folder))
        return sorted(entries, key=lambda e: e.name)

    def read(self, path: str, limit: int) -> bytes:
        with (
            _answers(self.description),
            self._client.http.stream("GET", self._client.join_url(path)) as response,
        ):
            if response.status_code == 404:
                raise TransportError(TransportFailure.NOT_FOUND, f"{path} is gone")
            _raise_for(response.status_code, self.description)
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise TransportError(
                    TransportFailure.TOO_BIG, f"{path} is larger than sync writes: not read"
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise TransportError(TransportFailure.TOO_BIG, f"{path} grew past {limit}")
                chunks.append(chunk)
        return b"".join(chunks)

    def write_new(self, path: str, data: bytes) -> None:
        folder, _, name = path.rpartition("/")
        self._make_folder(folder)
        temporary = f"{folder}/.{name}.{secrets.token_hex(4)}.tmp".lstrip("/")
        with _answers(self.description):
            response = self._client.http.put(
                self._client.join_url(temporary),
                content=data,
                headers={"Content-Length": str(len(data))},
            )
            _raise_for(response.status_code, self.description)
            try:
                self._client.move(temporary, path, overwrite=False)
            except BaseException as error:
                with suppress(httpx.HTTPError):
                    self._client.http.request("DELETE", self._client.join_url(temporary))
                if isinstance(error, ResourceAlreadyExists):
                    raise AlreadyThere(f"{path} exists already") from error
                raise

    def delete(self, path: str) -> None:
        with _answers(self.description):
            response = self._client.http.request("DELETE", self._client.join_url(path))
            if response.status_code != 404:
                _raise_for(response.status_code, self.description)

    def close(self) -> None:
        self._client.http.close()

    def _make_folder(self, folder: str) -> None:
        wanted = ["", *[folder[:i] for i, c in enumerate(folder) if c == "/"], folder]
        for path in dict.fromkeys(p.rstrip("/") for p in wanted):
            if path in self._made:
                continue
            with _answers(self.description):
                response = self._client.http.request(
                    "MKCOL", self._client.join_url(path or "/", add_trailing_slash=True)
                )
                # 405: it exists already.
                if response.status_code not in (200, 201, 405):
                    _raise_for(response.status_code, self.description)
            self._made.add(path)


class _CappedClient(Client):  # type: ignore[misc]
    """webdav4's client, with folder listings read as a stream and stopped at
    LISTING_LIMIT (webdav4 reads a whole answer into memory before parsing it)."""

    def _request(
        self, method: str, path: str, add_trailing_slash: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if method != "PROPFIND":
            response: httpx.Response = super()._request(method, path, add_trailing_slash, **kwargs)
            return response
        url = self.join_url(path, add_trailing_slash=add_trailing_slash)
        with self.http.stream(method, url, **kwargs) as streamed:
            declared = streamed.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > LISTING_LIMIT:
                raise _listing_too_big(path)
            chunks, size = [], 0
            for chunk in streamed.iter_bytes():
                size += len(chunk)
                if size > LISTING_LIMIT:
                    raise _listing_too_big(path)
                chunks.append(chunk)
        response = httpx.Response(
            streamed.status_code,
            headers=streamed.headers,
            content=b"".join(chunks),
            request=streamed.request,
        )
        if response.status_code == 404:
            raise ResourceNotFound(path)
        if response.status_code == 507:
            raise InsufficientStorage(path)
        try:
            response.raise_for_status()
        except httpx.HTTPStatusError as error:
            raise HTTPError(response) from error
        return response


def _listing_too_big(path: str) -> TransportError:
    return TransportError(
        TransportFailure.TOO_BIG,
        f"the server's listing of {path or 'the sync folder'} is larger than "
        f"{LISTING_LIMIT // (1024 * 1024)} MB: refused (is it the right server?)",
    )


def _raise_for(status: int, where: str) -> None:
    if status < 300:
        return
    if status == 401:
        raise TransportError(
            TransportFailure.UNAUTHORIZED,
            f"{where} refused the user name or password (401): check them, or make a new "
            "app password",
        )
    if status == 403:
        raise TransportError(TransportFailure.FORBIDDEN, f"{where} refused access (403)")
    if status in (413, 507):
        raise TransportError(
            TransportFailure.FULL, f"{where} has no room left (storage or quota full, {status})"
        )
    if 300 <= status < 400:
        raise TransportError(
            TransportFailure.PROTOCOL,
            f"{where} redirected elsewhere ({status}): give the address it redirects to",
        )
    raise TransportError(TransportFailure.PROTOCOL, f"{where} answered {status}")


@contextmanager
def _answers(where: str) -> Iterator[None]:
    """The client's and httpx's exceptions as TransportErrors."""
    try:
        yield
    except SyncError:
        raise
    except InsufficientStorage as error:
        raise TransportError(TransportFailure.FULL, f"{where} has no room left") from error
    except HTTPError as error:
        _raise_for(error.status_code, where)
        raise
    except ClientError as error:
        raise TransportError(TransportFailure.PROTOCOL, f"{where}: {error}") from error
    except httpx.TimeoutException as error:
        raise TransportError(TransportFailure.TIMEOUT, f"{where} did not answer in time") from error
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
        raise TransportError(
            TransportFailure.UNREACHABLE,
            f"cannot reach {where}: is the server up and the address right?",
        ) from error
    except httpx.HTTPError as error:
        raise TransportError(TransportFailure.UNREACHABLE, f"{where}: {error}") from error
    except _MALFORMED as error:
        raise TransportError(
            TransportFailure.PROTOCOL, f"{where} answered something that is not WebDAV"
        ) from error


_MALFORMED: tuple[type[Exception], ...] = (ValueError, KeyError, AssertionError)
