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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.categories import CategoryKind
from po_desk.domain.formatting import number
from po_desk.services.uppdrag_import import ImportPlan
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.ops import Op
from po_desk.ui.widgets import error_label

PREVIEW_ROWS = 200
COLUMNS = (
    "Rad",
    "Kod",
    "Kön",
    "Födelseår",
    "Kommun",
    "Start",
    "Slut",
    "Barn",
    "Kontaktorsaker",
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
        self.preview = QTableWidget(0, len(COLUMNS))
        self.preview.setHorizontalHeaderLabels(COLUMNS)
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setAccessibleName("Förhandsvisning")
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
        importer = self.workspace.importer()
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
        rows = [r for r in plan.rows if r.uppdrag is not None][:PREVIEW_ROWS]
        kommuner = {k.id: k.namn for k in self.workspace.verksamhet.get().kommuner}
        orsaker = self.workspace.verksamhet.category_names(CategoryKind.KONTAKTORSAK)
        self.preview.setRowCount(len(rows))
        for index, row in enumerate(rows):
            u = row.uppdrag
            assert u is not None
            values = (
                str(row.number),
                (u.kod or "(ny)")
                + (f" (återkommande, {u.tidigare_kod})" if u.tidigare_kod else ""),
                categories.name_of(categories.KON, u.kon),
                str(u.fodelsear),
                kommuner.get(u.kommun_id, u.kommun_id),
                u.start.isoformat(),
                u.slut.isoformat() if u.slut else "",
                categories.name_of(categories.BARN, u.barn),
                ", ".join(orsaker.get(c, c) for c in u.kontaktorsaker),
            )
            for column, value in enumerate(values):
                self.preview.setItem(index, column, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()

    def _failed(self, error: BaseException) -> None:
        self.plan = None
        self.summary.clear()
        self.preview.setRowCount(0)
        self.errors.setText(error_text(error))

    def run_import(self) -> None:
        path = Path(self.path.text())
        importer = self.workspace.importer()
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
        ).run()
