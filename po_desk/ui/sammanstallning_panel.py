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
from po_desk.services import sammanstallning_service
from po_desk.ui.messages import error_text
from po_desk.ui.ops import Op
from po_desk.ui.widgets import error_label


class SammanstallningPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        intro = QLabel(
            "Välj en mapp med återrapporter i JSON-format (po-desk/aterrapport/2 eller /1) "
            "från flera verksamheter. Alla filer kontrolleras mot schemat och måste gälla samma "
            "år. Med en mapp med föregående års återrapporter får varje antal sin förändring."
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
        self.previous_folder = QLineEdit()
        self.previous_folder.setAccessibleName("Mapp med föregående års återrapporter")
        self.previous_folder.setReadOnly(True)
        self.previous_folder.setPlaceholderText("Ingen – utan jämförelse med föregående år")
        self.previous_button = QPushButton("Föregående &år…")
        self.previous_button.setToolTip(
            "Välj en mapp med förra årets återrapporter för att få en förändringskolumn."
        )
        self.previous_button.clicked.connect(self.choose_previous)
        self.clear_previous_button = QPushButton("&Ingen jämförelse")
        self.clear_previous_button.setEnabled(False)
        self.clear_previous_button.clicked.connect(self.clear_previous)
        previous_row = QHBoxLayout()
        previous_row.addWidget(self.previous_folder, 1)
        previous_row.addWidget(self.previous_button)
        previous_row.addWidget(self.clear_previous_button)
        self._previous: list[Path] = []
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
        layout.addLayout(previous_row)
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
        self._paths = sammanstallning_service.folder_files(folder)
        self.files.clear()
        self.files.addItems(path.name for path in self._paths)
        self.run_button.setEnabled(bool(self._paths))
        self.status.setText(f"{number(len(self._paths))} JSON-filer.")
        self.errors.clear()

    def choose_previous(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Mapp med föregående års återrapporter")
        if folder:
            self.load_previous(Path(folder))

    def load_previous(self, folder: Path) -> None:
        """Last year's returns: the compilation gets the change of every count."""
        self._previous = sammanstallning_service.folder_files(folder)
        self.previous_folder.setText(
            f"{folder} ({number(len(self._previous))} JSON-filer)" if self._previous else ""
        )
        self.clear_previous_button.setEnabled(bool(self._previous))
        self.errors.setText("" if self._previous else f"{folder.name}: mappen har inga JSON-filer.")

    def clear_previous(self) -> None:
        self._previous = []
        self.previous_folder.clear()
        self.clear_previous_button.setEnabled(False)

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
        paths, target, previous = list(self._paths), out, list(self._previous) or None
        self.errors.clear()

        def done(compilation: dict) -> None:
            compared = compilation.get("foregaende_ar")
            self.status.setText(
                f"Sammanställningen av {compilation['antal_verksamheter']} återrapporter är "
                f"sparad i {target.name}."
                + (f" Jämförd med {compared['ar']}." if compared else "")
                + _quality_note(len(compilation.get("kvalitet", [])))
            )

        Op(
            self,
            "Sammanställer…",
            work=lambda: sammanstallning_service.aggregate(paths, target, previous),
            on_success=done,
            on_failure=lambda error: self.errors.setText(error_text(error)),
        ).run()


def _quality_note(warnings: int) -> str:
    """The warnings of the consistency rules are listed in the compilation's Kvalitet."""
    if not warnings:
        return ""
    noun = "varning" if warnings == 1 else "varningar"
    return f" {number(warnings)} {noun} från kontrollerna listas i avsnittet Kvalitet."
