"""Creating and editing one uppdrag, with every field of DESIGN §3 and Swedish validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.uppdrag import Uppdrag, age_group, age_in_year
from po_desk.domain.verksamhet import Kommun, Ombud
from po_desk.services.uppdrag_service import UppdragService
from po_desk.ui.messages import save_with_guard
from po_desk.ui.widgets import (
    CategoryChecks,
    category_combo,
    choice_combo,
    date_edit,
    dialog_buttons,
    error_label,
    from_qdate,
    select_data,
    to_qdate,
)

MANUAL_GROUNDS = tuple(
    c for c in categories.PRIORITETSGRUNDER if c.code not in categories.DERIVED_PRIORITETSGRUNDER
)


class UppdragDialog(QDialog):
    """After exec() == Accepted, `saved` is the stored uppdrag."""

    def __init__(
        self,
        service: UppdragService,
        kommuner: list[Kommun],
        ombud: list[Ombud],
        uppdrag: Uppdrag | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.original = uppdrag
        self.saved: Uppdrag | None = None
        self.setWindowTitle(f"Uppdrag {uppdrag.kod}" if uppdrag else "Nytt uppdrag")

        self.kod = QLabel(uppdrag.kod if uppdrag else "Tilldelas när uppdraget sparas")
        self.kon = category_combo(categories.KON, "Välj…")
        self.kon.setAccessibleName("Kön")
        self.fodelsear = QSpinBox()
        self.fodelsear.setRange(1900, date.today().year)
        self.fodelsear.setValue(date.today().year - 40)
        self.fodelsear.setAccessibleName("Födelseår")
        self.age_hint = QLabel()
        self.kommun = choice_combo(((k.namn, k.id) for k in kommuner), "Välj…")
        if len(kommuner) == 1:
            self.kommun.setCurrentIndex(1)
        self.kommun.setAccessibleName("Kommun")
        self.ombud = choice_combo(((o.namn, o.id) for o in ombud), "Inget valt")
        self.ombud.setAccessibleName("Ombud")
        self.has_anmald = QCheckBox("Anmäld via kö/anmälan:")
        self.anmald = date_edit()
        self.anmald.setEnabled(False)
        self.anmald.setAccessibleName("Anmäld")
        self.start = date_edit()
        self.start.setAccessibleName("Start")
        self.barn = category_combo(categories.BARN)
        self.barn.setAccessibleName("Hemmavarande barn")
        self.hanvisad = category_combo(categories.HANVISAD_FRAN, "Ej angivet")
        self.hanvisad.setAccessibleName("Hänvisad från")
        self.orsaker = CategoryChecks(categories.KONTAKTORSAKER)
        self.grunder = CategoryChecks(MANUAL_GROUNDS, columns=1)
        self.young_hint = QLabel()
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Anteckning")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.note.setPlaceholderText("Inga namn, personnummer, adresser eller telefonnummer.")
        # A closed uppdrag shows its slut and avslutsorsak so a mistake can be corrected.
        self.slut = date_edit()
        self.slut.setAccessibleName("Slutdatum")
        self.avslutsorsak = category_combo(categories.AVSLUTSORSAKER, "Välj…")
        self.avslutsorsak.setAccessibleName("Avslutsorsak")
        is_closed = uppdrag is not None and uppdrag.slut is not None
        self.errors = error_label()

        anmald_row = QHBoxLayout()
        anmald_row.addWidget(self.has_anmald)
        anmald_row.addWidget(self.anmald)
        anmald_row.addStretch()
        birth_row = QHBoxLayout()
        birth_row.addWidget(self.fodelsear)
        birth_row.addWidget(self.age_hint)
        birth_row.addStretch()

        form = QFormLayout()
        form.addRow("Kod:", self.kod)
        form.addRow("&Kön:", self.kon)
        birth_label = QLabel("&Födelseår:")
        birth_label.setBuddy(self.fodelsear)
        form.addRow(birth_label, birth_row)
        form.addRow("Ko&mmun:", self.kommun)
        form.addRow("&Ombud:", self.ombud)
        form.addRow("", anmald_row)
        form.addRow("&Start:", self.start)
        form.addRow("&Barn under 18 hemma:", self.barn)
        form.addRow("&Hänvisad från:", self.hanvisad)
        if is_closed:
            form.addRow("S&lut:", self.slut)
            form.addRow("A&vslutsorsak:", self.avslutsorsak)
        orsak_box = QGroupBox("Kontaktorsaker (minst en)")
        QVBoxLayout(orsak_box).addWidget(self.orsaker)
        grund_box = QGroupBox("Prioritetsgrunder vid intag")
        grund_layout = QVBoxLayout(grund_box)
        grund_layout.addWidget(self.grunder)
        grund_layout.addWidget(self.young_hint)
        buttons = dialog_buttons(self, "&Spara", "Avbryt", self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(orsak_box)
        layout.addWidget(grund_box)
        self.note_row = QWidget()
        note_layout = QFormLayout(self.note_row)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.addRow("&Anteckning:", self.note)
        self.note_row.setVisible(service.notes_enabled() or bool(uppdrag and uppdrag.anteckning))
        layout.addWidget(self.note_row)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

        self.has_anmald.toggled.connect(self.anmald.setEnabled)
        self.fodelsear.valueChanged.connect(self._update_hints)
        self.start.dateChanged.connect(self._update_hints)
        if uppdrag is not None:
            self._load(uppdrag)
        self._update_hints()
        self.kon.setFocus()

    def _load(self, uppdrag: Uppdrag) -> None:
        select_data(self.kon, uppdrag.kon)
        self.fodelsear.setValue(uppdrag.fodelsear)
        select_data(self.kommun, uppdrag.kommun_id)
        select_data(self.ombud, uppdrag.ombud_id)
        if uppdrag.anmald:
            self.has_anmald.setChecked(True)
            self.anmald.setDate(to_qdate(uppdrag.anmald))
        self.start.setDate(to_qdate(uppdrag.start))
        select_data(self.barn, uppdrag.barn)
        select_data(self.hanvisad, uppdrag.hanvisad_fran)
        self.orsaker.set_selected(uppdrag.kontaktorsaker)
        self.grunder.set_selected(uppdrag.prioritetsgrunder)
        self.note.setPlainText(uppdrag.anteckning or "")
        if uppdrag.slut:
            self.slut.setDate(to_qdate(uppdrag.slut))
            select_data(self.avslutsorsak, uppdrag.avslutsorsak)

    def _update_hints(self) -> None:
        start_year = from_qdate(self.start.date()).year
        age = age_in_year(self.fodelsear.value(), start_year)
        group = age_group(age)
        shown = f" ({group.replace('-', '–')})" if group else " – under 18"
        self.age_hint.setText(f"{age} år vid start{shown}")
        if group == "18-29":
            self.young_hint.setText("Unga vuxna 18–29 år: uppfylls (räknas fram ur födelseåret).")
        else:
            self.young_hint.setText(
                "Unga vuxna 18–29 år: uppfylls inte (räknas fram ur födelseåret)."
            )

    def current(self) -> Uppdrag:
        base = self.original
        values = {
            "kon": self.kon.currentData() or "",
            "fodelsear": self.fodelsear.value(),
            "kommun_id": self.kommun.currentData() or "",
            "ombud_id": self.ombud.currentData(),
            "anmald": from_qdate(self.anmald.date()) if self.has_anmald.isChecked() else None,
            "start": from_qdate(self.start.date()),
            "barn": self.barn.currentData(),
            "hanvisad_fran": self.hanvisad.currentData(),
            "kontaktorsaker": self.orsaker.selected(),
            "prioritetsgrunder": self.grunder.selected(),
            "anteckning": self.note.toPlainText().strip() or None,
        }
        if base is None:
            return Uppdrag(**values)
        if base.slut is not None:
            values["slut"] = from_qdate(self.slut.date())
            values["avslutsorsak"] = self.avslutsorsak.currentData()
        return replace(base, **values)

    def save(self) -> None:
        candidate = self.current()
        problems = self.service.problems(candidate)
        if problems:
            self.errors.setText("\n".join(f"• {p}" for p in problems))
            return
        self.errors.clear()
        saved = save_with_guard(self, lambda confirmed: self.service.save(candidate, confirmed))
        if saved is not None:
            self.saved = saved
            self.accept()
