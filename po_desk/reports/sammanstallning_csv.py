"""A compilation as CSV for Excel: `;`, UTF-8 with BOM, one block per table."""

from __future__ import annotations

from po_desk.domain import sammanstallning_document as sdoc
from po_desk.domain.sammanstallning_tables import (
    overview_table_compared,
    quality_table,
    section_tables_compared,
)
from po_desk.reports.csv_export import ExcelCsv


def render(compilation: sdoc.Sammanstallning) -> bytes:
    writer = ExcelCsv()
    writer.row(["Sammanställning av återrapporter", compilation["ar"]])
    writer.row(["Antal verksamheter", compilation["antal_verksamheter"]])
    previous = compilation.get("foregaende_ar")
    if previous:
        writer.row([f"Antal verksamheter {previous['ar']}", previous["antal_verksamheter"]])
    blocks = [("", table) for table in overview_table_compared(compilation)]
    blocks += [("Totalt – ", table) for table in section_tables_compared(compilation)]
    for lan in compilation["lan"]:
        blocks += [(f"{lan} – ", table) for table in section_tables_compared(compilation, lan)]
    blocks.append(("", quality_table(compilation)))
    for prefix, table in blocks:
        writer.row()
        writer.row([prefix + table.title])
        writer.row(table.header)
        writer.rows(table.rows)
    return writer.content()
