"""Registering, editing, closing and reopening uppdrag; a klient who comes back gets a new
uppdrag linked to the earlier one (återkommande klient)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from po_desk.domain import categories, uppdrag_filter
from po_desk.domain import uppdrag as rules
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import CategoryCatalogue, record_problems
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.ko import YOUNG_ADULT_AGES
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.uppdrag_filter import UppdragFilter
from po_desk.services import free_text
from po_desk.services.changes import writes
from po_desk.services.matching import Matching
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import UppdragRepository
from po_desk.store.verksamhet_repo import VerksamhetRepository

NOTES_SETTING = "anteckningar_pa"
NOTE_LABEL = "Anteckning"


@dataclass(frozen=True)
class UppdragRow:
    """One line of the uppdrag register: the uppdrag with its kommun and ombud named."""

    uppdrag: Uppdrag
    kommun: str
    ombud: str
    kontaktorsaker: str = ""  # the names in force today (the store's catalogue), joined


@dataclass(frozen=True)
class AgeHint:
    """The form's hint beside födelseår: the age in the year it is counted in, the
    return's åldersgrupp (None under 18) and whether the person is an ung vuxen."""

    age: int
    group: str | None
    young_adult: bool


UppdragRows = Matching[UppdragRow]


class UppdragService:
    def __init__(self, store: Store) -> None:
        self._repo = UppdragRepository(store)
        self._verksamhet = VerksamhetRepository(store)
        self._categories = CategoryRepository(store)

    def category_choices(
        self, kind: CategoryKind, keep: Iterable[str | None] = ()
    ) -> tuple[Category, ...]:
        """What a form offers for `kind`: the active entries with today's names, and the
        codes the record already has (`keep`) even if deactivated since."""
        return self._categories.choices(kind, keep)

    def categories(self) -> CategoryCatalogue:
        """The store's category reference data (read once for a whole import)."""
        return self._categories.catalogue()

    def all(self) -> list[Uppdrag]:
        return self._repo.list_all()

    def rows(self, items: list[Uppdrag]) -> list[UppdragRow]:
        """The register's rows for `items`, in their order: names looked up once."""
        kommuner = {k.id: k.namn for k in self._verksamhet.get().kommuner}
        ombud = {o.id: o.namn for o in self._verksamhet.list_ombud()}
        orsaker = self._categories.catalogue().names_on(CategoryKind.KONTAKTORSAK, date.today())
        return [
            UppdragRow(
                u,
                kommuner.get(u.kommun_id, ""),
                ombud.get(u.ombud_id, "") if u.ombud_id else "",
                ", ".join(orsaker.get(code, code) for code in u.kontaktorsaker),
            )
            for u in items
        ]

    def register(self, criteria: UppdragFilter, items: list[Uppdrag] | None = None) -> UppdragRows:
        """The register's rows for `criteria`, from `items` (the list `all` gave, so a
        search as you type reads nothing) or else from the store."""
        items = self._repo.list_all() if items is None else items
        return UppdragRows(self.rows(uppdrag_filter.apply(items, criteria)), len(items))

    @staticmethod
    def years(items: list[Uppdrag], today: date | None = None) -> list[int]:
        """The register's year choices: each start year of `items` and this year, newest
        first."""
        return uppdrag_filter.years(items, (today or date.today()).year)

    @staticmethod
    def age_hint(fodelsear: int, year: int) -> AgeHint:
        """The age, åldersgrupp and ung-vuxen ground of a födelseår, counted in `year`."""
        age = rules.age_in_year(fodelsear, year)
        low, high = YOUNG_ADULT_AGES
        return AgeHint(age, rules.age_group(age), low <= age <= high)

    @staticmethod
    def barn_now(uppdrag: Uppdrag, today: date | None = None) -> str:
        """Hemmavarande barn in force today (what the form shows to change)."""
        return rules.barn_on(uppdrag, today or date.today())

    @staticmethod
    def with_barn_choice(
        base: Uppdrag, edited: Uppdrag, barn: str, fran: date, today: date | None = None
    ) -> Uppdrag:
        """`edited` with hemmavarande barn `barn` from `fran`, when that differs from what
        `base` has today; an unchanged choice keeps the history as it is."""
        if barn == rules.barn_on(base, today or date.today()):
            return edited
        return rules.with_barn(edited, fran, barn)

    def not_ended_before(self, day: date) -> list[Uppdrag]:
        """Uppdrag open on `day` or later: all that figures from `day` on can count."""
        return self._repo.not_ended_before(day)

    def get(self, uppdrag_id: str) -> Uppdrag | None:
        return self._repo.get(uppdrag_id)

    def count(self) -> int:
        return self._repo.count()

    def notes_enabled(self) -> bool:
        return self._verksamhet.get_setting(NOTES_SETTING, "nej") == "ja"

    def with_klient(self, uppdrag: Uppdrag) -> Uppdrag:
        """Återkommande klient: the uppdrag linked to the person of its `tidigare_kod`."""
        if not uppdrag.tidigare_kod:
            return uppdrag
        klient_id = self._repo.klient_of(uppdrag.tidigare_kod)
        return replace(uppdrag, klient_id=klient_id) if klient_id else uppdrag

    def periods_of(self, uppdrag: Uppdrag) -> list[Uppdrag]:
        """The other uppdrag of the same klient, oldest first."""
        if not uppdrag.klient_id:
            return []
        return [u for u in self._repo.periods_of(uppdrag.klient_id) if u.id != uppdrag.id]

    def returning_candidates(self) -> list[Uppdrag]:
        """For "återkommande klient": the latest uppdrag of every klient whose uppdrag
        have all ended, newest code first."""
        latest: dict[str, Uppdrag] = {}
        ongoing: set[str] = set()
        for item in self._repo.list_all():
            key = rules.person_key(item)
            if item.slut is None:
                ongoing.add(key)
            elif key not in latest or item.start > latest[key].start:
                latest[key] = item
        found = [u for key, u in latest.items() if key not in ongoing]
        return sorted(found, key=lambda u: (u.start, u.kod), reverse=True)

    def earlier_kod(self, uppdrag: Uppdrag) -> str | None:
        """The kod of the klient's period just before this one, if any."""
        before = [u for u in self.periods_of(uppdrag) if u.start < uppdrag.start]
        return before[-1].kod if before else None

    def link_problems(self, uppdrag: Uppdrag) -> list[str]:
        if uppdrag.tidigare_kod and self._repo.klient_of(uppdrag.tidigare_kod) is None:
            return [f"Det finns inget uppdrag med den tidigare koden {uppdrag.tidigare_kod}."]
        uppdrag = self.with_klient(uppdrag)
        others = self.periods_of(uppdrag)
        if uppdrag.id is not None and others:
            # An edit of kön or födelseår is the person's: it follows to every period.
            others = [replace(o, kon=uppdrag.kon, fodelsear=uppdrag.fodelsear) for o in others]
        return rules.link_problems(uppdrag, others)

    def problems(self, uppdrag: Uppdrag, today: date | None = None) -> list[str]:
        kommun_ids = {k.id for k in self._verksamhet.get().kommuner}
        problems = self.record_rules(uppdrag, kommun_ids, today or date.today())
        problems.extend(self.link_problems(uppdrag))
        if uppdrag.kod and self._repo.kod_exists(uppdrag.kod, except_id=uppdrag.id):
            problems.append(f"Koden {uppdrag.kod} används redan.")
        if uppdrag.anteckning and not self.notes_enabled():
            problems.append("Anteckningar är avstängda för verksamheten.")
        # Codes unknown or deactivated in the store's catalogue (a stored uppdrag keeps a
        # code deactivated since it was saved).
        before = self._repo.get(uppdrag.id) if uppdrag.id else None
        found = record_problems(
            self._categories.catalogue(),
            rules.category_codes(uppdrag),
            rules.category_codes(before),
        )
        # An unknown kontaktorsak already has its message from the rules.
        problems.extend(p for p in found if not p.startswith("Okänd kontaktorsak"))
        return problems

    @staticmethod
    def record_rules(uppdrag: Uppdrag, kommun_ids: set[str], today: date) -> list[str]:
        """The rules one record must meet on its own (no lookups of other rows)."""
        problems = rules.validate(uppdrag, kommun_ids, today)
        derived = set(uppdrag.prioritetsgrunder) & categories.DERIVED_PRIORITETSGRUNDER
        if derived:
            problems.append("Unga vuxna räknas fram ur födelseåret och kan inte väljas.")
        return problems

    @writes(uppdrag=True, klient=True)
    def save(
        self, uppdrag: Uppdrag, warnings_confirmed: bool = False, today: date | None = None
    ) -> Uppdrag:
        """Validates, runs the guard over the note, and saves in one transaction."""
        uppdrag = self.with_klient(uppdrag)
        problems = self.problems(uppdrag, today)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({NOTE_LABEL: uppdrag.anteckning}, warnings_confirmed)
        uppdrag = replace(
            uppdrag,
            kontaktorsaker=categories.in_order(categories.KONTAKTORSAKER, uppdrag.kontaktorsaker),
        )
        return self._repo.save(uppdrag)

    @writes(uppdrag=True)
    def close(
        self,
        uppdrag_id: str,
        slut: date,
        avslutsorsak: str,
        erase_note: bool = False,
        today: date | None = None,
        version: int | None = None,
    ) -> None:
        """Avslutar; `version` is the one the user's dialog loaded (a ConflictError when
        someone else saved the uppdrag since)."""
        current = self._repo.get(uppdrag_id)
        if current is None:
            raise ValidationFailed(["Uppdraget finns inte längre."])
        closed = replace(current, slut=slut, avslutsorsak=avslutsorsak)
        problems = rules.validate(closed, {current.kommun_id}, today or date.today())
        if avslutsorsak not in categories.codes(categories.AVSLUTSORSAKER):
            problems.append("Välj en avslutsorsak.")
        else:
            problems.extend(
                record_problems(
                    self._categories.catalogue(),
                    [(CategoryKind.AVSLUTSORSAK, (avslutsorsak,), slut)],
                    rules.category_codes(current),
                )
            )
        if problems:
            raise ValidationFailed(problems)
        self._repo.close(uppdrag_id, slut, avslutsorsak, erase_note, version)

    def reopen_problems(self, uppdrag_id: str, today: date | None = None) -> list[str]:
        """Återöppna only undoes a mistaken close made this year; it never resumes an
        uppdrag after a gap (that would rewrite the figures of the years between)."""
        current = self._repo.get(uppdrag_id)
        if current is None:
            return ["Uppdraget finns inte längre."]
        if current.slut is None:
            return []
        today = today or date.today()
        if current.slut.year != today.year:
            return [
                f"Uppdrag {current.kod} avslutades {current.slut.year} och kan inte återöppnas: "
                "det skulle ändra tidigare års siffror. Om klienten har kommit tillbaka, "
                "registrera ett nytt uppdrag som återkommande klient."
            ]
        later = [u for u in self.periods_of(current) if u.start > current.start]
        if later:
            return [f"Klienten har ett senare uppdrag ({later[-1].kod}); återöppna inte."]
        return []

    @writes(uppdrag=True)
    def reopen(self, uppdrag_id: str, today: date | None = None) -> None:
        """Undoes a close made by mistake (same year only; see `reopen_problems`)."""
        problems = self.reopen_problems(uppdrag_id, today)
        if problems:
            raise ValidationFailed(problems)
        self._repo.reopen(uppdrag_id)

    @writes(uppdrag=True, klient=True)
    def add_many(self, items: list[Uppdrag], today: date | None = None) -> int:
        """Validates every item first, then saves all in one transaction, or none."""
        kommun_ids = {k.id for k in self._verksamhet.get().kommuner}
        today = today or date.today()
        taken = self._repo.all_codes()
        catalogue = self._categories.catalogue()
        problems: list[str] = []
        for index, item in enumerate(items, start=1):
            problems.extend(f"Rad {index}: {p}" for p in self.record_rules(item, kommun_ids, today))
            found = record_problems(catalogue, rules.category_codes(item))
            problems.extend(f"Rad {index}: {p}" for p in found)
            if item.kod and item.kod in taken:
                problems.append(f"Rad {index}: Koden {item.kod} används redan.")
            taken.add(item.kod)
        if problems:
            raise ValidationFailed(problems)
        return self._repo.save_many(items)

    @writes(uppdrag=True, klient=True)
    def apply_import(self, new: list[Uppdrag], changed: list[Uppdrag]) -> None:
        """Inserts and updates in one transaction: the whole file or nothing."""
        self._repo.save_many(new, changed)
