"""Showing the recovery key once, with print and save, until the user confirms it is safe."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.secure_files import atomic_write
from po_desk.services.recovery_sheet import recovery_key_sheet
from po_desk.ui.messages import show_error
from po_desk.ui.pdf_preview import print_pages


class RecoveryKeyPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self._recovery_key = ""
        self._store_name = ""
        self._store_path = Path()
        intro = QLabel(
            "Det här är registrets återställningsnyckel. Den öppnar registret om "
            "lösenfrasen glöms bort och visas bara nu. Skriv ut den eller spara den och "
            "förvara den inlåst."
        )
        intro.setWordWrap(True)
        self.key_label = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAccessibleName("Återställningsnyckel")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        print_button = QPushButton("Skriv &ut nyckelbladet…")
        save_button = QPushButton("&Spara nyckelbladet som PDF…")
        print_button.clicked.connect(self._print)
        save_button.clicked.connect(self._save)
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.setAccessibleName("Nyckelbladet")
        self.confirmed = QCheckBox(
            "Jag har skrivit ut eller sparat nyckeln och förvarar den säkert"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(print_button)
        buttons.addWidget(save_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(self.key_label)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addWidget(self.saved_label)
        layout.addStretch()
        layout.addWidget(self.confirmed)

    def set_key(self, recovery_key: str, store_name: str, store_path: Path | None = None) -> None:
        self._recovery_key = recovery_key
        self._store_name = store_name
        self._store_path = store_path or Path(store_name)
        self.key_label.setText(recovery_key)
        self.saved_label.clear()
        self.confirmed.setChecked(False)

    def sheet(self) -> bytes:
        """The key sheet as a PDF: title, verksamhet, date, store path, the key."""
        return recovery_key_sheet(self._recovery_key, self._store_name, self._store_path)

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        try:
            print_pages(self.sheet(), printer)
        except (OSError, RuntimeError) as error:
            show_error(self, error)
            return
        self.saved_label.setText("Nyckelbladet skickades till skrivaren. Kontrollera utskriften.")

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Spara nyckelbladet", "aterstallningsnyckel.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        try:
            atomic_write(Path(name), self.sheet())
        except OSError as error:
            show_error(self, error)
            return
        self.saved_label.setText(
            f"Nyckelbladet sparades som {Path(name)}. Skriv ut det, förvara det inlåst och "
            "radera filen."
        )
