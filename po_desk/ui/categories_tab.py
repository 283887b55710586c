"""Inställningar → Kategorier: the category reference data of every kind. An entry is
renamed from a date (earlier years keep the name in force then), added (only to kinds the
återrapport can carry a new code for), deactivated or reactivated; never deleted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import CategoryRow
from po_desk.domain.errors import GuardNeedsConfirmation, PoDeskError
from po_desk.services.workspace import Workspace
from po_desk.ui import roles
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.op_changes import did_write
from po_desk.ui.table_model import ID_ROLE, Column, TableModel
from po_desk.ui.widgets import (
    date_edit,
    error_label,
    fill_table,
    from_qdate,
    model_table,
    select_value,
    selected_value,
)

COLUMNS: tuple[Column[CategoryRow], ...] = (
    Column("Namn", lambda row: row.namn),
    Column("Status", lambda row: row.status, fit=True),
    Column("Kod", lambda row: row.code, fit=True),
    Column("Namn över tid", lambda row: row.names, stretch=True),
)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic moves to `buddy` (the row's field is a layout)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class CategoriesTab(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.kind = QComboBox()
        self.kind.setAccessibleName("Slag av kategori")
        for kind, label in workspace.verksamhet.category_kinds():
            self.kind.addItem(label, kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.model: TableModel[CategoryRow] = TableModel(COLUMNS, key=lambda row: row.code)
        self.table = model_table(self.model, "Kategorier")
        self.table.selectionModel().selectionChanged.connect(
            lambda _selected, _deselected: self._selection_changed()
        )

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
        fill_table(self.table, self.model, service.category_rows(kind))
        if selected is not None:
            select_value(self.table, ID_ROLE, selected)
        reason = service.addition_refused(kind)
        self.add_reason.setText(reason or "")
        self.add_reason.setVisible(bool(reason))
        # Not for a kind the länsstyrelse's form fixes, nor for a role that may not add.
        self.added_name.setEnabled(reason is None and roles.usable(self.added_name))
        self.add_button.setEnabled(reason is None)
        self._selection_changed()

    def selected_code(self) -> str | None:
        code = selected_value(self.table, ID_ROLE)
        return code if isinstance(code, str) else None

    def selected_row(self) -> CategoryRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _selection_changed(self) -> None:
        chosen = self.selected_row()
        self.rename_button.setEnabled(chosen is not None)
        self.toggle_button.setEnabled(chosen is not None)
        self.toggle_button.setText(
            "&Återaktivera" if chosen is not None and not chosen.active else "&Inaktivera"
        )

    def _done(self, action: Callable[[bool], None], method: Callable[..., object]) -> None:
        """Runs `action(warnings_confirmed)`, a write through the service's `method`; a
        guard warning is asked about first. The other views hear what `method` changes."""
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
        did_write(self, method)

    def rename(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        kind, name, fran = self.current_kind(), self.new_name.text(), from_qdate(self.fran.date())
        service = self.workspace.verksamhet

        def act(confirmed: bool) -> None:
            service.rename_category(kind, code, name, fran, warnings_confirmed=confirmed)
            self.new_name.clear()

        self._done(act, service.rename_category)

    def add(self) -> None:
        kind, name = self.current_kind(), self.added_name.text()
        service = self.workspace.verksamhet

        def act(confirmed: bool) -> None:
            service.add_category(kind, name, confirmed)
            self.added_name.clear()

        self._done(act, service.add_category)

    def toggle_active(self) -> None:
        entry = self.selected_row()
        if entry is None:
            return
        kind, fran = self.current_kind(), from_qdate(self.fran.date())
        service = self.workspace.verksamhet
        # Deactivated from the date given: records dated before it may still use it.
        self._done(
            lambda _confirmed: service.set_category_active(
                kind, entry.code, not entry.active, None if not entry.active else fran
            ),
            service.set_category_active,
        )
