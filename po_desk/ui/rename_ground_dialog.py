"""Inställningar: a prioritetsgrund gets a new name from a date (dated category names);
earlier years keep the name in force then."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from po_desk.domain.errors import PoDeskError
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import error_text
from po_desk.ui.widgets import choice_combo, date_edit, dialog_buttons, error_label, from_qdate


class RenameGroundDialog(QDialog):
    def __init__(self, service: KoService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Byt namn på prioritetsgrund")
        self.ground = choice_combo((g.name, g.code) for g in service.grounds())
        self.ground.setAccessibleName("Prioritetsgrund")
        self.name = QLineEdit()
        self.name.setAccessibleName("Nytt namn")
        self.fran = date_edit()
        self.fran.setAccessibleName("Gäller från")
        hint = QLabel("Tidigare år redovisas med det namn som gällde då.")
        hint.setWordWrap(True)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Grund:", self.ground)
        form.addRow("&Nytt namn:", self.name)
        form.addRow("Gäller &från:", self.fran)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))

    def save(self) -> None:
        try:
            self.service.rename_ground(
                self.ground.currentData(), self.name.text(), from_qdate(self.fran.date()),
                date.today(),
            )  # fmt: skip
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
