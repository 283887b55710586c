"""The verksamhet's own details, its kommuner and its ombud."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from po_desk.domain import categories as category_defaults
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import (
    ENTRY_LABELS,
    KIND_LABELS,
    CategoryCatalogue,
    CategoryRow,
    addition_refused,
    name_taken,
)
from po_desk.domain.category_catalogue import rows as category_rows
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.places import UnknownPlace
from po_desk.domain.verksamhet import (
    GradPeriod,
    Kommun,
    Ombud,
    OmbudSummary,
    SettingValue,
    Verksamhet,
    kommun_date_problems,
    ombud_summary,
    validate_ombud,
    validate_verksamhet,
)
from po_desk.services import free_text
from po_desk.services.changes import CATEGORIES, writes
from po_desk.services.official_places import official_names, official_places
from po_desk.services.uppdrag_service import NOTES_SETTING
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.store import Store
from po_desk.store.verksamhet_repo import VerksamhetRepository


class VerksamhetService:
    def __init__(self, store: Store) -> None:
        self._repo = VerksamhetRepository(store)
        self._categories = CategoryRepository(store)

    def get(self) -> Verksamhet:
        return self._repo.get()

    def place_problems(self) -> list[str]:
        """The stored län and kommuner not on SCB's list (a store made before the list was
        shipped); Inställningar shows them and asks the user to choose."""
        return official_places().unresolved(self._repo.get())

    @writes(verksamhet=True)
    def update(self, verksamhet: Verksamhet, kommun_names: list[str]) -> None:
        """Saves the details; the län and kommuner are given by name or code and stored
        with their official names (a stored spelling of the same kommun is respelled)."""
        names = [name.strip() for name in kommun_names if name.strip()]
        problems = validate_verksamhet(verksamhet.namn, verksamhet.lan, names)
        if problems:
            raise ValidationFailed(problems)
        lan, names = official_names(verksamhet.lan, names)
        verksamhet = replace(verksamhet, lan=lan)
        renames = {}
        for kommun in self._repo.get().kommuner:
            try:
                official = official_places().find_kommun(kommun.namn).namn
            except UnknownPlace:
                continue
            if official != kommun.namn and official in names:
                renames[kommun.namn] = official
        # A stored kommun not on the list, replaced in the form by one that is: the same
        # kommun chosen from the list (its uppdrag keep it), paired in the form's order.
        stored = [k.namn for k in self._repo.get().kommuner]
        unresolved = [n for n in stored if n not in renames and n not in names]
        unresolved = [n for n in unresolved if official_places().unresolved_kommun(n)]
        added = [n for n in names if n not in stored and n not in renames.values()]
        if unresolved and len(unresolved) == len(added):
            renames.update(zip(unresolved, added, strict=True))
        current = {renames.get(k.namn, k.namn) for k in self._repo.get().kommuner}
        for removed in sorted(current - set(names)):
            if self._repo.kommun_in_use(removed):
                problems.append(f"{removed} har uppdrag och kan inte tas bort.")
        if problems:
            raise ValidationFailed(problems)
        self._repo.update(verksamhet, names, renames)

    @writes(verksamhet=True)
    def set_kommun_dates(self, kommuner: list[Kommun]) -> None:
        """The from/to dates of the kommuner served (Inställningar); a past year's return
        lists the kommuner served in that year."""
        problems = kommun_date_problems(kommuner)
        if problems:
            raise ValidationFailed(problems)
        self._repo.set_kommun_dates(
            {k.id: (k.fran, k.till) for k in kommuner}, {k.id: k.version for k in kommuner}
        )

    def list_ombud(self) -> list[Ombud]:
        return self._repo.list_ombud()

    def ombud_summary(self, on: date) -> OmbudSummary:
        """How many ombud serve on `on` and their tjänstgöringsgrad in force that day summed."""
        return ombud_summary(self._repo.list_ombud(), on)

    @writes(verksamhet=True)
    def save_ombud(self, ombud: Ombud) -> Ombud:
        """Saves the ombud with its tjänstgöringsgrad periods; without any, the grad holds
        from the ombud's start. The ombud's grad is the one in force today."""
        today = date.today()
        if not ombud.grader:
            ombud = replace(ombud, grader=(GradPeriod(ombud.fran, ombud.tjanstgoringsgrad),))
        elif abs(ombud.tjanstgoringsgrad - ombud.grader[-1].grad) > 1e-9:
            # A grad changed without a date of its own: it changes from today.
            ombud = ombud.with_grad(today, ombud.tjanstgoringsgrad)
        ombud = replace(ombud, tjanstgoringsgrad=ombud.grad_on(today))
        problems = validate_ombud(ombud)
        if problems:
            raise ValidationFailed(problems)
        return self._repo.save_ombud(ombud)

    def notes_setting(self) -> SettingValue[bool]:
        value, version = self._repo.setting(NOTES_SETTING, "nej")
        return SettingValue(value == "ja", version)

    @writes(settings=True)
    def set_notes_enabled(self, enabled: bool, loaded: int | None = None) -> int:
        """`loaded`: the setting's version the form showed (None: not checked); returns
        the version now stored."""
        value = "ja" if enabled else "nej"
        return self._repo.set_setting(
            NOTES_SETTING, value, loaded, "Inställningen för anteckningar"
        )

    # -- category reference data (DESIGN §6) ----------------------------------------------

    def categories(self) -> CategoryCatalogue:
        """Every kind's entries with their dated names, as the store keeps them."""
        return self._categories.catalogue()

    def category_choices(
        self, kind: CategoryKind, on: date | None = None, keep: tuple[str, ...] = ()
    ) -> tuple[Category, ...]:
        """What a form offers for `kind`: the active entries (and the inactive ones a
        record already has, in `keep`) with the names in force on `on` (today)."""
        return self._categories.choices(kind, keep, on)

    def all_categories(self, kind: CategoryKind) -> tuple[Category, ...]:
        """Every entry of `kind`, inactive ones too, with today's names (list filters)."""
        return self.categories().reference(kind, date.today())

    def category_names(self, kind: CategoryKind, on: date | None = None) -> dict[str, str]:
        """Code → name in force on `on` (today), for every entry of `kind`."""
        return self.categories().names_on(kind, on or date.today())

    def category_rows(self, kind: CategoryKind, on: date | None = None) -> list[CategoryRow]:
        """The entries of `kind` as Inställningar lists them (names in force on `on`)."""
        return category_rows(self.categories(), kind, on or date.today())

    def category_kinds(self) -> list[tuple[CategoryKind, str]]:
        return list(KIND_LABELS.items())

    def addition_refused(self, kind: CategoryKind) -> str | None:
        return addition_refused(kind)

    def _name_problems(self, kind: CategoryKind, name: str, code: str = "") -> list[str]:
        label = ENTRY_LABELS[kind]
        if not name:
            return ["Ange ett namn."]
        if len(name) > 200:
            return ["Namnet får vara högst 200 tecken."]
        if name_taken(self.categories(), kind, name, code):
            return [f"Det finns redan en {label} med det namnet."]
        return []

    @writes(CATEGORIES)
    def rename_category(
        self,
        kind: CategoryKind,
        code: str,
        name: str,
        fran: date,
        today: date | None = None,
        warnings_confirmed: bool = False,
    ) -> None:
        """`code` gets a new name from `fran`; earlier dates keep the name in force then.
        The name passes the anonymisation guard (a warning needs `warnings_confirmed`)."""
        name = name.strip()
        if self.categories().entry(kind, code) is None:
            raise ValidationFailed([f"Okänd {ENTRY_LABELS[kind]}: {code}."])
        problems = self._name_problems(kind, name, code)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Namn": name}, warnings_confirmed)
        self._categories.rename(kind, code, name, fran, today or date.today())

    @writes(CATEGORIES)
    def add_category(self, kind: CategoryKind, name: str, warnings_confirmed: bool = False) -> str:
        """A new entry of `kind` (only kinds the återrapport can carry); returns its code."""
        refused = addition_refused(kind)
        if refused:
            raise ValidationFailed([refused])
        name = name.strip()
        problems = self._name_problems(kind, name)
        if problems:
            raise ValidationFailed(problems)
        free_text.check({"Namn": name}, warnings_confirmed)
        code = category_defaults.code_for(name, set(self.categories().codes(kind)))
        self._categories.add(kind, code, name)
        return code

    @writes(CATEGORIES)
    def set_category_active(
        self, kind: CategoryKind, code: str, active: bool, fran: date | None = None
    ) -> None:
        """Deactivated entries (from `fran`; None: for every date) are no longer offered
        for records dated from then; records that have one keep it. Entries are never
        deleted (the records and returns use the code)."""
        catalogue = self.categories()
        if catalogue.entry(kind, code) is None:
            raise ValidationFailed([f"Okänd {ENTRY_LABELS[kind]}: {code}."])
        if not active and all(not e.active for e in catalogue.of(kind) if e.code != code):
            raise ValidationFailed(["Minst en post måste vara aktiv."])
        self._categories.set_active(kind, code, active, fran)
