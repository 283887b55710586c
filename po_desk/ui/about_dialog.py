"""Om po-desk: the version, and every shipped library with its licence and licence text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from po_desk import __version__
from po_desk.paths import resource
from po_desk.services.licences import Component, shipped_components
from po_desk.ui.table_model import Column, TableModel
from po_desk.ui.widgets import model_table

NO_TEXT = "Licenstexten följer med komponenten; se licensens namn ovan."
COLUMNS: tuple[Column[Component], ...] = (
    Column("Komponent", lambda c: c.name, fit=True),
    Column("Version", lambda c: c.version, fit=True),
    Column("Licens", lambda c: c.licence, tooltip=lambda c: c.licence, stretch=True),
)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Om po-desk")
        self.setWindowIcon(QIcon(str(resource("po-desk.svg"))))
        self.resize(720, 560)
        heading = QLabel(
            f"<h2>po-desk {__version__}</h2>"
            "Register, kö, avvikelser och återrapport för verksamhet med personligt ombud. "
            "Uppgifterna lagras krypterat på den här datorn och lämnar den bara i de filer "
            "du själv exporterar.<br><br>Programmet innehåller dessa bibliotek:"
        )
        heading.setWordWrap(True)
        self.components = shipped_components()
        self.model = TableModel(COLUMNS, key=lambda c: c.name)
        self.model.set_rows(self.components)
        self.table = model_table(self.model, "Bibliotek och licenser")
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setAccessibleName("Licenstext för vald komponent")
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_licence(current.row())
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Stäng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("Licenstext:"))
        layout.addWidget(self.licence_text, 2)
        layout.addWidget(buttons)
        self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_licence(self, row: int) -> None:
        component: Component | None = self.model.row_at(row) if row >= 0 else None
        if component is None:
            self.licence_text.clear()
        else:
            self.licence_text.setPlainText(component.licence_text or NO_TEXT)
