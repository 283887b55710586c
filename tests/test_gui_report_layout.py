"""The återrapport view breaks lines only between words, and the underlag's setting says
exactly what the document does."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from po_desk.domain import underlag
from po_desk.ui.main_window import RAPPORTER, MainWindow

pytestmark = pytest.mark.gui
LAST_YEAR = date.today().year - 1


def blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def line_breaks(document) -> list[tuple[str, int]]:
    """(block text, position) of every line break the layout made inside a block."""
    breaks = []
    for block in blocks(document):
        layout = block.layout()
        for index in range(1, layout.lineCount()):
            breaks.append((block.text(), layout.lineAt(index).textStart()))
    return breaks


def test_aterrapport_view_never_breaks_inside_a_word(qtbot, window: MainWindow) -> None:
    from po_desk.services import demo

    demo.fill(window.workspace, uppdrag_count=150, years=2, seed=8)
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    document = panel.view.document()
    assert "Kontaktorsak" in document.toPlainText()
    for width in (300, 520, 900):  # a narrow view, as at 200 % or with a wide side panel
        document.setTextWidth(width)
        document.documentLayout().documentSize()  # lay out now
        breaks = line_breaks(document)
        # A line separator (U+2028, <br>) is a break on purpose: last year's figure under
        # this year's.
        bad = [(text, at) for text, at in breaks
               if text[at - 1] not in " -–/\u2028" and text[at] != " "]  # fmt: skip
        assert not bad, (width, bad[:5])
    # The cells the issue found cut are whole blocks, each on one line.
    for word in ("Kontaktorsak", "Sysselsättning", "Handläggarnivå"):
        cells = [b for b in blocks(document) if b.text() == word]
        assert cells and all(b.layout().lineCount() == 1 for b in cells), word


def test_underlag_setting_says_what_the_document_does(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    view = window.rapporter_view
    workspace = window.workspace
    assert view.suppress.isChecked() and workspace.underlag.suppress_small()
    assert "Extern version" in view.suppress.text()
    assert view.suppress_hint.text() == underlag.EXTERNAL_VERSION
    view.suppress.setChecked(False)
    assert not workspace.underlag.suppress_small()
    assert view.suppress_hint.text() == underlag.INTERNAL_VERSION
    view.suppress.setChecked(True)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    # The cover page of the document says the same words as the setting.
    out = tmp_path / "u.pdf"
    out.write_bytes(workspace.underlag.pdf(date(LAST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert " ".join(view.suppress_hint.text().split()) in " ".join(text.split())


def test_an_empty_table_in_the_view_says_there_is_nothing() -> None:
    from po_desk.domain.aterrapport_tables import ReportTable
    from po_desk.ui.aterrapport_panel import table_html

    empty = table_html(
        ReportTable("brister_kategori", "Systembrister per kategori", ("K", "A"), ())
    )
    assert "Inget att redovisa för året." in empty and "<table" not in empty
    only_total = ReportTable("x", "T", ("Aktör", "Totalt"), (("Totalt", 0),), total_row=True)
    assert "Inget att redovisa" in table_html(only_total)
    full = table_html(ReportTable("x", "T", ("Aktör", "Antal"), (("Skatteverket", 3),)))
    assert "<table" in full and "Skatteverket" in full
