"""Importing uppdrag from a CSV or XLSX file (DESIGN §5): all rows or none.

CSV may be UTF-8 (with or without BOM) or Windows-1252 as Excel saves it, with `;` or `,`.
Rows are matched on kod, or for rows without kod on the same kön, födelseår, kommun, start
and anmäld, so importing the same file twice adds nothing. An import adds rows and fills
empty fields; an empty cell never clears a value. A value that is already there changes
only when the caller confirms the listed changes (`update`); a row matched without kod
never changes what is there.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

from po_desk.domain import categories, import_rules
from po_desk.domain import uppdrag as rules
from po_desk.domain.categories import CategoryKind
from po_desk.domain.category_catalogue import record_problems
from po_desk.domain.errors import PoDeskError, ValidationFailed, os_reason
from po_desk.domain.import_rules import ParsedRow, fold
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services.changes import writes
from po_desk.services.uppdrag_service import UppdragService

log = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 50
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(PoDeskError):
    exit_code = 3


# The fields an import row carries, with the label a change is shown under.
FIELD_LABELS = {
    "kon": "kön",
    "fodelsear": "födelseår",
    "kommun_id": "kommun",
    "anmald": "anmäld",
    "start": "start",
    "slut": "slut",
    "barn": "barn",
    "kontaktorsaker": "kontaktorsaker",
    "hanvisad_fran": "hänvisad från",
    "avslutsorsak": "avslutsorsak",
}


@dataclass(frozen=True)
class FieldChange:
    """A value already in the register that the file would replace."""

    row: int
    kod: str
    field: str
    old: str
    new: str

    def line(self) -> str:
        return f"Rad {self.row} (uppdrag {self.kod}): {self.field} {self.old} → {self.new}."


@dataclass(frozen=True)
class PreviewRow:
    """A good row of the file as the preview shows it: its line number, the uppdrag it
    makes and the kommun's name."""

    number: int
    uppdrag: Uppdrag
    kommun: str
    kontaktorsaker: str = ""  # the names in force today (the store's catalogue), joined


PREVIEW_ROWS = 200


@dataclass
class ImportPlan:
    rows: list[ParsedRow]
    new: list[Uppdrag] = field(default_factory=list)
    filled: list[Uppdrag] = field(default_factory=list)  # only empty fields get a value
    changed: list[Uppdrag] = field(default_factory=list)  # values there would change
    changes: list[FieldChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged: int = 0
    preview: list[PreviewRow] = field(default_factory=list)  # the first PREVIEW_ROWS good rows

    def change_lines(self) -> list[str]:
        return limited([c.line() for c in self.changes])

    @property
    def problems(self) -> list[str]:
        """One line per bad row, every problem of the row in it."""
        return [
            f"Rad {r.number}: " + "; ".join(p.rstrip(".") for p in r.problems) + "."
            for r in self.rows
            if r.problems
        ]

    def summary(self) -> str:
        rows = f"{len(self.rows)} {'rad' if len(self.rows) == 1 else 'rader'}"
        return (
            f"{rows}: {len(self.new)} nya, {len(self.filled)} kompletterade, "
            f"{len(self.changed)} med ändrade värden, {self.unchanged} oförändrade."
        )


def limited(lines: list[str]) -> list[str]:
    """The first lines, and a count of the rest."""
    shown = lines[:MAX_PROBLEMS_SHOWN]
    if len(lines) > len(shown):
        shown.append(f"… och {len(lines) - len(shown)} till.")
    return shown


def decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError("Filen är varken en CSV-fil eller ett Excel-ark (xlsx).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Filens teckenkodning känns inte igen; spara den som CSV UTF-8 eller Excel."
        ) from None


def read_csv(data: bytes) -> list[dict[str, object]]:
    text = decode(data)
    first_line = text.splitlines()[0] if text.strip() else ""
    separator = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"Filen kan inte läsas som CSV ({error}).") from None
    return _records(rows)


def read_xlsx(data: bytes) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError("Excel-filen kan inte läsas; är den skadad?") from error
    except Exception as error:  # openpyxl's parsers raise whatever they meet
        # A damaged part of a valid zip reaches openpyxl's XML readers, which raise
        # ParseError, TypeError, AttributeError, IndexError... (found by tests/test_fuzz.py).
        log.info("xlsx not readable: %s", type(error).__name__)
        raise ImportFileError("Excel-filen kan inte läsas; är den skadad?") from None
    return _records(rows)


