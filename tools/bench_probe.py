"""What the benchmark measures of the GUI: the uppdrag table model filled for every row
(the Qt part of `python -m tools.bench`, which imports Qt only here)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from po_desk.domain.uppdrag_filter import Status, UppdragFilter
from po_desk.services.workspace import Workspace
from po_desk.ui.uppdrag_table_model import UppdragTableModel


def uppdrag_list_filler(workspace: Workspace):
    """A function that loads every uppdrag and fills the list's model with every row, as
    the view does with the status "Alla" (the register's rows from the use case)."""
    QApplication.instance() or QApplication([])
    model = UppdragTableModel()

    def fill() -> int:
        items = workspace.uppdrag.all()
        model.set_rows(workspace.uppdrag.register(UppdragFilter(status=Status.ALLA), items).rows)
        return model.rowCount()

    return fill
