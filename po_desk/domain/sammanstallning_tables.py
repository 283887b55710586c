"""A compilation laid out as the national report's tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_svar_tables, categories, return_checks
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport_tables import (
    ReportTable,
    brister_tables,
    carried,
    describe_path,
    klienter_tables,
    kontaktorsak_table,
)
from po_desk.domain.categories import CategoryKind
from po_desk.domain.sammanstallning import NIVA_NATIONAL_ORDER
from po_desk.domain.vantetid import BINS, KO_ORSAKER


def overview_table(compilation: sdoc.Sammanstallning | sdoc.Foregaende) -> ReportTable:
    rows = []
    for lan, section in compilation["lan"].items():
        rows.append(_overview_row(lan, section))
    rows.append(_overview_row("Totalt", compilation["totalt"]))
    return ReportTable(
        "per_lan",
        "Verksamheter per län",
        ("Län", "Verksamheter", "Kommuner", "Ombud", "Årsarbetare", "Klienter", "Nya",
         "Med kö"),
        tuple(rows),
        total_row=True,
        note="Med kö = verksamheter som hade kö någon gång under året.",
    )  # fmt: skip


def _overview_row(label: str, section: sdoc.Section) -> tuple[Any, ...]:
    return (
        label,
        section["antal_verksamheter"],
        section["antal_kommuner"],
        section["ombud"]["antal"],
        section["ombud"]["arsarbetare"],
        section["klienter"]["totalt"],
        section["klienter"]["nya"],
        section["ko"]["verksamheter_med_ko"],
    )


def section_tables(section: sdoc.Section) -> list[ReportTable]:
    ko = section["ko"]
    beslut = section["prioriteringsordning_beslut"]
    ledning = section["ledningsgrupp"]
    result = klienter_tables(section["klienter"])
    result.append(kontaktorsak_table(section["kontaktorsaker"]))
    result += [
        ReportTable(
            "ko",
            "Kö och väntetider",
            ("Mått", "Värde"),
            (
                ("Verksamheter med kö (enligt svaret)", ko["verksamheter_med_ko"]),
                ("varav besvarat av enhetschefen", ko["verksamheter_med_ko_besvarat"]),
                *((f"Orsak till kö: {name.lower()}", ko["orsaker"][code])
                  for code, name in KO_ORSAKER),
                ("Väntande 31 december", ko["vantande_31_dec"]),
                ("Längsta väntan hittills bland väntande 31 december (dagar)",
                 ko["vantande_31_dec_langst_dagar"]),
                ("Påbörjade från kön", ko["startade_fran_ko"]),
                ("Median av verksamheternas medianväntetid (dagar)", ko["median_av_medianer"]),
                ("Verksamheter med intagningsstopp", ko["verksamheter_med_intagningsstopp"]),
                ("Dagar med intagningsstopp", ko["intagningsstopp_dagar"]),
            ),
        ),
        ReportTable(
            "vantetider",
            "Väntetider",
            ("Väntetid", "Personer", "Verksamheter (efter medianväntetid)"),
            tuple(
                (f"{label.replace('-', '–')} dagar", doc.counts(ko["fordelning_personer"])[label],
                 doc.counts(ko["fordelning_verksamheter_median"])[label])
                for label, _, _ in BINS
            ),
        ),
        ReportTable(
            "prioriteringsordning_beslut",
            "Prioriteringsordning",
            ("Mått", "Verksamheter"),
            (
                ("Med beslutad prioriteringsordning", beslut["med_beslutad"]),
                ("Utan beslutad prioriteringsordning", beslut["utan_beslutad"]),
                ("varav beslutat att inte ha någon", beslut["beslutat_ingen"]),
                ("varav inget beslut registrerat", beslut["inget_beslut"]),
            ),
        ),
        ReportTable(
            "prioriteringsgrunder",
            "Prioriteringsgrunder",
            ("Grund", "Verksamheter", "Rang 1", "Rang 2", "Rang 3", "Rang 4+"),
            tuple(
                (p["namn"], p["verksamheter"], p["per_rang"].get("1", 0),
                 p["per_rang"].get("2", 0), p["per_rang"].get("3", 0),
                 sum(v for k, v in p["per_rang"].items() if int(k) >= 4))
                for p in section["prioriteringsordning"]
            ),
        ),
        ReportTable(
            "ombud",
            "Personliga ombud",
            ("Mått", "Värde"),
            (
                ("Antal ombud", section["ombud"]["antal"]),
                ("Tjänster 31 december", section["ombud"].get("tjanster_31_dec")),
                ("Årsarbetare", section["ombud"]["arsarbetare"]),
                ("Kvinnor", section["ombud"]["kvinna"]),
                ("Män", section["ombud"]["man"]),
            ),
        ),
        ReportTable(
            "ledningsgrupp",
            "Ledningsgrupper",
            ("Mått", "Värde"),
            (
                ("Fulltaliga ledningsgrupper", ledning["fulltaliga"]),
                *(
                    (f"Saknar {categories.name_of(categories.ORGANISATIONER, code).lower()}",
                     count)
                    for code, count in ledning["saknas"].items()
                ),
                ("Möten", ledning["moten"]),
            ),
        ),
    ]  # fmt: skip
    if section["ko_per_kommun"]:
        result.append(ko_per_kommun_table(section["ko_per_kommun"]))
    if "ko_verksamheter" in section:
        result.append(ko_verksamheter_table(section["ko_verksamheter"]))
    result += brister_tables(section["brister"], section)
    if "brister_verksamheter" in section:
        result.append(brister_verksamheter_table(section["brister_verksamheter"], section))
    result += aterrapport_svar_tables.compilation_tables(section)
    return result


def ko_per_kommun_table(rows: list[sdoc.KoPerKommun]) -> ReportTable:
    return ReportTable(
        "ko_per_kommun",
        "Väntetider per kommun",
        ("Kommun", "Verksamhet", "Påbörjade från kön", "Kortaste", "Median", "Längsta",
         "Väntande 31 dec", "Längsta väntan hittills"),
        tuple(
            (r["kommun"], r["verksamhet"], r["startade_fran_ko"], r["vantetid_dagar"]["min"],
             r["vantetid_dagar"]["median"], r["vantetid_dagar"]["max"], r["vantande_31_dec"],
             r["vantande_31_dec_langst_dagar"])
            for r in rows
        ),
        note="Dagar. Returer enligt schema version 1 saknar uppgifter per kommun.",
    )  # fmt: skip


# --- Brister by reporting verksamheter, verksamheter with kö, the change column (issue 15) ---


def _brist_kategori(code: str, kategorier: tuple[categories.Category, ...]) -> str:
    return categories.name_of(kategorier, code) if code else "Ingen kategori"


def brister_verksamheter_table(
    rows: list[sdoc.BristVerksamheter], section: Mapping[str, Any] | None = None
) -> ReportTable:
    section = section or {}
    nivaer, aktorer = carried(section, CategoryKind.NIVA), carried(section, CategoryKind.AKTOR)
    kategorier = carried(section, CategoryKind.BRISTKATEGORI)
    return ReportTable(
        "brister_verksamheter",
        "Systembrister per nivå, aktör och kategori",
        ("Nivå", "Aktör", "Kategori", "Verksamheter", "Län", "Avvikelser"),
        tuple(
            (categories.name_of(nivaer, r["niva"]),
             categories.name_of(aktorer, r["aktor"]), _brist_kategori(r["kategori"], kategorier),
             r["verksamheter"], r["lan"], r["avvikelser"])
            for r in rows
        ),
        note="Verksamheter = antal verksamheter som rapporterat en sådan brist; Län = i hur "
        "många län. En avvikelse med flera kategorier räknas under var och en.",
    )  # fmt: skip


def ko_verksamheter_table(rows: list[sdoc.KoVerksamhet]) -> ReportTable:
    names = dict(KO_ORSAKER)
    return ReportTable(
        "ko_verksamheter",
        "Verksamheter med kö och orsakerna",
        ("Verksamhet", "Län", "Orsaker", "Väntande 31 dec", "Påbörjade från kön",
         "Medianväntetid (dagar)"),
        tuple(
            (r["verksamhet"], r["lan"],
             ", ".join(names.get(code, code).lower() for code in r["orsaker"]) or "–",
             r["vantande_31_dec"], r["startade_fran_ko"], r["median_dagar"])
            for r in rows
        ),
    )  # fmt: skip


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Text columns that describe a row rather than name it: a row keeps its place when they change.
_NOT_KEYS = frozenset({"Orsaker"})


def _difference(now: Any, before: Any) -> Any:
    if not _is_number(now) or not _is_number(before):
        return None
    difference = now - before
    return difference if isinstance(difference, int) else round(difference, 4)


@dataclass(frozen=True)
class Matched:
    """A table's rows beside the previous year's: `rows` are this year's (with a row only
    in the previous year added, 0 now), `before[r][i]` the previous figure of row r in
    figure column i (None elsewhere), `columns` the figure columns."""

    rows: tuple[tuple[Any, ...], ...]
    before: tuple[tuple[Any, ...], ...]
    columns: tuple[int, ...]


def matched(
    table: ReportTable,
    previous: ReportTable | None,
    order: Callable[[tuple[Any, ...]], Any] | None = None,
) -> Matched:
    """Rows matched by their text cells, columns by their headings; a row only in the
    previous year goes after the row it followed then (or where `order` puts it)."""
    before_rows = previous.rows if previous is not None else ()
    before_header = previous.header if previous is not None else table.header
    columns = [
        i for i in range(1, len(table.header))
        if any(_is_number(row[i]) for row in table.rows)
        or (table.header[i] in before_header and any(
            _is_number(row[before_header.index(table.header[i])]) for row in before_rows))
    ]  # fmt: skip
    texts = [i for i in range(len(table.header)) if i not in columns]
    keys = [i for i in texts if table.header[i] not in _NOT_KEYS]

    def key(row: tuple[Any, ...], header: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(row[header.index(table.header[i])] for i in keys)

    def then(row: tuple[Any, ...], i: int) -> Any:
        name = table.header[i]
        return row[before_header.index(name)] if name in before_header else None

    earlier = {key(row, before_header): row for row in before_rows}
    body = list(table.rows[:-1] if table.total_row else table.rows)
    mine = {key(row, table.header) for row in table.rows}
    placed = {key(row, table.header): index for index, row in enumerate(body)}
    after = -1
    for row in before_rows:
        if table.total_row and row is before_rows[-1]:
            break
        row_key = key(row, before_header)
        if row_key in mine:
            after = placed.get(row_key, after)
            continue
        cells: list[Any] = [None] * len(table.header)
        for i in texts:
            cells[i] = row[before_header.index(table.header[i])]
        for i in columns:
            cells[i] = _zero(then(row, i), table.header[i])
        after += 1
        body.insert(after, tuple(cells))
        placed = {key(r, table.header): i for i, r in enumerate(body)}
    if order is not None:
        body.sort(key=order)
    rows = body + list(table.rows[-1:] if table.total_row else [])
    before = []
    for row in rows:
        old = earlier.get(key(row, table.header))
        before.append(
            tuple(
                (then(old, i) if old else _zero(row[i], table.header[i])) if i in columns
                else None
                for i in range(len(table.header))
            )
        )  # fmt: skip
    return Matched(tuple(rows), tuple(before), tuple(columns))


def with_change(
    table: ReportTable,
    previous: ReportTable | None,
    year: int,
    order: Callable[[tuple[Any, ...]], Any] | None = None,
) -> list[ReportTable]:
    """The table with its change since `year` (now − then), like the national report's
    Tabell 2: a table with one figure column gets the columns `year` and Förändring; a table
    with more is followed by a table of the same shape holding the changes. Rows are matched
    by their text cells; a row only in the previous year is shown with 0 now."""
    match = matched(table, previous, order)
    note = f"Förändring = skillnad mot {year}."
    if not match.columns:
        return [table]
    if len(match.columns) == 1:
        column = match.columns[0]
        return [
            ReportTable(
                table.key,
                table.title,
                (*table.header, str(year), "Förändring"),
                tuple(
                    (*row, old[column], _difference(row[column], old[column]))
                    for row, old in zip(match.rows, match.before, strict=True)
                ),
                total_row=table.total_row,
                note=" ".join(filter(None, (table.note, note))),
            )
        ]
    changes = tuple(
        tuple(
            _difference(row[i], old[i]) if i in match.columns else row[i]
            for i in range(len(table.header))
        )
        for row, old in zip(match.rows, match.before, strict=True)
    )
    return [
        replace(table, rows=match.rows),
        ReportTable(
            f"{table.key}_forandring",
            f"{table.title} – förändring jämfört med {year}",
            table.header,
            changes,
            total_row=table.total_row,
            note=note,
        ),
    ]


@dataclass(frozen=True)
class Compared:
    """A figure beside the previous year's: for a view that shows both in one cell."""

    now: Any
    before: Any
    change: Any


