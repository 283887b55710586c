"""Recording the ledningsgrupp's återkoppling on an avvikelse and moving its status."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.avvikelse import STATUS_LABELS, Avvikelse
from po_desk.domain.errors import ConflictError
from po_desk.services.avvikelse_service import AvvikelseService
from po_desk.ui.avvikelse_dialog import text_box
from po_desk.ui.messages import save_with_guard
from po_desk.ui.widgets import choice_combo, date_edit, dialog_buttons, error_label, from_qdate


class FeedbackDialog(QDialog):
    def __init__(
        self, service: AvvikelseService, avvikelse: Avvikelse, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.avvikelse = avvikelse
        self.setWindowTitle("Återkoppling och status")
        targets = service.feedback_targets(avvikelse)
        self.target = choice_combo((STATUS_LABELS[t], t) for t in targets)
        self.target.setCurrentIndex(-1)
        self.target.setPlaceholderText("Välj ny status")
        self.target.setAccessibleName("Ny status")
        self.day = date_edit()
        self.day.setAccessibleName("Datum för återkopplingen")
        self.text = text_box("Återkoppling", 90)
        self.text.setPlainText(avvikelse.aterkoppling)
        summary = QLabel(f"Nuvarande status: {STATUS_LABELS[avvikelse.status]}")
        self.hint = QLabel(_hint(avvikelse))
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Så går status vidare")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Ny status:", self.target)
        form.addRow("&Datum:", self.day)
        form.addRow("&Återkoppling:", self.text)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))
        self.resize(560, 0)

    def save(self) -> None:
        target = self.target.currentData()
        if target is None:
            self.errors.setText("Välj vilken status avvikelsen ska få.")
            self.target.setFocus()
            return
        self.errors.clear()
        text = self.text.toPlainText().strip()
        day = from_qdate(self.day.date())
        done = save_with_guard(
            self,
            lambda ok: self.service.move(
                self.avvikelse.id or "", target, text, day, ok, self.avvikelse.version
            ),
            self._conflicted,
        )
        if done is not None:
            self.accept()

    def _conflicted(self, error: ConflictError) -> None:
        """Shown by save_with_guard; saving again overwrites knowingly."""
        self.avvikelse = replace(self.avvikelse, version=error.version)


def _hint(avvikelse: Avvikelse) -> str:
    if avvikelse.awaits_meeting:
        return (
            "En ny avvikelse lyfts i ledningsgruppen: registrera mötet under Avvikelser → "
            "Ledningsgrupp → Nytt möte… och bocka för avvikelsen där. Här kan den bara "
            "avslutas utan åtgärd, till exempel om den registrerades av misstag."
        )
    return "Välj den status som ledningsgruppens återkoppling ger avvikelsen."
