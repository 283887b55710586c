"""A new or edited kö-anmälan: anmäld date and the counted facts about the person."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.categories import Category
from po_desk.domain.ko import Anmalan
from po_desk.domain.verksamhet import Kommun
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import accept_if_saved, edited
from po_desk.ui.person_fields import PersonFields
from po_desk.ui.widgets import date_edit, dialog_buttons, error_label, from_qdate, to_qdate


class AnmalanDialog(QDialog):
    def __init__(
        self,
        service: KoService,
        kommuner: list[Kommun],
        grounds: list[Category],
        anmalan: Anmalan | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.original = anmalan
        self.saved: Anmalan | None = None
        self.setWindowTitle(f"Anmälan {anmalan.kod}" if anmalan else "Ny anmälan till kön")
        self.anmald = date_edit()
        self.anmald.setAccessibleName("Anmäld")
        self.person = PersonFields(
            kommuner,
            grounds,
            "i år",
            service.category_choices(anmalan.kontaktorsaker if anmalan else ()),
        )
        self.person.set_reference_year(from_qdate(self.anmald.date()).year)
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("Kod:", QLabel(anmalan.kod if anmalan else "Tilldelas när den sparas"))
        form.addRow("&Anmäld:", self.anmald)
        self.person.add_rows(form)
        orsak_box, grund_box = self.person.boxes()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(orsak_box)
        layout.addWidget(grund_box)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))
        if anmalan is not None:
            self.anmald.setDate(to_qdate(anmalan.anmald))
            self.person.load(
                anmalan.kon,
                anmalan.fodelsear,
                anmalan.kommun_id,
                anmalan.kontaktorsaker,
                anmalan.prioritetsgrunder,
            )
        self.person.kon.setFocus()
        self.person.on_change(self._recheck)
        self.anmald.dateChanged.connect(lambda _d: self._recheck())

    def current(self) -> Anmalan:
        values = {**self.person.values(), "anmald": from_qdate(self.anmald.date())}
        return edited(self.original, Anmalan, values)

    def _recheck(self) -> None:
        """Once problems are listed, the list follows the fields: fixed ones disappear."""
        if self.errors.text():
            problems = self.service.problems(self.current())
            self.errors.setText("\n".join(f"• {problem}" for problem in problems))

    def save(self) -> None:
        candidate = self.current()
        accept_if_saved(
            self,
            self.errors,
            self.service.problems(candidate),
            lambda ok: self.service.save(candidate, ok),
        )