def beside(table: ReportTable, previous: ReportTable | None, year: int) -> ReportTable:
    """The table with every figure a Compared cell (now, then, change); the note names the
    year compared with."""
    match = matched(table, previous)
    if not match.columns:
        return table
    rows: Any = tuple(
        tuple(
            Compared(row[i], old[i], _difference(row[i], old[i])) if i in match.columns
            else row[i]
            for i in range(len(table.header))
        )
        for row, old in zip(match.rows, match.before, strict=True)
    )  # fmt: skip
    note = f"Under varje siffra: {year} och förändringen."
    return replace(table, rows=rows, note=" ".join(filter(None, (table.note, note))))


def tables_beside(
    current: list[ReportTable], previous: list[ReportTable], year: int
) -> list[ReportTable]:
    before = {table.key: table for table in previous}
    return [beside(table, before.get(table.key), year) for table in current]


# Columns that are no sum: a row absent one year gives them no change.
_NOT_ADDITIVE = frozenset(
    {"Kortaste", "Median", "Längsta", "Längsta väntan hittills", "Medianväntetid (dagar)"}
)


def _zero(value: Any, column: str) -> Any:
    """A figure absent in a year is 0 that year, unless it is no sum (a median)."""
    if column in _NOT_ADDITIVE or not _is_number(value):
        return None
    return 0 if isinstance(value, int) else 0.0


