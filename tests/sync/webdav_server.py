"""A real WebDAV server (WsgiDAV on cheroot) on 127.0.0.1 with a random port and basic
auth, serving a temporary folder: what tests/sync and the sync bench talk to."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER = "alice"
PASSWORD = "app-token-Hunter2"


@dataclass
class WebDavServer:
    url: str
    root: Path
    server: wsgi.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(10)


def start_webdav(root: Path, user: str = USER, password: str = PASSWORD) -> WebDavServer:
    root.mkdir(parents=True, exist_ok=True)
    config = {
        "host": "127.0.0.1",
        "port": 0,
        "provider_mapping": {"/dav": str(root)},
        "simple_dc": {"user_mapping": {"*": {user: {"password": password}}}},
        "http_authenticator": {
            "accept_basic": True,
            "accept_digest": False,
            "default_to_digest": False,
            "trusted_auth_header": None,
        },
        "verbose": 0,
        "logging": {"enable": False},
        "dir_browser": {"enable": False},
        "property_manager": True,
        "lock_storage": True,
    }
    app = WsgiDAVApp(config)
    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=8)
    server.prepare()
    port = server.bind_addr[1]
    thread = threading.Thread(target=server.serve, name="webdav", daemon=True)
    thread.start()
    return WebDavServer(f"http://127.0.0.1:{port}/dav", root, server, thread)
