"""The återrapport panel and the import dialog driven offscreen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from po_desk.domain.uppdrag import Uppdrag
from po_desk.ui.import_dialog import ImportDialog
from po_desk.ui.main_window import RAPPORTER, UPPDRAG, MainWindow
from tests.test_gui import screenshot

pytestmark = pytest.mark.gui
LAST_YEAR = date.today().year - 1


def test_aterrapport_panel_fastall_and_differences(qtbot, window: MainWindow, monkeypatch):
    from po_desk.services import demo

    demo.fill(window.workspace, uppdrag_count=150, years=2, seed=8)
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    html = panel.view.toHtml()
    assert "Klienter efter kön och ålder" in html and "Kontaktorsaker bland nya klienter" in html
    assert "Utkast" in panel.status.text()
    panel.manual["handledning"].setPlainText("Handledning varannan vecka.")
    monkeypatch.setattr("po_desk.ui.aterrapport_panel.confirm", lambda *a: True)
    panel.freeze()
    assert "Fastställd" in panel.status.text()
    assert panel.manual["handledning"].isReadOnly()
    assert not panel.changes.isVisible()
    screenshot(window, "aterrapport")
    kommun = window.workspace.verksamhet.get().kommuner[0]
    window.workspace.uppdrag.save(
        Uppdrag(
            kon="man",
            fodelsear=1960,
            kommun_id=kommun.id,
            start=date(LAST_YEAR, 5, 5),
            kontaktorsaker=("bostad",),
        )
    )
    panel.refresh()
    assert panel.changes.isVisible()
    assert "Klienter / Totalt: " in panel.changes.text()
    qtbot.wait(50)
    screenshot(window, "aterrapport_changed")

    out = window.workspace.session.path.parent / "r.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    panel.export("json")
    qtbot.waitUntil(out.exists, timeout=10000)
    assert "Handledning varannan vecka." in out.read_text(encoding="utf-8")


def test_ko_answer_in_the_aterrapport_view(qtbot, window: MainWindow) -> None:
    workspace = window.workspace
    kommun = workspace.verksamhet.get().kommuner[0]
    workspace.uppdrag.save(
        Uppdrag(
            kon="kvinna", fodelsear=1980, kommun_id=kommun.id, start=date(LAST_YEAR, 3, 2),
            anmald=date(LAST_YEAR, 3, 1), kontaktorsaker=("ekonomi",),
        )
    )  # fmt: skip
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    panel.refresh()
    assert panel.ko_proposal.text().startswith("Nej – 0 väntade längre än 30 dagar")
    assert "längsta väntan 1 dag" in panel.ko_proposal.text()
    assert panel.ko_answer.currentData() is None
    html = panel.view.toHtml()
    assert "Ej besvarat" in html and "Väntetider per kommun" in html
    panel.ko_reasons["vakanser"].setChecked(True)
    panel.save_ko()
    assert "bara när" in panel.ko_error.text()  # reasons only with a kö
    panel.ko_answer.setCurrentIndex(panel.ko_answer.findData(True))
    panel.save_ko()
    assert panel.ko_error.text() == ""
    assert workspace.aterrapport.ko_answer(LAST_YEAR).hade_ko is True
    html = panel.view.toHtml()
    assert "Enhetschefens svar" in html and "Vakanser" in html
    panel.ko_threshold.setValue(1)
    panel.save_ko()
    assert workspace.aterrapport.ko_threshold() == 1
    screenshot(window, "aterrapport_ko")


def test_import_dialog_lists_bad_rows_then_imports(qtbot, window: MainWindow, tmp_path: Path):
    window.nav.setCurrentRow(UPPDRAG)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Kön;Födelseår;Kommun;Start;Barn;Kontaktorsaker\n"
        "kvinna;1980;Karlstad;2025-02-01;nej;Ekonomi\n"
        "okänt;1980;Karlstad;2025-02-01;nej;Ekonomi\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(bad)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.problems.count() == 1 and dialog.problems.item(0).text().startswith("Rad 3:")
    assert not dialog.import_button.isEnabled()
    screenshot(dialog, "import_bad")
    good = tmp_path / "good.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("okänt", "man"), encoding="utf-8")
    dialog.plan = None
    dialog.load(good)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.import_button.isEnabled() and dialog.preview_model.rowCount() == 2
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported, timeout=5000)
    assert window.workspace.uppdrag.count() == 2
    screenshot(dialog, "import_done")


def test_merge_dialogs(qtbot, window: MainWindow, tmp_path: Path, store_path: Path) -> None:
    import shutil

    from po_desk.services import store_lifecycle
    from po_desk.ui.merge_dialogs import MergeExportDialog, MergeImportDialog
    from tests.conftest import PASSPHRASE

    laptop_path = tmp_path / "laptop.podesk"
    for suffix in ("", ".keys"):
        shutil.copy2(f"{store_path}{suffix}", f"{laptop_path}{suffix}")
    laptop = store_lifecycle.open_store(laptop_path, passphrase=PASSPHRASE)
    kommun = laptop.verksamhet.get().kommuner[0]
    laptop.uppdrag.save(
        Uppdrag(
            kon="kvinna",
            fodelsear=1970,
            kommun_id=kommun.id,
            start=date(LAST_YEAR, 2, 2),
            kontaktorsaker=("ekonomi",),
        )
    )
    exporter = MergeExportDialog(laptop)
    qtbot.addWidget(exporter)
    merge_file = tmp_path / "f.podesk-merge"
    exporter.path.setText(str(merge_file))
    exporter.first.setText("hemlig överföring")
    exporter.second.setText("hemlig överföring")
    exporter.export()
    qtbot.waitUntil(lambda: bool(exporter.done_text), timeout=10000)
    laptop.session.close()

    dialog = MergeImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(merge_file))
    dialog.secret.setText("fel")
    dialog.preview()
    qtbot.waitUntil(lambda: "Fel lösenfras" in dialog.errors.text(), timeout=10000)
    dialog.secret.setText("hemlig överföring")
    dialog.preview()
    qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=10000)
    assert window.workspace.uppdrag.count() == 0
    screenshot(dialog, "merge_preview")
    dialog.merge()
    qtbot.waitUntil(lambda: dialog.merged, timeout=10000)
    assert window.workspace.uppdrag.count() == 1


def test_audit_tab_and_gallring_box(qtbot, window: MainWindow, monkeypatch) -> None:
    from po_desk.services import demo

    demo.fill(window.workspace, uppdrag_count=200, years=6, seed=5)
    window.nav.setCurrentRow(5)
    view = window.settings_view
    view.tabs.setCurrentWidget(view.audit_tab)
    view.audit_tab.refresh()
    assert view.audit_tab.model.rowCount() > 0
    from po_desk.ui.audit_view import GallringBox

    (gallring,) = view.audit_tab.findChildren(GallringBox)
    gallring.years.setValue(2)
    assert "skulle gallras" in gallring.status.text()
    monkeypatch.setattr("po_desk.ui.audit_view.confirm", lambda *a: True)
    gallring.run()
    assert "Senast gallrat" in gallring.status.text()
    screenshot(window, "andringslogg")


def test_questions_and_statsbidrag_in_the_aterrapport_view(qtbot, window: MainWindow) -> None:
    """Issue 15: the Frågor and Statsbidrag groups save with the year and refuse bad input
    with a Swedish message in the group."""
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    box = panel.svar_box
    box.answers["handledning"].setCurrentIndex(box.answers["handledning"].findData(True))
    box.nya_ombud.setValue(1)
    box.intro.setValue(2)
    box.save_svar()
    assert "introduktionsutbildningen" in box.svar_error.text()
    box.intro.setValue(1)
    changed = box.answers["forandringar_malgrupp"]
    changed.setCurrentIndex(changed.findData(True))
    assert box.groups["npf"].isEnabled()
    box.groups["npf"].setChecked(True)
    box.form.setCurrentIndex(box.form.findData("region"))
    box.goda_exempel.setPlainText("Samverkan med vårdcentralen.")
    assert box.save_svar()
    svar = window.workspace.aterrapport.svar(LAST_YEAR)
    assert (svar.handledning, svar.nya_ombud, svar.malgrupper) == (True, 1, ("npf",))
    assert svar.organisationsform == "region"
    assert "Frågor till verksamheten" in panel.view.toHtml()  # recomputed

    box.beviljat.setText("1 2x0")
    assert not box.save_statsbidrag()
    assert "hela kronor" in box.sb_error.text()
    box.beviljat.setText("1 200 000")
    box.tjanster.setText("2,5")
    box.anvant.setText("1 000 000")
    assert box.save_statsbidrag()
    bidrag = window.workspace.aterrapport.statsbidrag(LAST_YEAR)
    assert (bidrag.beviljat_belopp, bidrag.beviljade_tjanster) == (1_200_000, 2.5)
    assert "betalas tillbaka" in box.comparison.text()
    assert box.beviljat.text() == "1 200 000"
    qtbot.wait(50)
    screenshot(window, "aterrapport_fragor")


def test_fastall_keeps_the_answers_as_typed(qtbot, window: MainWindow, monkeypatch) -> None:
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    box = panel.svar_box
    monkeypatch.setattr("po_desk.ui.aterrapport_panel.confirm", lambda *a: True)
    box.beviljat.setText("fel")
    panel.freeze()
    assert window.workspace.aterrapport.saved(LAST_YEAR).faststalld is None
    assert "hela kronor" in box.sb_error.text()
    box.beviljat.setText("400 000")
    box.answers["handledning"].setCurrentIndex(box.answers["handledning"].findData(False))
    panel.freeze()  # neither save button was pressed
    frozen = window.workspace.aterrapport.saved(LAST_YEAR).faststalld
    assert frozen is not None
    assert frozen["svar"]["handledning"] is False
    assert frozen["statsbidrag"]["beviljat_belopp"] == 400_000
    assert not box.save_svar_button.isEnabled() and not box.beviljat.isEnabled()