def compared(
    current: list[ReportTable], previous: list[ReportTable], year: int
) -> list[ReportTable]:
    """Every table with its change column (with_change), tables matched by key."""
    before = {table.key: table for table in previous}
    result: list[ReportTable] = []
    for table in current:
        if table.key in _WITHOUT_CHANGE:
            result.append(table)
        else:
            result += with_change(table, before.get(table.key), year, _ROW_ORDER.get(table.key))
    return result


def _brist_row_order(row: tuple[Any, ...]) -> tuple[int, int, int]:
    """Central nivå first, then aktör and kategori in their fixed order (names in cells)."""
    nivaer = [categories.name_of(categories.NIVAER, c) for c in NIVA_NATIONAL_ORDER]
    aktorer = [c.name for c in categories.AKTORER]
    kategorier = [c.name for c in categories.BRISTKATEGORIER]

    def place(names: list[str], name: Any) -> int:
        return names.index(name) if name in names else len(names)

    return (place(nivaer, row[0]), place(aktorer, row[1]), place(kategorier, row[2]))


_ROW_ORDER: dict[str, Callable[[tuple[Any, ...]], Any]] = {"brister_verksamheter": _brist_row_order}

# Lists rather than counts: shown as they are, without a change.
_WITHOUT_CHANGE = frozenset({"ko_verksamheter"})


