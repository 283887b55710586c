"""The kö: anmälningar, the prioriteringsordning in force, and the order of the kö.

The kö is sorted by the highest-ranked ground an anmälan meets, then by anmäld date (first
come, first served), then by kod so the order is total. "Unga vuxna 18–29 år" is derived
from födelseår on the day the kö is ordered; it is never ticked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from po_desk.domain import categories
from po_desk.domain.uppdrag import EARLIEST_DATE, age_in_year, person_problems

YOUNG_ADULT_GROUND = "unga_vuxna"
# The order most verksamheter use; a new store offers it as a proposal (never as decided).
DEFAULT_ORDER: tuple[str, ...] = ("barn", "vrakning", "unga_vuxna", "utan_natverk")
YOUNG_ADULT_AGES = (18, 29)
KOD_PREFIX = "K"


class KoStatus(StrEnum):
    VANTAR = "vantar"
    ERBJUDEN = "erbjuden"
    PABORJAD = "paborjad"
    ATERTAGEN = "atertagen"
    EJ_AKTUELL = "ej_aktuell"


STATUS_LABELS: dict[str, str] = {
    KoStatus.VANTAR: "Väntar",
    KoStatus.ERBJUDEN: "Erbjuden",
    KoStatus.PABORJAD: "Påbörjad",
    KoStatus.ATERTAGEN: "Återtagen",
    KoStatus.EJ_AKTUELL: "Ej aktuell",
}
WAITING = frozenset({KoStatus.VANTAR, KoStatus.ERBJUDEN})
# Statuses that end the wait; their status date is the last day in the kö.
ENDED = frozenset({KoStatus.PABORJAD, KoStatus.ATERTAGEN, KoStatus.EJ_AKTUELL})


@dataclass
class Anmalan:
    """One person waiting for (or once waiting for) a personligt ombud. No name, no
    personnummer: the same few facts as an uppdrag."""

    anmald: date
    kon: str
    fodelsear: int
    kommun_id: str
    kontaktorsaker: tuple[str, ...]
    prioritetsgrunder: tuple[str, ...] = ()
    status: str = KoStatus.VANTAR
    erbjuden: date | None = None
    status_datum: date | None = None
    orsak: str | None = None
    uppdrag_id: str | None = None
    kod: str = ""
    id: str | None = None
    updated_at: str | None = field(default=None, compare=False)
    # The row version the user loaded (None: new, or saved without a check); a save
    # whose version is no longer the stored one is a ConflictError.
    version: int | None = field(default=None, compare=False)

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING

    @property
    def awaits_offer(self) -> bool:
        """Waiting and not yet offered a start (an offer is made once)."""
        return self.status == KoStatus.VANTAR

    def wait_end(self) -> date | None:
        """The day the wait ended, or None while the person still waits."""
        return self.status_datum if self.status in ENDED else None

    def waiting_on(self, day: date) -> bool:
        end = self.wait_end()
        return self.anmald <= day and (end is None or end > day)

    def days_waited(self, day: date) -> int:
        end = self.wait_end() or day
        return max(0, (min(end, day) - self.anmald).days)


# Who may decide the prioriteringsordning (DESIGN §3).
BESLUTAD_AV: dict[str, str] = {"ledningsgrupp": "Ledningsgruppen", "enhetschef": "Enhetschefen"}


@dataclass(frozen=True)
class Prioriteringsordning:
    """One version of the order, decided on `beslutad` by `beslutad_av`.

    `beslutad_av` None marks a proposal nobody decided (the seeded "Förvald ordning" of
    stores made before decisions were recorded): it orders the kö but is never reported
    as decided. `ingen` records the decision that the verksamhet has no ordning."""

    beslutad: date
    grunder: tuple[str, ...]
    anteckning: str = ""
    id: str | None = None
    beslutad_av: str | None = "ledningsgrupp"
    ingen: bool = False

    @property
    def is_decided(self) -> bool:
        return self.beslutad_av is not None


def in_force(versions: list[Prioriteringsordning], day: date) -> Prioriteringsordning | None:
    """The decision in force on `day` (an ordning, or "ingen"); proposals never count.
    Of two decisions of the same date the later recorded (later in `versions`) wins."""
    decided = [(i, v) for i, v in enumerate(versions) if v.is_decided and v.beslutad <= day]
    if not decided:
        return None
    return max(decided, key=lambda pair: (pair[1].beslutad, pair[0]))[1]


def proposal(day: date) -> Prioriteringsordning:
    """The four standard grounds, offered while nothing is decided."""
    return Prioriteringsordning(beslutad=day, grunder=DEFAULT_ORDER, beslutad_av=None)


def grounds_met(anmalan: Anmalan, day: date) -> frozenset[str]:
    met = set(anmalan.prioritetsgrunder) - categories.DERIVED_PRIORITETSGRUNDER
    low, high = YOUNG_ADULT_AGES
    if low <= age_in_year(anmalan.fodelsear, day.year) <= high:
        met.add(YOUNG_ADULT_GROUND)
    return frozenset(met)


def deciding_ground(anmalan: Anmalan, order: tuple[str, ...], day: date) -> str | None:
    """The highest-ranked ground in `order` that the anmälan meets, or None."""
    met = grounds_met(anmalan, day)
    return next((ground for ground in order if ground in met), None)


def rank(anmalan: Anmalan, order: tuple[str, ...], day: date) -> int:
    """1 for the first ground of the order; len(order) + 1 when none is met."""
    ground = deciding_ground(anmalan, order, day)
    return order.index(ground) + 1 if ground is not None else len(order) + 1


def sort_key(anmalan: Anmalan, order: tuple[str, ...], day: date) -> tuple[int, date, str, str]:
    return (rank(anmalan, order, day), anmalan.anmald, anmalan.kod, anmalan.id or "")


def order_ko(anmalningar: list[Anmalan], order: tuple[str, ...], day: date) -> list[Anmalan]:
    """The waiting anmälningar in the order they are to be offered an ombud."""
    waiting = [a for a in anmalningar if a.is_waiting]
    return sorted(waiting, key=lambda a: sort_key(a, order, day))


def grounds_in_order(anmalan: Anmalan, order: tuple[str, ...], day: date) -> list[str]:
    """The grounds met, deciding one first, then the others by rank, then any not ranked."""
    met = grounds_met(anmalan, day)
    ranked = [ground for ground in order if ground in met]
    return ranked + sorted(met - set(ranked))


def explain(
    anmalan: Anmalan,
    order: tuple[str, ...],
    day: date,
    names: dict[str, str],
    grounds: list[str] | None = None,
) -> str:
    """Why the anmälan stands where it does, in Swedish. `grounds`, when the caller has
    them, are `grounds_in_order(anmalan, order, day)` (the Kö view builds a row of each)."""
    if grounds is None:
        grounds = grounds_in_order(anmalan, order, day)
    # The deciding ground is the first of the ranked ones, which come first.
    ground = grounds[0] if grounds and grounds[0] in order else None
    waited = anmalan.days_waited(day)
    if not order:
        head = "Verksamheten har ingen prioriteringsordning: kön går i anmälningsordning"
    elif ground is None:
        head = "Uppfyller ingen av prioriteringsgrunderna och står efter alla som gör det"
    else:
        head = f"Placeras efter grund {order.index(ground) + 1}: {names.get(ground, ground)}"
        if ground == YOUNG_ADULT_GROUND:
            age = age_in_year(anmalan.fodelsear, day.year)
            head += f" ({age} år i år, räknat ur födelseåret)"
    others = [names.get(g, g) for g in grounds if g != ground]
    text = f"{head}. Inom samma grund gäller anmälningsdatum: {anmalan.anmald.isoformat()}"
    text += f" ({waited} dagar i kön)."
    if others:
        text += " Uppfyller även: " + ", ".join(others) + "."
    return text


def validate(
    anmalan: Anmalan, kommun_ids: set[str], known_grounds: set[str], today: date
) -> list[str]:
    problems = person_problems(
        anmalan.kon,
        anmalan.fodelsear,
        anmalan.kommun_id,
        anmalan.kontaktorsaker,
        anmalan.anmald.year,
        kommun_ids,
        today,
    )
    if anmalan.anmald > today:
        problems.append("Anmälningsdatum kan inte ligga i framtiden.")
    if anmalan.anmald < EARLIEST_DATE:
        problems.append(f"Anmälningsdatum kan inte ligga före {EARLIEST_DATE.year}.")
    if set(anmalan.prioritetsgrunder) & categories.DERIVED_PRIORITETSGRUNDER:
        problems.append("Unga vuxna räknas fram ur födelseåret och kan inte väljas.")
    if set(anmalan.prioritetsgrunder) - known_grounds:
        problems.append("Okänd prioritetsgrund.")
    if anmalan.status_datum is not None and anmalan.status_datum < anmalan.anmald:
        problems.append("Datumet kan inte vara före anmälningsdatum.")
    if anmalan.status == KoStatus.EJ_AKTUELL and not (anmalan.orsak or "").strip():
        problems.append(
            "Ange varför anmälan inte är aktuell, till exempel att personen inte hör "
            "till målgruppen."
        )
    return problems


def validate_order(
    grunder: tuple[str, ...], known_grounds: set[str], ingen: bool = False
) -> list[str]:
    problems = []
    if ingen:
        return ["En verksamhet utan prioriteringsordning har inga grunder."] if grunder else []
    if not grunder:
        problems.append("Prioriteringsordningen måste ha minst en grund.")
    if len(set(grunder)) != len(grunder):
        problems.append("Samma grund står flera gånger.")
    if set(grunder) - known_grounds:
        problems.append("Okänd prioritetsgrund.")
    return problems
