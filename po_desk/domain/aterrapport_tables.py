"""The återrapport document laid out as the tables the form asks for.

Cells hold raw values (int, float, str, None) so each renderer formats them its own way:
Swedish digit groups in the PDF and the view, plain numbers with a decimal comma in CSV.
Shares are percentages (45.2 means 45,2 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from po_desk.domain import categories
from po_desk.domain.aterrapport import AGE_LABELS, KON_CODES, MANUAL_FIELDS
from po_desk.domain.formatting import number
from po_desk.domain.vantetid import BINS

Cell = int | float | str | None
KON_LABELS = {"kvinna": "Kvinnor", "man": "Män", "annan": "Annan", "totalt": "Totalt"}


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_row: bool = False
    note: str = ""


def _percent(share: float) -> float:
    return round(share * 100, 2)


def _age_label(label: str) -> str:
    return f"{label.replace('-', '–')} år"


def _yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def klienter_tables(klienter: dict[str, Any]) -> list[ReportTable]:
    """Klienter, kön × åldersgrupp and barn: shared by a return and a compilation."""
    result = [
        ReportTable(
            "klienter",
            "Klienter under året",
            ("Mått", "Antal"),
            (
                ("Klienter under året", klienter["totalt"]),
                ("Nya klienter", klienter["nya"]),
                ("Avslutade klienter", klienter["avslutade"]),
                ("Kvarstående 31 december", klienter["kvarstaende"]),
            ),
        ),
        ReportTable(
            "kon_alder",
            "Klienter efter kön och ålder",
            ("Kön", *(_age_label(label) for label in AGE_LABELS), "Totalt"),
            tuple(
                (KON_LABELS[kon], *(klienter["kon_alder"][kon][a] for a in AGE_LABELS),
                 klienter["kon_alder"][kon]["totalt"])
                for kon in (*KON_CODES, "totalt")
            ),
            total_row=True,
            note="Ålder = redovisningsåret minus födelseåret.",
        ),
    ]  # fmt: skip
    barn = klienter["med_barn"]
    result.append(
        ReportTable(
            "med_barn",
            "Klienter som helt eller delvis bor med barn under 18 år",
            ("Kön", "Antal"),
            tuple((KON_LABELS[k], barn[k]) for k in (*KON_CODES, "totalt")),
            total_row=True,
            note=f"Andel av alla klienter: {number(_percent(barn['andel']), 1)} %.",
        )
    )
    return result


def kontaktorsak_table(orsaker: dict[str, Any]) -> ReportTable:
    return ReportTable(
        "kontaktorsaker",
        "Kontaktorsaker bland nya klienter",
        ("Kontaktorsak", "Kvinnor", "Män", "Annan", "Totalt",
         "Andel kvinnor (%)", "Andel män (%)", "Andel totalt (%)"),
        tuple(
            (c.name, orsaker[c.code]["kvinna"], orsaker[c.code]["man"],
             orsaker[c.code]["annan"], orsaker[c.code]["totalt"],
             _percent(orsaker[c.code]["andel"]["kvinna"]),
             _percent(orsaker[c.code]["andel"]["man"]),
             _percent(orsaker[c.code]["andel"]["totalt"]))
            for c in categories.KONTAKTORSAKER
        ),
        note="En klient kan ha flera kontaktorsaker. Andel = del av årets nya klienter.",
    )  # fmt: skip


def tables(document: dict[str, Any]) -> list[ReportTable]:
    result = klienter_tables(document["klienter"])
    result.append(kontaktorsak_table(document["kontaktorsaker"]))
    result += _ko_tables(document["ko"])
    result.append(
        ReportTable(
            "prioriteringsordning",
            "Prioriteringsordning vid årets slut",
            ("Rang", "Grund"),
            tuple((p["rang"], p["namn"]) for p in document["prioriteringsordning"]),
        )
    )
    ombud = document["ombud"]
    ledning = document["ledningsgrupp"]
    result += [
        ReportTable(
            "ombud",
            "Personliga ombud",
            ("Mått", "Värde"),
            (
                ("Antal ombud under året", ombud["antal"]),
                ("Tjänster 31 december", ombud.get("tjanster_31_dec")),
                ("Årsarbetare", ombud["arsarbetare"]),
                ("Kvinnor", ombud["kvinna"]),
                ("Män", ombud["man"]),
                ("Annan", ombud["annan"]),
            ),
        ),
        ReportTable(
            "ledningsgrupp",
            "Ledningsgrupp",
            ("Mått", "Värde"),
            (
                ("Fulltalig 31 december", _yes_no(ledning["fulltalig"])),
                (
                    "Saknas",
                    ", ".join(
                        categories.name_of(categories.ORGANISATIONER, c) for c in ledning["saknas"]
                    )
                    or "–",
                ),
                ("Möten under året", ledning["moten"]),
            ),
        ),
    ]
    result += brister_tables(document["brister"])
    manuellt = document.get("manuellt", {})
    result.append(
        ReportTable(
            "manuellt",
            "Uppgifter från verksamheten",
            ("Fråga", "Svar"),
            tuple((label, manuellt.get(key) or "–") for key, label in MANUAL_FIELDS),
        )
    )
    return result


def _ko_tables(ko: dict[str, Any]) -> list[ReportTable]:
    wait = ko["vantetid_dagar"]
    return [
        ReportTable(
            "ko",
            "Kö och väntetider",
            ("Mått", "Värde"),
            (
                ("Kö under året", _yes_no(ko["hade_ko"])),
                ("Väntande 31 december", ko["vantande_31_dec"]),
                ("Påbörjade från kön under året", ko["startade_fran_ko"]),
                ("Kortaste väntetid (dagar)", wait["min"]),
                ("Median väntetid (dagar)", wait["median"]),
                ("Längsta väntetid (dagar)", wait["max"]),
                ("Dagar med intagningsstopp", ko["intagningsstopp_dagar"]),
            ),
        ),
        ReportTable(
            "vantetider",
            "Väntetid för påbörjade från kön",
            ("Väntetid", "Antal"),
            tuple(
                (f"{label.replace('-', '–')} dagar", ko["fordelning"][label])
                for label, _, _ in BINS
            ),
        ),
    ]


def brister_tables(brister: dict[str, Any]) -> list[ReportTable]:
    niva_codes = categories.codes(categories.NIVAER)
    per_aktor: dict[str, dict[str, int]] = {}
    for entry in brister["per_aktor_niva"]:
        per_aktor.setdefault(entry["aktor"], {})[entry["niva"]] = entry["antal"]
    order = categories.codes(categories.AKTORER)
    rows = [
        (categories.name_of(categories.AKTORER, aktor),
         *(counts.get(n, 0) for n in niva_codes), sum(counts.values()))
        for aktor, counts in sorted(per_aktor.items(), key=lambda p: order.index(p[0]))
    ]  # fmt: skip
    totals = [sum(row[i + 1] for row in rows) for i in range(len(niva_codes))]
    rows.append(("Totalt", *totals, brister["antal"]))
    return [
        ReportTable(
            "brister_aktor_niva",
            "Systembrister per aktör och nivå",
            ("Aktör", *(n.name for n in categories.NIVAER), "Totalt"),
            tuple(rows),
            total_row=True,
        ),
        ReportTable(
            "brister_kategori",
            "Systembrister per kategori",
            ("Kategori", "Antal"),
            tuple(
                (categories.name_of(categories.BRISTKATEGORIER, code), count)
                for code, count in brister["per_kategori"].items()
            ),
            note="En brist kan höra till flera kategorier.",
        ),
    ] + ([
        ReportTable(
            "atgarder",
            "Ombudens åtgärder",
            ("Åtgärd", "Antal"),
            tuple(
                (categories.name_of(categories.ATGARDER, code), count)
                for code, count in brister["atgarder"].items()
            ),
            note=f"Återkoppling mottagen på {brister['med_aterkoppling']} av {brister['antal']}.",
        )
    ] if "atgarder" in brister else [])  # fmt: skip


def text_rows(document: dict[str, Any]) -> list[tuple[str, ...]]:
    """The brister's texts, one row each: datum, aktör, nivå, kategorier, texts."""
    rows = []
    for item in document["brister"]["texter"]:
        rows.append(
            (
                item["datum"],
                categories.name_of(categories.AKTORER, item["aktor"]),
                categories.name_of(categories.NIVAER, item["niva"]),
                ", ".join(
                    categories.name_of(categories.BRISTKATEGORIER, c) for c in item["kategorier"]
                ),
                item["beskrivning"],
                item["konsekvens"],
                ", ".join(categories.name_of(categories.ATGARDER, c) for c in item["atgarder"]),
                item["aterkoppling"],
            )
        )
    return rows


