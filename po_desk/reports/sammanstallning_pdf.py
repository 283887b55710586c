"""A compilation as a PDF that reads like the national report's tables, with a sources
line naming the returns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from po_desk.domain import categories
from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.aterrapport_tables import ReportTable, carried
from po_desk.domain.categories import CategoryKind
from po_desk.domain.sammanstallning_tables import (
    overview_table_compared,
    quality_table,
    section_tables_compared,
)
from po_desk.reports.aterrapport_pdf import NOTHING, _cell, paragraph
from po_desk.reports.pdf_base import build_pdf, fitted_table, nothing, register_fonts


def render(
    compilation: sdoc.Sammanstallning, font_folder: Path, printed: date | None = None
) -> bytes:
    printed = printed or date.today()
    register_fonts(font_folder)
    year = compilation["ar"]
    sources = compilation["kallor"]
    shown = ", ".join(sources[:12]) + (f" och {len(sources) - 12} till" if len(sources) > 12
                                        else "")  # fmt: skip
    story: list[Flowable] = [
        paragraph(f"Sammanställning av återrapporter {year}", "title"),
        Spacer(1, 6),
        paragraph(
            f"{compilation['antal_verksamheter']} verksamheter med personligt ombud", "subtitle"
        ),
        paragraph(f"Källa: {len(sources)} återrapporter ({shown}).", "small"),
        *_previous_lines(compilation),
        Spacer(1, 8),
    ]
    for table in overview_table_compared(compilation):
        story += table_flowables(table)
    story.append(paragraph("Hela landet / alla inlästa verksamheter", "h1"))
    for table in section_tables_compared(compilation):
        story += table_flowables(table)
    first_tables = {t.key for t in section_tables_compared(compilation)[:_LAN_TABLES]}
    for lan in compilation["lan"]:
        story += [PageBreak(), paragraph(lan, "h1")]
        for table in section_tables_compared(compilation, lan):
            if table.key in first_tables or table.key.removesuffix("_forandring") in first_tables:
                story += table_flowables(table)
    story += _texts(compilation)
    exempel = compilation["totalt"].get("svar", {}).get("goda_exempel", [])
    if exempel:
        story.append(paragraph("Goda exempel", "h1"))
        for item in exempel:
            story.append(
                KeepTogether([
                    paragraph(f"{item['verksamhet']} ({item['lan']})", "small"),
                    paragraph(item["text"]),
                    Spacer(1, 4),
                ])
            )  # fmt: skip
    story += [
        PageBreak(),
        paragraph("Kvalitet", "h1"),
        *table_flowables(quality_table(compilation)),
    ]
    return build_pdf(
        story,
        title=f"Sammanställning {year}",
        author="po-desk",
        header=f"Sammanställning av återrapporter {year}",
        printed=printed,
        font_folder=font_folder,
    )


def table_flowables(table: ReportTable) -> list[Flowable]:
    """The table's title, the table (figures right-aligned, texts left) and its note, kept
    together."""
    flow: list[Flowable] = [paragraph(table.title, "h2")]
    data_rows = table.rows[:-1] if table.total_row else table.rows
    if not data_rows:
        flow.append(nothing(NOTHING))
    else:
        numeric = {
            i
            for i in range(1, len(table.header))
            if all(
                row[i] is None or (isinstance(row[i], int | float) and not isinstance(row[i], bool))
                for row in table.rows
            )
        }
        rows = [list(table.header), *([_cell(value) for value in row] for row in table.rows)]
        flow.append(fitted_table(rows, numeric=numeric, total_row=table.total_row))
        if table.note:
            flow.append(paragraph(table.note, "small"))
    return [KeepTogether(flow), Spacer(1, 6)]


def _verksamheter(count: int) -> str:
    return "verksamhet" if count == 1 else "verksamheter"


# Per län the PDF shows the klienter and kontaktorsak tables (the CSV has every table).
_LAN_TABLES = 4


def _previous_lines(compilation: sdoc.Sammanstallning) -> list[Flowable]:
    previous = compilation.get("foregaende_ar")
    if not previous:
        return []
    return [
        paragraph(
            f"Jämfört med {previous['ar']}: {len(previous['kallor'])} återrapporter, "
            f"{previous['antal_verksamheter']} verksamheter. Förändring = skillnad mot "
            f"{previous['ar']}.",
            "small",
        )
    ]


def _texts(compilation: sdoc.Sammanstallning) -> list[Flowable]:
    """Every brist's text under its nivå and aktör, central nivå first, with its kategorier,
    konsekvens and åtgärder."""
    groups = compilation["totalt"].get("brister_texter", [])
    names = {kind: carried(compilation["totalt"], kind) for kind in CategoryKind}
    flow: list[Flowable] = [PageBreak(), paragraph("Systembrister per nivå och aktör", "h1")]
    if not groups:
        flow.append(paragraph("Inga systembrister rapporterades."))
    for group in groups:
        flow.append(
            paragraph(
                f"{categories.name_of(names[CategoryKind.NIVA], group['niva'])} – "
                f"{categories.name_of(names[CategoryKind.AKTOR], group['aktor'])} "
                f"({group['verksamheter']} {_verksamheter(group['verksamheter'])})",
                "h2",
            )
        )
        for item in group["texter"]:
            kategorier = ", ".join(
                categories.name_of(names[CategoryKind.BRISTKATEGORI], c) for c in item["kategorier"]
            )
            block = [
                paragraph(
                    f"{item['verksamhet']} ({item['lan']}) · {item['datum']}"
                    + (f" · {kategorier}" if kategorier else ""),
                    "small",
                ),
                paragraph(item["beskrivning"]),
            ]
            if item["konsekvens"]:
                block.append(paragraph(f"Konsekvens: {item['konsekvens']}"))
            if item["atgarder"]:
                atgarder = ", ".join(
                    categories.name_of(names[CategoryKind.ATGARD], c) for c in item["atgarder"]
                )
                block.append(paragraph(f"Åtgärder: {atgarder}"))
            if item["aterkoppling"]:
                block.append(paragraph(f"Återkoppling: {item['aterkoppling']}"))
            flow.append(KeepTogether([*block, Spacer(1, 4)]))
    return flow
