"""The two transports behind one interface (a folder, a real WebDAV server): new files
whole or not at all and never over another, bounded reads, typed errors."""

from __future__ import annotations

import errno
import os

import pytest

from desktopchat.sync.errors import AlreadyThere, TransportError, TransportFailure
from desktopchat.sync.folder import FolderTransport
from desktopchat.sync.webdav import WebDavTransport
from tests.sync.webdav_server import PASSWORD, USER


def test_write_new_list_read_and_delete(place):
    transport, root = place
    t = transport()
    assert t.list("") == []
    t.write_new("d-1/c-00000001.dcs", b"first")
    with pytest.raises(AlreadyThere):
        t.write_new("d-1/c-00000001.dcs", b"second, must not replace the first")
    assert t.read("d-1/c-00000001.dcs", 100) == b"first"
    assert [(e.name, e.is_folder) for e in t.list("")] == [("d-1", True)]
    assert [(e.name, e.size) for e in t.list("d-1")] == [("c-00000001.dcs", 5)]
    assert not [p for p in (root / "DesktopChat-sync" / "d-1").iterdir() if p.name.startswith(".")]
    with pytest.raises(TransportError) as too_big:
        t.read("d-1/c-00000001.dcs", 4)
    assert too_big.value.kind is TransportFailure.TOO_BIG
    with pytest.raises(TransportError) as gone:
        t.read("d-1/nothing", 4)
    assert gone.value.kind is TransportFailure.NOT_FOUND
    t.delete("d-1/c-00000001.dcs")
    t.delete("d-1/c-00000001.dcs")  # already gone: fine
    assert t.list("d-1") == []
    t.close()


def test_a_missing_folder_is_said(tmp_path):
    with pytest.raises(TransportError) as missing:
        FolderTransport(tmp_path / "unplugged-drive").list("")
    assert missing.value.kind is TransportFailure.MISSING_FOLDER


def test_a_full_disk_is_said_and_leaves_nothing(tmp_path, monkeypatch):
    transport = FolderTransport(tmp_path)
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(TransportError) as raised:
        transport.write_new("d-1/c-00000001.dcs", b"x" * 100)
    monkeypatch.setattr(os, "write", real_write)
    assert raised.value.kind is TransportFailure.FULL
    assert list((tmp_path / "DesktopChat-sync" / "d-1").iterdir()) == []


def test_webdav_wrong_password_and_server_down(webdav):
    wrong = WebDavTransport(webdav.url, USER, "not the password")
    with pytest.raises(TransportError) as refused:
        wrong.list("")
    assert refused.value.kind is TransportFailure.UNAUTHORIZED
    assert "not the password" not in str(refused.value)
    right = WebDavTransport(webdav.url, USER, PASSWORD)
    right.write_new("keycheck", b"k")
    webdav.stop()
    with pytest.raises(TransportError) as down:
        right.list("")
    assert down.value.kind is TransportFailure.UNREACHABLE


def test_webdav_refuses_an_address_that_is_not_one():
    with pytest.raises(ValueError, match="https://"):
        WebDavTransport("ftp://example.org", USER, PASSWORD)


def test_a_fifo_planted_in_the_shared_folder_is_refused_not_waited_on(tmp_path):
    """Anyone who can write to the shared folder can put a FIFO where a change file is
    expected: opening it would block the sync (and a quit waiting for it) for ever."""
    transport = FolderTransport(tmp_path)
    transport.root.mkdir()
    os.mkfifo(transport.root / "planted")
    with pytest.raises(TransportError) as refused:
        transport.read("planted", 1024)
    assert refused.value.kind is TransportFailure.IO and "not a file" in str(refused.value)


def test_a_gigantic_folder_listing_is_refused_not_read_into_memory(monkeypatch):
    """A hostile (or broken) server answering PROPFIND with an endless listing: reading
    stops at the cap, with a sentence, and the server is seen to still be sending."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from desktopchat.sync import webdav as webdav_module

    monkeypatch.setattr(webdav_module, "LISTING_LIMIT", 256 * 1024)
    sent = []

    class Endless(BaseHTTPRequestHandler):
        def do_PROPFIND(self):
            self.send_response(207)
            self.send_header("Content-Type", "application/xml")
            self.end_headers()  # no length: the body never says where it ends
            entry = b"<d:response><d:href>/x</d:href></d:response>" * 200
            try:
                for _ in range(10_000):  # ~90 MB if it were all read
                    self.wfile.write(entry)
                    sent.append(len(entry))
            except OSError:
                pass  # the client hung up: what we want

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        transport = WebDavTransport(f"http://127.0.0.1:{server.server_address[1]}/", "u", "p")
        with pytest.raises(TransportError) as refused:
            transport.list("")
        transport.close()
    finally:
        server.shutdown()
        server.server_close()
    assert refused.value.kind is TransportFailure.TOO_BIG
    assert "larger than" in str(refused.value)
    assert sum(sent) < 9_000 * 9_000  # it hung up long before the end
