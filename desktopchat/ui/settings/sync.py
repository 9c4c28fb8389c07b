"""The Sync tab of the Settings dialog: where this history syncs (off, a folder, a WebDAV
server), its passphrase, when it syncs by itself, and how the last sync went.

The place and secrets act through "Save and sync", like keys (the WebDAV password and the
passphrase go to the keychain, never to a file); a typed passphrase is kept only once a
sync has opened the sync folder with it, so a wrong one changes nothing. "When" applies at
once. The sync itself runs in the window's SyncLink (ui/window/sync_link.py), so closing
the dialog does not stop it; the tab follows it (n of N files, Stop).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QDateTime, QLocale
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.file_dialogs import ask_folder
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.window.sync_words import (
    brought_words,
    problem_words,
    sent_words,
    when_words,
)

if TYPE_CHECKING:
    from desktopchat.services.sync.service import SyncOptions, SyncSetup
    from desktopchat.ui.window.sync_link import SyncLink

MINUTES_RANGE = (1, 24 * 60)
_W = TypeVar("_W", bound=QWidget)


def _named(widget: _W, name: str) -> _W:
    widget.setObjectName(name)
    return widget


class SyncTab(QWidget):
    def __init__(self, link: SyncLink) -> None:
        super().__init__()
        self.setObjectName("syncTab")
        self._link = link
        self._loading = False
        """Showing what is stored: the When boxes' changes are not saves."""
        self.tasks = Tasks()
        self._build_place()
        self._build_passphrase()
        self._build_when()
        self._build_status()
        layout = QVBoxLayout(self)
        for box in (self.place_box, self.passphrase_box, self.when_box, self.status_box):
            layout.addWidget(box)
        layout.addStretch(1)
        self._connect_signals()
        self._show_kind()
        self.tasks.spawn(self._load())

    # Building.

    def _build_place(self) -> None:
        self.place_box = QGroupBox(self.tr("Where this history syncs"))
        self.off = _named(QRadioButton(self.tr("&Off")), "syncOff")
        self.folder = _named(QRadioButton(self.tr("A &folder")), "syncFolder")
        self.webdav = _named(QRadioButton(self.tr("A &WebDAV server")), "syncWebdav")
        self.kinds = QButtonGroup(self)
        for button in (self.off, self.folder, self.webdav):
            self.kinds.addButton(button)
        self.off.setChecked(True)
        kinds = QHBoxLayout()
        for button in (self.off, self.folder, self.webdav):
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.folder_path = _named(QLineEdit(), "syncFolderPath")
        self.folder_path.setPlaceholderText(
            self.tr("A folder Syncthing, Dropbox or Nextcloud carries, or a shared drive")
        )
        self.choose = _named(QPushButton(self.tr("&Choose…")), "syncChoose")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_path, 1)
        folder_row.addWidget(self.choose)
        self.url = _named(QLineEdit(), "syncUrl")
        self.url.setPlaceholderText("https://cloud.example.org/remote.php/dav/files/me/")
        self.user = _named(QLineEdit(), "syncUser")
        self.password = _named(QLineEdit(), "syncPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        folder_label = QLabel(self.tr("Fo&lder:"))
        folder_label.setBuddy(self.folder_path)
        self.form.addRow(folder_label, folder_row)
        self.form.addRow(self.tr("&Address:"), self.url)
        self.form.addRow(self.tr("&User:"), self.user)
        self.form.addRow(self.tr("Password o&r app token:"), self.password)
        box = QVBoxLayout(self.place_box)
        box.addLayout(kinds)
        box.addLayout(self.form)

    def _build_passphrase(self) -> None:
        self.passphrase_box = QGroupBox(self.tr("Passphrase"))
        self.passphrase = _named(QLineEdit(), "syncPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.joining = _named(
            QRadioButton(self.tr("This computer &joins an existing sync")), "syncJoin"
        )
        self.starting = _named(QRadioButton(self.tr("Start a n&ew sync")), "syncStart")
        self.joining.setChecked(True)
        which = QButtonGroup(self)
        which.addButton(self.joining)
        which.addButton(self.starting)
        note = PlainLabel(
            self.tr(
                "The same passphrase on every computer: everything synced is encrypted with "
                "it. It is kept in this computer's keychain only, never in the sync folder; "
                "without it the synced history cannot be read."
            )
        )
        note.setWordWrap(True)
        self.save = _named(QPushButton(self.tr("Save an&d sync")), "syncSave")
        row = QHBoxLayout()
        row.addWidget(self.joining)
        row.addWidget(self.starting)
        row.addStretch(1)
        row.addWidget(self.save)
        form = QFormLayout(self.passphrase_box)
        form.addRow(self.tr("Passp&hrase:"), self.passphrase)
        form.addRow(row)
        form.addRow(note)

    def _build_when(self) -> None:
        self.when_box = QGroupBox(self.tr("When"))
        self.at_start = _named(QCheckBox(self.tr("Sync at start")), "syncAtStart")
        self.every = _named(QCheckBox(self.tr("E&very")), "syncEvery")
        self.minutes = _named(QSpinBox(), "syncMinutes")
        self.minutes.setRange(*MINUTES_RANGE)
        self.minutes.setValue(5)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setAccessibleName(self.tr("Minutes between syncs"))
        self.at_quit = _named(QCheckBox(self.tr("Sync at &quit")), "syncAtQuit")
        row = QHBoxLayout(self.when_box)
        for widget in (self.at_start, self.every, self.minutes, self.at_quit):
            row.addWidget(widget)
        row.addStretch(1)

    def _build_status(self) -> None:
        self.status_box = QGroupBox(self.tr("Last sync"))
        self.last = PlainLabel(objectName="syncLast")
        self.last.setWordWrap(True)
        self.problem = PlainLabel(objectName="syncProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d13438;")
        self.progress = _named(QProgressBar(), "syncProgress")
        self.progress.hide()
        self.stop = _named(QPushButton(self.tr("Stop")), "syncStop")
        self.stop.hide()
        self.sync_now = _named(QPushButton(self.tr("Sync &now")), "syncNow")
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop)
        row.addStretch(0)
        row.addWidget(self.sync_now)
        box = QVBoxLayout(self.status_box)
        box.addWidget(self.last)
        box.addWidget(self.problem)
        box.addLayout(row)

    def _connect_signals(self) -> None:
        self.kinds.buttonToggled.connect(self._show_kind)
        self.choose.clicked.connect(lambda: self.tasks.spawn(self._choose_folder()))
        self.save.clicked.connect(lambda: self.tasks.spawn(self._save(), finish=True))
        self.sync_now.clicked.connect(lambda: self._link.sync_now())
        self.stop.clicked.connect(self._link.stop)
        for check in (self.at_start, self.every, self.at_quit):
            check.toggled.connect(self._options_changed)
        self.minutes.valueChanged.connect(self._options_changed)
        self._link.started.connect(self._on_link_started)
        self._link.files_read.connect(self._on_link_files_read)
        self._link.finished.connect(self._show_outcome)
        self._link.setup_changed.connect(self._show_setup)

    # Showing.

    async def _load(self) -> None:
        setup = await self._link.service().setup()
        self._show_setup(setup)
        if await self._link.service().has_passphrase():
            self.passphrase.setPlaceholderText(self.tr("Already set; type to change"))
        if self._link.running:
            self._on_link_started()
        self._show_outcome()

    def _show_setup(self, setup: SyncSetup) -> None:
        target = setup.target
        self._loading = True
        try:
            if target is None:
                self.off.setChecked(True)
            elif target.kind == "folder":
                self.folder.setChecked(True)
                self.folder_path.setText(target.location)
            else:
                self.webdav.setChecked(True)
                self.url.setText(target.location)
                self.user.setText(target.user or "")
                self.password.setPlaceholderText(self.tr("Kept in the keychain"))
            if target is not None:
                self.joining.setChecked(True)
            options = setup.options
            self.at_start.setChecked(options.at_start)
            self.every.setChecked(options.every_minutes > 0)
            if options.every_minutes > 0:
                self.minutes.setValue(options.every_minutes)
            self.at_quit.setChecked(options.at_quit)
        finally:
            self._loading = False
        self._show_kind()
        self._show_outcome()

    def _show_kind(self) -> None:
        folder, webdav = self.folder.isChecked(), self.webdav.isChecked()
        for widget in (self.folder_path, self.choose):
            widget.setEnabled(folder)
        for widget in (self.url, self.user, self.password):
            widget.setEnabled(webdav)
        for part in (self.passphrase, self.joining, self.starting):
            part.setEnabled(folder or webdav)

    def _show_outcome(self) -> None:
        link = self._link
        running = link.running
        self.sync_now.setEnabled(not running and self._has_target())
        self.progress.setVisible(running and self.progress.maximum() > 0)
        self.stop.setVisible(running)
        if not running:
            self.progress.setRange(0, 0)
        last = link.last
        if last is None:
            self.last.setText(self.tr("No successful sync yet."))
        else:
            moment = QDateTime.fromSecsSinceEpoch(int(last.finished))
            when = QLocale().toString(moment, QLocale.FormatType.ShortFormat)
            text = (
                self.tr("Last successful sync: %1 (%2)")
                .replace("%1", when)
                .replace("%2", when_words(last.finished))
            )
            if last.report is not None:
                text += "\n" + self.tr("It brought %1; it sent %2.").replace(
                    "%1", brought_words(last.report)
                ).replace("%2", sent_words(last.report))
            self.last.setText(text)
        self._say(link.problem)

    def _has_target(self) -> bool:
        setup = self._link.setup
        return setup is not None and setup.target is not None

    def _on_link_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Syncing…"))
        self.progress.show()
        self.stop.show()
        self.sync_now.setEnabled(False)

    def _on_link_files_read(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(
            self.tr("%1 of %2 files")
            .replace("%1", QLocale().toString(done))
            .replace("%2", QLocale().toString(total))
        )
        self.progress.show()

    # Acting.

    async def _choose_folder(self) -> None:
        start = Path(self.folder_path.text().strip() or Path.home()).expanduser()
        chosen = await ask_folder(self, self.tr("Sync folder"), start)
        if chosen:
            self.folder_path.setText(chosen)

    def _options(self) -> SyncOptions:
        from desktopchat.services.sync.service import SyncOptions

        minutes = self.minutes.value() if self.every.isChecked() else 0
        return SyncOptions(self.at_start.isChecked(), minutes, self.at_quit.isChecked())

    def _options_changed(self) -> None:
        self.minutes.setEnabled(self.every.isChecked())
        if not self._loading:
            self.tasks.spawn(self._save_options(), finish=True)

    async def _save_options(self) -> None:
        await self._link.service().set_options(self._options())
        await self._link.reload()

    async def _save(self) -> None:
        """Keep the place (and the WebDAV password in the keychain), then sync with the
        typed passphrase; it is kept once the sync folder opened with it."""
        from desktopchat.services.sync.service import problem_kind
        from desktopchat.services.sync.target import SyncTarget

        service = self._link.service()
        self._say("")
        if self.off.isChecked():
            await service.stop_syncing()
            await self._link.reload()
            self._say(self.tr("Sync is off. What was synced stays in this history."), error=False)
            return
        try:
            if self.folder.isChecked():
                path = self.folder_path.text().strip()
                if not path:
                    self._say(self.tr("Choose the folder to sync with."))
                    return
                target = SyncTarget.folder(Path(path))
            else:
                url, user = self.url.text().strip(), self.user.text().strip()
                if not url.startswith(("https://", "http://")) or not user:
                    self._say(problem_words("address", ""))
                    return
                target = SyncTarget.webdav(url, user)
            passphrase = self.passphrase.text()
            if not passphrase and not await service.has_passphrase():
                self._say(self.tr("Type the sync passphrase."))
                return
            if self.webdav.isChecked() and self.password.text():
                await service.keep_password(target, self.password.text())
                self.password.clear()
                self.password.setPlaceholderText(self.tr("Kept in the keychain"))
            await service.set_target(target, self.joining.isChecked())
        except Exception as error:  # a refused address, a keychain that cannot be used
            self._say(problem_words(problem_kind(error), str(error)))
            return
        self.passphrase.clear()
        await self._link.reload()
        self._link.sync_now(passphrase or None)

    def _say(self, text: str, *, error: bool = True) -> None:
        self.problem.setStyleSheet("color: #d13438;" if error else "")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
