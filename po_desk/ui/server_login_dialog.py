"""Logging in to the register on a shared server: the user (role) and the password."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from po_desk import diagnostics
from po_desk.domain.errors import PoDeskError
from po_desk.services import server_service
from po_desk.services.server_service import ServerProfile
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import error_text
from po_desk.ui.ops import Op
from po_desk.ui.remember_box import remember_box
from po_desk.ui.server_password_dialog import FIRST_PASSWORD_NOT_CHANGED, open_server_workspace
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit

log = logging.getLogger(__name__)


class ServerLoginDialog(QDialog):
    """After exec() == Accepted, `workspace` is the register on the server, logged in."""

    def __init__(self, profile: ServerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.workspace: Workspace | None = None
        self.setWindowTitle("po-desk – logga in på servern")
        name = profile.name or profile.describe()
        where = f"{profile.host}:{profile.port}/{profile.database}"
        heading = QLabel(f"<b>Logga in på servern {name}</b><br>{where}")
        heading.setWordWrap(True)
        self.user = QLineEdit(profile.user or "")
        self.user.setAccessibleName("Användarnamn")
        self.password = password_edit("Lösenord")
        self.remember = remember_box("&Kom ihåg lösenordet på den här datorn")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("&Användare:", self.user)
        form.addRow("&Lösenord:", self.password)
        form.addRow("", self.remember)
        self.buttons = dialog_buttons(self, "Logga &in", "Avbryt", self.login)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if profile.user else self.user).setFocus()
        self.resize(480, 0)

    def login(self) -> None:
        self.error.clear()
        if not self.user.text().strip():
            self.error.setText("Ange ditt användarnamn på servern.")
            return
        self.buttons.setEnabled(False)
        profile = self.profile.with_login(self.user.text().strip(), self.password.text())
        Op(
            self,
            "Ansluter till servern…",
            work=lambda: server_service.open_workspace(profile),
            on_success=lambda workspace: self._opened(workspace, profile),
            on_failure=self._failed,
            cancel=False,  # the connection gives up by itself after a few seconds
        ).run()

    def _opened(self, workspace: Workspace, profile: ServerProfile) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        if self.remember.isChecked():
            server_service.remember_password(profile)
        self.workspace = workspace
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, server_service.PasswordChangeRequired):
            # A first login: the temporary password is changed here, then the register opens.
            profile = self.profile.with_login(self.user.text().strip(), self.password.text())
            try:
                workspace = open_server_workspace(self, profile)
            except Exception as again:
                log.info("first login failed: %s", diagnostics.summary(again))
                error = again
            else:
                if workspace is not None:
                    self._opened(workspace, profile)
                    return
                error = PoDeskError(FIRST_PASSWORD_NOT_CHANGED)
        self.buttons.setEnabled(True)
        self.error.setText(error_text(error))
        self.password.selectAll()
        self.password.setFocus()
