"""The first login on a shared server: the person replaces the first password the
enhetschef gave them with their own, before anything else (issue 18).

`open_server_workspace` is the hook the open path (the login in the wizard) calls: it
opens the register and, when the server says the password must be changed, asks for a
new one in `ServerPasswordDialog` and opens again with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.errors import PoDeskError
from po_desk.services import server_service
from po_desk.services.server_service import ServerProfile
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import error_text
from po_desk.ui.widgets import dialog_buttons, error_label, password_edit


class ServerPasswordDialog(QDialog):
    def __init__(
        self, profile: ServerProfile, parent: QWidget | None = None, *, first_login: bool = True
    ) -> None:
        """At the first login (the temporary password), or a change the person chooses
        (Inställningar → Säkerhet) with `first_login` False."""
        super().__init__(parent)
        self.profile = profile
        self.changed_profile: ServerProfile | None = None
        self.setWindowTitle("Byt lösenord")
        both = "Det byts både för inloggningen och för din nyckel till registret."
        if first_login:
            text = (
                "Det här är din första inloggning på servern. Lösenordet du fick är "
                f"tillfälligt: välj ett eget med minst {server_service.MIN_PASSWORD} tecken. "
                + both
            )
        else:
            text = (
                f"Välj ett nytt lösenord med minst {server_service.MIN_PASSWORD} tecken. "
                + both
                + " Därefter loggar du in igen med det nya lösenordet."
            )
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.current = password_edit("Nuvarande lösenord")
        self.first = password_edit("Nytt lösenord")
        self.second = password_edit("Upprepa det nya lösenordet")
        form = QFormLayout()
        if profile.password is None:
            form.addRow("&Nuvarande lösenord:", self.current)
        form.addRow("N&ytt lösenord:", self.first)
        form.addRow("&Upprepa:", self.second)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, "&Byt lösenord", "Avbryt", self.change))

    def change(self) -> None:
        new = self.first.text()
        if new != self.second.text():
            self.error.setText("De nya lösenorden är inte lika.")
            return
        current = self.profile.password
        if current is None:
            current = self.current.text()
        try:
            self.changed_profile = server_service.change_password(self.profile, current, new)
        except PoDeskError as error:
            self.error.setText(error_text(error))
            return
        finally:
            self.first.clear()
            self.second.clear()
        self.current.clear()
        self.accept()


def ask_new_password(profile: ServerProfile, parent: QWidget | None) -> ServerProfile | None:
    """The dialog; the profile with the new password, or None when the person cancelled."""
    dialog = ServerPasswordDialog(profile, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.changed_profile


FIRST_PASSWORD_NOT_CHANGED = (
    "Det tillfälliga lösenordet måste bytas vid första inloggningen; registret öppnades inte."
)


def open_server_workspace(
    parent: QWidget | None,
    profile: ServerProfile,
    ask: Callable[[ServerProfile, QWidget | None], ServerProfile | None] = ask_new_password,
) -> Workspace | None:
    """The register on the server; at a first login the password is changed first. None
    when the person cancels the change (nothing is opened then)."""
    try:
        return server_service.open_workspace(profile)
    except server_service.PasswordChangeRequired:
        changed = ask(profile, parent)
        if changed is None:
            return None
        return server_service.open_workspace(changed)
