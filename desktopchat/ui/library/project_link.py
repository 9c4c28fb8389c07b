"""Projects joined to the window: the projects section in the sidebar, its settings
dialog, the conversation list shown for the chosen project (read again, a page at a time,
for it), "Move to project ▸" in the list's menu (for one conversation or a selection) and
drops onto a project, and "New chat in project".

It gets the few collaborators it uses (the sidebar, the service, the window's task owner
and three callbacks), never the window.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktopchat.domain.presets import ProviderPreset
from desktopchat.domain.projects import Project
from desktopchat.services.projects import ProjectService
from desktopchat.ui.library.project_dialog import ProjectDialog
from desktopchat.ui.library.projects_panel import ProjectsPanel
from desktopchat.ui.sidebar.sidebar import Sidebar
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import ask_to_delete


class ProjectLink(QObject):
    """See the module docstring."""

    def __init__(
        self,
        parent: QWidget,
        service: ProjectService,
        sidebar: Sidebar,
        tasks: Tasks,
        open_conversation: Callable[[int], object],
        reload_conversations: Callable[[], Coroutine[object, object, None]],
        presets: Callable[[], list[ProviderPreset]],
        current_choice: Callable[[], tuple[str | None, str | None, float | None]],
    ) -> None:
        """`current_choice()`: the window's provider, model and temperature, which a new
        conversation takes where its project sets none."""
        super().__init__(parent)
        self._parent = parent
        self.service = service
        self._sidebar = sidebar
        self._tasks = tasks
        self._open = open_conversation
        self._reload = reload_conversations
        self._presets = presets
        self._current_choice = current_choice
        self._projects: dict[int, Project] = {}
        self.dialog: ProjectDialog | None = None
        self.panel = ProjectsPanel(sidebar)
        sidebar.add_section(self.panel)
        sidebar.list_actions.menu_extensions.append(self.extend_menu)
        panel = self.panel
        panel.project_chosen.connect(self.on_panel_project_chosen)
        panel.create_requested.connect(self.on_panel_create_requested)
        panel.new_chat_requested.connect(self.on_panel_new_chat_requested)
        panel.settings_requested.connect(self.open_settings)
        panel.rename_requested.connect(self.on_panel_rename_requested)
        panel.delete_requested.connect(self.on_panel_delete_requested)
        panel.conversation_dropped.connect(self.move)

    async def load(self) -> None:
        """Read the projects and show them (each time the list is read, and after a
        change); the chosen one gone (deleted here or by sync), the list shows all."""
        projects = await self.service.projects()
        self._projects = {p.id: p for p in projects}
        self.panel.set_projects(projects, self.panel.chosen())
        if self.panel.chosen() != self._sidebar.project():
            self.on_panel_project_chosen(self.panel.chosen())
        else:
            self._scope(self.panel.chosen())  # its name may have changed

    def chosen_project(self) -> Project | None:
        """The project chosen in the section (None: all conversations are shown)."""
        chosen = self.panel.chosen()
        return None if chosen is None else self._projects.get(chosen)

    def on_panel_project_chosen(self, project_id: int | None) -> None:
        """Show only the project's conversations (all for None), read again for it."""
        self._scope(project_id)
        self._tasks.spawn(self._reload())

    def _scope(self, project_id: int | None) -> None:
        """The sidebar's list and search to the project (None: everything)."""
        project = None if project_id is None else self._projects.get(project_id)
        self._sidebar.set_project(project_id, "" if project is None else project.name)

    def on_panel_create_requested(self) -> None:
        self._tasks.spawn(self._create(), finish=True)

    async def _create(self) -> None:
        project = await self.service.create(self.tr("New project"))
        await self.load()
        self.panel.choose(project.id)
        self.open_settings(project.id)

    def on_panel_new_chat_requested(self, project_id: int) -> None:
        project = self._projects.get(project_id)
        if project is not None:
            self._tasks.spawn(self._new_chat(project), finish=True)

    async def _new_chat(self, project: Project) -> None:
        provider, model, temperature = self._current_choice()
        conversation = await self.service.start_conversation(
            project, provider=provider, model=model, temperature=temperature
        )
        self.panel.choose(project.id)
        self._open(conversation.id)

    def open_settings(self, project_id: int) -> None:
        project = self._projects.get(project_id)
        if project is None:
            return
        if self.dialog is not None:
            self.dialog.close()
        dialog = ProjectDialog(project, self.service, self._presets(), self._parent)
        self._tasks.adopt(dialog.tasks)
        dialog.saved.connect(lambda _saved: self._tasks.spawn(self.load()))
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def on_panel_rename_requested(self, project_id: int, name: str) -> None:
        project = self._projects.get(project_id)
        if project is not None:
            self._tasks.spawn(self._saved(replace(project, name=name)), finish=True)

    async def _saved(self, project: Project) -> None:
        await self.service.save(project)
        await self.load()

    def on_panel_delete_requested(self, project_id: int) -> None:
        """Ask first; the conversations stay, moved out of the project."""
        project = self._projects.get(project_id)
        if project is None:
            return
        ask_to_delete(
            self._parent,
            self.tr("Delete project"),
            self.tr(
                "Delete the project “{name}” and its files? Its conversations are kept,"
                " outside any project."
            ).format(name=project.name),
            self.tr("Delete"),
            lambda: self._tasks.spawn(self._delete(project_id), finish=True),
            "deleteProjectQuestion",
        )

    async def _delete(self, project_id: int) -> None:
        await self.service.delete(project_id)

    def extend_menu(self, menu: QMenu, conversation_ids: list[int]) -> None:
        """ "Move to project ▸" with every project, and "Remove from project", for the
        conversations the menu acts on (the row right-clicked, or the selection)."""
        if not conversation_ids:
            return
        current = {self._sidebar.project_of(cid) for cid in conversation_ids}
        menu.addSeparator()
        submenu = menu.addMenu(self.tr("Move to project"))
        submenu.setObjectName("moveToProjectMenu")
        for project in self._projects.values():
            action = QAction(project.name.replace("&", "&&"), submenu)  # & is not a mnemonic
            here = current == {project.id}
            action.setCheckable(True)
            action.setChecked(here)
            action.setEnabled(not here)
            action.triggered.connect(
                lambda _checked=False, p=project.id: self.move(conversation_ids, p)
            )
            submenu.addAction(action)
        new = QAction(self.tr("New project…"), submenu)
        new.triggered.connect(lambda: self._tasks.spawn(self._move_to_new(conversation_ids)))
        submenu.addSeparator()
        submenu.addAction(new)
        if current & self._projects.keys():
            remove = QAction(self.tr("Remove from project"), menu)
            remove.triggered.connect(lambda: self.move(conversation_ids, None))
            menu.addAction(remove)

    async def _move_to_new(self, conversation_ids: list[int]) -> None:
        project = await self.service.create(self.tr("New project"))
        await self.load()
        self.move(conversation_ids, project.id)
        self.panel.rename(project.id)

    def move(self, conversation_ids: list[int], project_id: int | None) -> None:
        for conversation_id in conversation_ids:
            self.service.move(conversation_id, project_id)
