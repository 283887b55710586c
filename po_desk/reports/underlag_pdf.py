"""The ledningsgrupp underlag as a PDF: cover, key figures against the previous period,
avvikelser by aktör × nivå and by kategori (tables and charts), the new avvikelser
grouped by aktör, and those still waiting for återkoppling."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from po_desk.domain import categories
from po_desk.domain.formatting import number
from po_desk.domain.underlag import KeyFigure, UnderlagData, mask_codes, shown
from po_desk.reports.charts import bar_chart
from po_desk.reports.pdf_base import (
    CONTENT_WIDTH,
    STYLES,
    build_pdf,
    header_row,
    register_fonts,
    table_style,
)

TITLE = "Underlag till ledningsgruppen"


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def _value(value: float | None) -> str:
    return "–" if value is None else number(value)


def _change(figure: KeyFigure) -> str:
    change = figure.change
    if change is None:
        return "–"
    sign = "+" if change > 0 else ""
    return f"{sign}{number(change)}"


def _cover(data: UnderlagData, printed: date) -> list:
    return [
        Spacer(1, 60),
        _p(TITLE, "title"),
        Spacer(1, 10),
        _p(data.verksamhet, "subtitle"),
        _p(f"{data.lan} · {', '.join(data.kommuner)}", "body"),
        Spacer(1, 24),
        _p(f"Period: {data.fran.isoformat()} – {data.till.isoformat()}", "subtitle"),
        _p(f"Möte: {data.mote.isoformat()}", "subtitle"),
        _p(f"Jämförelseperiod: {data.previous_fran} – {data.previous_till}", "body"),
        Spacer(1, 24),
        _p(f"Utskrivet {printed.isoformat()} ur po-desk.", "small"),
        _p(
            "Underlaget innehåller inga uppgifter som identifierar enskilda personer. "
            + (
                "Antal under 3 i uppdelningar finare än hela verksamheten redovisas som <3."
                if data.suppress_small
                else "Alla antal redovisas exakt."
            ),
            "small",
        ),
        PageBreak(),
    ]


def _key_figures(data: UnderlagData) -> list:
    rows: list[list[object]] = [header_row(["Mått", "Perioden", "Föregående period", "Förändring"])]
    rows += [[f.label, _value(f.current), _value(f.previous), _change(f)] for f in data.key_figures]
    table = Table(rows, colWidths=[CONTENT_WIDTH * 0.46] + [CONTENT_WIDTH * 0.18] * 3)
    table.setStyle(table_style())
    return [_p("1. Nyckeltal", "h1"), table]


def _aktor_niva(data: UnderlagData) -> list:
    suppress = data.suppress_small
    niva_codes = [n.code for n in categories.NIVAER]
    rows: list[list[object]] = [
        header_row(["Aktör", *[n.name for n in categories.NIVAER], "Totalt"])
    ]
    for row in data.aktor_niva:
        name = categories.name_of(categories.AKTORER, row.aktor)
        counts = [shown(row.per_niva[code], suppress) for code in niva_codes]
        rows.append([_p(name, "cell"), *counts, shown(row.total, suppress)])
    column_totals = [sum(r.per_niva[code] for r in data.aktor_niva) for code in niva_codes]
    rows.append(["Hela verksamheten", *map(str, column_totals), str(data.avvikelser_antal)])
    width = CONTENT_WIDTH - 4 * 70
    table = Table(rows, colWidths=[width, 70, 70, 70, 70], repeatRows=1)
    table.setStyle(table_style(total_row=True))
    flow: list = [_p("2. Avvikelser per aktör och nivå", "h1"), table, Spacer(1, 8)]
    if data.aktor_niva:
        labels = [categories.name_of(categories.AKTORER, r.aktor) for r in data.aktor_niva]
        totals = [r.total for r in data.aktor_niva]
        flow.append(_chart("Antal avvikelser per aktör", labels, totals, suppress))
    return flow


def _chart(title: str, labels: list[str], values: list[int], suppress: bool) -> KeepTogether:
    texts = [shown(v, suppress) for v in values]
    drawn = [0 if text != str(v) else v for v, text in zip(values, texts, strict=True)]
    return KeepTogether([_p(title, "h2"), bar_chart(labels, drawn, texts)])


def _kategorier(data: UnderlagData) -> list:
    suppress = data.suppress_small
    rows: list[list[object]] = [header_row(["Kategori", "Antal"])]
    names = [categories.name_of(categories.BRISTKATEGORIER, c) for c in data.per_kategori]
    for name, count in zip(names, data.per_kategori.values(), strict=True):
        rows.append([_p(name, "cell"), shown(count, suppress)])
    table = Table(rows, colWidths=[CONTENT_WIDTH - 80, 80], repeatRows=1)
    table.setStyle(table_style())
    flow: list = [
        _p("3. Avvikelser per kategori", "h1"),
        _p("En avvikelse kan höra till flera kategorier.", "small"),
        table,
        Spacer(1, 8),
    ]
    if data.per_kategori:
        flow.append(_chart("Antal per kategori", names, list(data.per_kategori.values()), suppress))
    return flow


def _new_by_aktor(data: UnderlagData) -> list:
    flow: list = [PageBreak(), _p("4. Periodens avvikelser per aktör", "h1")]
    if not data.new_by_aktor:
        flow.append(_p("Inga avvikelser registrerades under perioden."))
    for aktor, items in data.new_by_aktor.items():
        flow.append(_p(categories.name_of(categories.AKTORER, aktor), "h2"))
        for item in items:
            niva = categories.name_of(categories.NIVAER, item.niva)
            kategorier = ", ".join(
                categories.name_of(categories.BRISTKATEGORIER, c) for c in item.kategorier
            )
            atgarder = (
                ", ".join(categories.name_of(categories.ATGARDER, c) for c in item.atgarder) or "–"
            )
            block = [
                _p(f"{item.datum.isoformat()} · {niva} · {kategorier}", "small"),
                _p(f"Beskrivning: {mask_codes(item.beskrivning)}"),
            ]
            if item.konsekvens.strip():
                block.append(_p(f"Konsekvens för den enskilde: {mask_codes(item.konsekvens)}"))
            block += [_p(f"Åtgärd: {atgarder}"), Spacer(1, 6)]
            flow.append(KeepTogether(block))
    return flow


def _waiting(data: UnderlagData) -> list:
    flow: list = [_p("5. Väntar på återkoppling", "h1")]
    if not data.waiting_feedback:
        return [*flow, _p("Inga lyfta avvikelser väntar på återkoppling.")]
    rows: list[list[object]] = [
        header_row(["Datum", "Aktör", "Lyft vid möte", "Dagar", "Beskrivning"], {3})
    ]
    for waiting in data.waiting_feedback:
        item = waiting.avvikelse
        text = mask_codes(item.beskrivning)
        rows.append(
            [
                item.datum.isoformat(),
                _p(categories.name_of(categories.AKTORER, item.aktor), "cell"),
                waiting.raised_on.isoformat() if waiting.raised_on else "–",
                "–" if waiting.days is None else str(waiting.days),
                _p(text if len(text) <= 160 else text[:157] + "…", "cell"),
            ]
        )
    widths = [62, 110, 68, 46, CONTENT_WIDTH - 286]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(numeric={3}))
    return [*flow, _p(f"Dagar räknas fram till mötet {data.mote.isoformat()}.", "small"), table]


def render(data: UnderlagData, font_folder: Path, printed: date | None = None) -> bytes:
    """The PDF as bytes; nothing touches the disk."""
    printed = printed or date.today()
    register_fonts(font_folder)  # before any Paragraph names the font
    story = (
        _cover(data, printed)
        + _key_figures(data)
        + _aktor_niva(data)
        + _kategorier(data)
        + _new_by_aktor(data)
        + _waiting(data)
    )
    return build_pdf(
        story,
        title=f"{TITLE} {data.mote.isoformat()}",
        author=data.verksamhet,
        header=f"{data.verksamhet} · {TITLE} · möte {data.mote.isoformat()}",
        printed=printed,
        font_folder=font_folder,
    )