def _records(rows: Sequence[Sequence[object]]) -> list[dict[str, object]]:
    """Rows as dicts keyed by the known header names; row 1 is the header."""
    if not rows:
        raise ImportFileError("Filen är tom.")
    keys = [import_rules.header_key(str(cell or "")) for cell in rows[0]]
    missing = import_rules.missing_headers({k for k in keys if k})
    if missing:
        raise ImportFileError(
            "Filen saknar kolumnerna " + ", ".join(missing) + " (rubriker på första raden)."
        )
    records: list[dict[str, object]] = []
    for cells in rows[1:]:
        if all(cell in (None, "") for cell in cells):
            records.append({})
            continue
        records.append({key: cell for key, cell in zip(keys, cells, strict=False) if key})
    return records


def read(path: Path) -> list[dict[str, object]]:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(f"Filen {path} kan inte läsas: {os_reason(error)}.") from None
    if data.startswith(XLSX_MAGIC) or str(path).lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)


def _fingerprint(u: Uppdrag) -> tuple[object, ...]:
    return (u.kon, u.fodelsear, u.kommun_id, u.start, u.anmald)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == ()


class UppdragImport:
    def __init__(self, uppdrag: UppdragService, kommuner: Callable[[], dict[str, str]]) -> None:
        """`kommuner` gives the verksamhet's kommuner by name; read when a file is planned,
        so an import made after the kommuner changed sees the new ones."""
        self._uppdrag = uppdrag
        self._read_kommuner = kommuner
        self._kommuner: dict[str, str] = {}
        self._kommun_ids: set[str] = set()
        self._kommun_names: dict[str, str] = {}

    def _load_kommuner(self) -> None:
        kommuner = self._read_kommuner()
        self._kommuner = {fold(name): kommun_id for name, kommun_id in kommuner.items()}
        self._kommun_ids = set(kommuner.values())
        self._kommun_names = {kommun_id: name for name, kommun_id in kommuner.items()}
        self._references: dict[CategoryKind, tuple[categories.Category, ...]] = dict(
            categories.DEFAULTS
        )

    def _shown(self, key: str, value: object) -> str:
        if _empty(value):
            return "(tomt)"
        names = {
            "kon": categories.KON,
            "barn": categories.BARN,
            "hanvisad_fran": self._references[CategoryKind.HANVISAD_FRAN],
            "avslutsorsak": self._references[CategoryKind.AVSLUTSORSAK],
        }
        if key == "kommun_id":
            return self._kommun_names.get(str(value), "?")
        if key == "kontaktorsaker":
            orsaker = self._references[CategoryKind.KONTAKTORSAK]
            return ", ".join(categories.name_of(orsaker, c) for c in value)  # type: ignore[attr-defined]
        if key in names:
            return categories.name_of(names[key], str(value))
        return value.isoformat() if isinstance(value, date) else str(value)

    def _merged(
        self, row: int, current: Uppdrag, item: Uppdrag
    ) -> tuple[Uppdrag, list[FieldChange], bool]:
        """`current` with the file's values: empty fields filled, other differences listed
        as changes; an empty cell leaves the value as it is."""
        values: dict[str, Any] = {}
        changes: list[FieldChange] = []
        for key, label in FIELD_LABELS.items():
            new, old = getattr(item, key), getattr(current, key)
            if _empty(new) or new == old:
                continue
            values[key] = new
            if not _empty(old):
                changes.append(FieldChange(row, current.kod, label, self._shown(key, old),
                                           self._shown(key, new)))  # fmt: skip
        return replace(current, **values), changes, bool(values)

    def plan(self, path: Path, today: date | None = None) -> ImportPlan:
        """Reads and checks the whole file; nothing is written."""
        today = today or date.today()
        self._load_kommuner()
        records = read(path)
        catalogue = self._uppdrag.categories()
        spellings = {kind: catalogue.spellings(kind) for kind in CategoryKind}
        # Changes are listed with today's names.
        self._references = {kind: catalogue.reference(kind, today) for kind in CategoryKind}
        parsed = [
            import_rules.parse_row(number, raw, self._kommuner, today, spellings)
            for number, raw in enumerate(records, start=2)
            if raw
        ]
        plan = ImportPlan(parsed)
        existing = self._uppdrag.all()
        by_kod = {u.kod: u for u in existing}
        by_print = {_fingerprint(u): u for u in existing}
        seen_codes: set[str] = set()
        checked = []
        for row in parsed:
            if row.uppdrag is None:
                checked.append(row)
                continue
            item = row.uppdrag
            match = by_kod.get(item.kod) if item.kod else by_print.get(_fingerprint(item))
            result, differs = item, False
            changes: list[FieldChange] = []
            if match is not None and item.kod:
                result, changes, differs = self._merged(row.number, match, item)
            problems = UppdragService.record_rules(result, self._kommun_ids, today)
            # Codes the store's catalogue does not know or has deactivated (the matched
            # uppdrag's own codes stay allowed).
            before = match if item.kod else None
            problems += [
                p[0].lower() + p[1:].rstrip(".")
                for p in record_problems(
                    catalogue, rules.category_codes(result), rules.category_codes(before)
                )
            ]
            if item.kod and item.kod in seen_codes:
                problems.append(f"koden {item.kod} står på flera rader")
            seen_codes.add(item.kod)
            if problems:
                checked.append(replace(row, uppdrag=None, problems=tuple(problems)))
                continue
            checked.append(row)
            if match is None:
                plan.new.append(item)
            elif not item.kod:
                # Matched on kön, födelseår, kommun and dates only: it may be someone else.
                plan.unchanged += 1
                if self._merged(row.number, match, item)[2]:
                    plan.notes.append(
                        f"Rad {row.number} saknar kod och liknar uppdrag {match.kod}; det "
                        "ändras inte. Ange koden för att komplettera det."
                    )
            elif not differs:
                plan.unchanged += 1
            elif changes:
                plan.changed.append(result)
                plan.changes.extend(changes)
            else:
                plan.filled.append(result)
        plan.rows = self._link(checked, plan, existing)
        orsaker = {c.code: c.name for c in self._references[CategoryKind.KONTAKTORSAK]}
        good = (r for r in plan.rows if r.uppdrag is not None)
        plan.preview = [
            PreviewRow(
                r.number,
                r.uppdrag,
                self._kommun_names.get(r.uppdrag.kommun_id, ""),
                ", ".join(orsaker.get(code, code) for code in r.uppdrag.kontaktorsaker),
            )
            for r in itertools.islice(good, PREVIEW_ROWS)
            if r.uppdrag is not None
        ]
        if not parsed:
            raise ImportFileError("Filen har inga rader med uppdrag.")
        return plan

    @staticmethod
    def _link(rows: list[ParsedRow], plan: ImportPlan, existing: list[Uppdrag]) -> list[ParsedRow]:
        """Återkommande klient (`tidigare_kod`): a new row joins the person of the earlier
        kod, in the store or earlier in the file; the periods of one person must not
        overlap. Returns the rows with any problems found."""
        klient_of = {u.kod: u.klient_id or u.id or u.kod for u in existing}
        periods: dict[str, list[Uppdrag]] = {}
        for u in existing:
            periods.setdefault(klient_of[u.kod], []).append(u)
        row_of = {id(r.uppdrag): index for index, r in enumerate(rows) if r.uppdrag is not None}
        problems: dict[int, list[str]] = {}
        linked = []
        for item in sorted(plan.new, key=lambda u: u.start):
            # A person of their own; an id only where a later row may name it (a kod).
            klient_id = str(uuid4()) if item.kod else None
            if item.tidigare_kod:
                found = klient_of.get(item.tidigare_kod)
                if found is None:
                    problems.setdefault(row_of[id(item)], []).append(
                        f"tidigare kod {item.tidigare_kod} finns varken i registret eller "
                        "tidigare i filen"
                    )
                    continue
                klient_id = found
                others = sorted(periods.get(klient_id, []), key=lambda u: u.start)
                found_problems = rules.link_problems(item, others)
                if found_problems:
                    problems.setdefault(row_of[id(item)], []).extend(found_problems)
            if klient_id is not None:
                if item.kod:
                    klient_of[item.kod] = klient_id
                periods.setdefault(klient_id, []).append(item)
            linked.append((item, klient_id))
        new_rows = {id(item) for item in plan.new}
        for index, row in enumerate(rows):
            given = row.uppdrag
            if given is None or id(given) in new_rows or not (given.tidigare_kod and given.kod):
                continue
            if klient_of.get(given.tidigare_kod) != klient_of.get(given.kod):
                problems.setdefault(index, []).append(
                    f"uppdrag {given.kod} finns redan och kan inte kopplas till en annan klient"
                )
        plan.new = [
            item if item.klient_id == klient_id else replace(item, klient_id=klient_id)
            for item, klient_id in linked
        ]
        return [
            replace(row, uppdrag=None, problems=(*row.problems, *problems[index]))
            if index in problems
            else row
            for index, row in enumerate(rows)
        ]

    @writes(uppdrag=True, klient=True)
    def run(
        self,
        path: Path,
        dry_run: bool = False,
        today: date | None = None,
        update: bool = False,
    ) -> ImportPlan:
        """Imports all rows or none; values already there change only with `update`."""
        plan = self.plan(path, today)
        problems = plan.problems
        if problems:
            raise ValidationFailed(["Inget importerades.", *limited(problems)])
        if plan.changes and not update and not dry_run:
            raise ValidationFailed([
                f"Inget importerades: filen ändrar {len(plan.changes)} värden som redan finns. "
                "Kontrollera ändringarna och bekräfta dem (--update).",
                *plan.change_lines(),
            ])  # fmt: skip
        if not dry_run:
            self._uppdrag.apply_import(plan.new, plan.filled + plan.changed)
        return plan
