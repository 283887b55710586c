"""The facts about a person that an uppdrag and a kö-anmälan share: kön, födelseår (with
the derived age and "unga vuxna"), kommun, kontaktorsaker and prioritetsgrunder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from po_desk.domain import categories
from po_desk.domain.categories import Category
from po_desk.domain.verksamhet import Kommun
from po_desk.services.uppdrag_service import UppdragService
from po_desk.ui.widgets import CategoryChecks, category_combo, choice_combo, select_data


class PersonFields:
    """Builds the widgets; the dialog places the rows and boxes in its own layout."""

    def __init__(
        self,
        kommuner: list[Kommun],
        grounds: list[Category],
        age_label: str,
        orsaker: tuple[Category, ...] = categories.KONTAKTORSAKER,
    ) -> None:
        self._age_label = age_label
        self._reference_year = date.today().year
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
        self.orsaker = CategoryChecks(orsaker)
        manual = tuple(g for g in grounds if g.code not in categories.DERIVED_PRIORITETSGRUNDER)
        self.grunder = CategoryChecks(manual, columns=1)
        self.young_hint = QLabel()
        self.fodelsear.valueChanged.connect(self._update_hints)
        self._update_hints()

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("&Kön:", self.kon)
        birth_row = QHBoxLayout()
        birth_row.addWidget(self.fodelsear)
        birth_row.addWidget(self.age_hint)
        birth_row.addStretch()
        birth_label = QLabel("&Födelseår:")
        birth_label.setBuddy(self.fodelsear)
        form.addRow(birth_label, birth_row)
        form.addRow("Ko&mmun:", self.kommun)

    def boxes(self) -> tuple[QGroupBox, QGroupBox]:
        orsak_box = QGroupBox("Kontaktorsaker (minst en)")
        QVBoxLayout(orsak_box).addWidget(self.orsaker)
        grund_box = QGroupBox("Prioritetsgrunder")
        grund_layout = QVBoxLayout(grund_box)
        grund_layout.addWidget(self.grunder)
        grund_layout.addWidget(self.young_hint)
        return orsak_box, grund_box

    def set_reference_year(self, year: int) -> None:
        """The year the age is counted in (start of the uppdrag, or the anmäld date)."""
        self._reference_year = year
        self._update_hints()

    def load(
        self,
        kon: str,
        fodelsear: int,
        kommun_id: str,
        kontaktorsaker: tuple[str, ...],
        prioritetsgrunder: tuple[str, ...],
    ) -> None:
        select_data(self.kon, kon)
        self.fodelsear.setValue(fodelsear)
        select_data(self.kommun, kommun_id)
        self.orsaker.set_selected(kontaktorsaker)
        self.grunder.set_selected(prioritetsgrunder)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Calls `callback` whenever any of the fields changes."""
        self.kon.currentIndexChanged.connect(lambda _i: callback())
        self.fodelsear.valueChanged.connect(lambda _v: callback())
        self.kommun.currentIndexChanged.connect(lambda _i: callback())
        self.orsaker.on_toggle(callback)
        self.grunder.on_toggle(callback)

    def values(self) -> dict[str, object]:
        return {
            "kon": self.kon.currentData() or "",
            "fodelsear": self.fodelsear.value(),
            "kommun_id": self.kommun.currentData() or "",
            "kontaktorsaker": self.orsaker.selected(),
            "prioritetsgrunder": self.grunder.selected(),
        }

    def _update_hints(self) -> None:
        hint = UppdragService.age_hint(self.fodelsear.value(), self._reference_year)
        shown = f" ({hint.group.replace('-', '–')})" if hint.group else " – under 18"
        self.age_hint.setText(f"{hint.age} år {self._age_label}{shown}")
        met = "uppfylls" if hint.young_adult else "uppfylls inte"
        self.young_hint.setText(f"Unga vuxna 18–29 år: {met} (räknas fram ur födelseåret).")
