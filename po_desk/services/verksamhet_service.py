"""The verksamhet's own details, its kommuner and its ombud."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.places import UnknownPlace
from po_desk.domain.verksamhet import (
    GradPeriod,
    Kommun,
    Ombud,
    OmbudSummary,
    Verksamhet,
    kommun_date_problems,
    ombud_summary,
    validate_ombud,
    validate_verksamhet,
)
from po_desk.services.changes import writes
from po_desk.services.official_places import official_names, official_places
from po_desk.services.uppdrag_service import NOTES_SETTING
from po_desk.store.store import Store
from po_desk.store.verksamhet_repo import VerksamhetRepository


class VerksamhetService:
    def __init__(self, store: Store) -> None:
        self._repo = VerksamhetRepository(store)

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
        self._repo.set_kommun_dates({k.id: (k.fran, k.till) for k in kommuner})

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

    @writes(settings=True)
    def set_notes_enabled(self, enabled: bool) -> None:
        self._repo.set_setting(NOTES_SETTING, "ja" if enabled else "nej")
