"""Logging avvikelser and moving them through the ledningsgrupp's workflow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from po_desk.domain import avvikelse as rules
from po_desk.domain.avvikelse import Avvikelse, AvvikelseFilter, AvvikelseStatus
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import record_problems
from po_desk.domain.errors import ValidationFailed
from po_desk.services import free_text
from po_desk.services.changes import writes
from po_desk.services.matching import Matching
from po_desk.store.avvikelse_repo import AvvikelseRepository
from po_desk.store.category_repo import CategoryRepository
from po_desk.store.store import Store
from po_desk.store.uppdrag_repo import UppdragRepository


def _texts(item: Avvikelse) -> dict[str, str | None]:
    return {
        rules.FREE_TEXT_LABELS["beskrivning"]: item.beskrivning,
        rules.FREE_TEXT_LABELS["konsekvens"]: item.konsekvens,
        rules.FREE_TEXT_LABELS["aterkoppling"]: item.aterkoppling,
    }


AvvikelseRows = Matching[Avvikelse]


class AvvikelseService:
    def __init__(self, store: Store) -> None:
        self._repo = AvvikelseRepository(store)
        self._uppdrag = UppdragRepository(store)
        self._categories = CategoryRepository(store)

    def category_choices(
        self, kind: CategoryKind, keep: Iterable[str | None] = ()
    ) -> tuple[Category, ...]:
        """What a form offers for `kind`: the active entries with today's names, and the
        codes the record already has (`keep`) even if deactivated since."""
        return self._categories.choices(kind, keep)

    def all(self, criteria: AvvikelseFilter | None = None) -> list[Avvikelse]:
        items = self._repo.list_all()
        return rules.apply(items, criteria) if criteria else items

    def rows(
        self, criteria: AvvikelseFilter, items: list[Avvikelse] | None = None
    ) -> AvvikelseRows:
        """The register's rows for `criteria`, from `items` (the list `all` gave, so a
        search as you type reads nothing) or else from the store."""
        items = self._repo.list_all() if items is None else items
        return AvvikelseRows(rules.apply(items, criteria), len(items))

    @staticmethod
    def period(period: str, today: date | None = None) -> tuple[date | None, date | None]:
        """The first and last day of a register period (`Period`) seen from `today`."""
        return rules.period_bounds(period, today or date.today())

    @staticmethod
    def feedback_targets(item: Avvikelse) -> tuple[str, ...]:
        """The statuses återkoppling may give `item` (none: the button is off)."""
        return rules.feedback_targets(item.status)

    def get(self, avvikelse_id: str) -> Avvikelse | None:
        return self._repo.get(avvikelse_id)

    def problems(self, item: Avvikelse, today: date | None = None) -> list[str]:
        known = self._uppdrag.all_codes() if item.uppdrag_kod else None
        catalogue = self._categories.catalogue()
        problems = rules.validate(item, known, today or date.today(), catalogue)
        before = self._repo.get(item.id) if item.id else None
        found = record_problems(catalogue, rules.category_codes(item), rules.category_codes(before))
        # An unknown code already has its message from the rules.
        problems.extend(p for p in found if not p.startswith("Okänd"))
        return problems

    @writes(avvikelser=True)
    def save(
        self, item: Avvikelse, warnings_confirmed: bool = False, today: date | None = None
    ) -> Avvikelse:
        """Validates, passes every text through the guard, saves in one transaction."""
        problems = self.problems(item, today)
        if problems:
            raise ValidationFailed(problems)
        free_text.check(_texts(item), warnings_confirmed)
        return self._repo.save(item)

    @writes(avvikelser=True)
    def add_many(self, items: list[Avvikelse]) -> None:
        catalogue = self._categories.catalogue()
        # Each field's text is passed through the guard once (the same text on many rows:
        # a demo's answers, rows raised together).
        scanned: set[tuple[str, str | None]] = set()
        for index, item in enumerate(items, start=1):
            problems = rules.validate(item, None, date.today(), catalogue)
            found = record_problems(catalogue, rules.category_codes(item))
            problems += [p for p in found if not p.startswith("Okänd")]
            if problems:
                raise ValidationFailed([f"Rad {index}: {p}" for p in problems])
            fields = {k: v for k, v in _texts(item).items() if (k, v) not in scanned}
            free_text.check(fields, warnings_confirmed=True)
            scanned.update(fields.items())
        self._repo.save_many(items)

    @writes(avvikelser=True)
    def move(
        self,
        avvikelse_id: str,
        target: str,
        aterkoppling: str | None = None,
        day: date | None = None,
        warnings_confirmed: bool = False,
        version: int | None = None,
    ) -> Avvikelse:
        """Moves an avvikelse forward in the workflow; återkoppling text comes with it.
        `version`: the one the user's dialog showed (a ConflictError when someone else
        saved the avvikelse since)."""
        current = self._repo.get(avvikelse_id)
        if current is None:
            raise ValidationFailed(["Avvikelsen finns inte längre."])
        if not rules.can_move(current.status, target):
            raise ValidationFailed(
                [
                    f"Status kan inte gå från {rules.STATUS_LABELS[current.status].lower()} "
                    f"till {rules.STATUS_LABELS.get(target, target).lower()}."
                ]
            )
        if target == AvvikelseStatus.LYFT and current.mote_id is None:
            raise ValidationFailed(["Lyft avvikelsen genom att välja den vid ett möte."])
        changed = replace(current, status=target)
        if version is not None:
            changed = replace(changed, version=version)
        if aterkoppling is not None:
            changed = replace(
                changed, aterkoppling=aterkoppling, aterkoppling_datum=day or date.today()
            )
        return self.save(changed, warnings_confirmed)

    def not_raised(self) -> list[Avvikelse]:
        """Avvikelser not yet lifted at any meeting, oldest first."""
        items = [a for a in self._repo.list_all() if a.status == AvvikelseStatus.NY]
        return sorted(items, key=lambda a: a.datum)
