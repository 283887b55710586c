"""The återrapport as CSV for Excel: `;`, UTF-8 with BOM, decimal comma, one block per
table separated by an empty line."""

from __future__ import annotations

import csv
import io
from typing import Any

from po_desk.domain.aterrapport_tables import TEXT_HEADER, tables, text_rows
from po_desk.domain.formatting import decimal


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return decimal(value, grouped=False)
    return str(value)


def render(document: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    verksamhet = document["verksamhet"]
    writer.writerow(["Återrapport personligt ombud", document["ar"]])
    writer.writerow(["Verksamhet", verksamhet["namn"]])
    writer.writerow(["Län", verksamhet["lan"]])
    writer.writerow(["Kommuner", ", ".join(verksamhet["kommuner"])])
    for table in tables(document):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows([csv_cell(value) for value in row] for row in table.rows)
        if table.note:
            writer.writerow([table.note])
    writer.writerow([])
    writer.writerow(["Systembrister – beskrivningar"])
    writer.writerow(TEXT_HEADER)
    writer.writerows(text_rows(document))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
