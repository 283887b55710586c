"""Starting the GUI: setup wizard, unlock, or a throw-away demo store."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from po_desk.paths import resource
from po_desk.services.app_settings import AppSettings
from po_desk.ui import crash_guard, screen_fit, swedish, window_memory
from po_desk.ui.main_window import MainWindow
from po_desk.ui.messages import show_error

if TYPE_CHECKING:
    from po_desk.services.server_service import ServerProfile
    from po_desk.services.workspace import Workspace

log = logging.getLogger(__name__)

CREATE, CHOOSE = "create", "choose"
DEMO_UPPDRAG = 500
DEMO_YEARS = 4
DEMO_SEED = 1


def demo_passphrase() -> str:
    import secrets

    return "-".join(secrets.token_hex(3) for _ in range(4))


def create_demo_workspace(
    folder: Path,
    passphrase: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[Workspace, str]:
    """A throw-away encrypted store with synthetic data, and its random passphrase."""
    from datetime import date

    from po_desk.services import demo, store_lifecycle

    passphrase = passphrase or demo_passphrase()
    who = demo.identity(DEMO_SEED)
    created = store_lifecycle.create_store(
        folder / "demo.podesk",
        namn=who.namn,
        lan=who.lan,
        kommuner=who.kommuner,
        huvudman=who.huvudman,
        passphrase=passphrase,
        start_ar=date.today().year - DEMO_YEARS,
    )
    try:
        demo.fill(created.workspace, DEMO_UPPDRAG, DEMO_YEARS, seed=DEMO_SEED, progress=progress)
    except BaseException as error:
        # Closed so the throw-away store is not left open; the caller shows the error.
        log.info("demo store not filled: %s", type(error).__name__)
        created.workspace.session.close()
        raise
    return created.workspace, passphrase


def start_demo(settings: AppSettings, folder: Path) -> MainWindow:
    """The demo window, shown at once (issue 17); the demo store is made and filled after
    the window is on screen, behind a progress dialog, and then attached to it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    passphrase = demo_passphrase()
    window = screen_fit.show_first(
        lambda: MainWindow(
            None,
            settings,
            title_suffix=f" (demo – lösenfras {passphrase})",
            automatic_backups=False,
            store_path=folder / "demo.podesk",
        )
    )

    def fill() -> None:
        progress = QProgressDialog("Demodata skapas …", "", 0, 100, window)
        progress.setWindowTitle("Demo")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)

        def step(text: str, percent: int) -> None:
            progress.setLabelText(f"Demodata skapas: {text} …")
            progress.setValue(percent)
            QApplication.processEvents()

        step("krypterat register", 0)
        try:
            workspace, _ = create_demo_workspace(folder, passphrase, step)
        except Exception as error:
            progress.close()
            progress.deleteLater()
            show_error(window, error, "Demoregistret kunde inte skapas")
            window.close()
            return
        progress.close()
        progress.deleteLater()
        window.setProperty("po_desk_filling", False)
        if not window.isVisible():  # closed meanwhile (--quit-after)
            workspace.session.close()
            return
        window.attach(workspace)

    window.setProperty("po_desk_filling", True)
    QTimer.singleShot(0, fill)
    return window


def first_store(db: Path | None) -> Path | None:
    """`--db`, else the last store if it still exists; None when there is none (then the
    setup wizard runs, or, for a `--db` that does not exist, the user is asked)."""
    path = db or window_memory.last_store()
    if path is not None and path.is_file():
        return path
    return None


