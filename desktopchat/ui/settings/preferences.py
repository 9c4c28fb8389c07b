"""The Preferences tab of the Settings dialog: look, language, request defaults, and whether
DesktopChat may look for new versions (and where: the release feed's address).

The tab only reads and writes its widgets; the dialog decides when the result is saved.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktopchat.system.settings import Preferences
from desktopchat.ui.support.plain import PlainLabel

MAX_TOKENS_RANGE = (1, 200_000)
TIMEOUT_RANGE = (5, 600)


class PreferencesTab(QWidget):
    changed = Signal()

    def __init__(self, prefs: Preferences) -> None:
        super().__init__()
        self.theme = QComboBox()
        self.theme.setObjectName("themeCombo")
        for label, value in (
            (self.tr("System"), "system"),
            (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark"),
        ):
            self.theme.addItem(label, value)
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        # Languages are named in their own language, so a person can find theirs whatever
        # language the app speaks now.
        for label, value in (
            (self.tr("System"), "system"),
            ("English", "en"),
            ("Français", "fr"),
        ):
            self.language.addItem(label, value)
        restart_note = PlainLabel(self.tr("A new language takes effect when DesktopChat restarts."))
        self.max_tokens = QSpinBox()
        self.max_tokens.setObjectName("maxTokensSpin")
        self.max_tokens.setRange(*MAX_TOKENS_RANGE)
        self.max_tokens.setGroupSeparatorShown(True)
        self.max_tokens.setToolTip(self.tr("The longest reply a model may write, in tokens."))
        self.timeout = QSpinBox()
        self.timeout.setObjectName("timeoutSpin")
        self.timeout.setRange(*TIMEOUT_RANGE)
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setToolTip(
            self.tr("How long to wait for a service to start answering before giving up.")
        )
        self.send_on_enter = QCheckBox(
            self.tr("&Enter sends the message (Shift+Enter for a new line)")
        )
        self.send_on_enter.setObjectName("sendOnEnterCheck")
        self.update_checks = QCheckBox(self.tr("Check for new &versions once a day"))
        self.update_checks.setObjectName("updateChecksCheck")
        self.update_checks.setToolTip(
            self.tr("Reads a small release note; nothing is downloaded or installed.")
        )
        self.update_feed = QLineEdit()
        self.update_feed.setObjectName("updateFeedEdit")
        self.update_feed.setPlaceholderText(self.tr("Not configured (https://…)"))

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("&Theme:"), self.theme)
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow("", restart_note)
        form.addRow(self.tr("Default &maximum tokens:"), self.max_tokens)
        form.addRow(self.tr("Re&quest timeout:"), self.timeout)
        form.addRow("", self.send_on_enter)
        form.addRow("", self.update_checks)
        form.addRow(self.tr("Release &feed:"), self.update_feed)

        self.show_preferences(prefs)
        self.theme.currentIndexChanged.connect(self.changed)
        self.language.currentIndexChanged.connect(self.changed)
        self.max_tokens.valueChanged.connect(self.changed)
        self.timeout.valueChanged.connect(self.changed)
        self.send_on_enter.toggled.connect(self.changed)
        self.update_checks.toggled.connect(self.changed)
        self.update_feed.textEdited.connect(self.changed)

    def show_preferences(self, prefs: Preferences) -> None:
        """Show these preferences, dropping any edit not saved."""
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        self.max_tokens.setValue(prefs.max_tokens)
        self.timeout.setValue(round(prefs.request_timeout))
        self.send_on_enter.setChecked(prefs.send_on_enter)
        self.update_checks.setChecked(prefs.update_checks is True)
        self.update_feed.setText(prefs.update_feed)
        self._shown_numbers = (self.max_tokens.value(), self.timeout.value())

    def applied_to(self, prefs: Preferences) -> Preferences:
        """`prefs` with this tab's choices. A number the spin box cannot show exactly (a
        fractional timeout, or one beyond its range from a hand-edited file) is kept as it is
        unless the person changes it here."""
        shown_tokens, shown_timeout = self._shown_numbers
        max_tokens = prefs.max_tokens
        if self.max_tokens.value() != shown_tokens:
            max_tokens = self.max_tokens.value()
        timeout = prefs.request_timeout
        if self.timeout.value() != shown_timeout:
            timeout = float(self.timeout.value())
        return replace(
            prefs,
            theme=self.theme.currentData(),
            language=self.language.currentData(),
            max_tokens=max_tokens,
            request_timeout=timeout,
            send_on_enter=self.send_on_enter.isChecked(),
            # Not asked yet and left unticked: still not asked (the first start asks).
            update_checks=self.update_checks.isChecked()
            or (None if prefs.update_checks is None else False),
            update_feed=self.update_feed.text().strip(),
        )
