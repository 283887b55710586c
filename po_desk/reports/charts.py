"""Horizontal bar charts with labelled bars (reportlab graphics), for counts per category."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String

from po_desk.reports.pdf_base import ACCENT, CONTENT_WIDTH, FONT

LABEL_WIDTH = 210
ROW_HEIGHT = 16


def bar_chart(labels: list[str], values: list[int], value_texts: list[str]) -> Drawing:
    """One bar per label; `value_texts` is printed at the end of each bar ("<3" for a
    suppressed count, whose bar is then not drawn)."""
    height = max(60, ROW_HEIGHT * len(labels) + 30)
    drawing = Drawing(CONTENT_WIDTH, height)
    drawing.initialFontName = FONT  # else reportlab starts the drawing in unembedded Helvetica
    chart = HorizontalBarChart()
    chart.x = LABEL_WIDTH
    chart.y = 20
    chart.width = CONTENT_WIDTH - LABEL_WIDTH - 40
    chart.height = height - 30
    # reportlab draws the first category at the bottom; reverse so the list reads top-down.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*values, 1]) * 1.15
    chart.valueAxis.visibleGrid = True
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barSpacing = 2
    drawing.add(chart)
    step = chart.height / max(len(labels), 1)
    scale = chart.width / chart.valueAxis.valueMax
    for index, text in enumerate(reversed(value_texts)):
        value = list(reversed(values))[index]
        y = chart.y + step * index + step / 2 - 3
        drawing.add(String(chart.x + value * scale + 4, y, text, fontName=FONT, fontSize=8))
    return drawing
