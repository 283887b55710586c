"""The recovery key sheet: one A4 page an enhetschef files in the safe, with the key large
in groups, what it opens, where the register is and how to keep it."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from po_desk.reports.pdf_base import (
    ACCENT,
    BOLD,
    FONT,
    LIGHT,
    MARGIN,
    PAGE_WIDTH,
    STYLES,
    register_fonts,
)

MONO = "DejaVuSansMono"
KEY_FONT_SIZE = 20


def _register_mono(font_folder: Path) -> None:
    if MONO not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(MONO, str(font_folder / "DejaVuSansMono.ttf")))


def _breakable(path: str, width: float) -> str:
    """A path laid out to wrap after its separators rather than inside a folder name."""
    parts = re.findall(r"[^/\\]*[/\\]|[^/\\]+$", path)
    lines: list[str] = []
    for part in parts:
        candidate = (lines[-1] if lines else "") + part
        if lines and pdfmetrics.stringWidth(candidate, FONT, STYLES["body"].fontSize) <= width:
            lines[-1] = candidate
        else:
            lines.append(part)
    return "<br/>".join(escape(line) for line in lines)


def key_rows(recovery_key: str) -> list[list[str]]:
    """The key's groups of five, four to a row."""
    groups = [g for g in recovery_key.replace(" ", "-").split("-") if g]
    return [groups[i : i + 4] for i in range(0, len(groups), 4)]


def render(
    recovery_key: str,
    *,
    verksamhet: str,
    store_path: str,
    created: date,
    font_folder: Path,
) -> bytes:
    register_fonts(font_folder)
    _register_mono(font_folder)
    body = STYLES["body"]
    label_width = 35 * mm
    value_width = PAGE_WIDTH - 2 * MARGIN - label_width - 12
    facts = Table(
        [
            [Paragraph("<b>Verksamhet</b>", body), Paragraph(escape(verksamhet), body)],
            [Paragraph("<b>Datum</b>", body), Paragraph(created.isoformat(), body)],
            [
                Paragraph("<b>Registret</b>", body),
                Paragraph(_breakable(store_path, value_width), body),
            ],
            [
                Paragraph("<b>Nyckelfilen</b>", body),
                Paragraph(
                    _breakable(f"{store_path}.keys", value_width) + " (ligger bredvid registret)",
                    body,
                ),
            ],
        ],
        colWidths=[label_width, None],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        ),
    )
    rows = key_rows(recovery_key)
    key_table = Table(
        rows,
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), MONO),
                ("FONTSIZE", (0, 0), (-1, -1), KEY_FONT_SIZE),
                ("LEADING", (0, 0), (-1, -1), KEY_FONT_SIZE * 1.3),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
            ]
        ),
    )
    h1 = STYLES["h1"]
    story = [
        Paragraph("Återställningsnyckel", STYLES["title"]),
        Paragraph("för po-desk-registret – förvaras inlåst", STYLES["subtitle"]),
        Spacer(1, 8 * mm),
        facts,
        Spacer(1, 8 * mm),
        key_table,
        Spacer(1, 2 * mm),
        Paragraph(
            "Bokstäverna är A–Z och siffrorna 2–7; det finns ingen nolla och ingen etta. "
            "Bindestreck, mellanslag och stora eller små bokstäver spelar ingen roll.",
            STYLES["small"],
        ),
        Paragraph("Vad nyckeln är till", h1),
        Paragraph(
            "Nyckeln öppnar registret om lösenfrasen glöms bort. Den som har nyckeln och "
            "registret kan läsa allt i registret, så nyckeln ska skyddas som lösenfrasen.",
            body,
        ),
        Paragraph("Så används den", h1),
        Paragraph(
            "Starta po-desk och öppna registret. Välj <i>Jag har glömt lösenfrasen – använd "
            "återställningsnyckeln</i>, skriv in nyckeln och välj sedan en ny lösenfras.",
            body,
        ),
        Paragraph("Var den ska förvaras", h1),
        Paragraph(
            "Förvara bladet inlåst, till exempel i verksamhetens kassaskåp, och aldrig "
            "tillsammans med datorn eller säkerhetskopiorna. Kopiera det inte och spara "
            "det inte i e-post eller okrypterat på datorn. Om bladet kommer bort eller kan "
            "ha setts av någon obehörig: skapa en ny återställningsnyckel och förstör det "
            "gamla bladet.",
            body,
        ),
        Spacer(1, 12 * mm),
        Table(
            [["Förvaras av", "Datum", "Signatur"], ["", "", ""]],
            colWidths=[70 * mm, 35 * mm, None],
            rowHeights=[None, 14 * mm],
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), BOLD),
                    ("FONTNAME", (0, 1), (-1, -1), FONT),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9bb3c7")),
                ]
            ),
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Återställningsnyckel",
        author=verksamhet,
        creator="po-desk",
        initialFontName=FONT,  # else the canvas starts in a Helvetica nobody embeds
    )
    document.build(story)
    return buffer.getvalue()
