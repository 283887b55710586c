"""The ledningsgrupp: its members by organisation, whether it is fulltalig, its meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from po_desk.domain import categories


@dataclass(frozen=True)
class Medlem:
    organisation: str
    roll: str
    fran: date
    till: date | None = None
    id: str | None = None
    # The row version the user loaded (None: not checked); see errors.ConflictError.
    version: int | None = field(default=None, compare=False)

    def active_on(self, day: date) -> bool:
        return self.fran <= day and (self.till is None or self.till >= day)


@dataclass(frozen=True)
class Mote:
    datum: date
    anteckning: str = ""
    id: str | None = None


@dataclass(frozen=True)
class Sammansattning:
    fulltalig: bool
    saknas: tuple[str, ...]  # organisation codes of the required five with no member


def sammansattning(members: list[Medlem], day: date) -> Sammansattning:
    present = {m.organisation for m in members if m.active_on(day)}
    missing = tuple(code for code in categories.REQUIRED_ORGANISATIONER if code not in present)
    return Sammansattning(fulltalig=not missing, saknas=missing)


def describe(composition: Sammansattning) -> str:
    if composition.fulltalig:
        return "Fulltalig"
    names = [categories.name_of(categories.ORGANISATIONER, code) for code in composition.saknas]
    return "Saknas: " + ", ".join(names)


def validate_member(member: Medlem) -> list[str]:
    problems = []
    if member.organisation not in categories.codes(categories.ORGANISATIONER):
        problems.append("Välj organisation.")
    if not member.roll.strip():
        problems.append("Ange roll eller funktion, till exempel enhetschef.")
    if member.till is not None and member.till < member.fran:
        problems.append("Slutdatum kan inte vara före startdatum.")
    return problems


def meetings_in(meetings: list[Mote], first: date, last: date) -> list[Mote]:
    return [m for m in meetings if first <= m.datum <= last]
