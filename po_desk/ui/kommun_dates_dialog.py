"""Inställningar: from which and until which day each kommun is served (dated facts), so
that a past year's return lists the kommuner served then."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.errors import ConflictError, PoDeskError
from po_desk.services.verksamhet_service import VerksamhetService
from po_desk.ui.messages import error_text
from po_desk.ui.widgets import OptionalDate, dialog_buttons, error_label


class KommunDatesDialog(QDialog):
    def __init__(self, service: VerksamhetService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Kommunernas datum")
        self.kommuner = service.get().kommuner
        self.rows: list[tuple[OptionalDate, OptionalDate]] = []
        form = QFormLayout()
        for kommun in self.kommuner:
            fran = OptionalDate("Från:", f"{kommun.namn} från")
            till = OptionalDate("Till och med:", f"{kommun.namn} till och med")
            fran.set_value(kommun.fran)
            till.set_value(kommun.till)
            row = QHBoxLayout()
            row.addWidget(fran)
            row.addWidget(till)
            form.addRow(f"{kommun.namn}:", row)
            self.rows.append((fran, till))
        hint = QLabel(
            "Utan datum räknas kommunen för hela tiden. En kommun som verksamheten inte "
            "längre tjänar får ett slutdatum; tidigare år redovisar de kommuner som gällde då."
        )
        hint.setWordWrap(True)
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))

    def save(self) -> None:
        changed = [
            replace(kommun, fran=fran.value(), till=till.value())
            for kommun, (fran, till) in zip(self.kommuner, self.rows, strict=True)
        ]
        try:
            self.service.set_kommun_dates(changed)
        except ConflictError as error:
            # The dates stay as typed; saving again overwrites the other change knowingly.
            stored = {k.id: k.version for k in self.service.get().kommuner}
            self.kommuner = [replace(k, version=stored.get(k.id, k.version)) for k in self.kommuner]
            self.errors.setText(error_text(error))
            return
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
