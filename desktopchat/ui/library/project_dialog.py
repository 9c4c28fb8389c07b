"""A project's settings: its name, the defaults a new conversation in it takes (system
prompt, provider and model, temperature, tools) and its files, added and removed here.

Changes to the defaults are saved with Save (they apply to conversations started from
then on); files are added and removed at once, each read and checked off the loop by the
service, with what was refused said in the person's words. File names are shown as
plain item text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.projects import Project, ProjectFile
from desktopchat.services.attachments import AttachmentProblem
from desktopchat.services.projects import FileRefusal, ProjectFileRefused, ProjectService
from desktopchat.ui.composer.attachment_chip import problem_text
from desktopchat.ui.library.project_uses import ProjectWords
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.file_dialogs import documents_folder
from desktopchat.ui.support.plain import PlainLabel
from desktopchat.ui.support.units import data_size

NO_TEMPERATURE = -0.1
"""The spin box's lowest value, shown as "Model default"."""


def refusal_text(refusal: FileRefusal) -> str:
    texts = {
        FileRefusal.IMAGE: QCoreApplication.translate(
            "ProjectDialog", "an image: project files are sent as text (text files, PDF)"
        ),
        FileRefusal.NO_TEXT: QCoreApplication.translate(
            "ProjectDialog", "no text found (a scanned PDF?)"
        ),
        FileRefusal.TOO_MANY: QCoreApplication.translate(
            "ProjectDialog", "the project has as many files as it may hold"
        ),
        FileRefusal.PROJECT_FULL: QCoreApplication.translate(
            "ProjectDialog", "the project's files would hold too much text together"
        ),
    }
    return texts[refusal]


class ProjectDialog(QDialog):
    """See the module docstring. `saved` carries the project as stored."""

    saved = Signal(object)
    files_changed = Signal(object)  # project id

    def __init__(
        self,
        project: Project,
        service: ProjectService,
        presets: list[ProviderPreset],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("projectDialog")
        self.setWindowTitle(self.tr("Project settings"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(620, 600)
        self.tasks = Tasks()
        self._project = project
        self._service = service

        self.name = QLineEdit(project.name, self)
        self.name.setObjectName("projectName")
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("projectSystemPrompt")
        self.prompt.setPlainText(project.system_prompt)
        self.prompt.setPlaceholderText(self.tr("Instructions every conversation here starts with"))
        self.provider = QComboBox(self)
        self.provider.setObjectName("projectProvider")
        self.provider.addItem(self.tr("As the window is set"), None)
        for preset in presets:
            self.provider.addItem(preset.name, preset.id)
        self.provider.setCurrentIndex(max(0, self.provider.findData(project.provider)))
        self.model = QLineEdit(project.model or "", self)
        self.model.setObjectName("projectModel")
        self.model.setPlaceholderText(self.tr("Model id, e.g. gpt-4o-mini"))
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setObjectName("projectTemperature")
        self.temperature.setRange(NO_TEMPERATURE, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(1)
        self.temperature.setSpecialValueText(self.tr("Model default"))
        self.temperature.setValue(
            NO_TEMPERATURE if project.temperature is None else project.temperature
        )
        self.tools = QCheckBox(self.tr("Tools on in new conversations"), self)
        self.tools.setObjectName("projectTools")
        self.tools.setChecked(project.tools)

        self.files = QTreeWidget(self)
        self.files.setObjectName("projectFiles")
        self.files.setAccessibleName(self.tr("Project files"))
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Text")])
        self.files.setRootIsDecorated(False)
        self.files.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("Add files…"), self)
        self.add_button.setObjectName("addProjectFiles")
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeProjectFile")
        self.status = PlainLabel("", self)
        self.status.setObjectName("projectFilesStatus")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("System prompt"), self.prompt)
        form.addRow(self.tr("Provider"), self.provider)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow("", self.tools)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.add_button)
        file_buttons.addWidget(self.remove_button)
        file_buttons.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(PlainLabel(self.tr("Files"), self))
        layout.addWidget(self.files, 1)
        layout.addLayout(file_buttons)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        buttons.accepted.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.on_add_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.files.currentItemChanged.connect(lambda *_: self._enable())
        self.finished.connect(lambda _result: self.tasks.cancel())
        self._enable()
        self.tasks.spawn(self._load_files())

    def edited(self) -> Project:
        """The project as the form says."""
        temperature = self.temperature.value()
        return replace(
            self._project,
            name=self.name.text(),
            system_prompt=self.prompt.toPlainText(),
            provider=self.provider.currentData(),
            model=self.model.text().strip() or None,
            temperature=None if temperature <= NO_TEMPERATURE / 2 else round(temperature, 2),
            tools=self.tools.isChecked(),
        )

    def on_save(self) -> None:
        self.tasks.spawn(self._save(), finish=True)

    async def _save(self) -> None:
        saved = await self._service.save(self.edited())
        self.saved.emit(saved)
        self.accept()

    def on_add_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Add files to the project"), str(documents_folder()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda paths: self.add_paths([Path(p) for p in paths]))
        dialog.open()

    def add_paths(self, paths: list[Path]) -> None:
        self.tasks.spawn(self._add(paths), finish=True)

    async def _add(self, paths: list[Path]) -> None:
        self.add_button.setEnabled(False)
        refused = []
        try:
            for index, path in enumerate(paths, 1):
                self.status.setText(
                    self.tr("Reading {name} ({index} of {count})…").format(
                        name=path.name, index=index, count=len(paths)
                    )
                )
                try:
                    await self._service.add_file(self._project.id, path)
                except ProjectFileRefused as err:
                    refused.append(f"{err.name}: {refusal_text(err.refusal)}")
                except AttachmentProblem as err:
                    refused.append(f"{path.name}: {problem_text(err, err.size or 0)}")
        finally:
            self.add_button.setEnabled(True)
        self.status.setText(
            self.tr("Not added: {files}").format(files="; ".join(refused)) if refused else ""
        )
        await self._load_files()
        self.files_changed.emit(self._project.id)

    def on_remove_clicked(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            self.tasks.spawn(self._remove(item.data(0, Qt.ItemDataRole.UserRole)), finish=True)

    async def _remove(self, file_id: int) -> None:
        await self._service.remove_file(self._project.id, file_id)
        await self._load_files()
        self.files_changed.emit(self._project.id)

    async def _load_files(self) -> None:
        self._show_files(await self._service.files(self._project.id))

    def _show_files(self, files: list[ProjectFile]) -> None:
        self.files.clear()
        for file in files:
            chars = ProjectWords().characters(file.chars)
            item = QTreeWidgetItem([file.name, data_size(file.size), chars])
            item.setData(0, Qt.ItemDataRole.UserRole, file.id)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            self.files.addTopLevelItem(item)
        self._enable()

    def _enable(self) -> None:
        self.remove_button.setEnabled(self.files.currentItem() is not None)
