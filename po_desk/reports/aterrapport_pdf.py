"""The återrapport as a PDF to sign: every table of the form, the brister's texts grouped
by aktör, the verksamhet's own answers and signature lines; verksamhet and year on every
page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_svar_tables, aterrapport_v1, categories
from po_desk.domain.aterrapport_tables import ReportTable, carried, tables, text_rows
from po_desk.domain.categories import CategoryKind
from po_desk.domain.formatting import decimal, number
from po_desk.reports.pdf_base import (
    CONTENT_WIDTH,
    FONT,
    STYLES,
    build_pdf,
    fitted_table,
    nothing,
    register_fonts,
)

TITLE = "Återrapport – verksamhet med personligt ombud"
TEXT_TABLES = {
    "prioriteringsordning",
    "ledningsgrupp",
    "manuellt",
    *aterrapport_svar_tables.TEXT_KEYS,
}


def paragraph(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, int):
        return number(value)
    return str(value)


NOTHING = "Inget att redovisa för året."


def table_flowables(table: ReportTable) -> list[Flowable]:
    """The table's title, the table with columns fitted to their words (or a line saying
    there is nothing to report) and its note, kept together."""
    flow: list[Flowable] = [paragraph(table.title, "h2")]
    data_rows = table.rows[:-1] if table.total_row else table.rows
    if not data_rows:
        flow.append(nothing(NOTHING))
    else:
        numeric: set[int] | None = set() if table.key in TEXT_TABLES else None
        rows = [list(table.header), *([_cell(value) for value in row] for row in table.rows)]
        flow.append(fitted_table(rows, numeric=numeric, total_row=table.total_row))
        if table.note:
            flow.append(paragraph(table.note, "small"))
    return [KeepTogether(flow), Spacer(1, 6)]


def _texts(document: doc.Aterrapport) -> list[Flowable]:
    """The brister's texts under their aktör, the aktörer in the fixed order of the tables
    and the underlag."""
    grouped: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for item, row in zip(document["brister"]["texter"], text_rows(document), strict=True):
        grouped[item["aktor"]].append(row)
    order = categories.codes(carried(document, CategoryKind.AKTOR))
    flow: list[Flowable] = [paragraph("Systembrister – beskrivningar per aktör", "h1")]
    if not grouped:
        flow.append(paragraph("Inga systembrister registrerades under året."))
    for aktor in sorted(grouped, key=lambda c: (order.index(c) if c in order else len(order), c)):
        rows = grouped[aktor]
        flow.append(paragraph(rows[0][1], "h2"))
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


def _signature() -> list[Flowable]:
    line = "_" * 38
    rows = [
        [paragraph("Ort och datum"), paragraph("Underskrift, enhetschef")],
        [paragraph(line), paragraph(line)],
        [paragraph(""), paragraph("Namnförtydligande")],
        [paragraph(""), paragraph(line)],
    ]
    grid = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2)
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))  # never Helvetica
    return [KeepTogether([paragraph("Underskrift", "h1"), Spacer(1, 18), grid])]


def render(
    document: doc.WrittenReturn,
    font_folder: Path,
    faststalld: datetime | None = None,
    printed: date | None = None,
) -> bytes:
    printed = printed or date.today()
    register_fonts(font_folder)  # before any Paragraph names the font
    upgraded = aterrapport_v1.upgrade(document)
    verksamhet = upgraded["verksamhet"]
    year = document["ar"]
    status = (
        f"Fastställd {faststalld.date().isoformat()}."
        if faststalld
        else "Utkast – ännu inte fastställd."
    )
    story: list[Flowable] = [
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
    story += _texts(upgraded) + _signature()
    return build_pdf(
        story,
        title=f"Återrapport {year} – {verksamhet['namn']}",
        author=verksamhet["namn"],
        header=f"{verksamhet['namn']} · Återrapport {year}",
        printed=printed,
        font_folder=font_folder,
    )
