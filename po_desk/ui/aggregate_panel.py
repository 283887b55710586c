"""Rapporter → Sammanställ returer: compile the JSON returns in a folder (for a
länsstyrelse or a kommunförbund) into a PDF, CSV or JSON file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.formatting import number
from po_desk.services import aggregate_service
from po_desk.ui.messages import error_text
from po_desk.ui.ops import Op
from po_desk.ui.widgets import error_label


class AggregatePanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        intro = QLabel(
            "Välj en mapp med återrapporter i JSON-format (po-desk/aterrapport/2 eller /1) "
            "från flera verksamheter. Alla filer kontrolleras mot schemat och måste gälla samma år."
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Mapp med återrapporter")
        self.folder.setReadOnly(True)
        self.choose_button = QPushButton("Välj &mapp…")
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        self.files = QListWidget()
        self.files.setAccessibleName("Återrapporter i mappen")
        self.run_button = QPushButton("&Sammanställ och spara…")
        self.run_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.status)
        layout.addWidget(self.run_button)

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Mapp med återrapporter")
        if folder:
            self.load(Path(folder))

    def load(self, folder: Path) -> None:
        self.folder.setText(str(folder))
        self._paths = aggregate_service.folder_files(folder)
        self.files.clear()
        self.files.addItems(path.name for path in self._paths)
        self.run_button.setEnabled(bool(self._paths))
        self.status.setText(f"{number(len(self._paths))} JSON-filer.")
        self.errors.clear()

    def run(self) -> None:
        """The button: asks where to save, then compiles. (It takes no argument: a button's
        clicked(bool) would otherwise arrive as the target.)"""
        name, _ = QFileDialog.getSaveFileName(
            self, "Spara sammanställning", "sammanstallning.pdf",
            "PDF (*.pdf);;CSV (*.csv);;JSON (*.json)",
        )  # fmt: skip
        if name:
            self.compile_to(Path(name))

    def compile_to(self, out: Path) -> None:
        paths, target = list(self._paths), out
        self.errors.clear()

        def done(compilation: dict) -> None:
            self.status.setText(
                f"Sammanställningen av {compilation['antal_verksamheter']} återrapporter är "
                f"sparad i {target.name}."
            )

        Op(
            self,
            "Sammanställer…",
            work=lambda: aggregate_service.aggregate(paths, target),
            on_success=done,
            on_failure=lambda error: self.errors.setText(error_text(error)),
        ).run()
