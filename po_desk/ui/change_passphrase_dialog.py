"""Changing the passphrase while unlocked: the current one is asked for first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import PoDeskError
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import error_text
from po_desk.ui.passphrase_fields import PassphraseFields
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit


class ChangePassphraseDialog(QDialog):
    """With `require_current=False` (just unlocked with the recovery key) the current
    passphrase is not asked for."""

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, require_current: bool = True
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.require_current = require_current
        self.setWindowTitle("Byt lösenfras" if require_current else "Ny lösenfras")
        self.current = password_edit("Nuvarande lösenfras")
        self.fields = PassphraseFields("Ny lösenfras:")
        self.error = error_label()
        form = QFormLayout()
        if require_current:
            form.addRow("&Nuvarande lösenfras:", self.current)
        else:
            intro = QLabel(
                "Du öppnade registret med återställningsnyckeln. Välj en ny lösenfras; "
                "återställningsnyckeln fortsätter att gälla."
            )
            intro.setWordWrap(True)
            form.addRow(intro)
        buttons = dialog_buttons(
            self, "&Byt lösenfras", "Avbryt" if require_current else "Inte nu", self.change
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def change(self) -> None:
        if not self.fields.is_valid():
            self.error.setText("Den nya lösenfrasen är för svag eller fälten är inte lika.")
            return
        try:
            if self.require_current:
                self.workspace.keys.change_passphrase_verified(
                    self.current.text(), self.fields.passphrase()
                )
            else:
                self.workspace.keys.change_passphrase(self.fields.passphrase())
        except PoDeskError as error:
            self.error.setText(error_text(error))
            return
        self.current.clear()
        self.fields.clear()
        self.accept()
