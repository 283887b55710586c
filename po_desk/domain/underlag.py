"""What the ledningsgrupp underlag shows for a period, computed from the records.

In the external version (for members from outside the verksamhet, DESIGN §6) counts finer
than the whole verksamhet (per aktör, nivå, kategori) below three are hidden, with the
secondary suppression of `disclosure` so that no hidden count can be worked out from the
totals; the texts are listed only under aktörer whose count is shown and at least three,
without date, nivå or kategori. Texts never carry an uppdrag code.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from po_desk.domain import categories, counting, disclosure, vantetid
from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
from po_desk.domain.categories import Category, CategoryKind
from po_desk.domain.category_catalogue import DEFAULT_CATALOGUE, CategoryCatalogue
from po_desk.domain.ko import Anmalan
from po_desk.domain.ledningsgrupp import Mote
from po_desk.domain.uppdrag import Uppdrag

SUPPRESS_BELOW = 3
# What the external version does, in the words of the setting and the cover page.
EXTERNAL_VERSION = (
    "Antal 1–2 i uppdelningar finare än hela verksamheten visas som <3, och fler antal "
    "döljs (x) där ett litet antal annars kunde räknas fram ur summorna. Texterna visas bara "
    "för aktörer vars antal (minst 3) står i tabellen, utan datum, nivå och kategori."
)
INTERNAL_VERSION = "Alla antal redovisas exakt; texterna visas med datum, nivå och kategori."
SUPPRESSED = f"<{SUPPRESS_BELOW}"
_CODE = re.compile(r"\b[A-Z]?\d{4}-\d{3,}\b")


@dataclass(frozen=True)
class KeyFigure:
    label: str
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class AktorRow:
    aktor: str
    per_niva: dict[str, int]
    total: int


@dataclass(frozen=True)
class Waiting:
    avvikelse: Avvikelse
    raised_on: date | None
    days: int | None


@dataclass(frozen=True)
class UnderlagData:
    verksamhet: str
    lan: str
    kommuner: tuple[str, ...]
    fran: date
    till: date
    mote: date
    previous_fran: date
    previous_till: date
    key_figures: tuple[KeyFigure, ...]
    avvikelser_antal: int
    aktor_niva: tuple[AktorRow, ...]
    per_kategori: dict[str, int]
    new_by_aktor: dict[str, tuple[Avvikelse, ...]]
    waiting_feedback: tuple[Waiting, ...]
    suppress_small: bool
    # Aktör × nivå with its totals as printed (rows in the order of aktor_niva).
    aktor_table: disclosure.ProtectedTable | None = None
    kategori_marks: tuple[disclosure.Mark, ...] = ()
    kategori_withheld: bool = False
    # The category entries with the names in force on the period's last day.
    references: dict[CategoryKind, tuple[Category, ...]] = field(
        default_factory=lambda: dict(categories.DEFAULTS)
    )

    def name(self, kind: CategoryKind, code: str | None) -> str:
        return categories.name_of(self.references[kind], code)

    def aktor_cell(self, row: int, column: int) -> str:
        """A cell of the aktör × nivå table as printed; the last column holds the row
        totals, the last row the column totals."""
        assert self.aktor_table is not None
        return self.aktor_table.text(row, column)

    def kategori_text(self, index: int) -> str:
        count = list(self.per_kategori.values())[index]
        if not self.suppress_small:
            return str(count)
        mark = self.kategori_marks[index]
        if mark is disclosure.Mark.SMALL:
            return disclosure.PRIMARY_MARK
        if mark is disclosure.Mark.HIDDEN:
            return disclosure.SECONDARY_MARK
        return str(count)

    def texts_listed(self, aktor: str) -> bool:
        """Are the texts of this aktör's avvikelser printed? Always internally; externally
        only where the aktör's count is printed and at least three."""
        if not self.suppress_small:
            return True
        table = self.aktor_table
        if table is None or table.withheld:
            return False
        for index, row in enumerate(self.aktor_niva):
            if row.aktor == aktor:
                return table.row_total_shown(index) and row.total >= disclosure.SMALL_BELOW
        return False


def protected(rows: tuple[AktorRow, ...], suppress: bool) -> disclosure.ProtectedTable:
    niva_codes = categories.codes(categories.NIVAER)
    cells = [[row.per_niva[code] for code in niva_codes] for row in rows] or [[0] * len(niva_codes)]
    if suppress:
        return disclosure.protect_table(cells)
    grid = disclosure.with_margins(cells)
    marks = tuple(tuple(disclosure.Mark.SHOWN for _ in line) for line in grid)
    return disclosure.ProtectedTable(grid, marks)


def shown(count: int, suppress: bool) -> str:
    """A count as printed: 1 and 2 become "<3" when small counts are suppressed."""
    if suppress and 0 < count < SUPPRESS_BELOW:
        return SUPPRESSED
    return str(count)


def mask_codes(text: str) -> str:
    return _CODE.sub("[kod]", text)


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


# The meeting the underlag is made for: by default a week after the day it is made.
MEETING_AFTER_DAYS = 7


def default_period(today: date) -> tuple[date, date]:
    """The last full half year: what a ledningsgrupp usually looks back on."""
    if today.month > 6:
        return date(today.year, 1, 1), date(today.year, 6, 30)
    return date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)


