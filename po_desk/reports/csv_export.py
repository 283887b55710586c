"""Every CSV the program writes, written one way: for Excel (`;`, UTF-8 with BOM, CRLF,
decimal comma) and safe to open there.

CSV injection (OWASP): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is read by Excel and LibreOffice as a formula, so `=HYPERLINK(…)` in a free text
would run when the file is opened. Such a cell gets a leading apostrophe, which makes it
plain text; the csv module quotes what needs quoting. Numbers the program writes itself
(int and float cells) are left as numbers, negative ones too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from po_desk.domain.formatting import decimal

# The fullwidth forms too: some spreadsheet programs fold them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def text_cell(text: str) -> str:
    """A text cell that cannot run as a formula (also when spaces or line breaks come
    first)."""
    stripped = text.lstrip(" \n\u00a0")
    if text.startswith(FORMULA_STARTS) or stripped.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return text_cell(str(value))
    if isinstance(value, float):
        return decimal(value, grouped=False)
    if isinstance(value, int):
        return str(value)
    return text_cell(str(value))


class ExcelCsv:
    """Rows in, the bytes of the file out; every cell goes through csv_cell."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=";", lineterminator="\r\n")

    def row(self, values: Iterable[Any] = ()) -> None:
        self._writer.writerow([csv_cell(value) for value in values])

    def rows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.row(values)

    def content(self) -> bytes:
        return ("\ufeff" + self._buffer.getvalue()).encode("utf-8")
