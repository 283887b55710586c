"""Byt nyckel: for a leaked passphrase or key file. The whole store is encrypted again with
a new key; a new passphrase and a new recovery key replace the old ones, which (like old
copies of the key file) no longer open it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.services.workspace import Workspace
from po_desk.ui.messages import error_text
from po_desk.ui.ops import Op
from po_desk.ui.passphrase_fields import PassphraseFields
from po_desk.ui.recovery_key_page import RecoveryKeyPanel
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit


class RekeyDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.recovery_key = ""
        self.setWindowTitle("Byt nyckel")
        intro = QLabel(
            "Använd detta om lösenfrasen, återställningsnyckeln eller nyckelfilen kan ha "
            "kommit i fel händer. Hela registret krypteras om med en ny nyckel. Du väljer en "
            "ny lösenfras och får en ny återställningsnyckel; de gamla och gamla kopior av "
            "nyckelfilen slutar gälla. Säkerhetskopior som redan finns öppnas fortfarande "
            "med det som gällde när de gjordes: gör en ny och radera de gamla."
        )
        intro.setWordWrap(True)
        self.current = password_edit("Nuvarande lösenfras")
        self.fields = PassphraseFields("Ny lösenfras:")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Nuvarande lösenfras:", self.current)
        first = QWidget()
        first_layout = QVBoxLayout(first)
        first_layout.addWidget(intro)
        first_layout.addLayout(form)
        first_layout.addWidget(self.fields)
        first_layout.addWidget(self.error)
        self.buttons = dialog_buttons(self, "&Byt nyckel", "Avbryt", self.rekey)
        first_layout.addWidget(self.buttons)
        self.panel = RecoveryKeyPanel()
        second = QWidget()
        second_layout = QVBoxLayout(second)
        second_layout.addWidget(self.panel)
        self.done_buttons = dialog_buttons(self, "&Stäng", "Avbryt", self._close)
        self.done_buttons.buttons()[1].hide()  # the key is in place: nothing to cancel
        second_layout.addWidget(self.done_buttons)
        self.pages = QStackedWidget()
        self.pages.addWidget(first)
        self.pages.addWidget(second)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def rekey(self) -> None:
        if not self.fields.is_valid():
            self.error.setText("Den nya lösenfrasen är för svag eller fälten är inte lika.")
            return
        current, new = self.current.text(), self.fields.passphrase()
        self.buttons.setEnabled(False)
        workspace = self.workspace

        def done(recovery_key: str) -> None:
            self.current.clear()
            self.fields.clear()
            self.recovery_key = recovery_key
            self.panel.set_key(recovery_key, workspace.session.path.name)
            self.pages.setCurrentIndex(1)

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(error_text(error))

        # Once the store is being replaced there is no safe point to stop at.
        Op(
            self,
            "Krypterar om registret…",
            work=lambda: workspace.keys.rekey_verified(current, new),
            on_success=done,
            on_failure=failed,
            cancel=False,
        ).run()

    def _close(self) -> None:
        if not self.panel.confirmed.isChecked():
            self.error.setText("")
            self.panel.confirmed.setFocus()
            return
        self.accept()

    def reject(self) -> None:
        if self.recovery_key and not self.panel.confirmed.isChecked():
            return  # the new recovery key is shown only once: confirm it is kept first
        super().reject()