def default_meeting(today: date) -> date:
    return today + timedelta(days=MEETING_AFTER_DAYS)


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length just before; whole months compare with whole months
    (January–June with July–December of the year before)."""
    previous_last = first - timedelta(days=1)
    next_day = last + timedelta(days=1)
    if first.day == 1 and next_day.day == 1:
        months = (next_day.year - first.year) * 12 + next_day.month - first.month
        return _month_start(first, months), previous_last
    return previous_last - (last - first), previous_last


def _uppdrag_figures(items: list[Uppdrag], first: date, last: date) -> tuple[int, int, int]:
    """Persons active, new and ended in the period (the rules of `counting`)."""
    counted = counting.count_period(items, first, last)
    return len(counted.active), len(counted.nya), len(counted.avslutade)


def _median_wait(items: list[Uppdrag], first: date, last: date) -> float | None:
    waits = [
        w for u in items if first <= u.start <= last and (w := vantetid.waiting_time(u)) is not None
    ]
    return float(statistics.median(waits)) if waits else None


def _key_figures(
    uppdrag: list[Uppdrag],
    anmalningar: list[Anmalan],
    avvikelser: list[Avvikelse],
    periods: tuple[tuple[date, date], tuple[date, date]],
) -> tuple[KeyFigure, ...]:
    (first, last), (previous_first, previous_last) = periods
    now = _uppdrag_figures(uppdrag, first, last)
    before = _uppdrag_figures(uppdrag, previous_first, previous_last)

    def avvikelse_count(a: date, b: date) -> int:
        return sum(1 for item in avvikelser if a <= item.datum <= b)

    return (
        KeyFigure("Klienter under perioden", now[0], before[0]),
        KeyFigure("Nya klienter", now[1], before[1]),
        KeyFigure("Avslutade klienter", now[2], before[2]),
        KeyFigure(
            "Väntande i kön vid periodens slut",
            vantetid.waiting_on(anmalningar, uppdrag, last),
            vantetid.waiting_on(anmalningar, uppdrag, previous_last),
        ),
        KeyFigure(
            "Median väntetid för påbörjade (dagar)",
            _median_wait(uppdrag, first, last),
            _median_wait(uppdrag, previous_first, previous_last),
        ),
        KeyFigure(
            "Registrerade avvikelser",
            avvikelse_count(first, last),
            avvikelse_count(previous_first, previous_last),
        ),
    )


def _in_order(codes: Iterable[str], reference: tuple[str, ...]) -> list[str]:
    """`codes` in the reference order; codes outside it (none in a store) last."""
    index = {code: number for number, code in enumerate(reference)}
    return sorted(codes, key=lambda c: (index.get(c, len(index)), c))


def aktor_niva_rows(
    avvikelser: list[Avvikelse], catalogue: CategoryCatalogue = DEFAULT_CATALOGUE
) -> tuple[AktorRow, ...]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in avvikelser:
        counts[item.aktor][item.niva] += 1
    rows = []
    for aktor in _in_order(counts, catalogue.codes(CategoryKind.AKTOR)):
        per_niva = {n: counts[aktor].get(n, 0) for n in catalogue.codes(CategoryKind.NIVA)}
        rows.append(AktorRow(aktor, per_niva, sum(per_niva.values())))
    return tuple(rows)


def build(
    *,
    verksamhet: str,
    lan: str,
    kommuner: tuple[str, ...],
    fran: date,
    till: date,
    mote: date,
    uppdrag: list[Uppdrag],
    anmalningar: list[Anmalan],
    avvikelser: list[Avvikelse],
    meetings: list[Mote],
    suppress_small: bool = True,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
) -> UnderlagData:
    previous = previous_period(fran, till)
    in_period = [a for a in avvikelser if fran <= a.datum <= till]
    kategorier = Counter(code for a in in_period for code in a.kategorier)
    by_aktor: dict[str, list[Avvikelse]] = defaultdict(list)
    for item in sorted(in_period, key=lambda a: a.datum):
        by_aktor[item.aktor].append(item)
    meeting_dates = {m.id: m.datum for m in meetings}
    waiting = []
    for item in avvikelser:
        raised = meeting_dates.get(item.mote_id)
        if item.status == AvvikelseStatus.LYFT and raised is not None and raised <= mote:
            waiting.append(Waiting(item, raised, (mote - raised).days))
    waiting.sort(key=lambda w: (w.raised_on or w.avvikelse.datum, w.avvikelse.datum))
    aktor_order = catalogue.codes(CategoryKind.AKTOR)
    rows = aktor_niva_rows(in_period, catalogue)
    per_kategori = {
        code: kategorier[code]
        for code in _in_order(kategorier, catalogue.codes(CategoryKind.BRISTKATEGORI))
    }
    kategori_marks, kategori_withheld = disclosure.protect_list(
        list(per_kategori.values()), len(in_period)
    )
    return UnderlagData(
        verksamhet=verksamhet,
        lan=lan,
        kommuner=kommuner,
        fran=fran,
        till=till,
        mote=mote,
        previous_fran=previous[0],
        previous_till=previous[1],
        key_figures=_key_figures(uppdrag, anmalningar, avvikelser, ((fran, till), previous)),
        avvikelser_antal=len(in_period),
        aktor_niva=rows,
        per_kategori=per_kategori,
        new_by_aktor={aktor: tuple(by_aktor[aktor]) for aktor in _in_order(by_aktor, aktor_order)},
        waiting_feedback=tuple(waiting),
        suppress_small=suppress_small,
        aktor_table=protected(rows, suppress_small),
        kategori_marks=kategori_marks,
        kategori_withheld=suppress_small and kategori_withheld,
        references={kind: catalogue.reference(kind, till) for kind in CategoryKind},
    )
