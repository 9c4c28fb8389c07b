"""Settings → Tools → Add… / Edit…: one MCP server, either a program started on this
computer (command, arguments, environment) or a remote server (address, headers, OAuth).

Saving checks the form (ui/settings/server_form.py), puts the cursor on the field at
fault with the reason beside the buttons, and otherwise hands the server and its new
secrets to the tool service, which writes secrets to the keychain, mcp.json without them,
and restarts the server. The dialog stays open, with everything typed, if saving fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.system.mcp_config import Secret, ServerConfig
from desktopchat.ui.settings.server_form import FormProblem, ServerForm, build_server
from desktopchat.ui.settings.value_rows import RowWords, ValueRows
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel

Save = Callable[[ServerConfig, dict[tuple[str, str], str]], Awaitable[None]]


class ServerDialog(QDialog):
    def __init__(
        self,
        save: Save,
        taken: set[str],
        old: ServerConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolServerDialog")
        self.setWindowTitle(self.tr("Edit tool server") if old else self.tr("Add tool server"))
        self._save = save
        self._taken = taken
        self._old = old
        self.tasks = Tasks()
        self.name = QLineEdit()
        self.name.setObjectName("toolServerName")
        self.local = QRadioButton(self.tr("A &program on this computer"))
        self.remote = QRadioButton(self.tr("A remote server (&URL)"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.local)
        kinds.addButton(self.remote)
        self.command = QLineEdit()
        self.command.setObjectName("toolServerCommand")
        self.command.setPlaceholderText(self.tr("npx, uvx, docker or a program's full path"))
        self.arguments = QPlainTextEdit()
        self.arguments.setObjectName("toolServerArguments")
        self.arguments.setTabChangesFocus(True)
        self.arguments.setPlaceholderText(self.tr("One argument a line"))
        self.arguments.setMaximumHeight(90)
        env_words = RowWords(
            self.tr("Variable name"), self.tr("Variable value"), self.tr("Remove this variable")
        )
        self.env = ValueRows(self.tr("Add a &variable"), env_words, always_secret=False)
        self.url = QLineEdit()
        self.url.setObjectName("toolServerUrl")
        self.url.setPlaceholderText("https://example.com/mcp")
        header_words = RowWords(
            self.tr("Header name"), self.tr("Header value"), self.tr("Remove this header")
        )
        self.headers = ValueRows(self.tr("Add a &header"), header_words, always_secret=True)
        self.oauth = QCheckBox(self.tr("Sign in with &OAuth"))
        self.oauth.setObjectName("toolServerOAuth")
        self.oauth.setToolTip(
            self.tr(
                "Your browser opens to sign in when the server asks; "
                "the tokens are kept in the keychain"
            )
        )
        self.problem = PlainLabel()
        self.problem.setObjectName("toolServerProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d13438;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )

        local_form = QFormLayout()
        local_form.addRow(self.tr("&Command:"), self.command)
        local_form.addRow(self.tr("&Arguments:"), self.arguments)
        remote_form = QFormLayout()
        remote_form.addRow(self.tr("&Address:"), self.url)
        remote_form.addRow("", self.oauth)
        self.pages = QStackedWidget()
        self.pages.addWidget(_page(local_form, self.tr("Environment variables:"), self.env))
        self.pages.addWidget(
            _page(remote_form, self.tr("Headers (kept in the keychain):"), self.headers)
        )
        top = QFormLayout()
        top.addRow(self.tr("&Name:"), self.name)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.local)
        kind_row.addWidget(self.remote)
        kind_row.addStretch(1)
        top.addRow(self.tr("Kind:"), kind_row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bottom)
        self.resize(620, 460)

        self.remote.toggled.connect(self.on_remote_toggled)
        self.buttons.accepted.connect(self.on_save)
        self.buttons.rejected.connect(self.reject)
        self._fill(old)
        if old is None:
            self.name.setFocus()
        else:
            (self.url if old.url else self.command).setFocus()

    def _fill(self, old: ServerConfig | None) -> None:
        if old is None:
            self.local.setChecked(True)
            self.on_remote_toggled(False)
            return
        self.name.setText(old.name)
        self.name.setReadOnly(True)  # secrets and allow rules are filed under the name
        self.name.setToolTip(self.tr("Remove the server and add it again to rename it"))
        self.remote.setChecked(bool(old.url))
        self.local.setChecked(not old.url)
        self.on_remote_toggled(bool(old.url))
        self.command.setText(old.command)
        self.arguments.setPlainText("\n".join(old.args))
        self.url.setText(old.url)
        self.oauth.setChecked(old.oauth)
        for rows, values in ((self.env, old.env), (self.headers, old.headers)):
            for key, value in values.items():
                if isinstance(value, Secret):
                    rows.add_row().set_kept_secret(key)
                else:
                    rows.add_row(key, value)

    @Slot(bool)
    def on_remote_toggled(self, remote: bool) -> None:
        self.pages.setCurrentIndex(1 if remote else 0)

    def form(self) -> ServerForm:
        return ServerForm(
            name=self.name.text(),
            remote=self.remote.isChecked(),
            command=self.command.text(),
            arguments=self.arguments.toPlainText(),
            env=self.env.values(),
            url=self.url.text(),
            headers=self.headers.values(),
            oauth=self.oauth.isChecked(),
        )

    @Slot()
    def on_save(self) -> None:
        try:
            server, secrets = build_server(self.form(), self._taken, self._old)
        except FormProblem as problem:
            self.problem.setText(problem.message)
            field = {"name": self.name, "command": self.command, "url": self.url}.get(problem.where)
            rows = {"env": self.env, "headers": self.headers}.get(problem.where)
            if field is not None:
                field.setFocus()
            elif rows is not None and rows.rows:
                rows.rows[0].name.setFocus()
            return
        self.problem.setText(self.tr("Saving…"))
        self.buttons.setEnabled(False)
        self.tasks.spawn(self._store(server, secrets), finish=True)

    async def _store(self, server: ServerConfig, secrets: dict[tuple[str, str], str]) -> None:
        try:
            await self._save(server, secrets)
        except Exception as error:  # the file or the keychain: said, and the form stays
            self.problem.setText(self.tr("Could not save: %1").replace("%1", str(error)))
            self.buttons.setEnabled(True)
            return
        self.accept()


def _page(form: QFormLayout, title: str, rows: ValueRows) -> QWidget:
    """One kind's fields, then its names and values, packed at the top."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(form)
    layout.addWidget(QLabel(title))
    layout.addWidget(rows)
    layout.addStretch(1)
    return page