def section_tables_compared(
    compilation: sdoc.Sammanstallning, lan: str | None = None
) -> list[ReportTable]:
    """The section's tables (the total when `lan` is None), with the change since the
    previous year when the compilation has one."""
    section = compilation["totalt"] if lan is None else compilation["lan"][lan]
    current = section_tables(section)
    previous = compilation.get("foregaende_ar")
    if not previous:
        return current
    before = previous["totalt"] if lan is None else previous["lan"].get(lan)
    return compared(current, section_tables(before) if before else [], previous["ar"])


def overview_table_compared(compilation: sdoc.Sammanstallning) -> list[ReportTable]:
    current = overview_table(compilation)
    previous = compilation.get("foregaende_ar")
    if not previous:
        return [current]
    return with_change(current, overview_table(previous), previous["ar"])


def quality_table(compilation: sdoc.Sammanstallning) -> ReportTable:
    """The quality section: every warning of the consistency rules, by file (errors refuse
    the file, so only warnings are left to list)."""
    rows = tuple(
        (
            w["fil"],
            w["verksamhet"],
            return_checks.RULES.get(w["regel"], w["regel"]),
            describe_path(w["falt"]),
            w["meddelande"],
        )
        for w in compilation.get("kvalitet", [])
    )
    return ReportTable(
        "kvalitet",
        "Kvalitet: varningar i återrapporterna",
        ("Fil", "Verksamhet", "Regel", "Fält", "Varning"),
        rows,
        note="Inga varningar." if not rows else "Varningarna hindrar inte sammanställningen.",
    )
