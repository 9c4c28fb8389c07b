"""The Servers tab of the Settings dialog: where the local servers and Qwen live, and the
person's own OpenAI-compatible endpoints.

Addresses typed here are checked as they are typed, with the reason shown beside the field,
so a wrong URL is caught here rather than as a failed request later. An endpoint's optional
key is handed on to the Keys tab (and so to the keychain) and never kept in the preferences.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.domain.presets import get_preset, sends_key_in_clear, validate_base_url
from desktopchat.system.settings import CustomEndpoint, Preferences, new_endpoint_id
from desktopchat.ui.settings.key_row import KeyField
from desktopchat.ui.support.plain import PlainLabel, plain_message_box

LOCAL_SERVERS = ("lmstudio", "ollama")
QWEN = "qwen"
QWEN_CHINA_URL = "https://dashscope.aliyuncs.com/compatible-mode/v1"


# validate_base_url answers in English. Listing its sentences here lets pyside6-lupdate collect
# them, so url_problem() can say them in the person's language.
_URL_PROBLEMS = (
    QT_TRANSLATE_NOOP("validate_base_url", "The address must start with http:// or https://."),
    QT_TRANSLATE_NOOP("validate_base_url", "The address has no host name."),
    QT_TRANSLATE_NOOP("validate_base_url", "The address must not contain ? or #."),
)


def url_problem(url: str) -> str | None:
    """Why this base URL cannot be used, in the person's language; None if it can."""
    problem = validate_base_url(url)
    return QCoreApplication.translate("validate_base_url", problem) if problem else None


def _error_label() -> QLabel:
    label = PlainLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #d13438;")
    label.hide()
    return label


def _show_reason(label: QLabel, reason: str | None) -> None:
    label.setText(reason or "")
    label.setVisible(bool(reason))


class EndpointEditor(QDialog):
    """Asks for an endpoint's name, base URL and optional key; OK stays disabled until the
    name is given and the URL is usable, and the URL's problem is said beside it."""

    def __init__(
        self,
        endpoint: CustomEndpoint | None,
        parent: QWidget | None = None,
        *,
        keychain: bool = True,
    ) -> None:
        """`keychain`: whether keys can be saved in a keychain now (the hint says where the
        key goes)."""
        super().__init__(parent)
        self.setObjectName("endpointEditor")
        self.setWindowTitle(
            self.tr("Add endpoint") if endpoint is None else self.tr("Edit endpoint")
        )
        self.name_field = QLineEdit(endpoint.name if endpoint else "")
        self.name_field.setPlaceholderText(self.tr("My llama.cpp server"))
        self.url_field = QLineEdit(endpoint.base_url if endpoint else "")
        self.url_field.setPlaceholderText("http://localhost:8080/v1")
        self.url_error = _error_label()
        self.clear_text_warning = _error_label()
        self.clear_text_warning.setObjectName("clearTextWarning")
        self.clear_text_warning.setText(
            self.tr(
                "This address is on another computer and does not use https://: a key sent "
                "to it can be read by anyone on the network between."
            )
        )
        self.key_field = KeyField()
        self.key_field.setPlaceholderText(
            self.tr("Optional") if endpoint is None else self.tr("Leave empty to keep the key")
        )
        hint = PlainLabel(
            self.tr("The key is stored in the system keychain, never in a file.")
            if keychain
            else self.tr(
                "There is no keychain: the key is kept until DesktopChat quits, never in a file."
            )
        )
        hint.setObjectName("endpointKeyHint")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_field)
        form.addRow(self.tr("Base &URL:"), self.url_field)
        form.addRow("", self.url_error)
        form.addRow("", self.clear_text_warning)
        form.addRow(self.tr("API &key:"), self.key_field)
        form.addRow("", hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name_field.textChanged.connect(self._validate)
        self.url_field.textChanged.connect(self._validate)
        # A KeyField keeps Return to itself; here it means OK, as in the other fields.
        self.key_field.returnPressed.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).click
        )
        self.resize(460, self.sizeHint().height())
        self._validate()

    def endpoint_name(self) -> str:
        return self.name_field.text().strip()

    def base_url(self) -> str:
        return self.url_field.text().strip()

    def key(self) -> str:
        return self.key_field.key()

    def accept(self) -> None:
        """A key for a plain-http server on another machine goes only once the person has
        said yes, knowing why it is a risk."""
        if not (self.key() and sends_key_in_clear(self.base_url())):
            super().accept()
            return
        question = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Send the key unencrypted?"),
            self.tr(
                "{url} is not on this computer and does not use https://, so the key would "
                "travel unencrypted: anyone on the network between could read it and use "
                "it.\n\nUse an https:// address if the server offers one. Send the key "
                "over plain http anyway?"
            ).format(url=self.base_url()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setObjectName("clearTextKeyQuestion")
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.finished.connect(lambda result: self._on_clear_text_answered(question, result))
        question.open()

    def _on_clear_text_answered(self, question: QMessageBox, result: int) -> None:
        question.deleteLater()
        if result == QMessageBox.StandardButton.Yes:
            super().accept()

    def _validate(self) -> None:
        url = self.base_url()
        reason = url_problem(url) if url else None
        _show_reason(self.url_error, reason)
        self.clear_text_warning.setVisible(not reason and sends_key_in_clear(url))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.endpoint_name()) and bool(url) and not reason)


