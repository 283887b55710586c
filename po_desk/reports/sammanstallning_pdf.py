"""A compilation as a PDF that reads like the national report's tables, with a sources
line naming the returns."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import KeepTogether, PageBreak, Spacer

from po_desk.domain import categories
from po_desk.domain.sammanstallning_tables import overview_table, quality_table, section_tables
from po_desk.reports.aterrapport_pdf import paragraph, table_flowables
from po_desk.reports.pdf_base import build_pdf, register_fonts


def render(compilation: dict[str, Any], font_folder: Path, printed: date | None = None) -> bytes:
    printed = printed or date.today()
    register_fonts(font_folder)
    year = compilation["ar"]
    sources = compilation["kallor"]
    shown = ", ".join(sources[:12]) + (f" och {len(sources) - 12} till" if len(sources) > 12
                                        else "")  # fmt: skip
    story: list = [
        paragraph(f"Sammanställning av återrapporter {year}", "title"),
        Spacer(1, 6),
        paragraph(
            f"{compilation['antal_verksamheter']} verksamheter med personligt ombud", "subtitle"
        ),
        paragraph(f"Källa: {len(sources)} återrapporter ({shown}).", "small"),
        Spacer(1, 8),
        *table_flowables(overview_table(compilation)),
        paragraph("Hela landet / alla inlästa verksamheter", "h1"),
    ]
    for table in section_tables(compilation["totalt"]):
        story += table_flowables(table)
    for lan, section in compilation["lan"].items():
        story += [PageBreak(), paragraph(lan, "h1")]
        for table in section_tables(section)[:4]:
            story += table_flowables(table)
    texts = compilation["totalt"]["brister"].get("texter_per_aktor", {})
    story += [PageBreak(), paragraph("Systembrister per aktör", "h1")]
    for aktor, items in texts.items():
        story.append(paragraph(categories.name_of(categories.AKTORER, aktor), "h2"))
        for item in items:
            story.append(
                KeepTogether([
                    paragraph(f"{item['verksamhet']} ({item['lan']}) · {item['datum']}", "small"),
                    paragraph(item["beskrivning"]),
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
