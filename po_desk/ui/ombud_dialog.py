"""Adding or editing an ombud (staff): namn or initialer, kön, tjänstgöringsgrad, dates."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.errors import ConflictError, PoDeskError
from po_desk.domain.formatting import decimal
from po_desk.domain.verksamhet import Ombud
from po_desk.services.verksamhet_service import VerksamhetService
from po_desk.ui.messages import adopt_version, error_text
from po_desk.ui.widgets import (
    OptionalDate,
    category_combo,
    date_edit,
    dialog_buttons,
    error_label,
    from_qdate,
    select_data,
    to_qdate,
)


def _history(ombud: Ombud | None) -> str:
    if ombud is None or not ombud.grader:
        return "–"
    return "; ".join(f"{decimal(p.grad)} från {p.fran.isoformat()}" for p in ombud.grader)


class OmbudDialog(QDialog):
    def __init__(
        self, service: VerksamhetService, ombud: Ombud | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.original = ombud
        self.setWindowTitle("Ombud" if ombud else "Nytt ombud")
        self.namn = QLineEdit()
        self.namn.setAccessibleName("Namn eller initialer")
        self.kon = category_combo(categories.KON)
        self.kon.setAccessibleName("Kön")
        self.grad = QDoubleSpinBox()
        self.grad.setRange(0.05, 1.0)
        self.grad.setSingleStep(0.05)
        self.grad.setValue(1.0)
        self.grad.setAccessibleName("Tjänstgöringsgrad")
        self.fran = date_edit()
        self.fran.setAccessibleName("Från")
        self.till = OptionalDate("Slutat:", "Till")
        # A changed grad gets a date of its own: past years keep the grad in force then.
        self.grad_fran = date_edit()
        self.grad_fran.setAccessibleName("Ny tjänstgöringsgrad gäller från")
        self.history = QLabel(_history(ombud))
        self.history.setWordWrap(True)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Namn eller initialer:", self.namn)
        form.addRow("&Kön:", self.kon)
        form.addRow("&Tjänstgöringsgrad (0–1):", self.grad)
        if ombud is not None:
            form.addRow("Ändrad grad &gäller från:", self.grad_fran)
            form.addRow("Tidigare grader:", self.history)
        form.addRow("&Från:", self.fran)
        form.addRow("", self.till)
        buttons = dialog_buttons(self, "&Spara", "Avbryt", self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        if ombud is not None:
            self.namn.setText(ombud.namn)
            select_data(self.kon, ombud.kon)
            self.grad.setValue(ombud.tjanstgoringsgrad)
            self.fran.setDate(to_qdate(ombud.fran))
            self.till.set_value(ombud.till)

    def current(self) -> Ombud:
        values = {
            "namn": self.namn.text().strip(),
            "kon": self.kon.currentData(),
            "tjanstgoringsgrad": round(self.grad.value(), 2),
            "fran": from_qdate(self.fran.date()),
            "till": self.till.value(),
        }
        if self.original is None:
            return Ombud(**values)
        changed = replace(self.original, **values)
        if abs(changed.tjanstgoringsgrad - self.original.tjanstgoringsgrad) > 1e-9:
            changed = changed.with_grad(
                from_qdate(self.grad_fran.date()), changed.tjanstgoringsgrad
            )
        return changed

    def save(self) -> None:
        try:
            self.service.save_ombud(self.current())
        except ConflictError as error:
            adopt_version(self, error)  # saving again overwrites knowingly
            self.errors.setText(error_text(error))
            return
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
