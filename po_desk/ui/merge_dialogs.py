"""Moving records between workstations: export a sealed merge file, or bring one in after
a preview of what it adds, which conflicts the chosen rule decides and what it keeps out. A
file from another verksamhet is brought in only after the user confirms it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.services.changes import changes_of
from po_desk.services.merge_service import OtherVerksamhet, describe, lines
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import confirm, error_text
from po_desk.ui.ops import Op
from po_desk.ui.widgets import choice_combo, dialog_buttons, error_label, password_edit

RULES = (
    ("Den senast ändrade versionen vinner", "nyast"),
    ("Den här datorns version vinner", "var"),
    ("Den importerade versionen vinner", "deras"),
)


def _file_row(edit: QLineEdit, choose) -> QHBoxLayout:
    button = QPushButton("Bläddra…")
    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class MergeExportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.done_text = ""
        self.setWindowTitle("Exportera sammanfogningsfil")
        intro = QLabel(
            "Filen innehåller alla uppgifter i registret, krypterade med en lösenfras du väljer "
            "för överföringen. Lämna lösenfrasen till enhetschefen på annat sätt än filen."
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setAccessibleName("Fil att skriva")
        self.first = password_edit("Lösenfras för filen")
        self.second = password_edit("Upprepa lösenfrasen")
        self.errors = error_label()
        form = QFormLayout()
        form.addRow("&Fil:", _file_row(self.path, self._choose))
        form.addRow("&Lösenfras:", self.first)
        form.addRow("&Upprepa:", self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Exportera", "Avbryt", self.export))
        self.resize(600, 0)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Sammanfogningsfil", "sammanfogning.podesk-merge", "po-desk (*.podesk-merge)"
        )
        if name:
            self.path.setText(name)

    def export(self) -> None:
        if self.first.text() != self.second.text():
            self.errors.setText("Lösenfraserna är inte lika.")
            return
        if not self.path.text():
            self.errors.setText("Välj var filen ska sparas.")
            return
        path, secret, service = Path(self.path.text()), self.first.text(), self.workspace.merge

        def done(rows: int) -> None:
            self.done_text = f"{rows} rader exporterade."
            self.accept()

        Op(
            self,
            "Exporterar…",
            work=lambda: service.export_file(path, secret),
            on_success=done,
            on_failure=lambda error: self.errors.setText(error_text(error)),
        ).run()


class MergeImportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.merged = False
        self.other_verksamhet = False  # the user accepted a file from another verksamhet
        self.setWindowTitle("Sammanfoga från en annan dator")
        self.path = QLineEdit()
        self.path.setAccessibleName("Sammanfogningsfil")
        self.secret = password_edit("Filens lösenfras")
        self.rule = choice_combo(RULES)
        self.rule.setAccessibleName("Regel vid konflikt")
        self.summary = QLabel("Välj fil och förhandsgranska.")
        self.summary.setWordWrap(True)
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName("Konflikter och det som hålls utanför")
        self.errors = error_label()
        preview = QPushButton("&Förhandsgranska")
        preview.clicked.connect(self.preview)
        self.merge_button = QPushButton("&Sammanfoga")
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge)
        close = QPushButton("Stäng")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Fil:", _file_row(self.path, self._choose))
        form.addRow("&Lösenfras:", self.secret)
        form.addRow("&Vid konflikt:", self.rule)
        buttons = QHBoxLayout()
        buttons.addWidget(preview)
        buttons.addStretch()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Konflikter, hur de avgörs och vad som hålls utanför:"))
        layout.addWidget(self.conflicts, 1)
        layout.addWidget(self.errors)
        layout.addLayout(buttons)
        self.resize(720, 480)
        self.rule.currentIndexChanged.connect(lambda _i: self.merge_button.setEnabled(False))
        self.path.textChanged.connect(self._file_changed)

    def _file_changed(self, _text: str) -> None:
        self.other_verksamhet = False
        self.merge_button.setEnabled(False)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Sammanfogningsfil", "", "po-desk (*.podesk-merge);;Alla filer (*)"
        )
        if name:
            self.path.setText(name)

    def _args(self) -> tuple[Path, str, str]:
        return Path(self.path.text()), self.secret.text(), self.rule.currentData()

    def _show(self, report, verb: str) -> None:
        self.errors.clear()
        self.summary.setText(f"{verb}: {describe(report)}")
        self.conflicts.clear()
        self.conflicts.addItems(lines(report))

    def _failed(self, error: BaseException) -> None:
        question = error_text(error) + "\n\nVill du ändå förhandsgranska och sammanfoga den?"
        if (
            isinstance(error, OtherVerksamhet)
            and not self.other_verksamhet
            and confirm(self, "Fil från en annan verksamhet", question)
        ):
            self.other_verksamhet = True
            self.preview()
            return
        self.errors.setText(error_text(error))

    def preview(self) -> None:
        path, secret, rule = self._args()
        service, other = self.workspace.merge, self.other_verksamhet

        def shown(report) -> None:
            self._show(report, "Om du sammanfogar")
            self.merge_button.setEnabled(report.changed_anything)

        Op(
            self,
            "Läser filen…",
            work=lambda: service.preview(path, secret, rule, other),
            on_success=shown,
            on_failure=self._failed,
        ).run()

    def merge(self) -> None:
        path, secret, rule = self._args()
        service, other = self.workspace.merge, self.other_verksamhet
        self.merge_button.setEnabled(False)

        def done(report) -> None:
            self.merged = True
            self._show(report, "Sammanfogat")

        Op(
            self,
            "Sammanfogar…",
            work=lambda: service.import_file(path, secret, rule, other),
            on_success=done,
            on_failure=self._failed,
            changes=changes_of(service.import_file),
        ).run()
