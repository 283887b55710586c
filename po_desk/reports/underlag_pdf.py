"""The ledningsgrupp underlag as a PDF: cover, key figures against the previous period,
avvikelser by aktör × nivå and by kategori (tables and charts), the new avvikelser
grouped by aktör, and those still waiting for återkoppling."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.categories import CategoryKind
from po_desk.domain.formatting import number
from po_desk.domain.underlag import (
    EXTERNAL_VERSION,
    INTERNAL_VERSION,
    KeyFigure,
    UnderlagData,
    mask_codes,
)
from po_desk.reports.charts import bar_chart
from po_desk.reports.pdf_base import STYLES, build_pdf, fitted_table, nothing, register_fonts

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


def _cover(data: UnderlagData, printed: date) -> list[Flowable]:
    version = "Extern version" if data.suppress_small else "Intern version"
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
        _p(f"{version}.", "subtitle"),
        _p(EXTERNAL_VERSION if data.suppress_small else INTERNAL_VERSION, "body"),
        Spacer(1, 12),
        _p(f"Utskrivet {printed.isoformat()} ur po-desk.", "small"),
        _p("Underlaget innehåller inga uppgifter som identifierar enskilda personer.", "small"),
        PageBreak(),
    ]


def _key_figures(data: UnderlagData) -> list[Flowable]:
    rows = [["Mått", "Perioden", "Föregående period", "Förändring"]]
    rows += [[f.label, _value(f.current), _value(f.previous), _change(f)] for f in data.key_figures]
    return [_p("1. Nyckeltal", "h1"), fitted_table(rows)]


NONE_IN_PERIOD = "Inga avvikelser registrerades under perioden."
WITHHELD = (
    "Uppdelningen redovisas inte i den externa versionen: antalen är så små att de "
    "annars kunde räknas fram ur summorna."
)
LEGEND = "<3 = 1 eller 2. x = dolt antal, så att ett litet antal inte kan räknas fram."


def _aktor_niva(data: UnderlagData) -> list[Flowable]:
    flow: list[Flowable] = [_p("2. Avvikelser per aktör och nivå", "h1")]
    table = data.aktor_table
    if not data.aktor_niva or table is None:
        return [*flow, nothing(NONE_IN_PERIOD)]
    if table.withheld:
        return [*flow, nothing(WITHHELD)]
    nivaer = data.references[CategoryKind.NIVA]
    rows = [["Aktör", *[n.name for n in nivaer], "Totalt"]]
    columns = len(nivaer) + 1
    for index, row in enumerate(data.aktor_niva):
        name = data.name(CategoryKind.AKTOR, row.aktor)
        rows.append([name, *(data.aktor_cell(index, c) for c in range(columns))])
    last = len(data.aktor_niva)
    rows.append(["Hela verksamheten", *(data.aktor_cell(last, c) for c in range(columns))])
    flow += [fitted_table(rows, total_row=True)]
    if table.hides_anything:
        flow += [Spacer(1, 2), _p(LEGEND, "small")]
    flow.append(Spacer(1, 8))
    labels = [data.name(CategoryKind.AKTOR, r.aktor) for r in data.aktor_niva]
    totals = [r.total for r in data.aktor_niva]
    texts = [data.aktor_cell(index, columns - 1) for index in range(last)]
    flow.append(_chart("Antal avvikelser per aktör", labels, totals, texts))
    return flow


def _chart(title: str, labels: list[str], values: list[int], texts: list[str]) -> KeepTogether:
    """Bars for the printed counts; a hidden count has no bar, only its mark."""
    drawn = [0 if text != str(v) else v for v, text in zip(values, texts, strict=True)]
    return KeepTogether([_p(title, "h2"), bar_chart(labels, drawn, texts)])


def _kategorier(data: UnderlagData) -> list[Flowable]:
    flow: list[Flowable] = [
        _p("3. Avvikelser per kategori", "h1"),
        _p("En avvikelse kan höra till flera kategorier.", "small"),
    ]
    if not data.per_kategori:
        return [*flow, nothing(NONE_IN_PERIOD)]
    if data.kategori_withheld:
        return [*flow, nothing(WITHHELD)]
    names = [data.name(CategoryKind.BRISTKATEGORI, c) for c in data.per_kategori]
    texts = [data.kategori_text(index) for index in range(len(names))]
    rows = [["Kategori", "Antal"], *([n, t] for n, t in zip(names, texts, strict=True))]
    flow.append(fitted_table(rows))
    if any(text != str(v) for text, v in zip(texts, data.per_kategori.values(), strict=True)):
        flow += [Spacer(1, 2), _p(LEGEND, "small")]
    flow += [
        Spacer(1, 8),
        _chart("Antal per kategori", names, list(data.per_kategori.values()), texts),
    ]
    return flow


def _item_block(item: Avvikelse, data: UnderlagData) -> list[Flowable]:
    block: list[Flowable] = []
    if not data.suppress_small:
        niva = data.name(CategoryKind.NIVA, item.niva)
        kategorier = ", ".join(data.name(CategoryKind.BRISTKATEGORI, c) for c in item.kategorier)
        block.append(_p(f"{item.datum.isoformat()} · {niva} · {kategorier}", "small"))
    atgarder = ", ".join(data.name(CategoryKind.ATGARD, c) for c in item.atgarder) or "–"
    block.append(_p(f"Beskrivning: {mask_codes(item.beskrivning)}"))
    if item.konsekvens.strip():
        block.append(_p(f"Konsekvens för den enskilde: {mask_codes(item.konsekvens)}"))
    return [*block, _p(f"Åtgärd: {atgarder}"), Spacer(1, 6)]


def _new_by_aktor(data: UnderlagData) -> list[Flowable]:
    flow: list[Flowable] = [PageBreak(), _p("4. Periodens avvikelser per aktör", "h1")]
    if not data.new_by_aktor:
        return [*flow, nothing(NONE_IN_PERIOD)]
    if data.suppress_small:
        flow.append(_p("Extern version: texterna visas utan datum, nivå och kategori.", "small"))
    rest: list[str] = []
    rest_count = 0
    for aktor, items in data.new_by_aktor.items():
        name = data.name(CategoryKind.AKTOR, aktor)
        if not data.texts_listed(aktor):
            rest.append(name)
            rest_count += len(items)
            continue
        flow.append(_p(name, "h2"))
        flow += [KeepTogether(_item_block(item, data)) for item in items]
    if rest:
        flow += [
            _p("Övriga aktörer", "h2"),
            _p(
                f"{', '.join(rest)}: sammanlagt {rest_count} avvikelser. Texterna redovisas inte "
                "i den externa versionen, eftersom antalen per aktör är små."
            ),
        ]
    return flow


def _waiting(data: UnderlagData) -> list[Flowable]:
    flow: list[Flowable] = [_p("5. Väntar på återkoppling", "h1")]
    if not data.waiting_feedback:
        return [*flow, nothing("Inga lyfta avvikelser väntar på återkoppling.")]
    listed = [w for w in data.waiting_feedback if data.texts_listed(w.avvikelse.aktor)]
    others = len(data.waiting_feedback) - len(listed)
    external = data.suppress_small
    header = ["Aktör", "Lyft vid möte", "Dagar", "Beskrivning"]
    rows: list[list[str]] = [header if external else ["Datum", *header]]
    for waiting in listed:
        item = waiting.avvikelse
        text = mask_codes(item.beskrivning)
        row = [
            data.name(CategoryKind.AKTOR, item.aktor),
            waiting.raised_on.isoformat() if waiting.raised_on else "–",
            "–" if waiting.days is None else str(waiting.days),
            text if len(text) <= 160 else text[:157] + "…",
        ]
        rows.append(row if external else [item.datum.isoformat(), *row])
    days = 2 if external else 3
    if listed:
        flow.append(_p(f"Dagar räknas fram till mötet {data.mote.isoformat()}.", "small"))
        flow.append(fitted_table(rows, numeric={days}))
        flow.append(Spacer(1, 4))
    if others:
        text = (
            f"Därutöver väntar {others} lyfta avvikelser hos övriga aktörer på återkoppling."
            if listed
            else f"{others} lyfta avvikelser väntar på återkoppling."
        )
        flow.append(_p(f"{text} De redovisas inte var för sig i den externa versionen."))
    return flow


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
