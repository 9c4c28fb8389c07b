"""Settings → Tools: the MCP servers of mcp.json with their state and last stderr lines,
enable/disable, restart, remove, import (from Claude Desktop, Cursor, LM Studio found here,
or pasted text), and the allow rules with a way to revoke each.

Everything a server says (its name, message, stderr) is shown as plain text only (R6, R10).
The service does the work off the loop; this tab only asks and shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.tools import ServerState, ServerStatus
from desktopchat.services.tool_rules import AllowRule
from desktopchat.services.tools import ToolService
from desktopchat.system.mcp_config import ServerConfig
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel, plain_tooltip

NAME_ROLE = Qt.ItemDataRole.UserRole


class ToolsTab(QWidget):
    def __init__(self, service: ToolService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolsTab")
        self.service = service
        self.tasks = Tasks()
        self.servers = QListWidget()
        self.servers.setObjectName("toolServers")
        self.servers.setAccessibleName(self.tr("MCP servers"))
        self.message = PlainLabel()
        self.message.setObjectName("toolServerMessage")
        self.message.setWordWrap(True)
        self.stderr = QPlainTextEdit()
        self.stderr.setObjectName("toolServerStderr")
        self.stderr.setAccessibleName(self.tr("The server's last messages"))
        self.stderr.setReadOnly(True)
        self.stderr.setMaximumBlockCount(60)
        self.add = QPushButton(self.tr("A&dd…"))
        self.add.setObjectName("toolServerAdd")
        self.edit = QPushButton(self.tr("Ed&it…"))
        self.edit.setObjectName("toolServerEdit")
        self.enable = QPushButton(self.tr("&Enable"))
        self.enable.setObjectName("toolServerEnable")
        self.restart = QPushButton(self.tr("&Restart"))
        self.restart.setObjectName("toolServerRestart")
        self.remove = QPushButton(self.tr("Re&move"))
        self.remove.setObjectName("toolServerRemove")
        self.sign = QPushButton()
        self.sign.setObjectName("toolServerSignIn")
        self.imports = QHBoxLayout()
        self.paste = QPlainTextEdit()
        self.paste.setObjectName("toolServersPaste")
        self.paste.setPlaceholderText(
            self.tr('Paste servers in the mcp.json format: {"mcpServers": …}')
        )
        self.paste.setMaximumHeight(80)
        self.add_pasted = QPushButton(self.tr("&Add pasted servers"))
        self.add_pasted.setObjectName("toolServersAddPasted")
        self.report = PlainLabel()
        self.report.setObjectName("toolImportReport")
        self.report.setWordWrap(True)
        self.rules = QListWidget()
        self.rules.setObjectName("toolRules")
        self.rules.setAccessibleName(self.tr("Tools allowed without asking"))
        self.revoke = QPushButton(self.tr("Re&voke"))
        self.revoke.setObjectName("toolRuleRevoke")

        buttons = QHBoxLayout()
        for button in (self.add, self.edit, self.enable, self.restart, self.remove, self.sign):
            buttons.addWidget(button)
        buttons.addStretch(1)
        pasted = QHBoxLayout()
        pasted.addWidget(self.paste, 1)
        pasted.addWidget(self.add_pasted)
        layout = QVBoxLayout(self)
        layout.addWidget(self.servers, 2)
        layout.addWidget(self.message)
        layout.addWidget(self.stderr, 1)
        layout.addLayout(buttons)
        layout.addLayout(self.imports)
        layout.addLayout(pasted)
        layout.addWidget(self.report)
        layout.addWidget(QLabel(self.tr("Tools allowed without asking:")))
        layout.addWidget(self.rules, 1)
        rule_buttons = QHBoxLayout()
        rule_buttons.addStretch(1)
        rule_buttons.addWidget(self.revoke)
        layout.addLayout(rule_buttons)

        self._rule_list: list[AllowRule] = []
        self.form: QWidget | None = None
        """The add/edit dialog last opened (tests reach it here)."""
        unsubscribe = service.subscribe(self.refresh)
        stop_sign_ins = service.sign_ins.subscribe(lambda *_: self._show_selected())
        self.destroyed.connect(lambda *_: (unsubscribe(), stop_sign_ins()))
        self.servers.currentRowChanged.connect(self.on_servers_current_row_changed)
        self.add.clicked.connect(self.on_add_clicked)
        self.edit.clicked.connect(self.on_edit_clicked)
        self.servers.itemActivated.connect(self.on_edit_clicked)
        self.enable.clicked.connect(self.on_enable_clicked)
        self.sign.clicked.connect(self.on_sign_clicked)
        self.restart.clicked.connect(self.on_restart_clicked)
        self.remove.clicked.connect(self.on_remove_clicked)
        self.add_pasted.clicked.connect(self.on_add_pasted_clicked)
        self.revoke.clicked.connect(self.on_revoke_clicked)
        self.refresh()
        self.tasks.spawn(self._offer_other_apps())

    def _words(self, status: ServerStatus) -> str:
        return {
            ServerStatus.STARTING: self.tr("starting"),
            ServerStatus.RUNNING: self.tr("running"),
            ServerStatus.FAILED: self.tr("failed"),
            ServerStatus.STOPPED: self.tr("stopped"),
            ServerStatus.DISABLED: self.tr("disabled"),
        }[status]

    def selected(self) -> ServerState | None:
        item = self.servers.currentItem()
        if item is None:
            return None
        name = item.data(NAME_ROLE)
        return next((s for s in self.service.states() if s.name == name), None)

    @Slot()
    def refresh(self) -> None:
        """Show the service's states and rules as they are now."""
        chosen = self.selected()
        self.servers.blockSignals(True)
        self.servers.clear()
        for state in self.service.states():
            text = f"{state.name} — {self._words(state.status)}"
            if state.status is ServerStatus.RUNNING:
                text += " " + self.tr("(%n tool(s))", "", state.tool_count)
            item = QListWidgetItem(text)
            item.setData(NAME_ROLE, state.name)
            self.servers.addItem(item)
            if chosen is not None and chosen.name == state.name:
                self.servers.setCurrentItem(item)
        self.servers.blockSignals(False)
        if self.servers.currentItem() is None and self.servers.count():
            self.servers.setCurrentRow(0)
        self._show_selected()
        self._rule_list = self.service.rules()
        self.rules.clear()
        for rule in self._rule_list:
            where = (
                self.tr("always") if rule.conversation is None else self.tr("in one conversation")
            )
            self.rules.addItem(f"{rule.server} · {rule.tool} — {where}")

    def _show_selected(self) -> None:
        state = self.selected()
        self.message.setText(state.message if state is not None else "")
        self.stderr.setPlainText("\n".join(state.stderr_tail) if state is not None else "")
        usable = state is not None and state.problem != "config"
        disabled = state is not None and state.status is ServerStatus.DISABLED
        self.enable.setEnabled(usable)
        self.edit.setEnabled(usable)
        self.remove.setEnabled(usable)
        self.restart.setEnabled(usable and not disabled)  # a broken config cannot start
        self.enable.setText(self.tr("&Enable") if disabled else self.tr("&Disable"))
        self._show_sign_in(state)
        if state is not None and state.status is not ServerStatus.DISABLED:
            self.tasks.spawn(self._show_live(state.name))

    def _show_sign_in(self, state: ServerState | None) -> None:
        """Sign in / Cancel sign-in / Sign out, for a server that signs in with OAuth."""
        server = self.service.config.server(state.name) if state is not None else None
        self.sign.setVisible(server is not None and server.oauth and not server.disabled)
        if server is None or state is None:
            return
        if server.name in self.service.sign_ins.waiting:
            self.message.setText(self.tr("Waiting for sign-in in your browser…"))
            self.sign.setText(self.tr("&Cancel sign-in"))
        elif state.status is ServerStatus.RUNNING:
            self.sign.setText(self.tr("Sign &out"))
        else:
            self.sign.setText(self.tr("Sign &in"))

    @Slot()
    def on_sign_clicked(self) -> None:
        state = self.selected()
        if state is None:
            return
        if state.name in self.service.sign_ins.waiting:
            self.tasks.spawn(self.service.cancel_sign_in(state.name))
        elif state.status is ServerStatus.RUNNING:
            self.tasks.spawn(self.service.sign_out(state.name), finish=True)
        else:
            self.tasks.spawn(self.service.restart(state.name))

    def choose(self, name: str) -> None:
        """Select this server (a notice's "Open Settings → Tools")."""
        for row in range(self.servers.count()):
            if self.servers.item(row).data(NAME_ROLE) == name:
                self.servers.setCurrentRow(row)
        self.servers.setFocus()

    @Slot()
    def on_add_clicked(self) -> None:
        self._open_form(None)

    @Slot()
    def on_edit_clicked(self) -> None:
        state = self.selected()
        server = self.service.config.server(state.name) if state is not None else None
        if server is not None:
            self._open_form(server)

    def _open_form(self, old: ServerConfig | None) -> None:
        from desktopchat.ui.settings.server_dialog import ServerDialog

        taken = {s.name for s in self.service.states()} | self.service.config.names()
        if old is not None:
            taken.discard(old.name)
        dialog = ServerDialog(self.service.save_server, taken, old, self)
        self.tasks.adopt(dialog.tasks)
        dialog.accepted.connect(lambda: self.choose(dialog.name.text().strip()))
        dialog.finished.connect(dialog.deleteLater)
        self.form = dialog
        dialog.open()

    async def _show_live(self, name: str) -> None:
        live = await self.service.live_state(name)
        current = self.selected()
        if live is not None and current is not None and current.name == name:
            self.stderr.setPlainText("\n".join(live.stderr_tail))

    async def _offer_other_apps(self) -> None:
        for other in await self.service.other_apps():
            button = QPushButton(self.tr("Import from %1…").replace("%1", other.app))
            button.setObjectName("toolImport" + other.app.replace(" ", ""))
            button.setToolTip(plain_tooltip(str(other.path)))
            button.clicked.connect(lambda _=False, o=other: self.tasks.spawn(self._import(o)))
            self.imports.addWidget(button)
        self.imports.addStretch(1)

    async def _import(self, source: object) -> None:
        try:
            merged = await self.service.import_servers(source)  # type: ignore[arg-type]
        except Exception as error:  # the file or the keychain: said, not raised
            self.report.setText(self.tr("Could not import: %1").replace("%1", str(error)))
            return
        lines = []
        if merged.added:
            lines.append(self.tr("Added: %1").replace("%1", ", ".join(merged.added)))
        for old, new in merged.renamed:
            lines.append(
                self.tr("%1 was already there: added as %2").replace("%1", old).replace("%2", new)
            )
        if merged.skipped:
            lines.append(self.tr("Already there: %1").replace("%1", ", ".join(merged.skipped)))
        lines.extend(merged.problems)
        self.report.setText("\n".join(lines) or self.tr("No server found."))

    @Slot(int)
    def on_servers_current_row_changed(self, _row: int) -> None:
        self._show_selected()

    @Slot()
    def on_enable_clicked(self) -> None:
        state = self.selected()
        if state is not None:
            enabled = state.status is ServerStatus.DISABLED
            self.tasks.spawn(self.service.set_enabled(state.name, enabled), finish=True)

    @Slot()
    def on_restart_clicked(self) -> None:
        state = self.selected()
        if state is not None:
            self.tasks.spawn(self.service.restart(state.name))

    @Slot()
    def on_remove_clicked(self) -> None:
        state = self.selected()
        if state is not None:
            self.tasks.spawn(self.service.remove_server(state.name), finish=True)

    @Slot()
    def on_add_pasted_clicked(self) -> None:
        text = self.paste.toPlainText()
        if text.strip():
            self.tasks.spawn(self._import(text))

    @Slot()
    def on_revoke_clicked(self) -> None:
        row = self.rules.currentRow()
        if 0 <= row < len(self._rule_list):
            self.tasks.spawn(self.service.revoke(self._rule_list[row]), finish=True)
