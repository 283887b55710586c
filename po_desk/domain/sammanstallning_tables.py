"""A compilation laid out as the national report's tables."""

from __future__ import annotations

from typing import Any

from po_desk.domain import categories
from po_desk.domain.aterrapport_tables import (
    ReportTable,
    brister_tables,
    klienter_tables,
    kontaktorsak_table,
)
from po_desk.domain.vantetid import BINS, KO_ORSAKER


def overview_table(compilation: dict[str, Any]) -> ReportTable:
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


def _overview_row(label: str, section: dict[str, Any]) -> tuple[Any, ...]:
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


def section_tables(section: dict[str, Any]) -> list[ReportTable]:
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
                (f"{label.replace('-', '–')} dagar", ko["fordelning_personer"][label],
                 ko["fordelning_verksamheter_median"][label])
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
    result += brister_tables(section["brister"])
    return result


def ko_per_kommun_table(rows: list[dict[str, Any]]) -> ReportTable:
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


def quality_table(compilation: dict[str, Any]) -> ReportTable:
    """The quality section: every warning of the consistency rules, by file (errors refuse
    the file, so only warnings are left to list)."""
    rows = tuple(
        (w["fil"], w["verksamhet"], w["regel"], w["falt"], w["meddelande"])
        for w in compilation.get("kvalitet", [])
    )
    return ReportTable(
        "kvalitet",
        "Kvalitet: varningar i återrapporterna",
        ("Fil", "Verksamhet", "Regel", "Fält", "Varning"),
        rows,
        note="Inga varningar." if not rows else "Varningarna hindrar inte sammanställningen.",
    )
