"""The category reference data as the verksamhet keeps it: for every kind, the entries
(stable code, sort order, active) and their dated names (DESIGN §6).

A store holds the catalogue (seeded from the defaults of `categories`); the defaults are
the catalogue only where no store exists (a compilation of returns made elsewhere, which
shows the names the returns carry). Codes never change; names may change from a date, so a
past year's return shows the names in force then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from po_desk.domain import categories
from po_desk.domain.categories import Category, CategoryKind

# Swedish labels of the kinds (Inställningar, messages).
KIND_LABELS: dict[CategoryKind, str] = {
    CategoryKind.KONTAKTORSAK: "Kontaktorsaker",
    CategoryKind.AVSLUTSORSAK: "Avslutsorsaker",
    CategoryKind.HANVISAD_FRAN: "Hänvisad från",
    CategoryKind.PRIORITETSGRUND: "Prioritetsgrunder",
    CategoryKind.AKTOR: "Aktörer (avvikelser)",
    CategoryKind.NIVA: "Nivåer (avvikelser)",
    CategoryKind.BRISTKATEGORI: "Kategorier av systembrister",
    CategoryKind.ATGARD: "Åtgärder (avvikelser)",
}

ENTRY_LABELS: dict[CategoryKind, str] = {
    CategoryKind.KONTAKTORSAK: "kontaktorsak",
    CategoryKind.AVSLUTSORSAK: "avslutsorsak",
    CategoryKind.HANVISAD_FRAN: "hänvisad från",
    CategoryKind.PRIORITETSGRUND: "prioritetsgrund",
    CategoryKind.AKTOR: "aktör",
    CategoryKind.NIVA: "nivå",
    CategoryKind.BRISTKATEGORI: "kategori",
    CategoryKind.ATGARD: "åtgärd",
}

# Kinds whose codes are a fixed list in the återrapport schema (the länsstyrelse compiles
# every verksamhet's counts per code): a new entry could not be reported, so none can be
# added; they can be renamed and deactivated. The other kinds are open in the schema.
FIXED_REASON = (
    "Länsstyrelsens återrapport har en fast lista för {label}; en ny post kan inte "
    "redovisas där. Byt namn på en befintlig post i stället."
)
FIXED_KINDS: frozenset[CategoryKind] = frozenset(
    {
        CategoryKind.KONTAKTORSAK,
        CategoryKind.AVSLUTSORSAK,
        CategoryKind.HANVISAD_FRAN,
        CategoryKind.NIVA,
    }
)


def addition_refused(kind: CategoryKind) -> str | None:
    """Why no entry can be added to `kind` (a Swedish sentence), or None when one can."""
    if kind in FIXED_KINDS:
        return FIXED_REASON.format(label=KIND_LABELS[kind].lower())
    return None


@dataclass(frozen=True)
class CategoryEntry:
    kind: CategoryKind
    code: str
    namn: str  # the name in force today (also before the first dated name)
    sort_order: int = 0
    active: bool = True
    # (from, name), oldest first; empty for an entry never renamed.
    names: tuple[tuple[date, str], ...] = ()
    # With active false: the first day it is inactive (None: every day).
    inactive_from: date | None = None

    def active_on(self, day: date | None) -> bool:
        """Whether the entry may be chosen for a record dated `day` (None: at all)."""
        if self.active:
            return True
        return self.inactive_from is not None and day is not None and day < self.inactive_from

    def name_on(self, day: date | None) -> str:
        """The name in force on `day` (before the first dated name, the oldest one)."""
        if day is None or not self.names:
            return self.namn
        in_force = [namn for fran, namn in self.names if fran <= day]
        return in_force[-1] if in_force else self.names[0][1]


@dataclass(frozen=True)
class CategoryCatalogue:
    entries: tuple[CategoryEntry, ...]
    _by_kind: dict[CategoryKind, tuple[CategoryEntry, ...]] = field(
        init=False, repr=False, compare=False
    )
    _by_code: dict[tuple[CategoryKind, str], CategoryEntry] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        grouped: dict[CategoryKind, list[CategoryEntry]] = {kind: [] for kind in CategoryKind}
        for entry in self.entries:
            grouped[entry.kind].append(entry)
        object.__setattr__(
            self,
            "_by_kind",
            {
                kind: tuple(sorted(items, key=lambda e: (e.sort_order, e.namn)))
                for kind, items in grouped.items()
            },
        )
        # The first entry of a kind with the code, as a search in order finds it.
        by_code: dict[tuple[CategoryKind, str], CategoryEntry] = {}
        for kind, items in self._by_kind.items():
            for entry in items:
                by_code.setdefault((kind, entry.code), entry)
        object.__setattr__(self, "_by_code", by_code)

    @staticmethod
    def defaults() -> CategoryCatalogue:
        """The shipped defaults (a new store's seed; the catalogue where no store exists)."""
        return CategoryCatalogue(
            tuple(
                CategoryEntry(kind, entry.code, entry.name, order)
                for kind, items in categories.DEFAULTS.items()
                for order, entry in enumerate(items)
            )
        )

    def of(self, kind: CategoryKind) -> tuple[CategoryEntry, ...]:
        return self._by_kind[kind]

    def entry(self, kind: CategoryKind, code: str) -> CategoryEntry | None:
        return self._by_code.get((kind, code))

    def codes(self, kind: CategoryKind) -> tuple[str, ...]:
        return tuple(e.code for e in self._by_kind[kind])

    def name(self, kind: CategoryKind, code: str | None, on: date | None = None) -> str:
        """The name of `code` in force on `on` (today's when None); an unknown code shows
        as itself."""
        if code is None:
            return ""
        found = self.entry(kind, code)
        return found.name_on(on) if found else code

    def names_on(self, kind: CategoryKind, on: date | None = None) -> dict[str, str]:
        return {e.code: e.name_on(on) for e in self._by_kind[kind]}

    def all_names_on(self, on: date | None = None) -> dict[str, dict[str, str]]:
        """Every kind's names in force on `on`, keyed by kind value (a return carries
        them, so it shows the names of its year wherever it is opened)."""
        return {kind.value: self.names_on(kind, on) for kind in CategoryKind}

    def reference(self, kind: CategoryKind, on: date | None = None) -> tuple[Category, ...]:
        """The entries of `kind` in order with the names in force on `on`."""
        return tuple(Category(e.code, e.name_on(on)) for e in self._by_kind[kind])

    def choices(
        self, kind: CategoryKind, on: date | None = None, keep: Iterable[str] = ()
    ) -> tuple[Category, ...]:
        """What a form offers: the active entries, plus the inactive ones in `keep` (a
        saved record's codes stay visible), with the names in force on `on`."""
        kept = set(keep)
        return tuple(
            Category(e.code, e.name_on(on))
            for e in self._by_kind[kind]
            if e.active_on(on) or e.code in kept
        )

    def spellings(self, kind: CategoryKind) -> tuple[Category, ...]:
        """Every name each entry has had (today's first), for reading a file's text: an
        import written with an older name still finds its code."""
        return tuple(
            Category(e.code, name)
            for e in self._by_kind[kind]
            for name in dict.fromkeys((e.namn, *(namn for _, namn in reversed(e.names))))
        )

    def order(self, kind: CategoryKind, selected: Iterable[str]) -> tuple[str, ...]:
        return categories.in_order(self.reference(kind), list(selected))

    def problems(
        self,
        kind: CategoryKind,
        selected: Iterable[str | None],
        keep: Iterable[str] = (),
        on: date | None = None,
    ) -> list[str]:
        """Swedish messages for codes unknown in `kind` or inactive on `on`, the record's
        date (an inactive code the record already had, in `keep`, stays allowed)."""
        kept = set(keep)
        label = ENTRY_LABELS[kind]
        result = []
        for code in selected:
            if code is None:
                continue
            found = self.entry(kind, code)
            if found is None:
                result.append(f"Okänd {label}: {code}.")
            elif not found.active_on(on) and code not in kept:
                result.append(f"{label.capitalize()} {found.namn} används inte längre.")
        return result


# A record's codes of one kind and the date they are chosen for (its start, its datum).
Chosen = tuple[CategoryKind, tuple[str | None, ...], date | None]


def record_problems(
    catalogue: CategoryCatalogue, chosen: Iterable[Chosen], before: Iterable[Chosen] = ()
) -> list[str]:
    """The problems of a record's codes per kind on the record's dates; `before` holds the
    codes the stored record already had (an entry deactivated since stays allowed on it)."""
    kept: dict[CategoryKind, set[str]] = {}
    for kind, codes, _day in before:
        kept.setdefault(kind, set()).update(c for c in codes if c)
    result: list[str] = []
    for kind, codes, day in chosen:
        result += catalogue.problems(kind, codes, kept.get(kind, ()), day)
    return result


DEFAULT_CATALOGUE = CategoryCatalogue.defaults()


@dataclass(frozen=True)
class CategoryRow:
    """One entry as Inställningar lists it."""

    code: str
    namn: str  # in force on the day asked for
    active: bool
    status: str
    names: str  # every dated name, oldest first ("" for an entry never renamed)


def _status(entry: CategoryEntry) -> str:
    if entry.active:
        return "Aktiv"
    if entry.inactive_from is None:
        return "Inaktiv"
    return f"Inaktiv från {entry.inactive_from.isoformat()}"


def _dated_names(entry: CategoryEntry) -> str:
    if len(entry.names) < 2:
        return ""
    return "; ".join(
        f"{namn} (från början)" if fran == date.min else f"{namn} (från {fran.isoformat()})"
        for fran, namn in entry.names
    )


def rows(catalogue: CategoryCatalogue, kind: CategoryKind, on: date) -> list[CategoryRow]:
    return [
        CategoryRow(
            e.code,
            e.name_on(on),
            e.active,
            _status(e),
            _dated_names(e),
        )
        for e in catalogue.of(kind)
    ]


def name_taken(catalogue: CategoryCatalogue, kind: CategoryKind, name: str, code: str = "") -> bool:
    """Whether another entry of `kind` already has `name` today (case-insensitive)."""
    folded = name.strip().casefold()
    return any(e.namn.casefold() == folded for e in catalogue.of(kind) if e.code != code)
