"""The kö: anmälningar and their statuses, the prioriteringsordning, intagningsstopp, and
the kö figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from po_desk.domain import categories, intagningsstopp, ko, vantetid
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import Chosen, record_problems
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import STATUS_LABELS, Anmalan, KoStatus, Prioriteringsordning
from po_desk.domain.uppdrag import Uppdrag, age_group, age_in_year
from po_desk.services import free_text
from po_desk.services.changes import writes
from po_desk.services.uppdrag_service import UppdragService
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.ko_repo import KoRepository
from po_desk.store.prioritering_repo import PrioriteringRepository
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import UppdragRepository
from po_desk.store.verksamhet_repo import VerksamhetRepository

REASON_LABEL = "Orsak"


@dataclass(frozen=True)
class KoRow:
    """One line of the kö as shown: its place (None for an ended anmälan), days waited,
    grounds (deciding one first), kön and åldersgrupp, kommun, status, and why it is where
    it is. The view shows these as they are; it does not order or explain."""

    plats: int | None
    anmalan: Anmalan
    vantat: int
    grunder: str
    kon_alder: str
    kommun: str
    status: str
    why: str


def _ended_text(anmalan: Anmalan) -> str:
    when = anmalan.status_datum.isoformat() if anmalan.status_datum else ""
    text = f"{STATUS_LABELS.get(anmalan.status, anmalan.status)} {when}"
    if anmalan.status == KoStatus.EJ_AKTUELL and anmalan.orsak:
        text += f": {anmalan.orsak}"
    return text


def _category_codes(anmalan: Anmalan | None) -> list[Chosen]:
    if anmalan is None:
        return []
    return [
        (CategoryKind.KONTAKTORSAK, anmalan.kontaktorsaker, anmalan.anmald),
        (CategoryKind.PRIORITETSGRUND, anmalan.prioritetsgrunder, anmalan.anmald),
    ]


class KoService:
    def __init__(self, store: Store, uppdrag: UppdragService) -> None:
        self._repo = KoRepository(store)
        self._prioritering = PrioriteringRepository(store)
        self._uppdrag_repo = UppdragRepository(store)
        self._verksamhet = VerksamhetRepository(store)
        self._uppdrag = uppdrag
        self._categories = CategoryRepository(store)

    # -- anmälningar ---------------------------------------------------------------------

    def all(self) -> list[Anmalan]:
        return self._repo.list_all()

    def get(self, anmalan_id: str) -> Anmalan | None:
        return self._repo.get(anmalan_id)

    def waiting(self) -> list[Anmalan]:
        return self._repo.list_waiting()

    def queue(self, day: date | None = None, ended: bool = False) -> list[KoRow]:
        """The kö as the Kö view shows it on `day`: the waiting in the order in force, each
        with its place and explanation; with `ended`, the ended anmälningar, newest first."""
        day = day or date.today()
        order = self.order_in_force(day).grunder
        names = self.ground_names()
        kommuner = {k.id: k.namn for k in self._verksamhet.get().kommuner}

        def row(place: int | None, anmalan: Anmalan) -> KoRow:
            grounds = ko.grounds_in_order(anmalan, order, day)
            group = (age_group(age_in_year(anmalan.fodelsear, day.year)) or "under 18").replace(
                "-", "–"
            )
            return KoRow(
                plats=place,
                anmalan=anmalan,
                vantat=anmalan.days_waited(day),
                grunder=", ".join(categories.SHORT_NAMES.get(g) or names.get(g, g) for g in grounds)
                or "–",
                kon_alder=f"{categories.name_of(categories.KON, anmalan.kon)}, {group}",
                kommun=kommuner.get(anmalan.kommun_id, ""),
                status=STATUS_LABELS.get(anmalan.status, anmalan.status),
                why=ko.explain(anmalan, order, day, names, grounds)
                if anmalan.is_waiting
                else _ended_text(anmalan),
            )

        if ended:
            items = [a for a in self.all() if not a.is_waiting]
            items.sort(key=lambda a: (a.status_datum or a.anmald, a.kod), reverse=True)
            return [row(None, a) for a in items]
        ordered = ko.order_ko(self.waiting(), order, day)
        return [row(place, a) for place, a in enumerate(ordered, start=1)]

    def _known_ids(self) -> tuple[set[str], set[str]]:
        kommun_ids = {k.id for k in self._verksamhet.get().kommuner}
        return kommun_ids, {g.code for g in self.grounds()}

    def problems(self, anmalan: Anmalan, today: date | None = None) -> list[str]:
        problems = ko.validate(anmalan, *self._known_ids(), today or date.today())
        # Kontaktorsaker and grounds deactivated by the anmäld date (a stored anmälan keeps
        # its own); an unknown code already has its message from the rules.
        before = self._repo.get(anmalan.id) if anmalan.id else None
        found = record_problems(
            self._categories.catalogue(), _category_codes(anmalan), _category_codes(before)
        )
        problems += [p for p in found if not p.startswith("Okänd")]
        return problems

    def category_choices(self, keep: Iterable[str] = ()) -> tuple[Category, ...]:
        """The kontaktorsaker a form offers: the active ones and the record's own."""
        return self._categories.choices(CategoryKind.KONTAKTORSAK, keep)

    @writes(ko=True)
    def save(
        self, anmalan: Anmalan, warnings_confirmed: bool = False, today: date | None = None
    ) -> Anmalan:
        problems = self.problems(anmalan, today)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({REASON_LABEL: anmalan.orsak}, warnings_confirmed)
        return self._repo.save(anmalan)

    @writes(ko=True)
    def add_many(self, items: list[Anmalan], today: date | None = None) -> None:
        """Validates all, then saves all in one transaction, or none."""
        kommun_ids, known = self._known_ids()
        problems = [
            f"Rad {index}: {problem}"
            for index, item in enumerate(items, start=1)
            for problem in ko.validate(item, kommun_ids, known, today or date.today())
        ]
        if problems:
            raise ValidationFailed(problems)
        self._repo.save_many(items)

    def _waiting(self, anmalan_id: str) -> Anmalan:
        current = self._repo.get(anmalan_id)
        if current is None or not current.is_waiting:
            raise ValidationFailed(["Anmälan väntar inte längre i kön."])
        return current

    @writes(ko=True)
    def offer(self, anmalan_id: str, day: date) -> Anmalan:
        current = self._waiting(anmalan_id)
        return self.save(replace(current, status=KoStatus.ERBJUDEN, erbjuden=day))

    @writes(ko=True)
    def withdraw(self, anmalan_id: str, day: date) -> Anmalan:
        current = self._waiting(anmalan_id)
        return self.save(replace(current, status=KoStatus.ATERTAGEN, status_datum=day))

    @writes(ko=True)
    def not_relevant(
        self, anmalan_id: str, day: date, reason: str, warnings_confirmed: bool = False
    ) -> Anmalan:
        current = self._waiting(anmalan_id)
        changed = replace(current, status=KoStatus.EJ_AKTUELL, status_datum=day, orsak=reason)
        return self.save(changed, warnings_confirmed)

    def uppdrag_from(self, anmalan: Anmalan, start: date | None = None) -> Uppdrag:
        """A new uppdrag carrying what the anmälan knows; not saved."""
        return Uppdrag(
            kon=anmalan.kon,
            fodelsear=anmalan.fodelsear,
            kommun_id=anmalan.kommun_id,
            start=start or date.today(),
            kontaktorsaker=anmalan.kontaktorsaker,
            anmald=anmalan.anmald,
            prioritetsgrunder=anmalan.prioritetsgrunder,
        )

    @writes(ko=True, uppdrag=True, klient=True)
    def start(
        self,
        anmalan_id: str,
        uppdrag: Uppdrag,
        warnings_confirmed: bool = False,
        today: date | None = None,
    ) -> Uppdrag:
        """Påbörja: the uppdrag is created and the anmälan leaves the kö, in one transaction;
        the väntetid counts from the anmäld date."""
        current = self._waiting(anmalan_id)
        uppdrag = replace(uppdrag, anmald=current.anmald, id=None, kod="")
        # Återkommande klient: the new period joins the person of the earlier kod.
        uppdrag = self._uppdrag.with_klient(uppdrag)
        problems = self._uppdrag.problems(uppdrag, today)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Anteckning": uppdrag.anteckning}, warnings_confirmed)
        return self._repo.start_uppdrag(anmalan_id, uppdrag)

    # -- prioriteringsordning ------------------------------------------------------------

    def grounds(self) -> list[Category]:
        return self._prioritering.grounds()

    def ground_choices(self, keep: Iterable[str] = ()) -> list[Category]:
        """The grounds a form offers: the active ones, and those in `keep` (the record's
        own) even if deactivated since; today's names."""
        choices = self._categories.catalogue().choices(
            CategoryKind.PRIORITETSGRUND, date.today(), tuple(keep)
        )
        return list(choices)

    def ground_names(self) -> dict[str, str]:
        return {g.code: g.name for g in self.grounds()}

    def versions(self) -> list[Prioriteringsordning]:
        return self._prioritering.versions()

    def decision_in_force(self, day: date | None = None) -> Prioriteringsordning | None:
        """The decided ordning (or the decision "ingen") in force, None when none is."""
        return ko.in_force(self.versions(), day or date.today())

    def order_in_force(self, day: date | None = None) -> Prioriteringsordning:
        """What orders the kö: the decision in force, else the proposal (`is_decided` is
        False then and the kö says "ej beslutad"). With the decision "ingen" the kö goes
        in anmäld order (no grounds)."""
        day = day or date.today()
        current = self.decision_in_force(day)
        return current if current is not None else ko.proposal(day)

    @writes(prioritering=True, ko=True)
    def add_version(
        self,
        beslutad: date,
        grunder: tuple[str, ...],
        anteckning: str = "",
        beslutad_av: str | None = "ledningsgrupp",
        ingen: bool = False,
    ) -> Prioriteringsordning:
        """Records a decision: the date and who decided are required."""
        problems = ko.validate_order(grunder, {g.code for g in self.grounds()}, ingen)
        if beslutad_av not in ko.BESLUTAD_AV:
            problems.append("Ange vem som beslutade: ledningsgruppen eller enhetschefen.")
        if beslutad > date.today():
            problems.append("Beslutsdatum kan inte ligga i framtiden.")
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Anteckning": anteckning}, warnings_confirmed=True)
        return self._prioritering.add_version(
            Prioriteringsordning(
                beslutad=beslutad,
                grunder=grunder,
                anteckning=anteckning,
                beslutad_av=beslutad_av,
                ingen=ingen,
            )
        )

    @writes(prioritering=True, ko=True)
    def record_none(
        self, beslutad: date, beslutad_av: str | None, anteckning: str = ""
    ) -> Prioriteringsordning:
        """Records "Verksamheten har ingen prioriteringsordning" from `beslutad` on."""
        return self.add_version(beslutad, (), anteckning, beslutad_av, ingen=True)

    @writes(prioritering=True)
    def add_ground(self, name: str) -> str:
        name = name.strip()
        existing = self.grounds()
        if not name:
            raise ValidationFailed(["Ange ett namn på grunden."])
        if name.casefold() in {g.name.casefold() for g in existing}:
            raise ValidationFailed(["Det finns redan en grund med det namnet."])
        free_text.check({"Grund": name})
        code = categories.code_for(name, {g.code for g in existing})
        self._prioritering.add_ground(code, name)
        return code

    @writes(prioritering=True, ko=True, uppdrag=True)
    def rename_ground(self, code: str, name: str, fran: date, today: date | None = None) -> None:
        """A prioritetsgrund gets a new name from `fran`; a past year's return keeps the
        name in force then (dated category names)."""
        name = name.strip()
        others = [g for g in self.grounds() if g.code != code]
        problems = []
        if code not in {g.code for g in self.grounds()}:
            problems.append("Grunden finns inte.")
        if not name:
            problems.append("Ange ett namn på grunden.")
        if name.casefold() in {g.name.casefold() for g in others}:
            problems.append("Det finns redan en grund med det namnet.")
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Grund": name})
        self._prioritering.rename_ground(code, name, fran, today or date.today())

    def ground_names_on(self, day: date) -> dict[str, str]:
        return self._prioritering.ground_names_on(day)

    # -- intagningsstopp -----------------------------------------------------------------

    def stopp(self) -> list[Intagningsstopp]:
        return self._prioritering.stopp()

    def stopp_in_force(self, day: date | None = None) -> Intagningsstopp | None:
        return intagningsstopp.in_force(self.stopp(), day or date.today())

    @writes(prioritering=True, ko=True)
    def save_stopp(self, period: Intagningsstopp, warnings_confirmed: bool = False) -> None:
        problems = intagningsstopp.validate(period)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({REASON_LABEL: period.orsak}, warnings_confirmed)
        self._prioritering.save_stopp(period)

    # -- figures -------------------------------------------------------------------------

    def current_figures(
        self, today: date | None = None, waiting: list[Anmalan] | None = None
    ) -> vantetid.CurrentKoFigures:
        """Today's figures; pass `waiting` when the caller has just loaded it."""
        today = today or date.today()
        recent = self._uppdrag_repo.started_since(today - timedelta(days=366))
        return vantetid.current_figures(
            self.waiting() if waiting is None else waiting,
            recent,
            self.order_in_force(today).grunder,
            today,
        )

    def year_figures(self, year: int) -> vantetid.YearKoFigures:
        return vantetid.year_figures(self.all(), self._uppdrag_repo.list_all(), self.stopp(), year)
