"""Issue 15: last year beside this year, in the återrapport view (the fastställd return when
there is one, else computed) and in the compilation (a second folder)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from po_desk.domain.sammanstallning_tables import Compared
from po_desk.domain.uppdrag import Uppdrag
from po_desk.ui.main_window import RAPPORTER, MainWindow
from tests.test_aggregate import random_return
from tests.test_gui import screenshot

pytestmark = pytest.mark.gui
LAST_YEAR = date.today().year - 1


def klienter_cell(panel_or_tables) -> Compared:
    table = next(t for t in panel_or_tables if t.key == "klienter")
    return next(row for row in table.rows if row[0] == "Klienter under året")[1]


def test_aterrapport_view_shows_last_years_figure_and_the_change(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    from po_desk.services import demo

    workspace = window.workspace
    demo.fill(workspace, uppdrag_count=120, years=3, seed=5)
    service = workspace.aterrapport
    before = LAST_YEAR - 1
    frozen = service.freeze(before, warnings_confirmed=True)["klienter"]["totalt"]
    kommun = workspace.verksamhet.get().kommuner[0]
    workspace.uppdrag.save(  # the register changes after fastställ: the view keeps to it
        Uppdrag(kon="man", fodelsear=1960, kommun_id=kommun.id, start=date(before, 5, 5),
                kontaktorsaker=("bostad",))
    )  # fmt: skip
    assert service.compute(before)["klienter"]["totalt"] == frozen + 1
    now = service.compute(LAST_YEAR)["klienter"]["totalt"]
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    panel.refresh()
    cell = klienter_cell(service.tables_with_previous(LAST_YEAR))
    assert (cell.now, cell.before, cell.change) == (now, frozen, now - frozen)
    text = panel.view.toPlainText()
    sign = "±0" if now == frozen else ("+" if now > frozen else "−") + str(abs(now - frozen))
    assert f"{frozen} ({sign})" in text
    assert f"Under varje siffra: {before} och förändringen." in text
    screenshot(window, "aterrapport_previous_year")

    service.unfreeze(before)  # no fastställd return: computed from the register
    cell = klienter_cell(service.tables_with_previous(LAST_YEAR))
    assert cell.before == frozen + 1 and cell.change == now - frozen - 1

    first = min(y for y in range(2000, LAST_YEAR + 1) if service.covers(y))
    plain = service.tables_with_previous(first)  # nothing before the register began
    assert not any(isinstance(c, Compared) for t in plain for r in t.rows for c in r)


def test_compilation_panel_takes_a_folder_of_last_years_returns(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    now, earlier = tmp_path / "i-ar", tmp_path / "i-fjol"
    for folder, year in ((now, 2025), (earlier, 2024)):
        folder.mkdir()
        for index in range(3):
            document = random_return(index + year, f"PO {index}", year)
            (folder / f"r{index}.json").write_text(json.dumps(document), encoding="utf-8")
    answers = {"folder": str(now)}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: answers["folder"])
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aggregate
    window.rapporter_view.tabs.setCurrentWidget(panel)
    panel.choose_button.click()
    answers["folder"] = str(earlier)
    panel.previous_button.click()
    assert "3 JSON-filer" in panel.previous_folder.text()
    assert panel.clear_previous_button.isEnabled()
    screenshot(window, "aggregate_previous_year")
    out = tmp_path / "samman.json"
    panel.compile_to(out)
    qtbot.waitUntil(lambda: "samman.json" in panel.status.text(), timeout=20000)
    assert "Jämförd med 2024." in panel.status.text() and panel.errors.text() == ""
    compiled = json.loads(out.read_text(encoding="utf-8"))
    assert compiled["foregaende_ar"]["ar"] == 2024
    assert compiled["foregaende_ar"]["antal_verksamheter"] == 3

    panel.clear_previous_button.click()
    assert panel.previous_folder.text() == ""
    out2 = tmp_path / "utan.json"
    panel.compile_to(out2)
    qtbot.waitUntil(lambda: "utan.json" in panel.status.text(), timeout=20000)
    assert "foregaende_ar" not in json.loads(out2.read_text(encoding="utf-8"))

    (earlier / "r0.json").write_text(  # last year's folder holding this year: refused
        json.dumps(random_return(9, "PO 9", 2025)), encoding="utf-8"
    )
    answers["folder"] = str(earlier)
    panel.previous_button.click()
    out3 = tmp_path / "fel.json"
    panel.compile_to(out3)
    qtbot.waitUntil(lambda: panel.errors.text() != "", timeout=20000)
    assert not out3.exists()
