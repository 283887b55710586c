"""Creating and editing one uppdrag, with every field of DESIGN §3 and Swedish validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Kommun, Ombud
from po_desk.services.uppdrag_service import UppdragService
from po_desk.ui.messages import accept_if_saved, edited
from po_desk.ui.person_fields import PersonFields
from po_desk.ui.widgets import (
    OptionalDate,
    category_combo,
    choice_combo,
    date_edit,
    dialog_buttons,
    error_label,
    from_qdate,
    select_data,
    to_qdate,
)


def _barn_history(uppdrag: Uppdrag | None) -> str:
    if uppdrag is None:
        return "–"
    parts = [f"{categories.name_of(categories.BARN, uppdrag.barn)} från start"]
    parts += [
        f"{categories.name_of(categories.BARN, c.barn)} från {c.fran.isoformat()}"
        for c in uppdrag.barn_andringar
    ]
    return "; ".join(parts)


class UppdragDialog(QDialog):
    """After exec() == Accepted, `saved` is the stored uppdrag."""

    def __init__(
        self,
        service: UppdragService,
        kommuner: list[Kommun],
        ombud: list[Ombud],
        uppdrag: Uppdrag | None = None,
        parent: QWidget | None = None,
        grounds: list[Category] | None = None,
        saver: Callable[[Uppdrag, bool], Uppdrag] | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.original = uppdrag
        self.saved: Uppdrag | None = None
        # Påbörja from the kö saves through the kö service; everything else saves directly.
        self._saver = saver or (lambda item, confirmed: service.save(item, confirmed))
        default_title = f"Uppdrag {uppdrag.kod}" if uppdrag and uppdrag.kod else "Nytt uppdrag"
        self.setWindowTitle(title or default_title)

        self.kod = QLabel(uppdrag.kod if uppdrag and uppdrag.kod else "Tilldelas när det sparas")
        # Återkommande klient: a new uppdrag may continue the person of an ended one; an
        # existing uppdrag shows which earlier uppdrag it follows.
        self.is_new = uppdrag is None or uppdrag.id is None
        self._candidates = service.returning_candidates() if self.is_new else []
        self.returning = choice_combo(
            (
                (f"{u.kod} ({u.kon}, född {u.fodelsear}, avslutat {u.slut})", u.kod)
                for u in self._candidates
            ),
            "Nej, ny klient",
        )
        self.returning.setAccessibleName("Återkommande klient")
        self.returning.setToolTip(
            "Välj koden för klientens tidigare, avslutade uppdrag när en person kommer "
            "tillbaka. Då räknas hen som samma klient och tidigare års siffror ändras inte."
        )
        self.returning.currentIndexChanged.connect(self._returning_chosen)
        earlier = None if self.is_new or uppdrag is None else service.earlier_kod(uppdrag)
        self.earlier = QLabel(earlier or "–")
        # Created after the återkommande choice, so the tab order follows the form.
        self.person = PersonFields(
            kommuner,
            grounds or list(categories.PRIORITETSGRUNDER),
            "vid start",
            service.category_choices(
                CategoryKind.KONTAKTORSAK, uppdrag.kontaktorsaker if uppdrag else ()
            ),
        )
        self.ombud = choice_combo(((o.namn, o.id) for o in ombud), "Inget valt")
        self.ombud.setAccessibleName("Ombud")
        self.anmald = OptionalDate("Anmäld via kö/anmälan:", "Anmäld")
        self.start = date_edit()
        self.start.setAccessibleName("Start")
        self.barn = category_combo(categories.BARN)
        self.barn.setAccessibleName("Hemmavarande barn")
        # A change of barn during an existing uppdrag is dated: past years keep theirs.
        self.barn_fran = date_edit()
        self.barn_fran.setAccessibleName("Ändrade barn gäller från")
        self.barn_fran.setToolTip(
            "Dagen då uppgiften om barn ändrades. Välj uppdragets startdatum för att rätta "
            "uppgiften för hela uppdraget."
        )
        self.barn_history = QLabel(_barn_history(uppdrag))
        self.barn_history.setWordWrap(True)
        self.hanvisad = category_combo(
            service.category_choices(
                CategoryKind.HANVISAD_FRAN, (uppdrag.hanvisad_fran,) if uppdrag else ()
            ),
            "Ej angivet",
        )
        self.hanvisad.setAccessibleName("Hänvisad från")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Anteckning")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.note.setPlaceholderText("Inga namn, personnummer, adresser eller telefonnummer.")
        # A closed uppdrag shows its slut and avslutsorsak so a mistake can be corrected.
        self.slut = date_edit()
        self.slut.setAccessibleName("Slutdatum")
        self.avslutsorsak = category_combo(
            service.category_choices(
                CategoryKind.AVSLUTSORSAK, (uppdrag.avslutsorsak,) if uppdrag else ()
            ),
            "Välj…",
        )
        self.avslutsorsak.setAccessibleName("Avslutsorsak")
        is_closed = uppdrag is not None and uppdrag.slut is not None
        self.errors = error_label()

        form = QFormLayout()
        form.addRow("Kod:", self.kod)
        if self.is_new:
            if self._candidates:  # only when someone could come back
                form.addRow("Åter&kommande klient:", self.returning)
        else:
            form.addRow("Tidigare uppdrag:", self.earlier)
        self.person.add_rows(form)
        form.addRow("&Ombud:", self.ombud)
        form.addRow("", self.anmald)
        form.addRow("&Start:", self.start)
        form.addRow("&Barn under 18 hemma:", self.barn)
        if not self.is_new:
            form.addRow("Ändring av barn &gäller från:", self.barn_fran)
            form.addRow("Barn, historik:", self.barn_history)
        form.addRow("&Hänvisad från:", self.hanvisad)
        if is_closed:
            form.addRow("S&lut:", self.slut)
            form.addRow("A&vslutsorsak:", self.avslutsorsak)
        orsak_box, grund_box = self.person.boxes()
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

        self.start.dateChanged.connect(
            lambda: self.person.set_reference_year(from_qdate(self.start.date()).year)
        )
        if uppdrag is not None:
            self._load(uppdrag)
        self.person.set_reference_year(from_qdate(self.start.date()).year)
        self.person.kon.setFocus()

    def _load(self, uppdrag: Uppdrag) -> None:
        self.person.load(
            uppdrag.kon,
            uppdrag.fodelsear,
            uppdrag.kommun_id,
            uppdrag.kontaktorsaker,
            uppdrag.prioritetsgrunder,
        )
        select_data(self.ombud, uppdrag.ombud_id)
        self.anmald.set_value(uppdrag.anmald)
        self.start.setDate(to_qdate(uppdrag.start))
        select_data(self.barn, self.service.barn_now(uppdrag, date.today()))
        select_data(self.hanvisad, uppdrag.hanvisad_fran)
        self.note.setPlainText(uppdrag.anteckning or "")
        if uppdrag.slut:
            self.slut.setDate(to_qdate(uppdrag.slut))
            select_data(self.avslutsorsak, uppdrag.avslutsorsak)

    def _returning_chosen(self) -> None:
        """Kön and födelseår are the person's: taken from the earlier uppdrag."""
        kod = self.returning.currentData()
        for item in self._candidates:
            if item.kod == kod:
                select_data(self.person.kon, item.kon)
                self.person.fodelsear.setValue(item.fodelsear)

    def current(self) -> Uppdrag:
        base = self.original
        values = {
            **self.person.values(),
            "ombud_id": self.ombud.currentData(),
            "anmald": self.anmald.value(),
            "start": from_qdate(self.start.date()),
            "hanvisad_fran": self.hanvisad.currentData(),
            "anteckning": self.note.toPlainText().strip() or None,
        }
        if self.is_new or base is None:
            values["barn"] = self.barn.currentData()
        if self.is_new:
            values["tidigare_kod"] = self.returning.currentData() or None
        if base is not None and base.slut is not None:
            values["slut"] = from_qdate(self.slut.date())
            values["avslutsorsak"] = self.avslutsorsak.currentData()
        result = edited(base, Uppdrag, values)
        if not self.is_new and base is not None:
            chosen, fran = self.barn.currentData(), from_qdate(self.barn_fran.date())
            result = self.service.with_barn_choice(base, result, chosen, fran, date.today())
        return result

    def save(self) -> None:
        candidate = self.current()
        problems = self.service.problems(candidate)
        accept_if_saved(self, self.errors, problems, lambda ok: self._saver(candidate, ok))
