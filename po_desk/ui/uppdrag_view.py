"""The uppdrag register: filter, sort, search by kod; new, edit, close, reopen."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.formatting import number
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.uppdrag_filter import Status, UppdragFilter
from po_desk.services.changes import OpChanges
from po_desk.services.workspace import Workspace
from po_desk.ui.close_uppdrag_dialog import CloseUppdragDialog
from po_desk.ui.import_dialog import ImportDialog
from po_desk.ui.messages import confirm, show_error
from po_desk.ui.op_changes import did_write
from po_desk.ui.table_model import ID_ROLE
from po_desk.ui.uppdrag_dialog import UppdragDialog
from po_desk.ui.uppdrag_table_model import START, UppdragTableModel
from po_desk.ui.widgets import choice_combo, fill_table, model_table, select_value, selected_value

STATUS_CHOICES = (("Aktiva", Status.AKTIVA), ("Avslutade", Status.AVSLUTADE), ("Alla", Status.ALLA))


class UppdragView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._all: list[Uppdrag] = []
        self.model = UppdragTableModel()

        self.status = choice_combo(STATUS_CHOICES)
        self.status.setAccessibleName("Status")
        self.ombud = choice_combo((), "Alla ombud")
        self.ombud.setAccessibleName("Ombud")
        self.kommun = choice_combo((), "Alla kommuner")
        self.kommun.setAccessibleName("Kommun")
        self.year = choice_combo((), "Alla år")
        self.year.setAccessibleName("År")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Sök kod…")
        self.search.setAccessibleName("Sök kod")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for label, widget in (
            ("&Status:", self.status),
            ("O&mbud:", self.ombud),
            ("&Kommun:", self.kommun),
            ("&År:", self.year),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch()
        filters.addWidget(self.search)

        self.table = model_table(self.model, "Uppdrag", sortable=True)
        self.table.sortByColumn(self.model.column_of(START), Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.new_button = QPushButton("&Nytt uppdrag")
        self.edit_button = QPushButton("&Redigera")
        self.close_button = QPushButton("A&vsluta…")
        self.reopen_button = QPushButton("Åter&öppna")
        self.import_button = QPushButton("&Importera…")
        self.import_button.clicked.connect(self.import_file)
        self.count_label = QLabel()
        self.new_button.clicked.connect(self.new_uppdrag)
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.close_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.count_label)

        title = QLabel("<h2>Uppdrag</h2>")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

        for combo in (self.status, self.ombud, self.kommun, self.year):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.edit_selected)
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """Refreshes when uppdrag, or the names they show (kommuner, ombud, grounds), changed."""
        if changes.uppdrag or changes.klient or changes.verksamhet or changes.prioritering:
            self.refresh()

    def refresh(self) -> None:
        verksamhet = self.workspace.verksamhet.get()
        ombud = self.workspace.verksamhet.list_ombud()
        self._all = self.workspace.uppdrag.all()
        self._refill(self.ombud, [(o.namn, o.id) for o in ombud])
        self._refill(self.kommun, [(k.namn, k.id) for k in verksamhet.kommuner])
        years = self.workspace.uppdrag.years(self._all, date.today())
        self._refill(self.year, [(str(y), y) for y in years])
        self.apply_filter()

    @staticmethod
    def _refill(combo, choices: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for label, value in choices:
            combo.addItem(label, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def criteria(self) -> UppdragFilter:
        return UppdragFilter(
            status=self.status.currentData(),
            ombud_id=self.ombud.currentData(),
            kommun_id=self.kommun.currentData(),
            year=self.year.currentData(),
            kod_search=self.search.text(),
        )

    def apply_filter(self) -> None:
        found = self.workspace.uppdrag.register(self.criteria(), self._all)
        fill_table(self.table, self.model, found.rows)
        self.count_label.setText(f"{number(found.shown)} av {number(found.total)} uppdrag")
        self._update_buttons()

    def clear(self) -> None:
        self._all = []
        self.model.clear()

    # -- actions -------------------------------------------------------------------------

    def selected(self) -> Uppdrag | None:
        uppdrag_id = selected_value(self.table, ID_ROLE)
        return next((u for u in self._all if u.id == uppdrag_id), None)

    def _update_buttons(self) -> None:
        current = self.selected()
        self.edit_button.setEnabled(current is not None)
        self.close_button.setEnabled(current is not None and current.is_active)
        self.reopen_button.setEnabled(current is not None and not current.is_active)

    def _dialog(self, uppdrag: Uppdrag | None) -> UppdragDialog:
        verksamhet = self.workspace.verksamhet.get()
        return UppdragDialog(
            self.workspace.uppdrag,
            verksamhet.kommuner,
            self.workspace.verksamhet.list_ombud(),
            uppdrag,
            self,
            grounds=self.workspace.ko.ground_choices(uppdrag.prioritetsgrunder if uppdrag else ()),
        )

    def new_uppdrag(self) -> None:
        dialog = self._dialog(None)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.select(dialog.saved.id)
            did_write(self, self.workspace.uppdrag.save)

    def edit_selected(self) -> None:
        current = self.selected()
        if current is None:
            return
        dialog = self._dialog(current)
        if dialog.exec():
            self.refresh()
            self.select(current.id)
            did_write(self, self.workspace.uppdrag.save)

    def close_selected(self) -> None:
        current = self.selected()
        if current is None or not current.is_active:
            return
        if CloseUppdragDialog(self.workspace.uppdrag, current, self).exec():
            self.refresh()
            self.select(current.id)
            did_write(self, self.workspace.uppdrag.close)

    def reopen_selected(self) -> None:
        current = self.selected()
        if current is None or current.is_active:
            return
        problems = self.workspace.uppdrag.reopen_problems(current.id or "")
        if problems:
            show_error(self, ValidationFailed(problems))
            return
        if not confirm(
            self,
            "Återöppna",
            "Återöppna är bara till för att ångra ett avslut som gjordes av misstag. "
            "Har klienten kommit tillbaka efter ett uppehåll? Registrera då ett nytt uppdrag "
            "och välj Återkommande klient, så ändras inte tidigare siffror.\n\n"
            f"Återöppna uppdrag {current.kod}? Slutdatum och avslutsorsak tas bort.",
        ):
            return
        try:
            self.workspace.uppdrag.reopen(current.id or "")
        except Exception as error:
            show_error(self, error)
            return
        self.refresh()
        self.select(current.id)
        did_write(self, self.workspace.uppdrag.reopen)

    def import_file(self) -> None:
        dialog = ImportDialog(self.workspace, self)
        dialog.exec()
        if dialog.imported:
            self.refresh()  # the import's Op told the other views

    def select(self, uppdrag_id: str | None) -> None:
        select_value(self.table, ID_ROLE, uppdrag_id)
