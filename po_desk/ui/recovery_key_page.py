"""Showing the recovery key once, with print and save, until the user confirms it is safe."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QTextDocument
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

from po_desk.domain.errors import PoDeskError
from po_desk.services.files import write_private_file
from po_desk.ui.messages import show_error


def recovery_key_text(recovery_key: str, store_name: str) -> str:
    return (
        "po-desk – återställningsnyckel\n\n"
        f"Register: {store_name}\n"
        f"Nyckel: {recovery_key}\n\n"
        "Nyckeln öppnar registret om lösenfrasen glöms bort. Förvara den inlåst, till\n"
        "exempel i verksamhetens kassaskåp. Den visas bara en gång.\n"
    )


class RecoveryKeyPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self._recovery_key = ""
        self._store_name = ""
        intro = QLabel(
            "Det här är registrets återställningsnyckel. Den öppnar registret om "
            "lösenfrasen glöms bort och visas bara nu. Skriv ut den eller spara den och "
            "förvara den inlåst."
        )
        intro.setWordWrap(True)
        self.key_label = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(14)
        self.key_label.setFont(font)
        self.key_label.setAccessibleName("Återställningsnyckel")
        self.key_label.setTextInteractionFlags(self.key_label.textInteractionFlags())
        print_button = QPushButton("Skriv &ut…")
        save_button = QPushButton("&Spara som fil…")
        print_button.clicked.connect(self._print)
        save_button.clicked.connect(self._save)
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
        layout.addStretch()
        layout.addWidget(self.confirmed)

    def set_key(self, recovery_key: str, store_name: str) -> None:
        self._recovery_key = recovery_key
        self._store_name = store_name
        self.key_label.setText(recovery_key)
        self.confirmed.setChecked(False)

    def _print(self) -> None:
        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setPlainText(recovery_key_text(self._recovery_key, self._store_name))
        document.print_(printer)

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Spara återställningsnyckel", "aterstallningsnyckel.txt", "Text (*.txt)"
        )
        if not name:
            return
        try:
            text = recovery_key_text(self._recovery_key, self._store_name)
            write_private_file(Path(name), text.encode("utf-8"))
        except (OSError, PoDeskError) as error:  # a refused target is one message
            show_error(self, error)
