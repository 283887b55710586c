"""A passphrase typed twice with a live strength hint."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from po_desk.domain import passphrase as rules
from po_desk.ui.widgets import password_edit


class PassphraseFields(QWidget):
    changed = Signal()

    def __init__(self, first_label: str = "Lösenfras:") -> None:
        super().__init__()
        self.first = password_edit("Lösenfras")
        self.second = password_edit("Upprepa lösenfras")
        self.hint = QLabel()
        self.hint.setAccessibleName("Lösenfrasens styrka")
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(first_label, self.first)
        layout.addRow("Upprepa:", self.second)
        layout.addRow("", self.hint)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        strength = rules.estimate(self.first.text())
        text = f"Styrka: {strength.label}"
        if self.second.text() and self.second.text() != self.first.text():
            text += " · lösenfraserna är inte lika"
        self.hint.setText(text)
        self.changed.emit()

    def is_valid(self) -> bool:
        return rules.estimate(self.first.text()).acceptable and (
            self.first.text() == self.second.text()
        )

    def passphrase(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
