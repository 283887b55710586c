"""What every po-desk PDF shares: the embedded DejaVu font, paragraph styles, table style,
a header on every page and "Sida X av Y" in the footer."""

from __future__ import annotations

import io
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
from reportlab.platypus import Paragraph, SimpleDocTemplate, TableStyle

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
    )
    document.build(story, canvasmaker=numbered_canvas(header, printed))
    return buffer.getvalue()
