"""Importing uppdrag from a CSV or XLSX file (DESIGN §5): all rows or none.

CSV may be UTF-8 (with or without BOM) or Windows-1252 as Excel saves it, with `;` or `,`.
Rows are matched on kod, or for rows without kod on the same kön, födelseår, kommun, start
and anmäld, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from uuid import uuid4

from po_desk.domain import import_rules
from po_desk.domain import uppdrag as rules
from po_desk.domain.errors import PoDeskError, ValidationFailed
from po_desk.domain.import_rules import ParsedRow, fold
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services.uppdrag_service import UppdragService

MAX_PROBLEMS_SHOWN = 50
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(PoDeskError):
    exit_code = 3


@dataclass
class ImportPlan:
    rows: list[ParsedRow]
    new: list[Uppdrag] = field(default_factory=list)
    changed: list[Uppdrag] = field(default_factory=list)
    unchanged: int = 0

    @property
    def problems(self) -> list[str]:
        return [
            f"Rad {r.number}: {p}" + ("" if p.endswith(".") else ".")
            for r in self.rows
            for p in r.problems
        ]

    def summary(self) -> str:
        return (
            f"{len(self.rows)} rader: {len(self.new)} nya, {len(self.changed)} ändrade, "
            f"{self.unchanged} oförändrade."
        )


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
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError("Excel-filen kan inte läsas; är den skadad?") from error
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _records(rows)


def _records(rows: list[list[object]]) -> list[dict[str, object]]:
    """Rows as dicts keyed by the known header names; row 1 is the header."""
    if not rows:
        raise ImportFileError("Filen är tom.")
    keys = [import_rules.header_key(str(cell or "")) for cell in rows[0]]
    missing = import_rules.missing_headers({k for k in keys if k})
    if missing:
        raise ImportFileError(
            "Filen saknar kolumnerna " + ", ".join(missing) + " (rubriker på första raden)."
        )
    records = []
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
        raise ImportFileError(f"Filen {path} kan inte läsas: {error.strerror}.") from None
    if data.startswith(XLSX_MAGIC) or str(path).lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)


def _fingerprint(u: Uppdrag) -> tuple[object, ...]:
    return (u.kon, u.fodelsear, u.kommun_id, u.start, u.anmald)


def _same(a: Uppdrag, b: Uppdrag) -> bool:
    keys = ("kon", "fodelsear", "kommun_id", "start", "anmald", "slut", "barn",
            "kontaktorsaker", "hanvisad_fran", "avslutsorsak")  # fmt: skip
    return all(getattr(a, k) == getattr(b, k) for k in keys)


class UppdragImport:
    def __init__(self, uppdrag: UppdragService, kommuner: dict[str, str]) -> None:
        self._uppdrag = uppdrag
        self._kommuner = {fold(name): kommun_id for name, kommun_id in kommuner.items()}
        self._kommun_ids = set(kommuner.values())

    def plan(self, path: Path, today: date | None = None) -> ImportPlan:
        """Reads and checks the whole file; nothing is written."""
        today = today or date.today()
        records = read(path)
        parsed = [
            import_rules.parse_row(number, raw, self._kommuner)
            for number, raw in enumerate(records, start=2)
            if raw
        ]
        plan = ImportPlan(parsed)
        existing = self._uppdrag.list()
        by_kod = {u.kod: u for u in existing}
        by_print = {_fingerprint(u): u for u in existing}
        seen_codes: set[str] = set()
        checked = []
        for row in parsed:
            if row.uppdrag is None:
                checked.append(row)
                continue
            item = row.uppdrag
            problems = UppdragService.record_rules(item, self._kommun_ids, today)
            if item.kod and item.kod in seen_codes:
                problems.append(f"koden {item.kod} står på flera rader")
            seen_codes.add(item.kod)
            if problems:
                checked.append(replace(row, uppdrag=None, problems=tuple(problems)))
                continue
            checked.append(row)
            match = by_kod.get(item.kod) if item.kod else by_print.get(_fingerprint(item))
            if match is None:
                plan.new.append(item)
            elif _same(match, item):
                plan.unchanged += 1
            else:
                plan.changed.append(replace(item, id=match.id, kod=match.kod,
                                            ombud_id=match.ombud_id,
                                            prioritetsgrunder=match.prioritetsgrunder,
                                            anteckning=match.anteckning,
                                            barn_andringar=match.barn_andringar))  # fmt: skip
        plan.rows = self._link(checked, plan, existing)
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
            klient_id = str(uuid4())
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
            if item.kod:
                klient_of[item.kod] = klient_id
            periods.setdefault(klient_id, []).append(item)
            linked.append((item, klient_id if item.tidigare_kod or item.kod else None))
        new_rows = {id(item) for item in plan.new}
        for index, row in enumerate(rows):
            given = row.uppdrag
            if given is None or id(given) in new_rows or not (given.tidigare_kod and given.kod):
                continue
            if klient_of.get(given.tidigare_kod) != klient_of.get(given.kod):
                problems.setdefault(index, []).append(
                    f"uppdrag {given.kod} finns redan och kan inte kopplas till en annan klient"
                )
        plan.new = [replace(item, klient_id=klient_id) for item, klient_id in linked]
        return [
            replace(row, uppdrag=None, problems=(*row.problems, *problems[index]))
            if index in problems
            else row
            for index, row in enumerate(rows)
        ]

    def run(self, path: Path, dry_run: bool = False, today: date | None = None) -> ImportPlan:
        plan = self.plan(path, today)
        problems = plan.problems
        if problems:
            shown = problems[:MAX_PROBLEMS_SHOWN]
            if len(problems) > len(shown):
                shown.append(f"… och {len(problems) - len(shown)} fel till.")
            raise ValidationFailed(["Inget importerades.", *shown])
        if not dry_run:
            self._uppdrag.apply_import(plan.new, plan.changed)
        return plan
