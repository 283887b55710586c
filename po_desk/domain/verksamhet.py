"""The verksamhet, its kommuner and its ombud (staff, never clients)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Generic, TypeVar

from po_desk.domain import categories


@dataclass(frozen=True)
class Kommun:
    id: str
    namn: str
    # Served from/to; None: since the verksamhet started / still served.
    fran: date | None = None
    till: date | None = None
    # SCB's kommunkod when the name is on the official list (filled in by `Places`).
    kod: str = ""
    # The row version the user loaded (None: not checked); see errors.ConflictError.
    version: int | None = field(default=None, compare=False)

    def served_during(self, first: date, last: date) -> bool:
        return (self.fran is None or self.fran <= last) and (
            self.till is None or self.till >= first
        )


def kommun_date_problems(kommuner: list[Kommun]) -> list[str]:
    return [
        f"{k.namn}: slutdatum kan inte vara före startdatum."
        for k in kommuner
        if k.fran is not None and k.till is not None and k.till < k.fran
    ]


@dataclass
class Verksamhet:
    namn: str
    lan: str
    start_ar: int
    huvudman: str = ""
    kommuner: list[Kommun] = field(default_factory=list)
    id: str | None = None
    # SCB's länskod when the län is on the official list (filled in by `Places`).
    lan_kod: str = ""
    # The row version the user loaded (None: not checked): its namn, län, huvudman and
    # kommuner are saved together, so a change of any of them is a new version.
    version: int | None = field(default=None, compare=False)


T = TypeVar("T")


@dataclass(frozen=True)
class SettingValue(Generic[T]):
    """A store-wide setting as a form loaded it: saving it back with `version` is refused
    (errors.ConflictError) when someone else saved the setting since (0: not stored)."""

    value: T
    version: int


@dataclass(frozen=True)
class GradPeriod:
    """A tjänstgöringsgrad in force from `fran` until the next period starts."""

    fran: date
    grad: float


@dataclass
class Ombud:
    namn: str
    kon: str
    tjanstgoringsgrad: float
    fran: date
    till: date | None = None
    id: str | None = None
    # The grad's history, oldest first; empty means `tjanstgoringsgrad` all along.
    grader: tuple[GradPeriod, ...] = ()
    # The row version the user loaded (None: not checked); see errors.ConflictError.
    version: int | None = field(default=None, compare=False)

    def active_on(self, day: date) -> bool:
        return self.fran <= day and (self.till is None or self.till >= day)

    def grad_on(self, day: date) -> float:
        """The grad in force on `day` (the first period's before it began)."""
        in_force = [p for p in self.grader if p.fran <= day]
        if in_force:
            return max(in_force, key=lambda p: p.fran).grad
        return self.grader[0].grad if self.grader else self.tjanstgoringsgrad

    def with_grad(self, fran: date, grad: float) -> Ombud:
        """The ombud with a new tjänstgöringsgrad from `fran` (earlier periods kept)."""
        kept = tuple(p for p in self.grader if p.fran != fran)
        grader = tuple(sorted((*kept, GradPeriod(fran, grad)), key=lambda p: p.fran))
        return replace(self, grader=grader, tjanstgoringsgrad=grad)

    def grad_days(self, first: date, last: date) -> float:
        """Σ grad over the days of `first`–`last` the ombud served (årsarbetare × days)."""
        start, end = max(self.fran, first), min(self.till or last, last)
        if end < start:
            return 0.0
        changes = sorted({p.fran for p in self.grader if start < p.fran <= end})
        total, day = 0.0, start
        for change in [*changes, end + timedelta(days=1)]:
            total += self.grad_on(day) * (change - day).days
            day = change
        return total


@dataclass(frozen=True)
class OmbudSummary:
    """The Ombud tab's line: ombud serving on a day and their grads summed (heltidstjänster)."""

    aktiva: int
    heltidstjanster: float


def ombud_summary(ombud: list[Ombud], on: date) -> OmbudSummary:
    active = [o for o in ombud if o.active_on(on)]
    return OmbudSummary(len(active), sum(o.grad_on(on) for o in active))


def validate_verksamhet(namn: str, lan: str, kommuner: list[str]) -> list[str]:
    problems = []
    if not namn.strip():
        problems.append("Ange verksamhetens namn.")
    if not lan.strip():
        problems.append("Ange län.")
    cleaned = [k.strip() for k in kommuner if k.strip()]
    if not cleaned:
        problems.append("Ange minst en kommun.")
    if len({k.casefold() for k in cleaned}) != len(cleaned):
        problems.append("Samma kommun är angiven flera gånger.")
    return problems


def validate_ombud(ombud: Ombud) -> list[str]:
    problems = []
    if not ombud.namn.strip():
        problems.append("Ange ombudets namn eller initialer.")
    if ombud.kon not in categories.codes(categories.KON):
        problems.append("Välj kön för ombudet.")
    if not 0 < ombud.tjanstgoringsgrad <= 1:
        problems.append("Tjänstgöringsgrad ska vara mellan 0 och 1, till exempel 0,75.")
    if ombud.till is not None and ombud.till < ombud.fran:
        problems.append("Slutdatum kan inte vara före startdatum.")
    if any(not 0 < p.grad <= 1 for p in ombud.grader):
        problems.append("Tjänstgöringsgrad ska vara mellan 0 och 1, till exempel 0,75.")
    if len({p.fran for p in ombud.grader}) != len(ombud.grader):
        problems.append("Två tjänstgöringsgrader kan inte gälla från samma dag.")
    return problems


LAN: tuple[str, ...] = (
    "Blekinge län",
    "Dalarnas län",
    "Gotlands län",
    "Gävleborgs län",
    "Hallands län",
    "Jämtlands län",
    "Jönköpings län",
    "Kalmar län",
    "Kronobergs län",
    "Norrbottens län",
    "Skåne län",
    "Stockholms län",
    "Södermanlands län",
    "Uppsala län",
    "Värmlands län",
    "Västerbottens län",
    "Västernorrlands län",
    "Västmanlands län",
    "Västra Götalands län",
    "Örebro län",
    "Östergötlands län",
)
