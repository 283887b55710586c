"""Issue 13.5: every window and dialog fits a 1280×800 screen at 100 %, 125 % and 200 %
(each scale in a fresh process: tests/screen_survey.py), and a saved geometry is used only
if it fits the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = os.environ.get("PO_DESK_SCREENSHOTS", "")
EXPECTED = {
    "huvudfonster_2_Kö", "huvudfonster_4_Rapporter", "forhandsvisning_pdf", "uppdrag",
    "anmalan", "avvikelse", "import", "prioritering", "om_po_desk", "anvandarhandbok",
    "ny_installation", "las_upp", "sammanfor_import",
}  # fmt: skip


@pytest.mark.parametrize("scale", ["1", "1.25", "2"])
def test_every_window_fits_a_1280x800_screen(scale: str) -> None:
    shots = str(Path(SHOTS) / f"skarm_{scale}") if SHOTS else ""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.screen_survey", *([shots] if shots else [])],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
        env={**env, "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["scale"] == float(scale)
    width, height = round(1280 / float(scale)), round(800 / float(scale))
    assert report["screen"] == [0, 0, width, height]
    assert set(report["windows"]) >= EXPECTED
    problems = {name: found for name, found in report["windows"].items() if found}
    assert problems == {}


def test_a_saved_geometry_larger_than_the_screen_is_not_restored(qtbot, workspace) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from po_desk.services.app_settings import AppSettings
    from po_desk.ui import screen_fit, window_memory
    from po_desk.ui.main_window import MainWindow

    room = screen_fit.available()
    big = QMainWindow()
    qtbot.addWidget(big)
    big.setGeometry(0, 0, room.width() + 400, room.height() + 300)
    settings = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "po-desk", "po-desk"
    )
    settings.setValue(window_memory.GEOMETRY_KEY, big.saveGeometry())
    settings.sync()
    window = MainWindow(workspace, AppSettings(), automatic_backups=False)
    qtbot.addWidget(window)
    assert window.width() + screen_fit.FRAME.width() <= room.width()
    assert window.height() + screen_fit.FRAME.height() <= room.height()
    small = QMainWindow()
    qtbot.addWidget(small)
    small.setGeometry(10, 10, 500, 400)
    settings.setValue(window_memory.GEOMETRY_KEY, small.saveGeometry())
    settings.sync()
    assert window_memory.restore_geometry(window)
    assert (window.width(), window.height()) == (500, 400)


def test_a_dialog_too_tall_scrolls_but_keeps_its_buttons_in_view(
    qtbot, workspace, monkeypatch
) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QDialogButtonBox, QScrollArea

    from po_desk.ui import screen_fit
    from po_desk.ui.uppdrag_dialog import UppdragDialog

    monkeypatch.setattr(screen_fit, "available", lambda widget=None: QRect(0, 0, 640, 400))
    dialog = UppdragDialog(
        workspace.uppdrag, workspace.verksamhet.get().kommuner, workspace.verksamhet.list_ombud()
    )
    qtbot.addWidget(dialog)
    assert dialog.minimumSizeHint().height() > 400 - screen_fit.FRAME.height()
    dialog.show()
    screen_fit.fit(dialog)
    assert dialog.height() <= 400 - screen_fit.FRAME.height()
    assert dialog.width() <= 640 - screen_fit.FRAME.width()
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None and scroll.widget().isAncestorOf(dialog.kod)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None and not scroll.isAncestorOf(buttons)
    assert buttons.geometry().bottom() <= dialog.height()
