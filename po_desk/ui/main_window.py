"""The main window: navigation, the views of an unlocked store, locking and unlocking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk import __version__
from po_desk.services.app_settings import AppSettings
from po_desk.services.backup_service import backup_name
from po_desk.services.workspace import Workspace
from po_desk.ui.avvikelser_view import AvvikelserView
from po_desk.ui.idle_lock import IdleWatcher
from po_desk.ui.ko_view import KoView
from po_desk.ui.merge_dialogs import MergeExportDialog, MergeImportDialog
from po_desk.ui.messages import confirm, show_error
from po_desk.ui.ops import Op
from po_desk.ui.overview_view import OverviewView
from po_desk.ui.rapporter_view import RapporterView
from po_desk.ui.restore_dialog import RestoreDialog
from po_desk.ui.settings_view import SettingsView
from po_desk.ui.unlock_dialog import UnlockDialog
from po_desk.ui.uppdrag_view import UppdragView

log = logging.getLogger(__name__)

SECTIONS = ("Översikt", "Uppdrag", "Kö", "Avvikelser", "Rapporter", "Inställningar")
OVERVIEW, UPPDRAG, KO, AVVIKELSER, RAPPORTER, INSTALLNINGAR = range(len(SECTIONS))


class LockedPage(QWidget):
    def __init__(self, unlock: Callable[[], None]) -> None:
        super().__init__()
        text = QLabel("<h2>Registret är låst</h2>Ange lösenfrasen för att fortsätta.")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = QPushButton("&Lås upp…")
        button.clicked.connect(unlock)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(text)
        layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch()


class MainWindow(QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        settings: AppSettings,
        save_settings: Callable[[], None] = lambda: None,
        title_suffix: str = "",
        automatic_backups: bool = True,
    ) -> None:
        super().__init__()
        self.automatic_backups = automatic_backups
        self.settings = settings
        self._save_settings = save_settings
        self.store_path: Path = workspace.path
        self.workspace: Workspace | None = None
        self._title_suffix = title_suffix
        self.nav = QListWidget()
        self.nav.addItems(SECTIONS)
        self.nav.setAccessibleName("Navigering")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget::item { padding: 7px 6px; }")
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self._show_section)
        self.locked_page = LockedPage(self.unlock)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(body)
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self._views: dict[int, QWidget] = {}
        self.idle = IdleWatcher(settings.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self._build_actions()
        self.resize(1280, 800)
        self.attach(workspace)

    # -- menus and shortcuts -------------------------------------------------------------

    def _build_actions(self) -> None:
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
        self.new_uppdrag_action = QAction("&Nytt uppdrag…", self, shortcut=QKeySequence("Ctrl+N"))
        self.new_uppdrag_action.triggered.connect(self._new_uppdrag)
        uppdrag.addAction(self.new_uppdrag_action)
        view = menu.addMenu("&Visa")
        for index, name in enumerate(SECTIONS):
            action = QAction(name, self, shortcut=QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.nav.setCurrentRow(i))
            view.addAction(action)
            self.addAction(action)
        help_menu = menu.addMenu("&Hjälp")
        about = QAction("&Om po-desk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _backup_now(self) -> None:
        if self.workspace is None:
            return
        folder = self.workspace.backup.folder(self.settings.backup_folder)
        folder.mkdir(parents=True, exist_ok=True)
        suggested = folder / backup_name(self.store_path)
        name, _ = QFileDialog.getSaveFileName(
            self, "Säkerhetskopiera", str(suggested), "po-desk (*.podesk-backup)"
        )
        if not name:
            return
        service = self.workspace.backup
        Op(
            self,
            "Säkerhetskopierar och kontrollerar…",
            lambda: service.backup_to(Path(name)),
            lambda _info: self.statusBar().showMessage(f"Säkerhetskopian {name} är klar.", 8000),
            lambda error: show_error(self, error, "Säkerhetskopieringen misslyckades"),
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
        self.lock()
        dialog = RestoreDialog(self.store_path, self)
        if dialog.exec() and dialog.restored:
            kept = (
                f" Det tidigare registret sparades som {dialog.kept.name}." if dialog.kept else ""
            )
            self.statusBar().showMessage(f"Registret är återställt.{kept}", 15000)
        self.unlock()

    def _merge_export(self) -> None:
        if self.workspace is not None:
            dialog = MergeExportDialog(self.workspace, self)
            if dialog.exec():
                self.statusBar().showMessage(dialog.done_text, 8000)

    def _merge_import(self) -> None:
        if self.workspace is None:
            return
        dialog = MergeImportDialog(self.workspace, self)
        dialog.exec()
        if dialog.merged:
            self._refresh_all()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "Om po-desk",
            f"<b>po-desk {__version__}</b><br>Register, kö, avvikelser och återrapport för "
            "verksamhet med personligt ombud.<br>Uppgifterna lagras krypterat på den här datorn.",
        )

    # -- workspace ----------------------------------------------------------------------

    def attach(self, workspace: Workspace) -> None:
        self.workspace = workspace
        workspace.set_actor(self.settings.actor)
        # Views are built the first time they are shown, so start-up builds one.
        self._views: dict[int, QWidget] = {}
        for _section in SECTIONS:
            self.stack.addWidget(QWidget())
        self.pages.setCurrentIndex(0)
        self.nav.setEnabled(True)
        self.lock_action.setEnabled(True)
        self.new_uppdrag_action.setEnabled(True)
        self.nav.setCurrentRow(max(self.nav.currentRow(), 0))
        self._show_section(self.nav.currentRow())
        self.idle.start()
        self._update_status()
        warning = workspace.location_warning()
        if warning:
            self.status_label.setText(f"{self.status_label.text()} · ⚠ {warning}")

    def _build(self, index: int) -> QWidget:
        workspace = self.workspace
        assert workspace is not None
        if index == INSTALLNINGAR:
            view = SettingsView(workspace, self.settings, self._save_settings)
            view.verksamhet_saved.connect(self._refresh_all)
            view.settings_changed.connect(
                lambda: self.idle.set_minutes(self.settings.idle_lock_minutes)
            )
            return view
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
        return self._views[index]

    overview = property(lambda self: self.view(OVERVIEW))
    uppdrag_view = property(lambda self: self.view(UPPDRAG))
    ko_view = property(lambda self: self.view(KO))
    avvikelser_view = property(lambda self: self.view(AVVIKELSER))
    rapporter_view = property(lambda self: self.view(RAPPORTER))
    settings_view = property(lambda self: self.view(INSTALLNINGAR))

    def _refresh_all(self) -> None:
        for index, view in self._views.items():
            if index != INSTALLNINGAR:
                view.refresh()

    def _show_section(self, index: int) -> None:
        if index < 0 or self.workspace is None:
            return
        built = index in self._views
        view = self.view(index)
        self.stack.setCurrentWidget(view)
        if built and index != INSTALLNINGAR:
            view.refresh()  # another view may have changed the records
        self.setWindowTitle(f"po-desk – {SECTIONS[index]}{self._title_suffix}")

    def _new_uppdrag(self) -> None:
        if self.workspace is None:
            return
        self.nav.setCurrentRow(UPPDRAG)
        self.uppdrag_view.new_uppdrag()

    def _update_status(self) -> None:
        if self.workspace is None:
            self.status_label.setText(f"Register: {self.store_path} · Låst")
        else:
            self.status_label.setText(
                f"Register: {self.store_path} · Olåst · Användare: {self.workspace.actor}"
            )

    # -- locking -------------------------------------------------------------------------

    def _automatic_backup(self) -> None:
        assert self.workspace is not None
        try:
            self.workspace.backup.automatic(self.settings.backup_folder, self.settings.backup_count)
        except Exception as error:
            show_error(self, error, "Säkerhetskopian vid stängning kunde inte göras")

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
        self.workspace.close()
        self.workspace = None
        self.pages.setCurrentWidget(self.locked_page)
        self.nav.setEnabled(False)
        self.lock_action.setEnabled(False)
        self.new_uppdrag_action.setEnabled(False)
        self.setWindowTitle(f"po-desk – låst{self._title_suffix}")
        self._update_status()
        log.info("store locked")

    def unlock(self) -> None:
        dialog = UnlockDialog(self.store_path, self)
        dialog.remember.setVisible(False)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.workspace is not None:
            self.attach(dialog.workspace)

    def closeEvent(self, event) -> None:
        if self.workspace is not None:
            if self.automatic_backups:
                self._automatic_backup()
            self.workspace.close()
            self.workspace = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        super().closeEvent(event)
