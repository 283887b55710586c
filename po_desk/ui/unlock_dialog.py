"""Unlocking a store with the passphrase or the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import DamagedStore, KeyFileMissing, WrongPassphrase
from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace
from po_desk.ui.change_passphrase_dialog import ChangePassphraseDialog
from po_desk.ui.messages import error_text
from po_desk.ui.ops import Op
from po_desk.ui.remember_box import remember_box
from po_desk.ui.restore_dialog import RestoreDialog
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit


class UnlockDialog(QDialog):
    """After exec() == Accepted, `workspace` is the open store."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.workspace: Workspace | None = None
        self.setWindowTitle("po-desk – lås upp")
        heading = QLabel(f"<b>Lås upp registret</b><br>{self.path}")
        heading.setWordWrap(True)
        self.passphrase = password_edit("Lösenfras")
        self.use_recovery = QCheckBox("Jag har glömt lösenfrasen – använd &återställningsnyckeln")
        self.recovery_key = QLineEdit()
        self.recovery_key.setAccessibleName("Återställningsnyckel")
        self.recovery_key.setPlaceholderText("XXXXX-XXXXX-XXXXX-…")
        self.recovery_key.setVisible(False)
        self.remember = remember_box("&Kom ihåg på den här datorn")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Lösenfras:", self.passphrase)
        form.addRow("", self.use_recovery)
        self.recovery_row_label = QLabel("Återställnings&nyckel:")
        self.recovery_row_label.setBuddy(self.recovery_key)
        self.recovery_row_label.setVisible(False)
        form.addRow(self.recovery_row_label, self.recovery_key)
        form.addRow("", self.remember)
        self.buttons = dialog_buttons(self, "&Öppna", "Avbryt", self.unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.restore_button = QPushButton("Återställ från &säkerhetskopia…")
        self.restore_button.setVisible(False)
        self.restore_button.clicked.connect(self.restore)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.buttons)
        self.use_recovery.toggled.connect(self._toggle_recovery)
        self.resize(520, 0)

    def _toggle_recovery(self, on: bool) -> None:
        self.recovery_key.setVisible(on)
        self.recovery_row_label.setVisible(on)
        self.passphrase.setEnabled(not on)
        (self.recovery_key if on else self.passphrase).setFocus()

    def unlock(self) -> None:
        self.error.clear()
        self.buttons.setEnabled(False)
        path = self.path
        if self.use_recovery.isChecked():
            secrets = {"recovery_key": self.recovery_key.text()}
        else:
            secrets = {"passphrase": self.passphrase.text()}
        Op(
            self,
            "Öppnar registret…",
            work=lambda: store_lifecycle.open_store(path, **secrets),
            on_success=self._opened,
            on_failure=self._failed,
            cancel=False,  # a fraction of a second of key derivation; nothing to stop
        ).run()

    def restore(self) -> None:
        dialog = RestoreDialog(self.path, self)
        if dialog.exec() and dialog.restored:
            self.restore_button.setVisible(False)
            self.error.setText("Registret är återställt. Ange lösenfrasen för att öppna det.")

    def _opened(self, workspace: Workspace) -> None:
        self.buttons.setEnabled(True)
        self.passphrase.clear()
        if self.remember.isChecked():
            workspace.keys.remember_key()
        if self.use_recovery.isChecked():
            self.recovery_key.clear()
            ChangePassphraseDialog(workspace, self, require_current=False).exec()
        self.workspace = workspace
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(error))
        self.restore_button.setVisible(isinstance(error, DamagedStore | KeyFileMissing))
        if isinstance(error, WrongPassphrase):
            target = self.recovery_key if self.use_recovery.isChecked() else self.passphrase
            target.selectAll()
            target.setFocus()