TEXT_HEADER = (
    "Datum", "Aktör", "Nivå", "Kategorier", "Beskrivning", "Konsekvens", "Åtgärder",
    "Återkoppling",
)  # fmt: skip


_PATH_LABELS: dict[str, str] = {
    "klienter": "Klienter", "totalt": "totalt", "nya": "nya", "avslutade": "avslutade",
    "kvarstaende": "kvarstående", "kon_alder": "kön och ålder", "med_barn": "med barn",
    "nya_per_kon": "nya per kön", "kontaktorsaker": "Kontaktorsaker", "andel": "andel",
    "ko": "Kö", "hade_ko": "kö under året", "vantande_31_dec": "väntande 31 december",
    "startade_fran_ko": "påbörjade från kön", "vantetid_dagar": "väntetid (dagar)",
    "fordelning": "fördelning", "intagningsstopp_dagar": "dagar med intagningsstopp",
    "intagningsstopp": "intagningsstopp", "prioriteringsordning": "Prioriteringsordning",
    "ombud": "Ombud", "antal": "antal", "arsarbetare": "årsarbetare",
    "tjanster_31_dec": "tjänster 31 december",
    "ledningsgrupp": "Ledningsgrupp", "fulltalig": "fulltalig", "saknas": "saknas",
    "moten": "möten", "organisationer": "organisationer", "brister": "Systembrister",
    "per_aktor_niva": "per aktör och nivå", "per_aktor": "per aktör",
    "per_kategori": "per kategori", "atgarder": "åtgärder",
    "med_aterkoppling": "med återkoppling", "verksamhet": "Verksamhet", "ar": "År",
    **KON_LABELS,
}  # fmt: skip


def describe_path(path: str) -> str:
    """A figure's path in words: `klienter.kon_alder.kvinna.18-29` → "Klienter / kön och
    ålder / Kvinnor / 18-29"."""
    names = {c.code: c.name for entries in categories.DEFAULTS.values() for c in entries}
    return " / ".join(_PATH_LABELS.get(part) or names.get(part, part) for part in path.split("."))
