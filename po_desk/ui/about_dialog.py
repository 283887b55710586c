"""Om po-desk: the version, and every shipped library with its licence and licence text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_desk import __version__
from po_desk.paths import resource
from po_desk.services.licences import Component, shipped_components

NO_TEXT = "Licenstexten följer med komponenten; se licensens namn ovan."


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
        self.table = QTableWidget(len(self.components), 3)
        self.table.setHorizontalHeaderLabels(["Komponent", "Version", "Licens"])
        self.table.setAccessibleName("Bibliotek och licenser")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, component in enumerate(self.components):
            for column, text in enumerate((component.name, component.version, component.licence)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setAccessibleName("Licenstext för vald komponent")
        self.table.currentCellChanged.connect(lambda row, *_: self._show_licence(row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Stäng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("Licenstext:"))
        layout.addWidget(self.licence_text, 2)
        layout.addWidget(buttons)
        self.table.setCurrentCell(0, 0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_licence(self, row: int) -> None:
        component: Component | None = self.components[row] if row >= 0 else None
        if component is None:
            self.licence_text.clear()
        else:
            self.licence_text.setPlainText(component.licence_text or NO_TEXT)
