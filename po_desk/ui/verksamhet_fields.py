"""The verksamhet's namn, län, huvudman and kommuner, as the wizard and Inställningar ask."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from po_desk.domain.verksamhet import LAN


class VerksamhetFields(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.namn = QLineEdit()
        self.namn.setAccessibleName("Verksamhetens namn")
        self.lan = QComboBox()
        self.lan.addItems(LAN)
        self.lan.setAccessibleName("Län")
        self.huvudman = QLineEdit()
        self.huvudman.setAccessibleName("Huvudman")
        self.kommuner = QPlainTextEdit()
        self.kommuner.setAccessibleName("Kommuner, en per rad")
        self.kommuner.setPlaceholderText("En kommun per rad")
        self.kommuner.setTabChangesFocus(True)
        self.kommuner.setFixedHeight(100)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("&Namn:", self.namn)
        self.form.addRow("&Län:", self.lan)
        self.form.addRow("&Huvudman:", self.huvudman)
        self.form.addRow("&Kommuner (en per rad):", self.kommuner)
        self.namn.textChanged.connect(self.changed)
        self.kommuner.textChanged.connect(self.changed)

    def kommun_names(self) -> list[str]:
        return [line.strip() for line in self.kommuner.toPlainText().splitlines() if line.strip()]

    def set_values(self, namn: str, lan: str, huvudman: str, kommuner: list[str]) -> None:
        self.namn.setText(namn)
        self.lan.setCurrentText(lan)
        self.huvudman.setText(huvudman)
        self.kommuner.setPlainText("\n".join(kommuner))

    def is_complete(self) -> bool:
        return bool(self.namn.text().strip()) and bool(self.kommun_names())
