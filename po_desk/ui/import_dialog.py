"""Importing uppdrag from an Excel sheet or CSV file: choose, preview, every bad row listed
with its number and reason, then all rows or none. Values already in the register are
listed in the preview and change only after the user confirms it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.formatting import number
from po_desk.services.changes import changes_of
from po_desk.services.uppdrag_import import ImportPlan, PreviewRow
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.ops import Op
from po_desk.ui.table_model import RIGHT, Column, TableModel
from po_desk.ui.widgets import error_label, fill_table, model_table


def _kod(row: PreviewRow) -> str:
    u = row.uppdrag
    return (u.kod or "(ny)") + (f" (återkommande, {u.tidigare_kod})" if u.tidigare_kod else "")


COLUMNS: tuple[Column[PreviewRow], ...] = (
    Column("Rad", lambda r: str(r.number), RIGHT, sort_key=lambda r: r.number, fit=True),
    Column("Kod", _kod, fit=True),
    Column("Kön", lambda r: categories.name_of(categories.KON, r.uppdrag.kon), fit=True),
    Column("Födelseår", lambda r: str(r.uppdrag.fodelsear), fit=True),
    Column("Kommun", lambda r: r.kommun),
    Column("Start", lambda r: r.uppdrag.start.isoformat(), fit=True),
    Column("Slut", lambda r: r.uppdrag.slut.isoformat() if r.uppdrag.slut else "", fit=True),
    Column("Barn", lambda r: categories.name_of(categories.BARN, r.uppdrag.barn)),
    Column("Kontaktorsaker", lambda r: r.kontaktorsaker, tooltip=lambda r: r.kontaktorsaker),
)


class ImportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan: ImportPlan | None = None
        self.imported = False
        self.setWindowTitle("Importera uppdrag från Excel eller CSV")
        intro = QLabel(
            "Kolumner på första raden: kod (valfri), kön, födelseår, kommun, anmäld (valfri), "
            "start, slut (valfri), barn, kontaktorsaker (skilda med |), hänvisad från och "
            "avslutsorsak (valfria). Datum skrivs ÅÅÅÅ-MM-DD. Uppdrag med samma kod som finns "
            "kompletteras där fält är tomma; värden som redan finns ändras bara om du "
            "bekräftar det. Inget dubbleras."
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName("Fil att importera")
        self.path.setReadOnly(True)
        choose = QPushButton("&Välj fil…")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        self.summary = QLabel()
        self.summary.setAccessibleName("Sammanfattning")
        self.errors = error_label()
        self.problems = QListWidget()
        self.problems.setAccessibleName("Rader med fel")
        self.problems.hide()
        self.changes_title = QLabel("Värden som redan finns och som filen ändrar:")
        self.changes = QListWidget()
        self.changes.setAccessibleName("Ändringar av befintliga värden")
        for widget in (self.changes_title, self.changes):
            widget.hide()
        self.preview_model = TableModel(COLUMNS, key=lambda r: r.number)
        self.preview = model_table(self.preview_model, "Förhandsvisning")
        self.import_button = QPushButton("&Importera")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton("Stäng")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors)
        layout.addWidget(self.problems)
        layout.addWidget(self.changes_title)
        layout.addWidget(self.changes)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.resize(900, 600)

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj fil", "", "Excel eller CSV (*.xlsx *.csv *.txt);;Alla filer (*)"
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self.path.setText(str(path))
        self.import_button.setEnabled(False)
        self.errors.clear()
        importer = self.workspace.uppdrag_import
        Op(
            self,
            "Läser filen…",
            work=lambda: importer.plan(path),
            on_success=self._planned,
            on_failure=self._failed,
        ).run()

    def _planned(self, plan: ImportPlan) -> None:
        self.plan = plan
        problems = plan.problems
        self.problems.clear()
        self.problems.addItems(problems)
        self.problems.setVisible(bool(problems))
        if problems:
            self.summary.setText(
                f"<b>{number(len(problems))} fel – inget kan importeras förrän filen är rättad.</b>"
            )
        else:
            self.summary.setText(plan.summary())
        self.changes.clear()
        self.changes.addItems([*plan.change_lines(), *plan.notes])
        for widget in (self.changes_title, self.changes):
            widget.setVisible(not problems and bool(plan.changes or plan.notes))
        self.import_button.setEnabled(
            not problems and bool(plan.new or plan.filled or plan.changed)
        )
        self._fill_preview(plan)

    def _fill_preview(self, plan: ImportPlan) -> None:
        fill_table(self.preview, self.preview_model, plan.preview)

    def _failed(self, error: BaseException) -> None:
        self.plan = None
        self.summary.clear()
        self.preview_model.clear()
        self.errors.setText(error_text(error))

    def run_import(self) -> None:
        path = Path(self.path.text())
        importer = self.workspace.uppdrag_import
        changes = self.plan.changes if self.plan is not None else []
        if changes and not confirm(
            self,
            "Ändra befintliga värden?",
            f"Filen ändrar {number(len(changes))} värden som redan finns i registret (de "
            "listas under förhandsvisningen). Vill du ändra dem?",
        ):
            return
        self.import_button.setEnabled(False)

        def done(plan: ImportPlan) -> None:
            self.imported = True
            self.summary.setText(f"Importerat. {plan.summary()}")

        update = bool(changes)
        Op(
            self,
            "Importerar…",
            work=lambda: importer.run(path, update=update),
            on_success=done,
            on_failure=self._failed,
            changes=changes_of(importer.run),
            handler=self.parent(),  # the uppdrag view refreshes itself when the dialog closes
        ).run()
