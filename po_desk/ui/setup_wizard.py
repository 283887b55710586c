"""The first-run wizard: create a new encrypted store, pick an existing one, or connect
to the register on the kommun's shared server ("Anslut till server")."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from po_desk import diagnostics
from po_desk.domain.errors import PoDeskError
from po_desk.services import server_service, store_lifecycle
from po_desk.services.app_settings import AppSettings, default_store_path
from po_desk.services.server_service import ServerProfile
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import error_text, show_error
from po_desk.ui.passphrase_fields import PassphraseFields
from po_desk.ui.recovery_key_page import RecoveryKeyPanel
from po_desk.ui.remember_box import remember_box
from po_desk.ui.server_password_dialog import FIRST_PASSWORD_NOT_CHANGED, open_server_workspace
from po_desk.ui.verksamhet_fields import VerksamhetFields
from po_desk.ui.widgets import error_label, password_edit

PAGE_START, PAGE_VERKSAMHET, PAGE_PASSPHRASE, PAGE_RECOVERY, PAGE_SERVER = range(5)

log = logging.getLogger(__name__)


def _path_row(edit: QLineEdit, choose: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit)
    layout.addWidget(choose)
    return row


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Välkommen till po-desk")
        self.setSubTitle(
            "po-desk håller verksamhetens avidentifierade uppdrag, kö och avvikelser i ett "
            "krypterat register på den här datorn."
        )
        self.create_new = QRadioButton("&Skapa ett nytt register")
        self.open_existing = QRadioButton("Öppna ett &befintligt register")
        self.connect_server = QRadioButton(
            "&Anslut till server (kommunens gemensamma register, från IT)"
        )
        self.create_new.setChecked(True)
        self.existing_path = QLineEdit()
        self.existing_path.setAccessibleName("Befintligt register")
        self.existing_path.setPlaceholderText("Sökväg till registret")
        choose = QPushButton("Bläddra…")
        choose.clicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.create_new)
        layout.addWidget(self.open_existing)
        layout.addWidget(_path_row(self.existing_path, choose))
        layout.addWidget(self.connect_server)
        layout.addStretch()
        self.open_existing.toggled.connect(self.completeChanged)
        self.connect_server.toggled.connect(self.completeChanged)
        self.existing_path.textChanged.connect(self.completeChanged)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Öppna register", "", "po-desk (*.podesk *.db);;Alla filer (*)"
        )
        if name:
            self.existing_path.setText(name)
            self.open_existing.setChecked(True)

    def isComplete(self) -> bool:
        return not self.open_existing.isChecked() or bool(self.existing_path.text().strip())

    def validatePage(self) -> bool:
        if self.open_existing.isChecked() and not Path(self.existing_path.text()).is_file():
            show_error(self, FileNotFoundError(2, "filen finns inte"), "Registret finns inte")
            return False
        return True

    def nextId(self) -> int:
        if self.connect_server.isChecked():
            return PAGE_SERVER
        return -1 if self.open_existing.isChecked() else PAGE_VERKSAMHET


class VerksamhetPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Verksamheten")
        self.setSubTitle(
            "Uppgifterna står på återrapporten. De kan ändras senare under Inställningar."
        )
        self.fields = VerksamhetFields()
        self.path = QLineEdit(str(default_store_path()))
        self.path.setAccessibleName("Registrets fil")
        choose = QPushButton("Bläddra…")
        choose.clicked.connect(self._choose)
        self.fields.form.addRow("&Registrets fil:", _path_row(self.path, choose))
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch()
        self.fields.changed.connect(self.completeChanged)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Registrets fil", self.path.text(), "po-desk (*.podesk)"
        )
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return self.fields.is_complete()

    def validatePage(self) -> bool:
        path = Path(self.path.text()).expanduser()
        if path.exists():
            show_error(self, FileExistsError(17, "finns redan"), "Filen finns redan")
            return False
        return True


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Lösenfras")
        self.setSubTitle(
            "Registret krypteras. Välj en lösenfras på minst 12 tecken, gärna flera ord. "
            "Utan lösenfrasen eller återställningsnyckeln går registret inte att öppna."
        )
        self.fields = PassphraseFields()
        self.remember = remember_box("&Kom ihåg på den här datorn")
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.remember)
        layout.addStretch()
        self.fields.changed.connect(self.completeChanged)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Skapa registret")

    def isComplete(self) -> bool:
        return self.fields.is_valid()

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard.create_store()


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Återställningsnyckel")
        self.panel = RecoveryKeyPanel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.panel.confirmed.toggled.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return self.panel.confirmed.isChecked()


class ServerPage(QWizardPage):
    """A server profile from IT (host, port, database, user, the kommun's CA file), the
    password, and a test of the connection; saved by name (without the password)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Anslut till server")
        self.setSubTitle(
            "Uppgifterna får du av kommunens IT. Anslutningen är alltid krypterad och "
            "serverns certifikat kontrolleras mot kommunens CA-certifikat."
        )
        self.profile_name = QLineEdit("Kommunens server")
        self.profile_name.setAccessibleName("Profilens namn")
        self.host = QLineEdit()
        self.host.setAccessibleName("Serverns värdnamn")
        self.host.setPlaceholderText("t.ex. podesk.kommun.se")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(server_service.DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = QLineEdit("podesk")
        self.database.setAccessibleName("Databas")
        self.user = QLineEdit()
        self.user.setAccessibleName("Användarnamn")
        self.ca_file = QLineEdit()
        self.ca_file.setAccessibleName("Kommunens CA-certifikat")
        self.ca_file.setPlaceholderText("Filen från IT, t.ex. kommunens-ca.crt")
        choose = QPushButton("Bläddra…")
        choose.clicked.connect(self._choose_ca)
        self.password = password_edit("Lösenord")
        self.remember = remember_box("&Kom ihåg lösenordet på den här datorn")
        self.test_button = QPushButton("&Testa anslutningen")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Resultat av testet")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("Profilens &namn:", self.profile_name)
        form.addRow("&Värd:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Databas:", self.database)
        form.addRow("&CA-certifikat:", _path_row(self.ca_file, choose))
        form.addRow("Användar&e:", self.user)
        form.addRow("&Lösenord:", self.password)
        form.addRow("", self.remember)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addStretch()
        for edit in (self.profile_name, self.host, self.database, self.user, self.ca_file):
            edit.textChanged.connect(self.completeChanged)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Anslut")

    def _choose_ca(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Kommunens CA-certifikat", "", "Certifikat (*.crt *.pem *.cer);;Alla filer (*)"
        )
        if name:
            self.ca_file.setText(name)

    def isComplete(self) -> bool:
        edits = (self.profile_name, self.host, self.database, self.user, self.ca_file)
        return all(edit.text().strip() for edit in edits)

    def profile(self) -> ServerProfile:
        """The profile as typed, with the password (never saved with it)."""
        return ServerProfile(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            sslrootcert=str(Path(self.ca_file.text().strip()).expanduser()),
            password=self.password.text(),
        )

    def _attempt(self, work):  # type: ignore[no-untyped-def]
        """Runs `work` with a wait cursor; the error's Swedish line in the form, or None."""
        self.error.clear()
        self.result.clear()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        except Exception as error:
            log.info("server connection refused: %s", diagnostics.summary(error))
            self.error.setText(error_text(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def test_connection(self) -> None:
        def work() -> str:
            profile = self.profile()
            server_service.check_tls_settings(profile)
            return server_service.try_connection(profile)

        role = self._attempt(work)
        if role is not None:
            self.result.setText(f"Anslutningen fungerar. Du är inloggad som {role}.")

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard.connect_server()


class SetupWizard(QWizard):
    """After exec(): `workspace` holds a new open store (or the register on a server, and
    then `server_profile` names the saved profile), or `existing_path` one to unlock."""

    def __init__(
        self,
        parent: QWidget | None = None,
        path: Path | None = None,
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("po-desk – kom igång")
        self._last_page_buttons(PAGE_START)
        # The recovery page ends the wizard without a way back; the server page keeps
        # Tillbaka and Avbryt (nothing is made until Anslut works).
        self.currentIdChanged.connect(self._last_page_buttons)
        self.start_page = StartPage()
        self.verksamhet_page = VerksamhetPage()
        self.passphrase_page = PassphrasePage()
        self.recovery_page = RecoveryPage()
        self.server_page = ServerPage()
        self.setPage(PAGE_START, self.start_page)
        self.setPage(PAGE_VERKSAMHET, self.verksamhet_page)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setPage(PAGE_RECOVERY, self.recovery_page)
        self.setPage(PAGE_SERVER, self.server_page)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Nästa >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Tillbaka")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Klar")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Avbryt")
        self.workspace: Workspace | None = None
        self.existing_path: Path | None = None
        self.server_profile: ServerProfile | None = None
        if path is not None:  # `--db` named a store that does not exist: create it there
            self.verksamhet_page.path.setText(str(path))
            self.setStartId(PAGE_VERKSAMHET)
        self.resize(640, 480)

    def _last_page_buttons(self, page_id: int) -> None:
        final = page_id != PAGE_SERVER
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, final)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, final)

    def store_path(self) -> Path:
        return Path(self.verksamhet_page.path.text()).expanduser()

    def create_store(self) -> bool:
        page = self.verksamhet_page
        path = self.store_path()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            created = store_lifecycle.create_store(
                path,
                namn=page.fields.namn.text(),
                lan=page.fields.lan.currentText(),
                kommuner=page.fields.kommun_names(),
                passphrase=self.passphrase_page.fields.passphrase(),
                huvudman=page.fields.huvudman.text(),
            )
        except Exception as error:
            QApplication.restoreOverrideCursor()
            show_error(self, error, "Registret kunde inte skapas")
            return False
        QApplication.restoreOverrideCursor()
        self.workspace = created.workspace
        if self.passphrase_page.remember.isChecked():
            created.workspace.keys.remember_key()
        self.passphrase_page.fields.clear()
        self.recovery_page.panel.set_key(
            created.recovery_key, page.fields.namn.text().strip(), path
        )
        return True

    def connect_server(self) -> bool:
        """Saves the profile (no password), logs in and keeps the workspace; the error's
        Swedish line stays on the page when anything fails."""
        page = self.server_page

        def work() -> tuple[Workspace, ServerProfile]:
            # Saved only once the login worked: a mistyped host is not kept.
            profile = server_service.named_profile(page.profile_name.text(), page.profile())
            # A first login changes the temporary password before anything opens.
            workspace = open_server_workspace(self, profile)
            if workspace is None:
                raise PoDeskError(FIRST_PASSWORD_NOT_CHANGED)
            try:
                server_service.save_profile(profile.name or "", profile.with_login(), self.settings)
            except BaseException as error:
                log.info("server profile not saved: %s", diagnostics.summary(error))
                workspace.session.close()
                raise
            return workspace, profile

        opened = page._attempt(work)
        if opened is None:
            return False
        workspace, profile = opened
        if page.remember.isChecked():
            server_service.remember_password(profile)
        page.password.clear()
        self.workspace, self.server_profile = workspace, profile.with_login()
        return True

    def accept(self) -> None:
        if self.start_page.open_existing.isChecked():
            self.existing_path = Path(self.start_page.existing_path.text()).expanduser()
        super().accept()
