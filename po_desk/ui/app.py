"""Starting the GUI: setup wizard, unlock, or a throw-away demo store."""

from __future__ import annotations

import logging
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from po_desk.paths import resource
from po_desk.services import demo, stores
from po_desk.services.app_settings import AppSettings
from po_desk.services.workspace import Workspace
from po_desk.ui import crash_guard
from po_desk.ui.main_window import MainWindow
from po_desk.ui.messages import show_error
from po_desk.ui.setup_wizard import SetupWizard
from po_desk.ui.unlock_dialog import UnlockDialog

log = logging.getLogger(__name__)

DEMO_UPPDRAG = 500
DEMO_YEARS = 4


def create_demo_workspace(folder: Path) -> tuple[Workspace, str]:
    """A throw-away encrypted store with synthetic data, and its random passphrase."""
    passphrase = "-".join(secrets.token_hex(3) for _ in range(4))
    created = stores.create_store(
        folder / "demo.podesk",
        namn="Personligt ombud Exempelbygden (demo)",
        lan="Värmlands län",
        kommuner=["Exempelbygden", "Grannby", "Sjöfors"],
        passphrase=passphrase,
    )
    demo.fill(created.workspace, DEMO_UPPDRAG, DEMO_YEARS, seed=1)
    return created.workspace, passphrase


def unlock_existing(path: Path) -> Workspace | None:
    try:
        remembered = stores.open_remembered(path)
    except Exception as error:
        show_error(None, error, "Registret kan inte öppnas")
        return None
    if remembered is not None:
        return remembered
    dialog = UnlockDialog(path)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.workspace
    return None


def first_workspace(settings: AppSettings, db: Path | None) -> Workspace | None:
    path = db or (Path(settings.last_store) if settings.last_store else None)
    if path is not None and path.is_file():
        return unlock_existing(path)
    if db is not None:
        show_error(None, FileNotFoundError(2, "filen finns inte"), f"{db} finns inte")
        return None
    wizard = SetupWizard()
    if wizard.exec() != QDialog.DialogCode.Accepted:
        if wizard.workspace is not None:
            wizard.workspace.close()
        return None
    if wizard.existing_path is not None:
        return unlock_existing(wizard.existing_path)
    return wizard.workspace


def run(demo: bool = False, db: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("po-desk")
    app.setOrganizationName("po-desk")
    app.setWindowIcon(QIcon(str(resource("po-desk.svg"))))
    crash_guard.install()
    settings = AppSettings.load()
    demo_folder: Path | None = None
    title_suffix = ""
    try:
        if demo:
            demo_folder = Path(tempfile.mkdtemp(prefix="po-desk-demo-"))
            workspace, passphrase = create_demo_workspace(demo_folder)
            title_suffix = f" (demo – lösenfras {passphrase})"
            window = MainWindow(
                workspace, settings, title_suffix=title_suffix, automatic_backups=False
            )
        else:
            opened = first_workspace(settings, db)
            if opened is None:
                return 1
            settings.last_store = str(opened.path)
            settings.save()
            window = MainWindow(opened, settings, settings.save)
        window.show()
        return app.exec()
    finally:
        if demo_folder is not None:
            shutil.rmtree(demo_folder, ignore_errors=True)
