"""Closing an uppdrag: slutdatum, avslutsorsak and, if there is a note, the offer to erase it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.categories import CategoryKind
from po_desk.domain.errors import ConflictError, PoDeskError
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services.uppdrag_service import UppdragService
from po_desk.ui.messages import error_text
from po_desk.ui.widgets import category_combo, date_edit, dialog_buttons, error_label, from_qdate


class CloseUppdragDialog(QDialog):
    def __init__(
        self, service: UppdragService, uppdrag: Uppdrag, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.uppdrag = uppdrag
        self.setWindowTitle(f"Avsluta uppdrag {uppdrag.kod}")
        self.slut = date_edit()
        self.slut.setAccessibleName("Slutdatum")
        self.orsak = category_combo(service.category_choices(CategoryKind.AVSLUTSORSAK), "Välj…")
        self.orsak.setAccessibleName("Avslutsorsak")
        self.erase_note = QCheckBox(
            "Radera anteckningen (som klienten och ombudet kommit överens om)"
        )
        self.erase_note.setChecked(True)
        self.erase_note.setVisible(bool(uppdrag.anteckning))
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Slutdatum:", self.slut)
        form.addRow("&Avslutsorsak:", self.orsak)
        buttons = dialog_buttons(self, "&Avsluta uppdraget", "Avbryt", self.close_uppdrag)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.erase_note)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def close_uppdrag(self) -> None:
        orsak = self.orsak.currentData()
        if orsak is None:
            self.errors.setText("Välj en avslutsorsak.")
            return
        try:
            self.service.close(
                self.uppdrag.id or "",
                from_qdate(self.slut.date()),
                orsak,
                erase_note=self.erase_note.isVisible() and self.erase_note.isChecked(),
                version=self.uppdrag.version,
            )
        except ConflictError as error:
            # Shown; a second click closes the uppdrag as it is stored now.
            self.uppdrag = replace(self.uppdrag, version=error.version)
            self.errors.setText(error_text(error))
            return
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
