"""Inställningar → Kategorier: the category reference data of every kind. An entry is
renamed from a date (earlier years keep the name in force then), added (only to kinds the
återrapport can carry a new code for), deactivated or reactivated; never deleted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import CategoryRow
from po_desk.domain.errors import GuardNeedsConfirmation, PoDeskError
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.widgets import date_edit, error_label, from_qdate


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic moves to `buddy` (the row's field is a layout)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class CategoriesTab(QWidget):
    HEADERS = ("Namn", "Status", "Kod", "Namn över tid")
    changed = Signal()

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._rows: list[CategoryRow] = []
        self.kind = QComboBox()
        self.kind.setAccessibleName("Slag av kategori")
        for kind, label in workspace.verksamhet.category_kinds():
            self.kind.addItem(label, kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Kategorier")
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("Nytt namn")
        self.fran = date_edit()
        self.fran.setAccessibleName("Gäller från")
        self.rename_button = QPushButton("&Byt namn")
        self.rename_button.clicked.connect(self.rename)
        self.toggle_button = QPushButton("&Inaktivera")
        self.toggle_button.clicked.connect(self.toggle_active)
        rename_row = QHBoxLayout()
        rename_row.addWidget(self.new_name, 1)
        rename_row.addWidget(self.rename_button)

        self.added_name = QLineEdit()
        self.added_name.setAccessibleName("Namn på ny post")
        self.add_button = QPushButton("L&ägg till")
        self.add_button.clicked.connect(self.add)
        add_row = QHBoxLayout()
        add_row.addWidget(self.added_name, 1)
        add_row.addWidget(self.add_button)
        self.add_reason = QLabel()
        self.add_reason.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Sl&ag:", self.kind)
        hint = QLabel(
            "Koderna ändras aldrig; namnen gäller från ett datum, så tidigare år redovisas "
            "med det namn som gällde då. En inaktiv post erbjuds inte för nya uppgifter men "
            "finns kvar på dem som redan har den."
        )
        hint.setWordWrap(True)
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        selected = QFormLayout()
        fran_row = QHBoxLayout()
        fran_row.addWidget(self.fran)
        fran_row.addWidget(QLabel("(för nytt namn och inaktivering)"))
        fran_row.addStretch()
        selected.addRow(_label("Gäller &från:", self.fran), fran_row)
        selected.addRow(_label("Vald post, nytt &namn:", self.new_name), rename_row)
        selected.addRow("", self.toggle_button)
        selected.addRow(_label("N&y post:", self.added_name), add_row)
        selected.addRow("", self.add_reason)
        layout.addLayout(selected)
        layout.addWidget(self.errors)
        self.load()

    def current_kind(self) -> CategoryKind:
        return CategoryKind(self.kind.currentData())

    def load(self) -> None:
        service = self.workspace.verksamhet
        kind = self.current_kind()
        selected = self.selected_code()
        self._rows = service.category_rows(kind)
        self.table.setRowCount(len(self._rows))
        for row, entry in enumerate(self._rows):
            for column, value in enumerate((entry.namn, entry.status, entry.code, entry.names)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        codes = [entry.code for entry in self._rows]
        if selected in codes:
            self.table.selectRow(codes.index(selected))
        reason = service.addition_refused(kind)
        self.add_reason.setText(reason or "")
        self.add_reason.setVisible(bool(reason))
        self.added_name.setEnabled(reason is None)
        self.add_button.setEnabled(reason is None)
        self._selection_changed()

    def selected_code(self) -> str | None:
        row = self.table.currentRow()
        return self._rows[row].code if 0 <= row < len(self._rows) else None

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        chosen = self._rows[row] if 0 <= row < len(self._rows) else None
        self.rename_button.setEnabled(chosen is not None)
        self.toggle_button.setEnabled(chosen is not None)
        self.toggle_button.setText(
            "&Återaktivera" if chosen is not None and not chosen.active else "&Inaktivera"
        )

    def _done(self, action: Callable[[bool], None]) -> None:
        """Runs `action(warnings_confirmed)`; a guard warning is asked about first."""
        try:
            try:
                action(False)
            except GuardNeedsConfirmation as warning:
                if not confirm(self, "Kontrollera namnet", warning.message + "\n\nSpara ändå?"):
                    return
                action(True)
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.errors.setText("")
        self.load()
        self.changed.emit()

    def rename(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        kind, name, fran = self.current_kind(), self.new_name.text(), from_qdate(self.fran.date())

        def act(confirmed: bool) -> None:
            self.workspace.verksamhet.rename_category(
                kind, code, name, fran, warnings_confirmed=confirmed
            )
            self.new_name.clear()

        self._done(act)

    def add(self) -> None:
        kind, name = self.current_kind(), self.added_name.text()

        def act(confirmed: bool) -> None:
            self.workspace.verksamhet.add_category(kind, name, confirmed)
            self.added_name.clear()

        self._done(act)

    def toggle_active(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._rows):
            return
        entry = self._rows[row]
        kind, fran = self.current_kind(), from_qdate(self.fran.date())
        # Deactivated from the date given: records dated before it may still use it.
        self._done(
            lambda _confirmed: self.workspace.verksamhet.set_category_active(
                kind, entry.code, not entry.active, None if not entry.active else fran
            )
        )
