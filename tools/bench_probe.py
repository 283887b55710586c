"""What the benchmark measures of the GUI: the uppdrag table model filled for every row
(the Qt part of `python -m tools.bench`, which imports Qt only here)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from po_desk.services.workspace import Workspace
from po_desk.ui.uppdrag_table_model import UppdragTableModel


def uppdrag_list_filler(workspace: Workspace):
    """A function that loads every uppdrag and fills the list's model, as the view does."""
    QApplication.instance() or QApplication([])
    model = UppdragTableModel()

    def fill() -> int:
        verksamhet = workspace.verksamhet.get()
        names = {o.id or "": o.namn for o in workspace.verksamhet.list_ombud()}
        model.set_names({k.id: k.namn for k in verksamhet.kommuner}, names)
        model.set_rows(workspace.uppdrag.all())
        return model.rowCount()

    return fill
