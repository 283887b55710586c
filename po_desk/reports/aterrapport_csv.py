"""The återrapport as CSV for Excel: `;`, UTF-8 with BOM, decimal comma, one block per
table separated by an empty line."""

from __future__ import annotations

from po_desk.domain import aterrapport_document as doc
from po_desk.domain import aterrapport_v1
from po_desk.domain.aterrapport_tables import TEXT_HEADER, tables, text_rows
from po_desk.reports.csv_export import ExcelCsv


def render(document: doc.WrittenReturn) -> bytes:
    writer = ExcelCsv()
    verksamhet = document["verksamhet"]
    writer.row(["Återrapport personligt ombud", document["ar"]])
    writer.row(["Verksamhet", verksamhet["namn"]])
    writer.row(["Län", verksamhet["lan"]])
    writer.row(["Kommuner", ", ".join(verksamhet["kommuner"])])
    for table in tables(document):
        writer.row()
        writer.row([table.title])
        writer.row(table.header)
        writer.rows(table.rows)
        if table.note:
            writer.row([table.note])
    writer.row()
    writer.row(["Systembrister – beskrivningar"])
    writer.row(TEXT_HEADER)
    writer.rows(text_rows(aterrapport_v1.upgrade(document)))
    return writer.content()
