"""Avvikelser: the register with filters and text search, quick entry, återkoppling; and
the ledningsgrupp in a second tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse, AvvikelseFilter, Period
from po_desk.domain.categories import CategoryKind
from po_desk.domain.formatting import number
from po_desk.services.changes import OpChanges
from po_desk.services.workspace import Workspace
from po_desk.ui.avvikelse_dialog import AvvikelseDialog
from po_desk.ui.avvikelse_table_model import AvvikelseTableModel
from po_desk.ui.feedback_dialog import FeedbackDialog
from po_desk.ui.ledningsgrupp_view import LedningsgruppView
from po_desk.ui.op_changes import did_write
from po_desk.ui.screen_fit import narrow_combo
from po_desk.ui.table_model import ID_ROLE
from po_desk.ui.tabs import roomy_tabs
from po_desk.ui.widgets import (
    category_combo,
    choice_combo,
    fill_table,
    model_table,
    select_value,
    selected_value,
)

PERIODS = (
    ("Senaste 12 månaderna", Period.SENASTE_12_MANADER),
    ("I år", Period.I_AR),
    ("Förra året", Period.FORRA_ARET),
    ("Alla", Period.ALLA),
)


class AvvikelseRegister(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._all: list[Avvikelse] = []
        self.model = AvvikelseTableModel()
        self.period = choice_combo(PERIODS)
        listed = workspace.verksamhet.all_categories
        self.aktor = category_combo(listed(CategoryKind.AKTOR), "Alla aktörer")
        self.niva = category_combo(listed(CategoryKind.NIVA), "Alla nivåer")
        self.kategori = category_combo(listed(CategoryKind.BRISTKATEGORI), "Alla kategorier")
        self.status = choice_combo(((label, code) for code, label in STATUS_LABELS.items()),
                                   "Alla statusar")  # fmt: skip
        self.ombud = choice_combo((), "Alla ombud")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök i texterna…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök i avvikelsernas texter")
        filters = QGridLayout()
        for column, (label, widget) in enumerate(
            (("&Period:", self.period), ("Ak&tör:", self.aktor), ("&Nivå:", self.niva))
        ):
            self._add_filter(filters, 0, column, label, widget)
        for column, (label, widget) in enumerate(
            (("&Kategori:", self.kategori), ("&Status:", self.status), ("O&mbud:", self.ombud))
        ):
            self._add_filter(filters, 1, column, label, widget)
        filters.addWidget(self.search, 0, 6, 2, 1)
        for combo in (self.aktor, self.kategori, self.ombud):
            narrow_combo(combo)  # long names: the filter row fits 1024 points (125 %)
        for combo in (self.period, self.aktor, self.niva, self.kategori, self.status, self.ombud):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)

        self.table = model_table(self.model, "Avvikelser", sortable=True)
        self.table.sortByColumn(self.model.column_of("Datum"), Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Avvikelsens texter")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.new_button = QPushButton("&Ny avvikelse")
        self.edit_button = QPushButton("&Redigera")
        self.feedback_button = QPushButton("Åter&koppling / status…")
        self.count_label = QLabel()
        self.new_button.clicked.connect(self.new_avvikelse)
        self.edit_button.clicked.connect(self.edit_selected)
        self.feedback_button.clicked.connect(self.feedback_selected)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.feedback_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    @staticmethod
    def _add_filter(grid: QGridLayout, row: int, column: int, label: str, widget) -> None:
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        grid.addWidget(caption, row, column * 2)
        grid.addWidget(widget, row, column * 2 + 1)

    def refresh(self) -> None:
        self._ombud = self.workspace.verksamhet.list_ombud()
        current = self.ombud.currentData()
        self.ombud.blockSignals(True)
        while self.ombud.count() > 1:
            self.ombud.removeItem(1)
        for person in self._ombud:
            self.ombud.addItem(person.namn, person.id)
        self.ombud.setCurrentIndex(max(self.ombud.findData(current), 0))
        self.ombud.blockSignals(False)
        self._reload_categories()
        self._all = self.workspace.avvikelser.all()
        self.apply_filter()

    def _reload_categories(self) -> None:
        """The filters and the table show the store's entries with today's names."""
        references = {
            kind: self.workspace.verksamhet.all_categories(kind)
            for kind in (CategoryKind.AKTOR, CategoryKind.NIVA, CategoryKind.BRISTKATEGORI)
        }
        self.model.set_references(references)
        for combo, kind in (
            (self.aktor, CategoryKind.AKTOR),
            (self.niva, CategoryKind.NIVA),
            (self.kategori, CategoryKind.BRISTKATEGORI),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for entry in references[kind]:
                combo.addItem(entry.name, entry.code)
            index = combo.findData(current)  # -1 when the entry is gone: back to "Alla"
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

    def criteria(self) -> AvvikelseFilter:
        fran, till = self.workspace.avvikelser.period(self.period.currentData(), date.today())
        return AvvikelseFilter(
            fran=fran,
            till=till,
            aktor=self.aktor.currentData(),
            niva=self.niva.currentData(),
            kategori=self.kategori.currentData(),
            status=self.status.currentData(),
            ombud_id=self.ombud.currentData(),
            text=self.search.text(),
        )

    def apply_filter(self) -> None:
        found = self.workspace.avvikelser.rows(self.criteria(), self._all)
        fill_table(self.table, self.model, found.rows)
        self.count_label.setText(f"{number(found.shown)} av {number(found.total)} avvikelser")
        self._selection_changed()

    def clear(self) -> None:
        self._all = []
        self.model.clear()

    def selected(self) -> Avvikelse | None:
        avvikelse_id = selected_value(self.table, ID_ROLE)
        return next((a for a in self._all if a.id == avvikelse_id), None)

    def _selection_changed(self) -> None:
        current = self.selected()
        self.edit_button.setEnabled(current is not None)
        movable = current is not None and bool(self.workspace.avvikelser.feedback_targets(current))
        self.feedback_button.setEnabled(movable)
        self.detail.setText(self._detail(current) if current else "")

    def _detail(self, item: Avvikelse) -> str:
        parts = [f"<b>Beskrivning:</b> {item.beskrivning}"]
        if item.konsekvens:
            parts.append(f"<b>Konsekvens:</b> {item.konsekvens}")
        if item.aterkoppling:
            when = item.aterkoppling_datum.isoformat() if item.aterkoppling_datum else ""
            parts.append(f"<b>Återkoppling {when}:</b> {item.aterkoppling}")
        return "<br>".join(part.replace("\n", "<br>") for part in parts)

    def select(self, avvikelse_id: str | None) -> None:
        select_value(self.table, ID_ROLE, avvikelse_id)

    def _dialog(self, item: Avvikelse | None) -> AvvikelseDialog:
        return AvvikelseDialog(self.workspace.avvikelser, self._ombud, item, self)

    def new_avvikelse(self) -> None:
        dialog = self._dialog(None)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.select(dialog.saved.id)
            did_write(self, self.workspace.avvikelser.save)

    def edit_selected(self) -> None:
        current = self.selected()
        if current is not None and self._dialog(current).exec():
            self.refresh()
            self.select(current.id)
            did_write(self, self.workspace.avvikelser.save)

    def feedback_selected(self) -> None:
        current = self.selected()
        if current is not None and FeedbackDialog(self.workspace.avvikelser, current, self).exec():
            self.refresh()
            self.select(current.id)
            did_write(self, self.workspace.avvikelser.move)


class AvvikelserView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.register = AvvikelseRegister(workspace)
        self.ledningsgrupp = LedningsgruppView(workspace)
        self.tabs = roomy_tabs(QTabWidget())
        self.tabs.addTab(self.register, "&Register")
        self.tabs.addTab(self.ledningsgrupp, "&Ledningsgrupp")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Avvikelser</h2>"))
        layout.addWidget(self.tabs)

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """Refreshes the register and the ledningsgrupp tab when their data changed (not
        the tab that made the change: it has refreshed itself)."""
        if handler is not self.register and (changes.avvikelser or changes.verksamhet):
            self.register.refresh()
        if handler is not self.ledningsgrupp and (changes.ledningsgrupp or changes.avvikelser):
            self.ledningsgrupp.refresh()

    def refresh(self) -> None:
        self.register.refresh()
        self.ledningsgrupp.refresh()
