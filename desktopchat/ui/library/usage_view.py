"""View → Usage: what replies used and cost, by day (a bar chart), provider and model, with
the price of each model and where it comes from, which the person can correct.

The figures are read and summed off the loop (services/usage.py) from the usage ledger, so
deleting conversations never lowers them; a cost nobody knows is "unknown", never $0; tokens
the app estimated (the server reported none) are marked "≈" and said so. Providers appear by
the name the person gave or knows them by, never by the id the history stores.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QLocale, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktopchat.services.pricing import Price, Pricing
from desktopchat.services.usage import UsageService, UsageSummary, UsageTotal
from desktopchat.ui.support.asyncutils import Tasks
from desktopchat.ui.support.plain import PlainLabel

MAX_BAR_WIDTH = 48.0
"""A few days make narrow bars, not a wall."""
PERIODS = (7, 30, None)
"""Days shown: the last week, the last month, everything."""


def cost_text(total: UsageTotal) -> str:
    """ "$1.23", "unknown", or "$1.23 + unknown (3 replies)" when only some are priced."""
    known = "$" + QLocale().toString(total.cost, "f", 4 if total.cost < 1 else 2)
    if total.cost_known:
        return known
    if total.unpriced == total.replies:
        return QCoreApplication.translate("UsageDialog", "unknown")
    text = QCoreApplication.translate("UsageDialog", "%1 + unknown (%2 replies)")
    return text.replace("%1", known).replace("%2", str(total.unpriced))


class UsageChart(QWidget):
    """Bars per day: cost where every reply of the period is priced, tokens otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usageChart")
        self.setMinimumHeight(140)
        self._days: list[tuple[str, float]] = []

    def set_days(self, days: list[tuple[str, float]]) -> None:
        self._days = days
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        area = QRectF(self.rect()).adjusted(8, 8, -8, -22)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if not self._days:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No usage yet"))
            return
        top = max(value for _, value in self._days) or 1.0
        width = area.width() / len(self._days)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        bar_width = min(MAX_BAR_WIDTH, max(1.0, width * 0.7))
        for index, (_day, value) in enumerate(self._days):
            height = area.height() * value / top
            left = area.left() + index * width + (width - bar_width) / 2
            painter.drawRect(QRectF(left, area.bottom() - height, bar_width, height))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        labels = QRectF(area.left(), area.bottom() + 4, area.width(), 16)
        painter.drawText(labels, Qt.AlignmentFlag.AlignLeft, self._days[0][0])
        painter.drawText(labels, Qt.AlignmentFlag.AlignRight, self._days[-1][0])