def ask_about_missing_store(path: Path) -> tuple[str | None, Path | None]:
    """What to do about a `--db` that does not exist: ("create", path), ("choose", another
    store) or (None, None) when the user cancels."""
    while True:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Registret finns inte",
            f"Det finns inget register här:\n{path}\n\n"
            "Du kan skapa ett nytt register på den platsen eller välja ett annat register.",
        )
        create = box.addButton("Skapa nytt register här", QMessageBox.ButtonRole.AcceptRole)
        choose = box.addButton("Välj ett annat…", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(create)
        box.exec()
        clicked = box.clickedButton()
        if clicked is create:
            return CREATE, path
        if clicked is not choose:
            return None, None
        name, _ = QFileDialog.getOpenFileName(
            None, "Välj register", str(path.parent), "po-desk-register (*.podesk);;Alla filer (*)"
        )
        if name:
            return CHOOSE, Path(name)


def resolve_missing_store(db: Path) -> tuple[Workspace | None, Path | None]:
    """A new store made at `db` (open), another store the user chose, or (None, None)."""
    choice, path = ask_about_missing_store(db)
    if choice == CREATE:
        return run_setup_wizard(db)
    return None, path


def run_setup_wizard(
    path: Path | None = None, settings: AppSettings | None = None
) -> tuple[Workspace | None, Path | None]:
    """The new store (open), the register on a server the user connected to (open; its
    profile saved in `settings`), or the path of an existing store the user pointed to.
    With `path`, the wizard starts at the verksamhet page and creates the store there."""
    from po_desk.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(path=path, settings=settings)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        if wizard.workspace is not None:
            wizard.workspace.session.close()
        return None, None
    return wizard.workspace, wizard.existing_path


def show_window(settings: AppSettings, path: Path) -> MainWindow:
    """The main window, shown at once on `path` while the store is still closed."""
    return screen_fit.show_first(lambda: MainWindow(None, settings, settings.save, store_path=path))


def open_into(window: MainWindow) -> bool:
    """Opens the window's store: with the remembered key, else through the unlock dialog
    (which also offers a restore when the store is damaged). False if the user gave up."""
    from po_desk.services import store_lifecycle

    try:
        remembered = store_lifecycle.open_remembered(window.store_path)
    except Exception as error:
        show_error(window, error, "Registret kan inte öppnas")
        remembered = None
    if remembered is not None:
        window.attach(remembered)
        return True
    return window.unlock(offer_remember=True)


def server_to_open(settings: AppSettings, server: str | None) -> ServerProfile | None:
    """`--server PROFIL|URL`, else the server profile used last (when a server, not a
    file, was used last). A weakened or unreadable profile is refused with its message."""
    from po_desk.services import server_service

    name = server or window_memory.last_server()
    if name is None:
        return None
    if server is None and name not in settings.server_profiles:
        return None  # removed since: the file or the wizard instead
    try:
        return server_service.resolve(name, settings)
    except Exception as error:
        show_error(None, error, "Servern kan inte användas")
        return None


def show_server_window(settings: AppSettings, profile: ServerProfile) -> MainWindow:
    """The main window on a server profile, shown at once while it logs in."""
    return screen_fit.show_first(
        lambda: MainWindow(None, settings, settings.save, server_profile=profile)
    )


def open_server_into(window: MainWindow) -> bool:
    """Logs in with the password the keyring remembers (or single sign-on), else asks
    for it; False if the user gave up."""
    from po_desk.services import server_service

    profile = window.server_profile
    assert profile is not None
    ready = server_service.with_remembered_password(profile)
    if ready is not None:
        try:
            from po_desk.ui.server_password_dialog import open_server_workspace

            # A first login changes the temporary password before anything opens.
            workspace = open_server_workspace(window, ready)
            if workspace is not None:
                window.attach(workspace)
                return True
        except Exception as error:
            show_error(window, error, "Inloggningen på servern misslyckades")
    return window.unlock()


def prepare_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("po-desk")
    app.setOrganizationName("po-desk")
    app.setWindowIcon(QIcon(str(resource("po-desk.svg"))))
    swedish.install(app)
    if not app.property("po_desk_screen_fit"):
        app.setProperty("po_desk_screen_fit", True)
        screen_fit.install(app)
    return app


def finish_event_loop(app: QApplication) -> int:
    """Runs the event loop to its end (the last window closed, its backup made), then does
    what Python's shutdown did that matters, since the process now ends without it
    (po_desk/process_exit.py): waits for background work still running, and destroys the
    application object, which hands what the user copied to the system's clipboard (on
    Windows and X11 it would be gone with the process otherwise)."""
    code = app.exec()
    from po_desk.ui import ops

    ops.wait_for_all(-1)
    app.shutdown()
    return code


def run(
    demo: bool = False,
    db: Path | None = None,
    quit_after: float | None = None,
    server: str | None = None,
) -> int:
    app = prepare_application()
    crash_guard.install()
    settings = AppSettings.load()
    demo_folder: Path | None = None
    try:
        if demo:
            import tempfile

            demo_folder = Path(tempfile.mkdtemp(prefix="po-desk-demo-"))
            window = start_demo(settings, demo_folder)
        elif (profile := server_to_open(settings, server) if db is None else None) is not None:
            window = show_server_window(settings, profile)

            def log_in_or_quit() -> None:
                if not open_server_into(window):
                    window.close()
                    app.exit(1)
                elif profile.name:
                    window_memory.remember_server(profile.name)

            QTimer.singleShot(0, log_in_or_quit)
        elif server is not None:
            return 1  # `--server` named a profile that cannot be used (already said)
        else:
            path = first_store(db)
            created: Workspace | None = None
            if path is None:
                if db is not None:
                    created, path = resolve_missing_store(db)
                else:
                    created, path = run_setup_wizard(settings=settings)
                if created is not None:
                    path = created.session.path
            if path is None:
                return 1
            if created is not None and created.access.server_profile is not None:
                window_memory.remember_server(created.access.server_profile.name or "")
            else:
                window_memory.remember_store(path)
            if created is not None:
                window = MainWindow(created, settings, settings.save)
                window.show()
            else:
                window = show_window(settings, path)

                def open_or_quit() -> None:
                    if not open_into(window):
                        window.close()
                        app.exit(1)

                QTimer.singleShot(0, open_or_quit)
        if quit_after is not None:
            # Closed the way a user closes it, so the shutdown path is exercised too.
            # A demo still being filled is closed when it is ready.
            def close_when_ready() -> None:
                if window.property("po_desk_filling"):
                    QTimer.singleShot(100, close_when_ready)
                else:
                    window.close()

            QTimer.singleShot(int(quit_after * 1000), close_when_ready)
        return finish_event_loop(app)
    finally:
        if demo_folder is not None:
            import shutil

            shutil.rmtree(demo_folder, ignore_errors=True)
