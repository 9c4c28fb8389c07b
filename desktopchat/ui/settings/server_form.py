"""What the add/edit server form holds, checked and turned into a server for mcp.json plus
the secrets for the keychain. Each problem names the field it is about, so the dialog can
put the cursor there; the sentences are the person's language.

The file's own reader (system/mcp_config.parse_server) checks the result once more, so the
form can never write an entry the app would refuse to read back.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from desktopchat.system.mcp_config import (
    MAX_NAME,
    SECRET,
    ServerConfig,
    Value,
    looks_secret,
    parse_server,
    server_entry,
)
from desktopchat.ui.settings.value_rows import RowValue

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")


@dataclass(frozen=True)
class ServerForm:
    name: str
    remote: bool
    command: str = ""
    arguments: str = ""
    """One argument a line (a line is kept whole, spaces and all)."""
    env: list[RowValue] = field(default_factory=list)
    url: str = ""
    headers: list[RowValue] = field(default_factory=list)
    oauth: bool = False


class FormProblem(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def split_arguments(text: str) -> tuple[str, ...]:
    """One argument a line; a single line with spaces and no newline is split as a shell
    would (a person pasting `-y @scope/server ~/dir`)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and " " in lines[0].strip():
        try:
            return tuple(shlex.split(lines[0]))
        except ValueError:
            return (lines[0],)
    return tuple(line.strip() for line in lines)


def _values(
    rows: list[RowValue], kind: str, pattern: re.Pattern[str]
) -> tuple[dict[str, Value], dict[tuple[str, str], str]]:
    header = kind == "header"
    where = "headers" if header else "env"
    values: dict[str, Value] = {}
    secrets: dict[tuple[str, str], str] = {}
    for row in rows:
        if not row.name:
            message = (
                QCoreApplication.translate("ServerForm", "A header has a value but no name.")
                if header
                else QCoreApplication.translate("ServerForm", "A variable has a value but no name.")
            )
            raise FormProblem(where, message)
        if not pattern.fullmatch(row.name):
            message = (
                QCoreApplication.translate("ServerForm", "“%1” cannot be a header name.")
                if header
                else QCoreApplication.translate(
                    "ServerForm", "“%1” cannot be a variable name (letters, digits, _)."
                )
            )
            raise FormProblem(where, message.replace("%1", row.name[:60]))
        if row.name in values:
            message = QCoreApplication.translate("ServerForm", "%1 is there twice.").replace(
                "%1", row.name
            )
            raise FormProblem(where, message)
        if "\n" in row.value or "\r" in row.value or "\x00" in row.value:
            message = QCoreApplication.translate(
                "ServerForm", "The value of %1 holds a line break."
            )
            raise FormProblem(where, message.replace("%1", row.name))
        if row.kept:
            values[row.name] = SECRET
        elif row.secret or kind == "header" or looks_secret(row.name):
            values[row.name] = SECRET
            secrets[(kind, row.name)] = row.value
        else:
            values[row.name] = row.value
    return values, secrets


def build_server(
    form: ServerForm, taken: set[str], old: ServerConfig | None = None
) -> tuple[ServerConfig, dict[tuple[str, str], str]]:
    """The server the form describes and its new secrets; raises FormProblem. `taken`: the
    names of the other servers; `old`: the server being edited (its allow rules, state and
    other apps' keys are kept)."""
    name = form.name.strip()
    if not name:
        raise FormProblem(
            "name", QCoreApplication.translate("ServerForm", "Give the server a name.")
        )
    if len(name) > MAX_NAME or any(c in name for c in "/\\") or not name.isprintable():
        raise FormProblem(
            "name",
            QCoreApplication.translate(
                "ServerForm",
                "A name is at most 64 characters, without slashes or control characters.",
            ),
        )
    if name in taken:
        message = QCoreApplication.translate("ServerForm", "There is already a server named %1.")
        raise FormProblem("name", message.replace("%1", name))
    if form.remote:
        url = form.url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
            raise FormProblem(
                "url",
                QCoreApplication.translate(
                    "ServerForm",
                    "The address must be a web address starting with https:// or http://.",
                ),
            )
        headers, secrets = _values(form.headers, "header", _HEADER_NAME)
        server = ServerConfig(name, url=url, headers=headers, oauth=form.oauth)
    else:
        command = form.command.strip()
        if not command:
            raise FormProblem(
                "command",
                QCoreApplication.translate("ServerForm", "Say which program starts the server."),
            )
        env, secrets = _values(form.env, "env", _ENV_NAME)
        server = ServerConfig(name, command=command, args=split_arguments(form.arguments), env=env)
    if old is not None:
        server = replace(
            server,
            cwd=old.cwd if not form.remote else "",
            auto_approve=old.auto_approve,
            disabled=old.disabled,
            extra={k: v for k, v in old.extra.items() if k != "type"},
        )
    try:
        parse_server(name, server_entry(server))
    except ValueError as bad:
        raise FormProblem("name", str(bad)) from None
    return server, secrets
