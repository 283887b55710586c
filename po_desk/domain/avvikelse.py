"""Avvikelser (systembrister): what an ombud met, at which aktör and nivå, what it meant
for the person, what PO did, and how the ledningsgrupp answered."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import DEFAULT_CATALOGUE, CategoryCatalogue

# An uppdrag code as the program writes it (no prefix, ASCII digits).
UPPDRAG_KOD = re.compile(r"^[0-9]{4}-[0-9]{3,}$")


class AvvikelseStatus(StrEnum):
    NY = "ny"
    LYFT = "lyft"
    ATERKOPPLING = "aterkoppling"
    ATGARDAD = "atgardad"
    AVSLUTAD = "avslutad"


STATUS_LABELS: dict[str, str] = {
    AvvikelseStatus.NY: "Ny",
    AvvikelseStatus.LYFT: "Lyft i ledningsgrupp",
    AvvikelseStatus.ATERKOPPLING: "Återkoppling mottagen",
    AvvikelseStatus.ATGARDAD: "Åtgärdad",
    AvvikelseStatus.AVSLUTAD: "Avslutad utan åtgärd",
}
# Where each status may go next; the workflow only moves forward.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    AvvikelseStatus.NY: (AvvikelseStatus.LYFT, AvvikelseStatus.AVSLUTAD),
    AvvikelseStatus.LYFT: (
        AvvikelseStatus.ATERKOPPLING,
        AvvikelseStatus.ATGARDAD,
        AvvikelseStatus.AVSLUTAD,
    ),
    AvvikelseStatus.ATERKOPPLING: (AvvikelseStatus.ATGARDAD, AvvikelseStatus.AVSLUTAD),
    AvvikelseStatus.ATGARDAD: (),
    AvvikelseStatus.AVSLUTAD: (),
}
FREE_TEXT_LABELS = {
    "beskrivning": "Beskrivning",
    "konsekvens": "Konsekvens för den enskilde",
    "aterkoppling": "Återkoppling",
}


@dataclass
class Avvikelse:
    datum: date
    aktor: str
    niva: str
    kategorier: tuple[str, ...]
    beskrivning: str
    konsekvens: str = ""
    atgarder: tuple[str, ...] = ()
    ombud_id: str | None = None
    uppdrag_kod: str | None = None
    status: str = AvvikelseStatus.NY
    mote_id: str | None = None
    aterkoppling: str = ""
    aterkoppling_datum: date | None = None
    id: str | None = None
    updated_at: str | None = field(default=None, compare=False)
    # The row version the user loaded (None: new, or saved without a check); a save
    # whose version is no longer the stored one is a ConflictError.
    version: int | None = field(default=None, compare=False)

    @property
    def awaits_feedback(self) -> bool:
        return self.status == AvvikelseStatus.LYFT

    @property
    def awaits_meeting(self) -> bool:
        """New: it moves on by being raised at a ledningsgrupp meeting."""
        return self.status == AvvikelseStatus.NY


def category_codes(
    avvikelse: Avvikelse | None,
) -> tuple[tuple[CategoryKind, tuple[str | None, ...], date | None], ...]:
    """The avvikelse's codes per category kind with its datum (none for no avvikelse)."""
    if avvikelse is None:
        return ()
    day = avvikelse.datum
    return (
        (CategoryKind.AKTOR, (avvikelse.aktor,), day),
        (CategoryKind.NIVA, (avvikelse.niva,), day),
        (CategoryKind.BRISTKATEGORI, avvikelse.kategorier, day),
        (CategoryKind.ATGARD, avvikelse.atgarder, day),
    )


