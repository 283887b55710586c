"""A compilation as CSV for Excel: `;`, UTF-8 with BOM, one block per table."""

from __future__ import annotations

import csv
import io
from typing import Any

from po_desk.domain.sammanstallning_tables import overview_table, section_tables
from po_desk.reports.aterrapport_csv import csv_cell


def render(compilation: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Sammanställning av återrapporter", compilation["ar"]])
    writer.writerow(["Antal verksamheter", compilation["antal_verksamheter"]])
    blocks = [("", overview_table(compilation))]
    blocks += [("Totalt – ", table) for table in section_tables(compilation["totalt"])]
    for lan, section in compilation["lan"].items():
        blocks += [(f"{lan} – ", table) for table in section_tables(section)]
    for prefix, table in blocks:
        writer.writerow([])
        writer.writerow([prefix + table.title])
        writer.writerow(table.header)
        writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
