"""What every po-desk PDF shares: the embedded DejaVu font (the only font in the file),
paragraph styles, tables whose columns fit their words, headings kept with what follows
them, a header on every page and "Sida X av Y" in the footer."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
ACCENT = colors.HexColor("#1f5f8b")
LIGHT = colors.HexColor("#e8f0f6")


def register_fonts(font_folder: Path) -> None:
    """Embeds DejaVu Sans so åäö print the same on every machine."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(font_folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(font_folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=22, leading=28, textColor=ACCENT),
    "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=13, leading=18),
    "h1": ParagraphStyle(
        "h1", fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6,
        textColor=ACCENT, keepWithNext=1,
    ),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3,
                         keepWithNext=1),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10.5,
                            textColor=colors.HexColor("#444444")),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11),
    "cell_right": ParagraphStyle("cell_right", fontName=FONT, fontSize=8.5, leading=11,
                                 alignment=TA_RIGHT),
    "head": ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5),
    "head_right": ParagraphStyle("head_right", fontName=BOLD, fontSize=8.5, leading=10.5,
                                 alignment=TA_RIGHT),
}  # fmt: skip


def table_style(
    header_rows: int = 1, total_row: bool = False, numeric: set[int] | None = None
) -> TableStyle:
    """Grid, shaded header, numbers right-aligned (`numeric` columns; by default all but
    the first)."""
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9bb3c7")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if numeric is None:
        commands.append(("ALIGN", (1, 0), (-1, -1), "RIGHT"))
    else:
        commands += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric]
    if total_row:
        commands += [
            ("FONTNAME", (0, -1), (-1, -1), BOLD),
            ("BACKGROUND", (0, -1), (-1, -1), LIGHT),
        ]
    return TableStyle(commands)


def numbered_canvas(header: str, printed: date) -> type[Canvas]:
    """A canvas that writes the header and "Sida X av Y" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#555555"))
            top = PAGE_HEIGHT - 11 * mm
            self.drawString(MARGIN, top, header)
            self.drawRightString(PAGE_WIDTH - MARGIN, top, f"Utskrivet {printed.isoformat()}")
            self.setStrokeColor(ACCENT)
            self.line(MARGIN, top - 2 * mm, PAGE_WIDTH - MARGIN, top - 2 * mm)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, 10 * mm, f"Sida {self._pageNumber} av {total}"
            )
            self.restoreState()

    return NumberedCanvas


def header_row(texts: list[str], numeric: set[int] | None = None) -> list[Paragraph]:
    """Header cells that wrap instead of running into their neighbours; right-aligned over
    the `numeric` columns (by default all but the first)."""
    numeric = set(range(1, len(texts))) if numeric is None else numeric
    return [
        Paragraph(escape(text), STYLES["head_right" if index in numeric else "head"])
        for index, text in enumerate(texts)
    ]


def build_pdf(
    story: list[Any], *, title: str, author: str, header: str, printed: date, font_folder: Path
) -> bytes:
    """Lays out `story` on A4 with the shared margins, header and page numbers; in memory."""
    register_fonts(font_folder)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="po-desk",
        initialFontName=FONT,  # else the canvas starts with a Helvetica nobody embeds
    )
    document.build(keep_headings(story), canvasmaker=numbered_canvas(header, printed))
    return buffer.getvalue()


# --- Tables whose columns fit their words -------------------------------------------------

CELL_PADDING = 6  # reportlab's default left and right padding in a table cell
_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)
# Lines may break at spaces, and after a hyphen, a dash or a slash; never inside a word.
_PIECE = re.compile(r"[^\s\-–/]*[\-–/]+|[^\s\-–/]+")


def _pieces(text: str) -> list[tuple[str, str]]:
    """(glue, piece) pairs: glue is " " where a space came before the piece, "" where the
    piece follows a hyphen or slash."""
    result = []
    for word_index, word in enumerate(text.split()):
        for piece_index, piece in enumerate(_PIECE.findall(word)):
            glue = " " if piece_index == 0 and word_index > 0 else ""
            result.append((glue, piece))
    return result


def _width(text: str, font: str, size: float) -> float:
    width: float = pdfmetrics.stringWidth(text, font, size)
    return width


def wrap_text(text: str, width: float, font: str = FONT, size: float = 8.5) -> list[str]:
    """Greedy line breaking at spaces, hyphens and slashes only. A piece wider than
    `width` gets a line of its own rather than being cut."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for glue, piece in _pieces(paragraph):
            candidate = f"{line}{glue}{piece}" if line else piece
            if line and _width(candidate, font, size) > width + 0.5:  # rounding slack
                lines.append(line)
                line = piece
            else:
                line = candidate
        lines.append(line)
    return lines


def _longest_piece(text: str, font: str, size: float) -> float:
    return max((_width(p, font, size) for _, p in _pieces(str(text))), default=0.0)


def _longest_line(text: str, font: str, size: float) -> float:
    return max((_width(line, font, size) for line in str(text).split("\n")), default=0.0)


