"""The first-run wizard: create a new encrypted store, or pick an existing one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from po_desk.services import stores
from po_desk.services.app_settings import default_store_path
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import show_error
from po_desk.ui.passphrase_fields import PassphraseFields
from po_desk.ui.recovery_key_page import RecoveryKeyPanel
from po_desk.ui.remember_box import remember_box
from po_desk.ui.verksamhet_fields import VerksamhetFields

PAGE_START, PAGE_VERKSAMHET, PAGE_PASSPHRASE, PAGE_RECOVERY = range(4)


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
        layout.addStretch()
        self.open_existing.toggled.connect(self.completeChanged)
        self.existing_path.textChanged.connect(self.completeChanged)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Öppna register", "", "po-desk (*.podesk *.db);;Alla filer (*)"
        )
        if name:
            self.existing_path.setText(name)
            self.open_existing.setChecked(True)

    def isComplete(self) -> bool:
        return self.create_new.isChecked() or bool(self.existing_path.text().strip())

    def validatePage(self) -> bool:
        if self.open_existing.isChecked() and not Path(self.existing_path.text()).is_file():
            show_error(self, FileNotFoundError(2, "filen finns inte"), "Registret finns inte")
            return False
        return True

    def nextId(self) -> int:
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


class SetupWizard(QWizard):
    """After exec(): `workspace` holds a new open store, or `existing_path` one to unlock."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("po-desk – kom igång")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.start_page = StartPage()
        self.verksamhet_page = VerksamhetPage()
        self.passphrase_page = PassphrasePage()
        self.recovery_page = RecoveryPage()
        self.setPage(PAGE_START, self.start_page)
        self.setPage(PAGE_VERKSAMHET, self.verksamhet_page)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setPage(PAGE_RECOVERY, self.recovery_page)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Nästa >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Tillbaka")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Klar")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Avbryt")
        self.workspace: Workspace | None = None
        self.existing_path: Path | None = None
        if path is not None:  # `--db` named a store that does not exist: create it there
            self.verksamhet_page.path.setText(str(path))
            self.setStartId(PAGE_VERKSAMHET)
        self.resize(640, 480)

    def store_path(self) -> Path:
        return Path(self.verksamhet_page.path.text()).expanduser()

    def create_store(self) -> bool:
        page = self.verksamhet_page
        path = self.store_path()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            created = stores.create_store(
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

    def accept(self) -> None:
        if self.start_page.open_existing.isChecked():
            self.existing_path = Path(self.start_page.existing_path.text()).expanduser()
        super().accept()