class UrlOverrideField(QWidget):
    """A built-in server's base URL: empty means the preset's default (shown as the
    placeholder), anything else must be a usable URL."""

    changed = Signal()

    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.field = QLineEdit()
        self.field.setPlaceholderText(get_preset(provider_id).base_url)
        self.field.setAccessibleName(
            self.tr("{name} base URL").format(name=get_preset(provider_id).name)
        )
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        self.field.textChanged.connect(self._on_text_changed)

    def url(self) -> str:
        return self.field.text().strip()

    def problem(self) -> str | None:
        url = self.url()
        return url_problem(url) if url else None

    def _on_text_changed(self, _text: str) -> None:
        _show_reason(self.error, self.problem())
        self.changed.emit()


class ServersTab(QWidget):
    """Local server addresses, Qwen's region and the custom endpoint list.

    Address edits wait for OK/Apply like every preference; endpoint additions, edits and
    removals act at once (they come with a key for the keychain), through the signals.
    """

    changed = Signal()
    endpoint_saved = Signal(object, str)  # CustomEndpoint, key typed ("" for none)
    endpoint_removed = Signal(str)  # endpoint id

    def __init__(self, prefs: Preferences, keychain: Callable[[], bool] = lambda: True) -> None:
        """`keychain()`: whether keys can be saved in a keychain now."""
        super().__init__()
        self._keychain = keychain
        self._endpoints: list[CustomEndpoint] = []
        self._editor: EndpointEditor | None = None

        local_box = QGroupBox(self.tr("Local servers"))
        local_form = QFormLayout(local_box)
        self._url_fields: list[UrlOverrideField] = []
        for provider_id, label in zip(
            LOCAL_SERVERS, (self.tr("&LM Studio:"), self.tr("Olla&ma:")), strict=True
        ):
            url_field = UrlOverrideField(provider_id)
            url_field.changed.connect(self.changed)
            local_form.addRow(label, url_field)
            local_form.labelForField(url_field).setBuddy(url_field.field)
            self._url_fields.append(url_field)
        local_form.addRow("", PlainLabel(self.tr("Leave empty to use the default address.")))

        self.qwen_region = QComboBox()
        self.qwen_region.addItem(self.tr("International (Singapore)"), "")
        self.qwen_region.addItem(self.tr("Mainland China (Beijing)"), QWEN_CHINA_URL)
        self.qwen_region.currentIndexChanged.connect(self.changed)
        qwen_box = QGroupBox(self.tr("Qwen (DashScope)"))
        qwen_form = QFormLayout(qwen_box)
        qwen_form.addRow(self.tr("&Region:"), self.qwen_region)
        qwen_form.addRow("", PlainLabel(self.tr("A DashScope key works only in its own region.")))

        endpoints_box = QGroupBox(self.tr("Your OpenAI-compatible endpoints"))
        self.endpoint_list = QListWidget()
        self.endpoint_list.setObjectName("endpointList")
        self.endpoint_list.setAccessibleName(self.tr("Custom endpoints"))
        self.add_button = QPushButton(self.tr("A&dd…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.remove_button = QPushButton(self.tr("Remo&ve"))
        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        endpoints_layout = QHBoxLayout(endpoints_box)
        endpoints_layout.addWidget(self.endpoint_list, 1)
        endpoints_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(local_box)
        layout.addWidget(qwen_box)
        layout.addWidget(endpoints_box, 1)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.endpoint_list.itemDoubleClicked.connect(self._on_edit_button_clicked)
        self.endpoint_list.currentRowChanged.connect(self._update_buttons)
        self.show_preferences(prefs)

    def show_preferences(self, prefs: Preferences) -> None:
        """Show these addresses and endpoints, dropping any edit not saved."""
        for url_field in self._url_fields:
            url_field.field.setText(prefs.base_url_overrides.get(url_field.provider_id, ""))
        while self.qwen_region.count() > 2:
            self.qwen_region.removeItem(2)
        qwen_url = prefs.base_url_overrides.get(QWEN, "")
        if self.qwen_region.findData(qwen_url) < 0:  # set by hand in the settings file
            self.qwen_region.addItem(qwen_url, qwen_url)
        self.qwen_region.setCurrentIndex(self.qwen_region.findData(qwen_url))
        self._endpoints = list(prefs.custom_endpoints)
        self._fill_list()

    def show_endpoints(self, endpoints: list[CustomEndpoint]) -> None:
        """Show this endpoint list (as saved, with another instance's additions), keeping
        the selection and any address edit not yet saved."""
        selected = self._selected()
        self._endpoints = list(endpoints)
        self._fill_list()
        if selected is not None and selected in self._endpoints:
            self.endpoint_list.setCurrentRow(self._endpoints.index(selected))

    def endpoints(self) -> list[CustomEndpoint]:
        return list(self._endpoints)

    def editor(self) -> EndpointEditor | None:
        """The endpoint editor while it is open."""
        return self._editor

    def url_field(self, provider_id: str) -> UrlOverrideField:
        return next(f for f in self._url_fields if f.provider_id == provider_id)

    def base_url_overrides(self, current: dict[str, str]) -> dict[str, str] | None:
        """`current` with this tab's addresses applied; None while one is not usable."""
        if self.first_invalid_field() is not None:
            return None
        overrides = dict(current)
        chosen = {field.provider_id: field.url() for field in self._url_fields}
        chosen[QWEN] = self.qwen_region.currentData()
        for provider_id, url in chosen.items():
            if url:
                overrides[provider_id] = url
            else:
                overrides.pop(provider_id, None)
        return overrides

    def first_invalid_field(self) -> QLineEdit | None:
        return next((f.field for f in self._url_fields if f.problem() is not None), None)

    def _fill_list(self) -> None:
        self.endpoint_list.clear()
        for endpoint in self._endpoints:
            self.endpoint_list.addItem(f"{endpoint.name} — {endpoint.base_url}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.endpoint_list.currentRow() >= 0
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _selected(self) -> CustomEndpoint | None:
        row = self.endpoint_list.currentRow()
        return self._endpoints[row] if 0 <= row < len(self._endpoints) else None

    def _on_add_button_clicked(self) -> None:
        self._open_editor(None)

    def _on_edit_button_clicked(self) -> None:
        endpoint = self._selected()
        if endpoint is not None:
            self._open_editor(endpoint)

    def _open_editor(self, endpoint: CustomEndpoint | None) -> None:
        # open(), not exec(): no nested event loop under qasync, and tests can drive it.
        editor = EndpointEditor(endpoint, self, keychain=self._keychain())
        editor.accepted.connect(lambda: self._on_editor_accepted(editor, endpoint))
        editor.finished.connect(lambda _result: self._on_editor_finished(editor))
        self._editor = editor
        editor.open()

    def _on_editor_finished(self, editor: EndpointEditor) -> None:
        if self._editor is editor:
            self._editor = None
        editor.deleteLater()

    def _on_editor_accepted(self, editor: EndpointEditor, old: CustomEndpoint | None) -> None:
        if old is None:
            endpoint_id = new_endpoint_id(editor.endpoint_name(), (e.id for e in self._endpoints))
            endpoint = CustomEndpoint(endpoint_id, editor.endpoint_name(), editor.base_url())
            self._endpoints.append(endpoint)
        else:
            endpoint = CustomEndpoint(old.id, editor.endpoint_name(), editor.base_url())
            self._endpoints[self._endpoints.index(old)] = endpoint
        self._fill_list()
        self.endpoint_list.setCurrentRow(self._endpoints.index(endpoint))
        self.endpoint_saved.emit(endpoint, editor.key())

    def _on_remove_button_clicked(self) -> None:
        endpoint = self._selected()
        if endpoint is None:
            return
        question = plain_message_box(
            QMessageBox.Icon.Question,
            self.tr("Remove endpoint"),
            self.tr("Remove “{name}” and its key?").format(name=endpoint.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setObjectName("removeEndpointQuestion")
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.finished.connect(lambda _result: self._on_remove_answered(question, endpoint))
        question.open()

    def _on_remove_answered(self, question: QMessageBox, endpoint: CustomEndpoint) -> None:
        answer = question.standardButton(question.clickedButton())
        question.deleteLater()
        if answer != QMessageBox.StandardButton.Yes or endpoint not in self._endpoints:
            return
        self._endpoints.remove(endpoint)
        self._fill_list()
        self.endpoint_removed.emit(endpoint.id)
