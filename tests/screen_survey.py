"""Run in a fresh process (the screen and the scale factor are fixed when Qt starts): opens
the main window the way the program does, visits every view, and opens every dialog, on a
1280×800 screen, and reports as JSON every window or button that is not wholly on the
screen. Saves a screenshot of each when a folder is given.

    QT_SCALE_FACTOR=1.25 python -m tests.screen_survey [screenshot-folder]

The offscreen platform takes its screen from a JSON file (`configfile=`); this script
writes one for 1280×800 unless QT_QPA_PLATFORM is set to something else already.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

SCREEN = (1280, 800)


def _offscreen_screen() -> None:
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return  # a real (X) screen, e.g. under xvfb-run
    width, height = SCREEN
    config = Path(tempfile.mkdtemp(prefix="po-desk-screen-")) / "screen.json"
    screens = [{"name": "skarm", "x": 0, "y": 0, "width": width, "height": height,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]  # fmt: skip
    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_offscreen_screen()

from PySide6.QtCore import QRect  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QDialog,
    QScrollArea,
    QWidget,
)


def _reach(button: QWidget, window: QWidget) -> QWidget:
    """What must be on screen for the button to be in reach: the button itself, or the
    outermost scroll area it sits in (it is scrolled to)."""
    reach, parent = button, button.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            reach = parent
        parent = parent.parentWidget()
    return reach


def off_screen(window: QWidget) -> list[str]:
    """The window's frame and its visible buttons, where they are not wholly on screen."""
    screen = (window.screen() or QApplication.primaryScreen()).availableGeometry()
    problems = []
    frame = window.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"fönstret {frame.getRect()} utanför skärmen {screen.getRect()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or type(button).__name__ == "QToolButton":
            continue
        if button.objectName().startswith("qt_"):
            continue
        reach = _reach(button, window)
        rect = QRect(reach.mapToGlobal(reach.rect().topLeft()), reach.size())
        if not screen.contains(rect):
            problems.append(f"knappen '{button.text()}' {rect.getRect()} utanför skärmen")
    return problems


