"""Issue 13.1: the action buttons that save or read a file, clicked as a user clicks them,
with the file dialog's answer given by patching its static getter (no test clicked them;
one of them, Sammanställ returer, always failed). Sammanställ returer itself is in
tests/test_aggregate.py; every connection's slot is checked in tests/test_signal_slots.py."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QPushButton, QWidget

from po_desk.ui.main_window import INSTALLNINGAR, RAPPORTER, MainWindow

LAST_YEAR = date.today().year - 1


def button(root: QWidget, text: str) -> QPushButton:
    found = [b for b in root.findChildren(QPushButton) if b.text().replace("&", "") == text]
    assert len(found) == 1, (text, [b.text() for b in root.findChildren(QPushButton)])
    return found[0]


@pytest.fixture
def save_answer(monkeypatch):
    """The path the save dialog answers with (set `answer[0]`)."""
    answer = [""]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (answer[0], ""))
    return answer


@pytest.mark.parametrize("form", ["pdf", "json", "csv"])
def test_aterrapport_export_buttons(qtbot, window: MainWindow, save_answer, form: str) -> None:
    from po_desk.services import demo

    demo.fill(window.workspace, uppdrag_count=40, years=2, seed=4)
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    panel.year.setCurrentIndex(panel.year.findData(LAST_YEAR))
    out = window.workspace.session.path.parent / f"r.{form}"
    save_answer[0] = str(out)
    button(panel, f"Exportera {form.upper()}…").click()
    qtbot.waitUntil(lambda: out.name in panel.status.text(), timeout=20000)
    data = out.read_bytes()
    if form == "pdf":
        assert data.startswith(b"%PDF")
    elif form == "json":
        assert json.loads(data)["ar"] == LAST_YEAR
    else:
        assert len(list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=";"))) > 3


def test_audit_export_button(qtbot, window: MainWindow, save_answer) -> None:
    window.nav.setCurrentRow(INSTALLNINGAR)
    tab = window.view(INSTALLNINGAR).audit_tab
    out = window.workspace.session.path.parent / "logg.csv"
    save_answer[0] = str(out)
    button(tab, "Exportera CSV…").click()
    text = out.read_text(encoding="utf-8-sig")
    assert len(text.splitlines()) >= 2  # a header and the store's creation at least
    save_answer[0] = ""
    out.unlink()
    button(tab, "Exportera CSV…").click()  # Avbryt: nothing is written
    assert not out.exists()


def test_import_choose_and_import_buttons(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    from po_desk.ui.import_dialog import ImportDialog

    rows = tmp_path / "rader.csv"
    rows.write_text(
        "Kön;Födelseår;Kommun;Start;Barn;Kontaktorsaker\n"
        "kvinna;1980;Karlstad;2025-02-01;nej;Ekonomi\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(rows), ""))
    dialog = ImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    button(dialog, "Välj fil…").click()
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10000)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported, timeout=10000)
    assert window.workspace.uppdrag.count() == 1


def test_merge_export_browse_and_export_buttons(
    qtbot, window: MainWindow, tmp_path: Path, save_answer
) -> None:
    from po_desk.ui.merge_dialogs import MergeExportDialog

    dialog = MergeExportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "f.podesk-merge"
    save_answer[0] = str(out)
    button(dialog, "Bläddra…").click()
    assert dialog.path.text() == str(out)
    dialog.first.setText("hemlig överföring")
    dialog.second.setText("hemlig överföring")
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(dialog.done_text), timeout=20000)
    assert out.stat().st_size > 0
