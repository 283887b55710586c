"""The main window: navigation, the views of an unlocked store, locking and unlocking."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.ui import screen_fit, window_memory
from po_desk.ui.idle_lock import IdleWatcher
from po_desk.ui.messages import confirm, show_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget

    from po_desk.services.app_settings import AppSettings
    from po_desk.services.changes import OpChanges
    from po_desk.services.server_service import ServerProfile
    from po_desk.services.workspace import Workspace

# The views, dialogs and services are imported where they are first used: the window
# shows before SQLAlchemy and the store are loaded, so start-up feels immediate. So are
# the Qt classes the first showing does not use (QListWidget, QKeySequence, QFileDialog,
# QSizePolicy): PySide6 makes a class, with its enums, on first use.

log = logging.getLogger(__name__)

today = date.today  # the views' figures count from today (a test moves it)

SECTIONS = ("Översikt", "Uppdrag", "Kö", "Avvikelser", "Rapporter", "Inställningar")
OVERVIEW, UPPDRAG, KO, AVVIKELSER, RAPPORTER, INSTALLNINGAR = range(len(SECTIONS))


def sidebar(sections: Sequence[str]) -> QListWidget:
    """The section list. Each item is taller than the font's line, centred: a line's height
    leaves no room above the ascent for the dots and rings of Å, Ä and Ö, which were cut
    off. (Item sizes rather than a style sheet, which would cost start-up time.)"""
    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    nav = QListWidget()
    nav.setAccessibleName("Navigering")
    nav.setFixedWidth(170)
    nav.setSpacing(3)
    metrics = nav.fontMetrics()
    height = metrics.height() + 10
    for text in sections:
        item = QListWidgetItem(text)
        item.setSizeHint(QSize(metrics.horizontalAdvance(text) + 12, height))
        nav.addItem(item)
    return nav


# Centred by markup and stretches rather than alignment flags: the window shows before
# PySide6 builds its Qt namespace (a few hundredths of a second).
LOCKED_TEXT = (
    "<h2 align='center'>Registret är låst</h2>"
    "<p align='center'>Ange lösenfrasen för att fortsätta.</p>"
)
OPENING_TEXT = "<h2 align='center'>Öppnar registret…</h2>"
LOGGED_OUT_TEXT = (
    "<h2 align='center'>Du är utloggad från servern</h2>"
    "<p align='center'>Logga in för att fortsätta.</p>"
)


class LockedPage(QWidget):
    """Shown while the store is locked, and while it is being opened at start."""

    def __init__(self, unlock: Callable[[], None]) -> None:
        super().__init__()
        self.text = QLabel(LOCKED_TEXT)
        self.button = QPushButton("&Lås upp…")
        self.button.setAccessibleName("Lås upp registret")
        self.button.clicked.connect(lambda: unlock())
        button_row = QHBoxLayout()
        button_row.addStretch()
        button_row.addWidget(self.button)
        button_row.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.text)
        layout.addLayout(button_row)
        layout.addStretch()

    def show_opening(self, opening: bool) -> None:
        self.text.setText(OPENING_TEXT if opening else LOCKED_TEXT)
        self.button.setVisible(not opening)


class MainWindow(QMainWindow):
    # Kinds of data other users changed on a shared server; emitted on the listener's
    # thread, delivered on the GUI thread (a queued connection).
    other_users_changed = Signal(object)
    # (changes, handler): a write changed `changes`; every view but `handler` is told.
    operation_did_execute = Signal(object, object)

    def __init__(
        self,
        workspace: Workspace | None,
        settings: AppSettings,
        save_settings: Callable[[], None] = lambda: None,
        title_suffix: str = "",
        automatic_backups: bool = True,
        store_path: Path | None = None,
        server_profile: ServerProfile | None = None,
    ) -> None:
        """A window on `workspace`, or (workspace None) on `store_path` while it opens.
        With `server_profile` the register is on a shared server: locking logs out and
        unlocking logs in again; no automatic backups (the server has its own)."""
        super().__init__()
        if server_profile is None and workspace is not None:
            server_profile = workspace.access.server_profile
        self.server_profile = server_profile
        if server_profile is not None:
            automatic_backups = False
            store_path = store_path or Path(server_profile.describe())
        self.automatic_backups = automatic_backups
        self.settings = settings
        self._save_settings = save_settings
        path = workspace.session.path if workspace is not None else store_path
        assert path is not None
        self.store_path: Path = path
        self.workspace: Workspace | None = None
        self._title_suffix = title_suffix
        self.stack = QStackedWidget()
        self.locked_page = LockedPage(self.unlock)
        # The body (section list and views) is page 0, made at its first use (`nav`).
        self._nav: QListWidget | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)
        self.status_label = QLabel()
        # Wraps rather than running off a narrow window (a long path at 200 %).
        self.status_label.setWordWrap(True)
        self.statusBar().addWidget(self.status_label, 1)
        self._views: dict[int, QWidget] = {}
        self._listening: Any = None
        self.other_users_changed.connect(self._on_other_users_changed)
        # Changes a hidden view has not seen yet: it is told when it is next shown.
        self._pending: dict[int, OpChanges] = {}
        self.operation_did_execute.connect(self._on_operation_did_execute)
        self.idle = IdleWatcher(settings.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        # On the application from the first attach: the first window shows without Python
        # event filters on the application (screen_fit.show_first); nothing to lock before.
        self._idle_filtering = False
        self.store_actions: list[QAction] = []
        self.resize(screen_fit.fitted(self, 1280, 800))
        window_memory.restore_geometry(self)
        if workspace is not None:
            self.attach(workspace)
        else:
            self._show_locked(opening=True)

    @property
    def nav(self) -> QListWidget:
        """The section list, made with the body at its first use (the first attach): the
        window first shows the "Öppnar registret…" page, where the list is not seen, so
        its first showing does not wait for it."""
        if self._nav is None:
            self._nav = sidebar(SECTIONS)
            self._nav.setEnabled(self.workspace is not None)
            self._nav.currentRowChanged.connect(self._show_section)
            body = QWidget()
            layout = QHBoxLayout(body)
            layout.addWidget(self._nav)
            layout.addWidget(self.stack, 1)
            self.pages.insertWidget(0, body)
        return self._nav

    # -- menus and shortcuts -------------------------------------------------------------

    def _build_actions(self) -> None:
        """Menus and shortcuts, built with the first open store: creating key sequences
        makes PySide6 build its enums, which would delay the window's first showing."""
        if self.store_actions:
            return
        from PySide6.QtGui import QKeySequence

        menu = self.menuBar()
        archive = menu.addMenu("&Arkiv")
        self.lock_action = QAction("&Lås", self, shortcut=QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        quit_action = QAction("&Avsluta", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        archive.addAction(self.lock_action)
        archive.addSeparator()
        self.merge_export_action = QAction("&Exportera sammanfogningsfil…", self)
        self.merge_export_action.triggered.connect(self._merge_export)
        self.merge_import_action = QAction("&Sammanfoga från annan dator…", self)
        self.merge_import_action.triggered.connect(self._merge_import)
        archive.addAction(self.merge_export_action)
        archive.addAction(self.merge_import_action)
        archive.addSeparator()
        self.backup_action = QAction("Säkerhets&kopiera nu…", self)
        self.backup_action.triggered.connect(self._backup_now)
        self.restore_action = QAction("Åte&rställ från säkerhetskopia…", self)
        self.restore_action.triggered.connect(self._restore)
        archive.addAction(self.backup_action)
        archive.addAction(self.restore_action)
        archive.addSeparator()
        archive.addAction(quit_action)
        uppdrag = menu.addMenu("&Uppdrag")
        self.uppdrag_menu = uppdrag
        self.new_uppdrag_action = QAction("&Nytt uppdrag…", self, shortcut=QKeySequence("Ctrl+N"))
        self.new_uppdrag_action.triggered.connect(self._new_uppdrag)
        uppdrag.addAction(self.new_uppdrag_action)
        view = menu.addMenu("&Visa")
        self.section_actions: list[QAction] = []
        for index, name in enumerate(SECTIONS):
            action = QAction(name, self, shortcut=QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.nav.setCurrentRow(i))
            view.addAction(action)
            self.addAction(action)
            self.section_actions.append(action)
        help_menu = menu.addMenu("&Hjälp")
        guide = QAction("&Användarhandbok", self, shortcut=QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self._user_guide)
        help_menu.addAction(guide)
        about = QAction("&Om po-desk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self.store_actions = [
            self.lock_action,
            self.merge_export_action,
            self.merge_import_action,
            self.backup_action,
            self.new_uppdrag_action,
        ]

    def _backup_now(self) -> None:
        if self.workspace is None:
            return
        from PySide6.QtWidgets import QFileDialog

        from po_desk.services.backup_service import backup_name

        folder = self.workspace.backup.ensure_folder(self.settings.backup_folder)
        suggested = folder / backup_name(self.store_path)
        name, _ = QFileDialog.getSaveFileName(
            self, "Säkerhetskopiera", str(suggested), "po-desk (*.podesk-backup)"
        )
        if not name:
            return
        from po_desk.ui.ops import Op

        service = self.workspace.backup
        Op(
            self,
            "Säkerhetskopierar och kontrollerar…",
            work=lambda: service.backup_to(Path(name)),
            on_success=lambda _info: self.statusBar().showMessage(
                f"Säkerhetskopian {name} är klar.", 8000
            ),
            on_failure=lambda error: show_error(self, error, "Säkerhetskopieringen misslyckades"),
        ).run()

    def _restore(self) -> None:
        """Closes the store, restores it, and asks for the passphrase again."""
        if not confirm(
            self,
            "Återställ",
            "Registret stängs medan det återställs. Osparade ändringar i öppna fönster går "
            "förlorade. Fortsätta?",
        ):
            return
        from po_desk.ui.restore_dialog import RestoreDialog

        self.lock()
        dialog = RestoreDialog(self.store_path, self)
        if dialog.exec() and dialog.restored:
            kept = (
                f" Det tidigare registret sparades som {dialog.kept.name}." if dialog.kept else ""
            )
            self.statusBar().showMessage(f"Registret är återställt.{kept}", 15000)
        self.unlock()

    def _merge_export(self) -> None:
        from po_desk.ui.merge_dialogs import MergeExportDialog

        if self.workspace is not None:
            dialog = MergeExportDialog(self.workspace, self)
            if dialog.exec():
                self.statusBar().showMessage(dialog.done_text, 8000)

    def _merge_import(self) -> None:
        from po_desk.ui.merge_dialogs import MergeImportDialog

        if self.workspace is None:
            return
        MergeImportDialog(self.workspace, self).exec()  # its Op reports what the merge changed

    def _about(self) -> None:
        from po_desk.ui.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def _user_guide(self) -> None:
        from po_desk.ui.user_guide import UserGuideWindow

        UserGuideWindow.show_for(self)

    # -- workspace ----------------------------------------------------------------------

    def attach(self, workspace: Workspace) -> None:
        self._build_actions()
        self.workspace = workspace
        if not workspace.access.on_server:  # on a server the actor is the login role
            workspace.session.actor = self.settings.actor
        # Views are built the first time they are shown, so start-up builds one.
        self._views = {}
        self._pending = {}
        self._day = today()
        for _section in SECTIONS:
            self.stack.addWidget(QWidget())
        self.pages.setCurrentWidget(self.nav.parentWidget())  # the body, page 0
        self._enable_store_actions(True)
        self._apply_role()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)  # shows the section through currentRowChanged
        else:
            self._show_section(self.nav.currentRow())
        app = QApplication.instance()
        if app is not None and not self._idle_filtering:
            self._idle_filtering = True
            app.installEventFilter(self.idle)
        self.idle.start()
        self._update_status()
        self._listen(workspace)
        warning = workspace.session.location_warning()
        if warning:
            self.status_label.setText(f"{self.status_label.text()} · ⚠ {warning}")
        if self.automatic_backups:
            QTimer.singleShot(0, self._redo_interrupted_backup)

    def _build(self, index: int) -> QWidget:
        workspace = self.workspace
        assert workspace is not None
        if index == INSTALLNINGAR:
            from po_desk.ui.settings_view import SettingsView

            view = SettingsView(workspace, self.settings, self._save_settings)
            view.settings_changed.connect(
                lambda: self.idle.set_minutes(self.settings.idle_lock_minutes)
            )
            view.password_changed.connect(self._server_password_changed)
            return view
        from po_desk.ui.avvikelser_view import AvvikelserView
        from po_desk.ui.ko_view import KoView
        from po_desk.ui.overview_view import OverviewView
        from po_desk.ui.rapporter_view import RapporterView
        from po_desk.ui.uppdrag_view import UppdragView

        factory = {
            OVERVIEW: OverviewView,
            UPPDRAG: UppdragView,
            KO: KoView,
            AVVIKELSER: AvvikelserView,
            RAPPORTER: RapporterView,
        }[index]
        return factory(workspace)

    def view(self, index: int) -> QWidget:
        """The section's view, built on first use (and then kept until the store locks)."""
        if index not in self._views:
            view = self._build(index)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, view)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._views[index] = view
            if self.workspace is not None:
                from po_desk.ui import roles

                roles.restrict(view, self.workspace.access.capabilities)
        return self._views[index]

    overview = property(lambda self: self.view(OVERVIEW))
    uppdrag_view = property(lambda self: self.view(UPPDRAG))
    ko_view = property(lambda self: self.view(KO))
    avvikelser_view = property(lambda self: self.view(AVVIKELSER))
    rapporter_view = property(lambda self: self.view(RAPPORTER))
    settings_view = property(lambda self: self.view(INSTALLNINGAR))

    def _on_operation_did_execute(self, changes: OpChanges, handler: object | None) -> None:
        """Hands what a write changed to the views (not to `handler`, which refreshed
        itself; a view holding it is told, to refresh its other parts). The shown view
        decides at once; a hidden one when it is next shown."""
        if not changes:
            return
        current = self.stack.currentWidget()
        for index, view in self._views.items():
            if view is handler:
                continue
            if view is current:
                view.on_changes(changes, handler)
            else:
                pending = self._pending.get(index)
                self._pending[index] = changes if pending is None else pending | changes

    def _listen(self, workspace: Workspace) -> None:
        """On a shared server: other users' changes refresh the views (LISTEN/NOTIFY)."""
        from po_desk.domain.errors import PoDeskError
        from po_desk.services import live_updates

        try:
            self._listening = live_updates.listen(workspace, self.other_users_changed.emit)
        except PoDeskError as error:
            self.status_label.setText(f"{self.status_label.text()} · ⚠ {error.message}")

    def _stop_listening(self) -> None:
        listening, self._listening = self._listening, None
        if listening is not None:
            listening.stop()

    def _on_other_users_changed(self, kinds: set[str]) -> None:
        """Another user's write on a shared server is handed to the views like one of
        this program's own (OpChanges): the shown view refreshes when its data changed,
        a hidden one when it is next shown."""
        if self.workspace is None:
            return
        from po_desk.services.changes import OpChanges

        self._on_operation_did_execute(OpChanges(**{kind: True for kind in kinds}), None)

    def _show_section(self, index: int) -> None:
        if index < 0 or self.workspace is None:
            return
        from PySide6.QtWidgets import QSizePolicy

        built = index in self._views
        view = self.view(index)
        # Only the shown view sizes the window: a hidden view's minimum (Rapporter's answers)
        # would otherwise put scroll bars on every view.
        for position in range(self.stack.count()):
            page = self.stack.widget(position)
            policy = QSizePolicy.Policy.Preferred if page is view else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(view)
        self._note_new_day()
        pending = self._pending.pop(index, None)
        if built and pending is not None:
            view.on_changes(pending)  # another view changed records while this one was hidden
        self.setWindowTitle(
            f"po-desk – {SECTIONS[index]}{self._title_suffix}{self._server_title()}"
        )

    def _note_new_day(self) -> None:
        """A new day changes what is counted from today (aktiva i dag, väntetider): after
        midnight every built view refreshes when it is next shown."""
        if today() == self._day:
            return
        from po_desk.services.changes import EVERYTHING

        self._day = today()
        for index in self._views:
            self._pending[index] = EVERYTHING

    def _new_uppdrag(self) -> None:
        if self.workspace is None:
            return
        self.nav.setCurrentRow(UPPDRAG)
        self.uppdrag_view.new_uppdrag()

    # -- a shared server and the role ---------------------------------------------------

    def _server_title(self) -> str:
        """ " · Server: profil (roll)" on a server, for the title bar; "" for a file."""
        if self.workspace is None or not self.workspace.access.on_server:
            return ""
        access = self.workspace.access
        return f" · Server: {access.server_name} ({access.capabilities.role_label})"

    def _apply_role(self) -> None:
        """Hides what the role cannot do: a läsare sees the reports only (Översikt,
        Rapporter, the workstation's settings); the menu drops what would be refused."""
        assert self.workspace is not None
        capabilities = self.workspace.access.capabilities
        reports_only = capabilities.reports_only
        self.uppdrag_menu.menuAction().setVisible(not reports_only)
        for index in (UPPDRAG, KO, AVVIKELSER):
            self.nav.item(index).setHidden(reports_only)
            self.section_actions[index].setVisible(not reports_only)
        for action in (self.new_uppdrag_action, self.merge_import_action):
            action.setVisible(capabilities.can_edit_records)
        # A merge file holds the whole register: the enhetschef's (or IT's) to write.
        self.merge_export_action.setVisible(capabilities.can_copy_register)
        # A restore replaces a local file; the server is restored by IT (pg_dump). A backup
        # of the server is `po-desk backup --server` (the enhetschef's or IT's), not this.
        self.restore_action.setVisible(not self.workspace.access.on_server)
        self.backup_action.setVisible(not self.workspace.access.on_server)
        if reports_only and self.nav.currentRow() in (UPPDRAG, KO, AVVIKELSER):
            self.nav.setCurrentRow(RAPPORTER)

    def _server_password_changed(self) -> None:
        """The open connections were made with the old password: log out, and in again."""
        self.lock()
        self.statusBar().showMessage(
            "Lösenordet på servern är bytt. Logga in med det nya lösenordet.", 15000
        )

    def _update_status(self) -> None:
        if self.workspace is not None and self.workspace.access.on_server:
            self.status_label.setText(
                f"Server: {self.workspace.access.server_name} "
                f"({self.workspace.access.capabilities.role_label}) · "
                f"Användare: {self.workspace.session.actor}"
            )
        elif self.server_profile is not None:
            name = self.server_profile.name or self.server_profile.describe()
            self.status_label.setText(f"Server: {name} · Utloggad")
        elif self.workspace is None:
            self.status_label.setText(f"Register: {self.store_path} · Låst")
        else:
            self.status_label.setText(
                f"Register: {self.store_path} · Olåst · Användare: {self.workspace.session.actor}"
            )

    # -- locking -------------------------------------------------------------------------

    def _automatic_backup(self) -> None:
        """The backup on close: skipped when nothing changed since the newest backup."""
        assert self.workspace is not None
        try:
            self.workspace.backup.on_close(self.settings.backup_folder, self.settings.backup_count)
        except Exception as error:
            show_error(self, error, "Säkerhetskopian vid stängning kunde inte göras")

    def _redo_interrupted_backup(self) -> None:
        """A backup on close that was cut off (power, kill) is made again after a start."""
        workspace = self.workspace
        if workspace is None or not workspace.backup.interrupted(self.settings.backup_folder):
            return
        try:
            workspace.backup.on_close(self.settings.backup_folder, self.settings.backup_count)
        except Exception as error:
            show_error(self, error, "Den avbrutna säkerhetskopian kunde inte göras om")

    def lock(self) -> None:
        """Closes dialogs, empties the views, disposes the engine and drops the key."""
        if self.workspace is None:
            return
        self.idle.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        while self.stack.count():
            view = self.stack.widget(0)
            self.stack.removeWidget(view)
            view.deleteLater()
        self._views = {}
        self._stop_listening()
        self._pending = {}
        self.workspace.session.close()
        self.workspace = None
        self._show_locked(opening=False)
        log.info("store locked")

    def _show_locked(self, opening: bool) -> None:
        self.locked_page.show_opening(opening)
        if self.server_profile is not None and not opening:
            self.locked_page.text.setText(LOGGED_OUT_TEXT)
            self.locked_page.button.setText("&Logga in…")
        self.pages.setCurrentWidget(self.locked_page)
        self._enable_store_actions(False)
        state = "öppnar" if opening else "låst"
        self.setWindowTitle(f"po-desk – {state}{self._title_suffix}")
        self._update_status()

    def _enable_store_actions(self, enabled: bool) -> None:
        if self._nav is not None:
            self._nav.setEnabled(enabled)
        for action in self.store_actions:
            action.setEnabled(enabled)

    def unlock(self, offer_remember: bool = False) -> bool:
        """Asks for the passphrase (or recovery key), or on a server for the login
        password; True when the store opened."""
        if self.server_profile is not None:
            from po_desk.ui.server_login_dialog import ServerLoginDialog

            login = ServerLoginDialog(self.server_profile, self)
            if login.exec() == QDialog.DialogCode.Accepted and login.workspace is not None:
                self.attach(login.workspace)
                return True
            self._show_locked(opening=False)
            return False
        from po_desk.ui.unlock_dialog import UnlockDialog

        dialog = UnlockDialog(self.store_path, self)
        dialog.remember.setVisible(offer_remember)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.workspace is not None:
            self.attach(dialog.workspace)
            return True
        self._show_locked(opening=False)
        return False

    def closeEvent(self, event) -> None:
        window_memory.save_geometry(self)
        if self.workspace is not None:
            if self.automatic_backups:
                # The window goes first; the backup is made while it is already gone. The
                # idle lock is stopped so that it cannot close the store meanwhile.
                self.idle.stop()
                self.hide()
                QApplication.processEvents()
                if self.workspace is not None:
                    self._automatic_backup()
            self._stop_listening()
            if self.workspace is not None:
                self.workspace.session.close()
                self.workspace = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)