class UsageDialog(QDialog):
    def __init__(self, usage: UsageService, pricing: Pricing, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("usageDialog")
        self.setWindowTitle(self.tr("Usage"))
        self.resize(760, 520)
        self._usage, self._pricing = usage, pricing
        self.tasks = Tasks()
        """Its reads end when it closes; a price correction is finished."""
        self.finished.connect(lambda _result: self.tasks.cancel())
        self.period = QComboBox(self)
        self.period.setObjectName("usagePeriod")
        for label in (self.tr("Last 7 days"), self.tr("Last 30 days"), self.tr("All time")):
            self.period.addItem(label)
        self.period.setCurrentIndex(1)
        self.summary_label = PlainLabel(self)
        self.summary_label.setObjectName("usageTotal")
        self.chart = UsageChart(self)
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("usageTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Provider"),
                self.tr("Model"),
                self.tr("Replies"),
                self.tr("Input tokens"),
                self.tr("Output tokens"),
                self.tr("Reasoning"),
                self.tr("Cached"),
                self.tr("Cost"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.price_label = PlainLabel(self)
        self.price_label.setObjectName("priceSource")
        self.price_label.setWordWrap(True)
        self.input_price = self._price_box(self.tr("Input, $ per million tokens"))
        self.output_price = self._price_box(self.tr("Output, $ per million tokens"))
        self.save_price = QPushButton(self.tr("Correct the price"), self)
        self.save_price.setObjectName("savePrice")
        self.forget_price = QPushButton(self.tr("Use the published price"), self)
        self.forget_price.setObjectName("forgetPrice")
        prices = QHBoxLayout()
        for widget in (
            PlainLabel(self.tr("Input per million tokens"), self),
            self.input_price,
            PlainLabel(self.tr("Output per million tokens"), self),
            self.output_price,
            self.save_price,
            self.forget_price,
        ):
            prices.addWidget(widget)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.period)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.price_label)
        layout.addLayout(prices)
        layout.addWidget(close)
        self._rows: list[tuple[str, str]] = []
        close.rejected.connect(self.reject)
        self.period.currentIndexChanged.connect(self.reload)
        self.table.itemSelectionChanged.connect(self.on_table_selection_changed)
        self.save_price.clicked.connect(self.on_save_price_clicked)
        self.forget_price.clicked.connect(self.on_forget_price_clicked)
        self.on_table_selection_changed()

    def _price_box(self, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0.0, 10_000.0)
        box.setDecimals(4)
        box.setPrefix("$")
        box.setToolTip(tip)
        box.setAccessibleName(tip)
        return box

    def reload(self, *_args) -> None:
        days = PERIODS[self.period.currentIndex()]
        since = None if days is None else time.time() - days * 86_400
        self.tasks.spawn(self._load(since))

    async def _load(self, since: float | None) -> None:
        self.show_summary(await self._usage.summary(since))

    def show_summary(self, summary: UsageSummary) -> None:
        total = summary.total
        locale = QLocale()
        text = (
            self.tr("%1 replies, %2 tokens, cost %3")
            .replace("%1", locale.toString(total.replies))
            .replace("%2", locale.toString(total.tokens))
            .replace("%3", cost_text(total))
        )
        if total.estimated:
            text += " " + self.tr(
                "(tokens of %n replies estimated: their server reported none)",
                "",
                total.estimated,
            )
        self.summary_label.setText(text)
        by_cost = total.replies > 0 and total.cost_known
        self.chart.set_days(
            [(day, t.cost if by_cost else float(t.tokens)) for day, t in summary.by_day.items()]
        )
        self.chart.setToolTip(self.tr("Cost per day") if by_cost else self.tr("Tokens per day"))
        self._rows = list(summary.by_model)
        self.table.setRowCount(len(self._rows))
        for row, key in enumerate(self._rows):
            figures = summary.by_model[key]
            about = "≈" if figures.estimated else ""
            cells = [
                self.provider_text(summary, key[0]),
                key[1],
                locale.toString(figures.replies),
                about + locale.toString(figures.input_tokens),
                about + locale.toString(figures.output_tokens),
                locale.toString(figures.reasoning_tokens),
                locale.toString(figures.cached_tokens),
                cost_text(figures),
            ]
            tip = (
                self.tr("Estimated for %n replies: their server reported no usage.", "", n)
                if (n := figures.estimated)
                else ""
            )
            for column, cell in enumerate(cells):
                item = QTableWidgetItem(cell)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def provider_text(self, summary: UsageSummary, provider_id: str) -> str:
        """The provider's display name; a provider no longer set up is said to be so."""
        name = summary.provider_names.get(provider_id)
        return name or self.tr("A provider no longer set up")

    def selected_model(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def on_table_selection_changed(self) -> None:
        chosen = self.selected_model()
        for widget in (self.input_price, self.output_price, self.save_price, self.forget_price):
            widget.setEnabled(chosen is not None)
        if chosen is None:
            self.price_label.setText(self.tr("Pick a model to see or correct its price."))
            return
        price = self._pricing.price(*chosen)
        self.input_price.setValue((price.input or 0.0) if price else 0.0)
        self.output_price.setValue((price.output or 0.0) if price else 0.0)
        self.forget_price.setEnabled(chosen in self._pricing.overrides)
        self.price_label.setText(self._source_text(chosen[1], price))

    def _source_text(self, model: str, price: Price | None) -> str:
        if price is None:
            return self.tr("The price of %1 is unknown: its costs say “unknown”.").replace(
                "%1", model
            )
        source = price.source
        if source == "yours":
            where = self.tr("your correction")
        elif source == "listed":
            where = self.tr("the service's model list")
        elif source == "local":
            where = self.tr("a model on this computer (free)")
        else:
            catalog = self._pricing.catalog
            where = self.tr("the table shipped with DesktopChat, as of %1").replace(
                "%1", catalog.as_of
            )
        return self.tr("Price of %1 from %2.").replace("%1", model).replace("%2", where)

    def on_save_price_clicked(self) -> None:
        chosen = self.selected_model()
        if chosen is not None:
            price = Price(self.input_price.value(), self.output_price.value())
            self.tasks.spawn(self._correct(chosen, price), finish=True)

    def on_forget_price_clicked(self) -> None:
        chosen = self.selected_model()
        if chosen is not None:
            self.tasks.spawn(self._correct(chosen, None), finish=True)

    async def _correct(self, model: tuple[str, str], price: Price | None) -> None:
        await self._pricing.correct(*model, price)
        self.on_table_selection_changed()


def open_usage(usage: UsageService, pricing: Pricing, parent: QWidget, owner: Tasks) -> UsageDialog:
    """Open the Usage window (non-modal, with open()); its tasks end with `owner`'s too."""
    dialog = UsageDialog(usage, pricing, parent)
    owner.adopt(dialog.tasks)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reload()
    dialog.open()
    return dialog