def main(folder: str | None) -> dict[str, object]:
    from po_desk.services import demo, store_lifecycle
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.app import prepare_application
    from po_desk.ui.main_window import SECTIONS, MainWindow

    app = prepare_application()
    work = Path(tempfile.mkdtemp(prefix="po-desk-screen-"))
    created = store_lifecycle.create_store(
        work / "demo.podesk", namn="Personligt ombud Exempelbygden", lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"], passphrase="en lång lösenfras för skärmen",
    )  # fmt: skip
    workspace = created.workspace
    demo.fill(workspace, 120, 2, seed=3)
    shots = Path(folder) if folder else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen().availableGeometry()
    report: dict[str, object] = {
        "scale": app.primaryScreen().devicePixelRatio(),
        "screen": list(screen.getRect()),
    }
    found: dict[str, list[str]] = {}

    def look(name: str, window: QWidget) -> None:
        app.processEvents()
        found[name] = off_screen(window)
        if shots:
            window.grab().save(str(shots / f"{name}.png"))

    window = MainWindow(workspace, AppSettings(), automatic_backups=False)
    window.show()
    scale = app.primaryScreen().devicePixelRatio()
    for index, section in enumerate(SECTIONS):
        window.nav.setCurrentRow(index)
        name = f"huvudfonster_{index}_{section}"
        look(name, window)
        central = window.centralWidget()
        # Up to 125 % every view fits the width: no scrolling sideways to reach a part.
        if scale <= 1.25 and isinstance(central, QScrollArea) and central.widget():
            needed = central.widget().minimumSizeHint().width()
            if needed > central.viewport().width():
                found[name].append(f"vyn behöver {needed} punkter, fönstret har "
                                   f"{central.viewport().width()}")  # fmt: skip

    from po_desk.ui.about_dialog import AboutDialog
    from po_desk.ui.anmalan_dialog import AnmalanDialog
    from po_desk.ui.avvikelse_dialog import AvvikelseDialog
    from po_desk.ui.change_passphrase_dialog import ChangePassphraseDialog
    from po_desk.ui.close_uppdrag_dialog import CloseUppdragDialog
    from po_desk.ui.feedback_dialog import FeedbackDialog
    from po_desk.ui.import_dialog import ImportDialog
    from po_desk.ui.intagningsstopp_dialog import IntagningsstoppDialog
    from po_desk.ui.ledningsgrupp_dialogs import MeetingDialog, MemberDialog
    from po_desk.ui.merge_dialogs import MergeExportDialog, MergeImportDialog
    from po_desk.ui.not_relevant_dialog import NotRelevantDialog
    from po_desk.ui.ombud_dialog import OmbudDialog
    from po_desk.ui.pdf_preview import PdfPreview, render_pages
    from po_desk.ui.prioritering_dialog import PrioriteringDialog
    from po_desk.ui.restore_dialog import RestoreDialog
    from po_desk.ui.setup_wizard import SetupWizard
    from po_desk.ui.unlock_dialog import UnlockDialog
    from po_desk.ui.uppdrag_dialog import UppdragDialog
    from po_desk.ui.user_guide import UserGuideWindow

    kommuner = workspace.verksamhet.get().kommuner
    ombud = workspace.verksamhet.list_ombud()
    pdf = workspace.underlag.pdf(date(date.today().year - 1, 1, 1), date.today())
    dialogs: dict[str, Callable[[], QWidget]] = {
        "om_po_desk": lambda: AboutDialog(window),
        "anvandarhandbok": lambda: UserGuideWindow(window),
        "forhandsvisning_pdf": lambda: PdfPreview(
            "Underlag", pdf, render_pages(pdf), "underlag.pdf", window
        ),
        "uppdrag": lambda: UppdragDialog(workspace.uppdrag, kommuner, ombud, parent=window),
        "avsluta_uppdrag": lambda: CloseUppdragDialog(
            workspace.uppdrag, workspace.uppdrag.all()[0], window
        ),
        "anmalan": lambda: AnmalanDialog(
            workspace.ko, kommuner, workspace.ko.grounds(), None, window
        ),
        "ej_aktuell": lambda: NotRelevantDialog(workspace.ko, workspace.ko.waiting()[0], window),
        "intagningsstopp": lambda: IntagningsstoppDialog(workspace.ko, window),
        "prioritering": lambda: PrioriteringDialog(workspace.ko, window),
        "avvikelse": lambda: AvvikelseDialog(workspace.avvikelser, ombud, None, window),
        "aterkoppling": lambda: FeedbackDialog(
            workspace.avvikelser, workspace.avvikelser.all()[0], window
        ),
        "import": lambda: ImportDialog(workspace, window),
        "ledamot": lambda: MemberDialog(workspace, None, window),
        "mote": lambda: MeetingDialog(workspace, window),
        "sammanfor_export": lambda: MergeExportDialog(workspace, window),
        "sammanfor_import": lambda: MergeImportDialog(workspace, window),
        "ombud": lambda: OmbudDialog(workspace.verksamhet, None, window),
        "byt_losenfras": lambda: ChangePassphraseDialog(workspace, window),
        "aterstall": lambda: RestoreDialog(workspace.session.path, window),
        "las_upp": lambda: UnlockDialog(workspace.session.path, window),
        "ny_installation": lambda: SetupWizard(),
    }
    for name, make in dialogs.items():
        dialog = make()
        dialog.show()
        look(name, dialog)
        if isinstance(dialog, SetupWizard):
            for _ in range(2):  # the later pages are larger
                dialog.next()
                look(f"{name}_{dialog.currentId()}", dialog)
        if isinstance(dialog, QDialog):
            dialog.reject()
        dialog.close()
    report["windows"] = found
    window.close()
    workspace.session.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else None), ensure_ascii=False))
