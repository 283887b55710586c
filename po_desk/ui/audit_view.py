"""Ändringslogg and gallring for the enhetschef: who changed what kind of row when (never
what), exportable; and thinning of old closed records per the informationshanteringsplan."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import ConflictError, PoDeskError
from po_desk.domain.formatting import number
from po_desk.services.audit_service import LogQuery
from po_desk.services.workspace import Workspace
from po_desk.ui.audit_table_model import AuditTableModel
from po_desk.ui.messages import CONFLICT_TITLE, confirm, show_error
from po_desk.ui.op_changes import did_write
from po_desk.ui.widgets import choice_combo, model_table

PERIODS = (("Senaste 30 dagarna", 30), ("Senaste året", 365), ("Allt", None))


class AuditTab(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.period = choice_combo(PERIODS)
        self.period.setAccessibleName("Period")
        self.actor = choice_combo((), "Alla användare")
        self.actor.setAccessibleName("Användare")
        self.model = AuditTableModel()
        self.table = model_table(self.model, "Ändringslogg")
        self.count = QLabel()
        export = QPushButton("&Exportera CSV…")
        export.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.actor)
        top.addStretch()
        top.addWidget(self.count)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Loggen visar vem som ändrade vad för slags uppgift och när, "
                                "aldrig innehållet."))  # fmt: skip
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(GallringBox(workspace))
        self.period.currentIndexChanged.connect(self.refresh)
        self.actor.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _query(self) -> LogQuery:
        return self.workspace.audit.query(self.period.currentData(), self.actor.currentData())

    def refresh(self) -> None:
        if self.actor.count() == 1:
            for actor in self.workspace.audit.actors():
                self.actor.addItem(actor, actor)
        audit, query = self.workspace.audit, self._query()
        total = audit.count(query)
        # The first page now; the table asks for the next ones as the user scrolls.
        self.model.start(total, lambda after, limit: audit.page(query, after, limit))
        self.count.setText(f"{number(total)} händelser")

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Exportera logg", "andringslogg.csv",
                                              "CSV (*.csv)")  # fmt: skip
        if not name:
            return
        try:
            self.workspace.audit.export(Path(name), self._query())
        except (OSError, PoDeskError) as error:  # a refused target is one message
            show_error(self, error)


class GallringBox(QGroupBox):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__("Gallring")
        self.workspace = workspace
        self.years = QSpinBox()
        self.years.setRange(0, 50)
        self.years.setSpecialValueText("Av")
        self.years.setSuffix(" år efter avslut")
        period = workspace.gallring.period_setting()
        self._period_version: int | None = period.version
        self.years.setValue(period.value)
        self.years.setAccessibleName("Gallringsfrist")
        self.years.valueChanged.connect(self._period_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        run = QPushButton("&Gallra nu…")
        run.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(QLabel("Gallra avslutade uppdrag:"))
        row.addWidget(self.years)
        row.addWidget(run)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._show_preview()

    def _period_changed(self, years: int) -> None:
        try:
            saved = self.workspace.gallring.set_period_years(years, self._period_version)
        except ConflictError as error:
            # The box keeps what was chosen; changing it again overwrites knowingly.
            self._period_version = error.version
            show_error(self, error, CONFLICT_TITLE)
            return
        self._period_version = saved
        self._show_preview()
        did_write(self, self.workspace.gallring.set_period_years)

    def _show_preview(self) -> None:
        log = self.workspace.gallring.log()
        last = f" Senast gallrat {str(log[-1]['tid']).replace('T', ' ')}." if log else ""
        if self.workspace.gallring.period_years() == 0:
            self.status.setText("Ingen gallringsfrist är satt." + last)
            return
        cutoff, counts = self.workspace.gallring.preview()
        self.status.setText(
            f"Före {cutoff.isoformat()}: {counts.uppdrag} uppdrag, {counts.anmalningar} "
            f"kö-anmälningar och {counts.avvikelser} avvikelser skulle gallras. "
            "Siffrorna i tidigare års återrapporter ändras inte." + last
        )

    def run(self) -> None:
        if self.workspace.gallring.period_years() == 0:
            return
        if not confirm(self, "Gallra", "Gallra nu? Det som gallras går inte att få tillbaka."):
            return
        try:
            self.workspace.gallring.run()
        except Exception as error:
            show_error(self, error)
        else:
            did_write(self, self.workspace.gallring.run)
        self._show_preview()
