"""Intagningsstopp: the periods so far, a new one, ending the one in force."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import PoDeskError
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import error_text, save_with_guard
from po_desk.ui.widgets import OptionalDate, date_edit, dialog_buttons, error_label, from_qdate


def describe(period: Intagningsstopp) -> str:
    till = period.till.isoformat() if period.till else "tills vidare"
    return f"{period.fran.isoformat()} – {till}: {period.orsak}"


class IntagningsstoppDialog(QDialog):
    def __init__(self, service: KoService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Intagningsstopp")
        periods = service.stopp()
        history = QLabel("<br>".join(describe(p) for p in reversed(periods)) or "Inga ännu.")
        history.setWordWrap(True)
        history.setAccessibleName("Tidigare intagningsstopp")
        self.current = service.stopp_in_force()
        self.end_current = QPushButton("&Avsluta pågående stopp i dag")
        self.end_current.setEnabled(self.current is not None and self.current.till is None)
        self.end_current.clicked.connect(self._end_current)
        self.fran = date_edit()
        self.fran.setAccessibleName("Från")
        self.till = OptionalDate("Till och med:", "Till")
        self.orsak = QLineEdit()
        self.orsak.setAccessibleName("Orsak")
        self.orsak.setPlaceholderText("Till exempel vakans, sjukfrånvaro, hög arbetsbelastning")
        form = QFormLayout()
        form.addRow("&Från:", self.fran)
        form.addRow("", self.till)
        form.addRow("&Orsak:", self.orsak)
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Perioder</b>"))
        layout.addWidget(history)
        layout.addWidget(self.end_current)
        layout.addWidget(QLabel("<b>Nytt intagningsstopp</b>"))
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara stoppet", "Stäng", self.save))
        self.resize(520, 0)

    def _end_current(self) -> None:
        if self.current is None:
            return
        try:
            self.service.save_stopp(replace(self.current, till=date.today()), True)
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()

    def save(self) -> None:
        period = Intagningsstopp(
            fran=from_qdate(self.fran.date()),
            till=self.till.value(),
            orsak=self.orsak.text().strip(),
        )
        done = save_with_guard(self, lambda ok: self.service.save_stopp(period, ok) or True)
        if done is not None:
            self.accept()