def fit_widths(
    rows: Sequence[Sequence[str]], bold_rows: set[int], total: float, size: float
) -> list[float] | None:
    """Column widths that hold every word of every cell whole within `total` points: each
    column gets at least its longest word, the rest goes where text would otherwise wrap.
    None when the words alone do not fit."""
    columns = len(rows[0])
    pad = 2.0 * CELL_PADDING + 1
    lowest, wanted = [pad] * columns, [pad] * columns
    for index, row in enumerate(rows):
        font = BOLD if index in bold_rows else FONT
        for column, text in enumerate(row):
            lowest[column] = max(lowest[column], _longest_piece(text, font, size) + pad)
            wanted[column] = max(wanted[column], _longest_line(text, font, size) + pad)
    if sum(lowest) > total:
        return None
    if sum(wanted) <= total:
        return [wanted[0] + total - sum(wanted), *wanted[1:]]
    # Water-filling: columns that need little more than their longest word get all they
    # want (short headers stay on one line); the rest share what is left by their need.
    widths, spare = [float(w) for w in lowest], total - sum(lowest)
    waiting = sorted(range(columns), key=lambda c: wanted[c] - lowest[c])
    while waiting and wanted[waiting[0]] - lowest[waiting[0]] <= spare / len(waiting):
        column = waiting.pop(0)
        spare -= wanted[column] - lowest[column]
        widths[column] = wanted[column]
    need = sum(wanted[c] - lowest[c] for c in waiting)
    for column in waiting:
        widths[column] += spare * (wanted[column] - lowest[column]) / need
    return widths


def fitted_table(
    rows: Sequence[Sequence[object]],
    *,
    numeric: set[int] | None = None,
    total_row: bool = False,
    width: float | None = None,
    widths: Sequence[float] | None = None,
) -> Table:
    """A table of plain texts (first row the header) whose columns fit their words: no
    word is ever cut; lines break at spaces, hyphens and slashes. Numbers are right-aligned
    (`numeric` columns; by default all but the first). `widths` fixes the columns."""
    texts = [["" if cell is None else str(cell) for cell in row] for row in rows]
    columns = len(texts[0])
    numeric = set(range(1, columns)) if numeric is None else numeric
    bold_rows = {0, len(texts) - 1} if total_row else {0}
    total = CONTENT_WIDTH if width is None else width
    size = _SIZES[0]
    chosen = list(widths) if widths is not None else None
    if chosen is None:
        for size in _SIZES:
            chosen = fit_widths(texts, bold_rows, total, size)
            if chosen is not None:
                break
        else:
            size = _SIZES[-1]
            chosen = [total / columns] * columns
    leading = round(size * 1.3, 1)
    styles = {
        (bold, right): ParagraphStyle(
            f"fit-{size}-{bold}-{right}",
            fontName=BOLD if bold else FONT,
            fontSize=size,
            leading=leading,
            alignment=TA_RIGHT if right else 0,
            splitLongWords=0,
        )
        for bold in (False, True)
        for right in (False, True)
    }
    pad = 2.0 * CELL_PADDING + 1
    cells = []
    for index, row in enumerate(texts):
        bold = index in bold_rows
        font = BOLD if bold else FONT
        line = []
        for column, text in enumerate(row):
            lines = wrap_text(text, chosen[column] - pad, font, size)
            markup = "<br/>".join(escape(part) for part in lines)
            line.append(Paragraph(markup, styles[(bold, column in numeric)]))
        cells.append(line)
    table = Table(cells, colWidths=chosen, repeatRows=1)
    table.setStyle(table_style(total_row=total_row, numeric=numeric))
    return table


def nothing(text: str) -> Paragraph:
    """The line printed instead of a table with no rows."""
    return Paragraph(escape(text), STYLES["body"])


# --- Headings stay with what follows -----------------------------------------------------

HEADING_STYLES = {"h1", "h2"}
_START_ROWS = 3  # a heading over a table goes with its header and this many rows


def _is_heading(flowable: Flowable) -> bool:
    return isinstance(flowable, Paragraph) and flowable.style.name in HEADING_STYLES


def _is_note(flowable: Flowable) -> bool:
    return (
        isinstance(flowable, (Paragraph, Spacer))
        and not _is_heading(flowable)
        and (isinstance(flowable, Spacer) or flowable.style.name == "small")
    )


class _HeadingBreak(CondPageBreak):
    """A page break unless the headings and the start of what follows them fit; measured
    at layout time, on the document's canvas."""

    def __init__(self, group: list[Flowable], following: Flowable | None, frame: float) -> None:
        super().__init__(0)
        self._group, self._following, self._limit = group, following, frame

    def _measure(self, flowable: Flowable, width: float) -> float:
        _, height = flowable.wrapOn(self.canv, width, PAGE_HEIGHT)
        if isinstance(flowable, KeepTogether):
            height = flowable._H  # its wrap answers "too tall" to force a split
        total: float = height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return total

    def _start(self, flowable: Flowable, width: float) -> float:
        """A table's header and first rows; all of anything else (a KeepTogether moves
        whole)."""
        if isinstance(flowable, Table):
            flowable.wrapOn(self.canv, width, PAGE_HEIGHT)
            heights = flowable._rowHeights  # reportlab keeps them here once wrapped
            return float(sum(heights[: flowable.repeatRows + _START_ROWS]))
        return self._measure(flowable, width)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        needed = sum(self._measure(f, availWidth) for f in self._group)
        if self._following is not None:
            needed += self._start(self._following, availWidth)
        self.height = min(needed + 4, self._limit)
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        return size


def keep_headings(story: list[Any]) -> list[Any]:
    """Before every run of headings (and the small notes under them) a conditional page
    break, so the headings never end a page without the start of what follows them.
    (reportlab's keepWithNext does not group a heading with a KeepTogether.)"""
    frame = PAGE_HEIGHT - 2 * MARGIN - 6 - 24
    result: list[Any] = []
    index = 0
    while index < len(story):
        flowable = story[index]
        if not _is_heading(flowable):
            result.append(flowable)
            index += 1
            continue
        end = index
        while end < len(story) and (_is_heading(story[end]) or _is_note(story[end])):
            end += 1
        group = story[index:end]
        following = story[end] if end < len(story) else None
        result += [_HeadingBreak(group, following, frame), *group]
        index = end
    return result
