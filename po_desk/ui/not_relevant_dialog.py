"""Marking an anmälan ej aktuell, with the date and the reason (e.g. not the målgrupp)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QVBoxLayout, QWidget

from po_desk.domain.ko import Anmalan
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import save_with_guard
from po_desk.ui.widgets import date_edit, dialog_buttons, error_label, from_qdate

REASONS = (
    "Tillhör inte målgruppen",
    "Har redan stöd som motsvarar personligt ombud",
    "Bor inte i verksamhetens kommuner",
    "Gick inte att nå",
)


class NotRelevantDialog(QDialog):
    def __init__(self, service: KoService, anmalan: Anmalan, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.anmalan = anmalan
        self.setWindowTitle(f"Ej aktuell – {anmalan.kod}")
        self.day = date_edit()
        self.day.setAccessibleName("Datum")
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(REASONS)
        self.reason.setAccessibleName("Orsak")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Datum:", self.day)
        form.addRow("&Orsak:", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Markera ej aktuell", "Avbryt", self.confirm))

    def confirm(self) -> None:
        day, reason = from_qdate(self.day.date()), self.reason.currentText().strip()
        done = save_with_guard(
            self,
            lambda ok: self.service.not_relevant(self.anmalan.id or "", day, reason, ok),
        )
        if done is not None:
            self.accept()
