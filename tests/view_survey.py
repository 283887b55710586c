"""Run in a fresh process (the scale factor is fixed when Qt starts): builds the main
window on a demo store, visits every view and the main dialogs, and reports as JSON what
a user would notice — text cut off, controls without a name for screen readers — and
saves a screenshot of each when a folder is given.

    QT_SCALE_FACTOR=2 python -m tests.view_survey [screenshot-folder]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

NAMED_KINDS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,
               QAbstractItemView, QAbstractButton)  # fmt: skip


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible controls a screen reader could not name: no accessible name, no text of
    their own, and no label pointing at them as buddy (which Qt reads out)."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, NAMED_KINDS) or not widget.isVisibleTo(root):
            continue
        if widget.accessibleName() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        if type(widget).__name__ == "QHeaderView" and isinstance(
            widget.parent(), QAbstractItemView
        ):
            continue  # a table's header is read out through its section titles
        if widget.objectName().startswith("qt_"):
            continue
        missing.append(f"{type(widget).__name__} i {type(widget.window()).__name__}")
    return missing


def clipped_texts(root: QWidget) -> list[str]:
    """Labels and buttons narrower than their text needs (text cut off)."""
    clipped = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        if type(widget).__name__ in ("QToolButton",) or widget.objectName().startswith("qt_"):
            continue
        needed = widget.minimumSizeHint().width()
        if widget.width() + 1 < needed:
            text = widget.text()[:30]
            clipped.append(f"{type(widget).__name__} '{text}' {widget.width()} < {needed}")
    return clipped


def main(folder: str | None) -> dict[str, object]:
    from po_desk.services import demo, store_lifecycle
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.app import prepare_application
    from po_desk.ui.main_window import SECTIONS, MainWindow

    app = prepare_application()
    work = Path(tempfile.mkdtemp(prefix="po-desk-survey-"))
    created = store_lifecycle.create_store(
        work / "demo.podesk", namn="Personligt ombud Exempelbygden", lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"], passphrase="en lång lösenfras för översikt",
    )  # fmt: skip
    demo.fill(created.workspace, 300, 3, seed=3)
    window = MainWindow(created.workspace, AppSettings(), automatic_backups=False)
    window.resize(1280, 800)
    window.show()
    report: dict[str, object] = {"scale": window.devicePixelRatio(), "views": {}}
    shots = Path(folder) if folder else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    views: dict[str, object] = {}
    for index, name in enumerate(SECTIONS):
        window.nav.setCurrentRow(index)
        app.processEvents()
        view = window.view(index)
        unnamed, clipped = set(unnamed_controls(view)), set(clipped_texts(window))
        if shots:
            window.grab().save(str(shots / f"{index}_{name}.png"))
        for tab_widget in view.findChildren(QTabWidget):
            for tab in range(tab_widget.count()):
                tab_widget.setCurrentIndex(tab)
                app.processEvents()
                unnamed.update(unnamed_controls(view))
                clipped.update(clipped_texts(window))
                if shots:
                    window.grab().save(str(shots / f"{index}_{name}_{tab}.png"))
        views[name] = {"unnamed": sorted(unnamed), "clipped": sorted(clipped)}
    from po_desk.ui.uppdrag_dialog import UppdragDialog

    workspace = created.workspace
    dialog = UppdragDialog(
        workspace.uppdrag, workspace.verksamhet.get().kommuner,
        workspace.verksamhet.list_ombud(), parent=window,
    )  # fmt: skip
    dialog.show()
    app.processEvents()
    if shots:
        dialog.grab().save(str(shots / "uppdrag_dialog.png"))
    views["Uppdragsdialog"] = {"unnamed": unnamed_controls(dialog),
                               "clipped": clipped_texts(dialog)}  # fmt: skip
    dialog.reject()
    report["views"] = views
    window.close()
    return report


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else None), ensure_ascii=False))
