"""The återrapport as a PDF to sign: every table of the form, the brister's texts grouped
by aktör, the verksamhet's own answers and signature lines; verksamhet and year on every
page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from po_desk.domain.aterrapport_tables import ReportTable, tables, text_rows
from po_desk.domain.formatting import decimal, number
from po_desk.reports.pdf_base import (
    CONTENT_WIDTH,
    STYLES,
    build_pdf,
    header_row,
    register_fonts,
    table_style,
)

TITLE = "Återrapport – verksamhet med personligt ombud"
TEXT_TABLES = {"prioriteringsordning", "ledningsgrupp", "manuellt"}


def paragraph(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def _cell(value: Any) -> Any:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, int):
        return number(value)
    return paragraph(str(value), "cell")


def table_flowables(table: ReportTable) -> list:
    numeric = set() if table.key in TEXT_TABLES else None
    rows: list[list[Any]] = [header_row(list(table.header), numeric)]
    rows += [[_cell(value) for value in row] for row in table.rows]
    columns = len(table.header)
    first = CONTENT_WIDTH * (0.18 if table.key == "per_lan" else 0.3 if columns > 4 else 0.6)
    if table.key == "prioriteringsordning":
        widths = [50, CONTENT_WIDTH - 50]
    elif table.key == "manuellt":
        widths = [CONTENT_WIDTH * 0.28, CONTENT_WIDTH * 0.72]
    else:
        widths = [first] + [(CONTENT_WIDTH - first) / (columns - 1)] * (columns - 1)
    grid = Table(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(table_style(total_row=table.total_row, numeric=numeric))
    flow: list = [paragraph(table.title, "h2"), grid]
    if table.note:
        flow.append(paragraph(table.note, "small"))
    return [KeepTogether(flow), Spacer(1, 6)]


def _texts(document: dict[str, Any]) -> list:
    grouped: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for row in text_rows(document):
        grouped[row[1]].append(row)
    flow: list = [paragraph("Systembrister – beskrivningar per aktör", "h1")]
    if not grouped:
        flow.append(paragraph("Inga systembrister registrerades under året."))
    for aktor, rows in grouped.items():
        flow.append(paragraph(aktor, "h2"))
        for datum, _aktor, niva, kategorier, beskrivning, konsekvens, atgarder, svar in rows:
            block = [
                paragraph(f"{datum} · {niva} · {kategorier}", "small"),
                paragraph(f"Beskrivning: {beskrivning}"),
            ]
            if konsekvens:
                block.append(paragraph(f"Konsekvens för den enskilde: {konsekvens}"))
            block.append(paragraph(f"Åtgärd: {atgarder or '–'}"))
            if svar:
                block.append(paragraph(f"Återkoppling: {svar}"))
            flow.append(KeepTogether([*block, Spacer(1, 5)]))
    return flow


def _signature() -> list:
    line = "_" * 38
    rows = [
        [paragraph("Ort och datum"), paragraph("Underskrift, enhetschef")],
        [paragraph(line), paragraph(line)],
        [paragraph(""), paragraph("Namnförtydligande")],
        [paragraph(""), paragraph(line)],
    ]
    grid = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2)
    return [KeepTogether([paragraph("Underskrift", "h1"), Spacer(1, 18), grid])]


def render(
    document: dict[str, Any],
    font_folder: Path,
    faststalld: datetime | None = None,
    printed: date | None = None,
) -> bytes:
    printed = printed or date.today()
    register_fonts(font_folder)  # before any Paragraph names the font
    verksamhet = document["verksamhet"]
    year = document["ar"]
    status = (
        f"Fastställd {faststalld.date().isoformat()}."
        if faststalld
        else "Utkast – ännu inte fastställd."
    )
    story: list = [
        paragraph(TITLE, "title"),
        Spacer(1, 6),
        paragraph(f"Redovisningsår {year}", "subtitle"),
        paragraph(f"{verksamhet['namn']} · {verksamhet['lan']}", "subtitle"),
        paragraph(f"Kommuner: {', '.join(verksamhet['kommuner'])}", "body"),
        paragraph(f"Huvudman: {verksamhet.get('huvudman') or '–'}", "body"),
        paragraph(
            f"{status} Enligt förordning (2013:522). Utskrivet {printed.isoformat()}.", "small"
        ),
        Spacer(1, 8),
    ]
    for table in tables(document):
        story += table_flowables(table)
    story += _texts(document) + _signature()
    return build_pdf(
        story,
        title=f"Återrapport {year} – {verksamhet['namn']}",
        author=verksamhet["namn"],
        header=f"{verksamhet['namn']} · Återrapport {year}",
        printed=printed,
        font_folder=font_folder,
    )
