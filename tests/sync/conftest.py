from __future__ import annotations

from pathlib import Path

import pytest

from desktopchat.sync.folder import FolderTransport
from desktopchat.sync.webdav import WebDavTransport
from tests.sync.homes import Home
from tests.sync.webdav_server import PASSWORD, USER, start_webdav


@pytest.fixture
def homes(tmp_path):
    made: list[Home] = []

    def make(name: str) -> Home:
        home = Home(tmp_path / f"home-{name}")
        made.append(home)
        return home

    yield make
    for home in made:
        home.close()


@pytest.fixture
def webdav(tmp_path):
    server = start_webdav(tmp_path / "dav-root")
    yield server
    server.stop()


@pytest.fixture(params=["folder", "webdav"])
def place(request, tmp_path):
    """A sync place: (a transport factory, the folder on disk where its files end up)."""
    if request.param == "folder":
        shared = tmp_path / "shared"
        shared.mkdir()
        yield (lambda: FolderTransport(shared)), shared
    else:
        server = start_webdav(tmp_path / "dav-root")
        try:
            yield (lambda: WebDavTransport(server.url, USER, PASSWORD)), server.root
        finally:
            server.stop()


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
