"""Small widgets used by several views: ISO date fields, category pickers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from po_desk.domain.categories import Category
from po_desk.ui.table_model import TableModel

DATE_FORMAT = "yyyy-MM-dd"


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setMaximumWidth(150)
    edit.setDate(to_qdate(value or date.today()))
    return edit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def choice_combo(
    choices: Iterable[tuple[str, object]], empty_label: str | None = None
) -> QComboBox:
    """A combo of (label, value) pairs, optionally led by an empty choice whose value is None."""
    combo = QComboBox()
    if empty_label is not None:
        combo.addItem(empty_label, None)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


def category_combo(entries: tuple[Category, ...], empty_label: str | None = None) -> QComboBox:
    return choice_combo(((entry.name, entry.code) for entry in entries), empty_label)


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class CategoryChecks(QWidget):
    """A grid of check boxes, one per category, read and set by code."""

    def __init__(self, entries: tuple[Category, ...], columns: int = 2) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._boxes: dict[str, QCheckBox] = {}
        for index, entry in enumerate(entries):
            box = QCheckBox(entry.name)
            box.setAccessibleName(entry.name)
            self._boxes[entry.code] = box
            layout.addWidget(box, index // columns, index % columns)

    def selected(self) -> tuple[str, ...]:
        return tuple(code for code, box in self._boxes.items() if box.isChecked())

    def set_selected(self, codes: tuple[str, ...]) -> None:
        for code, box in self._boxes.items():
            box.setChecked(code in codes)

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]

    def on_toggle(self, callback: Callable[[], None]) -> None:
        for box in self._boxes.values():
            box.toggled.connect(lambda _on: callback())


def dialog_buttons(
    dialog: QDialog, ok_text: str, cancel_text: str, on_accept: Callable[[], None]
) -> QDialogButtonBox:
    """OK/Cancel with Swedish texts; OK runs `on_accept` (which accepts when it succeeds)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label() -> QLabel:
    """The red line where a form lists what must be corrected."""
    label = QLabel()
    label.setStyleSheet("color: #b00020")
    label.setWordWrap(True)
    label.setAccessibleName("Fel i formuläret")
    return label


def password_edit(accessible_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible_name)
    return edit


def record_table(model: QAbstractItemModel, accessible_name: str) -> QTableView:
    """A read-only table of records: whole rows selected one at a time, no word wrap,
    columns sized by the user, the last one stretched."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAccessibleName(accessible_name)
    return table


def model_table(model: TableModel[Any], accessible_name: str, sortable: bool = False) -> QTableView:
    """A `record_table` over one of our models, its `fit` columns always as wide as their
    content, its `stretch` one taking the rest; `sortable` lets a click on a header sort
    (the model sorts itself)."""
    table = record_table(model, accessible_name)
    fit_to_content(table, *(i for i, column in enumerate(model.columns) if column.fit))
    for i, column in enumerate(model.columns):
        if column.stretch:
            table.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            table.horizontalHeader().setStretchLastSection(False)
    table.setSortingEnabled(sortable)
    return table


class OptionalDate(QWidget):
    """A date that may be absent ("Slutat:", "Till och med:"): a check box and a date."""

    def __init__(self, label: str, accessible_name: str) -> None:
        super().__init__()
        self.enabled = QCheckBox(label)
        self.edit = date_edit()
        self.edit.setEnabled(False)
        self.edit.setAccessibleName(accessible_name)
        self.enabled.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit)
        layout.addStretch()

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.enabled.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.enabled.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))


def selected_value(table: QTableView, role: int) -> object:
    """The `role` data of the selected row's first cell, or None."""
    indexes = table.selectionModel().selectedRows()
    return table.model().data(indexes[0], role) if indexes else None


def select_value(table: QTableView, role: int, value: object) -> None:
    """Selects the first row whose `role` data equals `value`."""
    model = table.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.data(index, role) == value:
            table.selectRow(row)
            table.scrollTo(index)
            return


MAX_COLUMN_WIDTH = 240  # wider text is elided; the cell's tooltip holds it whole


def fill_table(table: QTableView, model: TableModel[Any], rows: list[Any]) -> None:
    """Replaces the model's rows; columns are sized to their content the first time, none
    of the user-sized ones wider than MAX_COLUMN_WIDTH, so the last one stays in view."""
    first_fill = model.rowCount() == 0
    model.set_rows(rows)
    if first_fill and rows:
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for column in range(header.count() - 1):
            interactive = header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive
            if interactive and table.columnWidth(column) > MAX_COLUMN_WIDTH:
                table.setColumnWidth(column, MAX_COLUMN_WIDTH)


def fit_to_content(table: QTableView, *columns: int) -> None:
    """Columns that are always as wide as their widest cell (short values such as dates,
    codes and statuses, which must never be elided)."""
    for column in columns:
        table.horizontalHeader().setSectionResizeMode(
            column, QHeaderView.ResizeMode.ResizeToContents
        )