def validate(
    avvikelse: Avvikelse,
    known_koder: set[str] | None,
    today: date,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
) -> list[str]:
    """Every rule an avvikelse must meet; the codes are checked against `catalogue` (the
    store's, where added entries are known)."""
    problems = []
    if avvikelse.datum > today:
        problems.append("Datum kan inte ligga i framtiden.")
    if avvikelse.aktor not in catalogue.codes(CategoryKind.AKTOR):
        problems.append("Välj aktör.")
    if avvikelse.niva not in catalogue.codes(CategoryKind.NIVA):
        problems.append("Välj nivå: handläggar-, lokal eller central nivå.")
    if not avvikelse.kategorier:
        problems.append("Välj minst en kategori.")
    if set(avvikelse.kategorier) - set(catalogue.codes(CategoryKind.BRISTKATEGORI)):
        problems.append("Okänd kategori.")
    if set(avvikelse.atgarder) - set(catalogue.codes(CategoryKind.ATGARD)):
        problems.append("Okänd åtgärd.")
    if not avvikelse.beskrivning.strip():
        problems.append("Beskriv bristen.")
    if avvikelse.status not in NEXT_STATUSES:
        problems.append("Okänd status.")
    if avvikelse.status == AvvikelseStatus.LYFT and avvikelse.mote_id is None:
        problems.append("Ange vid vilket ledningsgruppsmöte avvikelsen lyftes.")
    if avvikelse.status == AvvikelseStatus.ATERKOPPLING and not avvikelse.aterkoppling.strip():
        problems.append("Skriv vilken återkoppling som kom.")
    if avvikelse.aterkoppling_datum is not None and avvikelse.aterkoppling_datum < avvikelse.datum:
        problems.append("Återkopplingen kan inte vara före avvikelsens datum.")
    kod = avvikelse.uppdrag_kod
    if kod and not UPPDRAG_KOD.match(kod):
        # Not repeated: what is typed where a code belongs may be a personnummer.
        problems.append("Uppdragskoden ska ha formen ÅÅÅÅ-NNN, till exempel 2025-017.")
    elif kod and known_koder is not None and kod not in known_koder:
        problems.append(f"Det finns inget uppdrag med koden {kod}.")
    return problems


def can_move(current: str, target: str) -> bool:
    return target in NEXT_STATUSES.get(current, ())


def feedback_targets(current: str) -> tuple[str, ...]:
    """Where återkoppling can move a status: lyft only comes from choosing it at a meeting."""
    return tuple(t for t in NEXT_STATUSES.get(current, ()) if t != AvvikelseStatus.LYFT)


class Period(StrEnum):
    """The register's period filter."""

    SENASTE_12_MANADER = "12m"
    I_AR = "ar"
    FORRA_ARET = "forra"
    ALLA = "alla"


def period_bounds(period: str, today: date) -> tuple[date | None, date | None]:
    """First and last day of a `Period` seen from `today`; (None, None) for all."""
    if period == Period.SENASTE_12_MANADER:
        return today - timedelta(days=365), today
    if period == Period.I_AR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period == Period.FORRA_ARET:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None, None


@dataclass(frozen=True)
class AvvikelseFilter:
    fran: date | None = None
    till: date | None = None
    aktor: str | None = None
    niva: str | None = None
    kategori: str | None = None
    status: str | None = None
    ombud_id: str | None = None
    text: str = ""

    def matches(self, a: Avvikelse) -> bool:
        checks = (
            self.fran is None or a.datum >= self.fran,
            self.till is None or a.datum <= self.till,
            self.aktor is None or a.aktor == self.aktor,
            self.niva is None or a.niva == self.niva,
            self.kategori is None or self.kategori in a.kategorier,
            self.status is None or a.status == self.status,
            self.ombud_id is None or a.ombud_id == self.ombud_id,
        )
        if not all(checks):
            return False
        needle = self.text.strip().casefold()
        haystack = f"{a.beskrivning}\n{a.konsekvens}\n{a.aterkoppling}".casefold()
        return not needle or needle in haystack


def apply(items: list[Avvikelse], criteria: AvvikelseFilter) -> list[Avvikelse]:
    return [item for item in items if criteria.matches(item)]
