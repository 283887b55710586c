"""Inställningar: the verksamhet and its kommuner, the ombud, and security."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import ConflictError, PoDeskError
from po_desk.domain.formatting import number
from po_desk.domain.verksamhet import Verksamhet
from po_desk.services.app_settings import AppSettings
from po_desk.services.changes import OpChanges
from po_desk.services.workspace import Workspace
from po_desk.ui.audit_view import AuditTab
from po_desk.ui.categories_tab import CategoriesTab
from po_desk.ui.change_passphrase_dialog import ChangePassphraseDialog
from po_desk.ui.kommun_dates_dialog import KommunDatesDialog
from po_desk.ui.messages import CONFLICT_TITLE, show_error
from po_desk.ui.ombud_dialog import OmbudDialog
from po_desk.ui.ombud_table_model import OmbudTableModel
from po_desk.ui.op_changes import did_write
from po_desk.ui.remember_box import remember_box
from po_desk.ui.rename_ground_dialog import RenameGroundDialog
from po_desk.ui.tabs import roomy_tabs
from po_desk.ui.verksamhet_fields import VerksamhetFields
from po_desk.ui.widgets import fill_table, model_table, select_data


class VerksamhetTab(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.fields = VerksamhetFields()
        save = QPushButton("&Spara verksamheten")
        save.clicked.connect(self.save)
        self.kommun_dates = QPushButton("Kommunernas &datum…")
        self.kommun_dates.clicked.connect(self.edit_kommun_dates)
        self.rename_ground = QPushButton("Byt namn på &prioritetsgrund…")
        self.rename_ground.clicked.connect(self.edit_ground_name)
        # Two rows: on one they are wider than the form at 1280 × 800 and scroll sideways.
        save_row = QHBoxLayout()
        save_row.addWidget(save)
        save_row.addStretch()
        dated_row = QHBoxLayout()
        dated_row.addWidget(self.kommun_dates)
        dated_row.addWidget(self.rename_ground)
        dated_row.addStretch()
        self.fields.form.addRow("", save_row)
        self.fields.form.addRow("", dated_row)
        self.fields.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch()
        self.load()

    def load(self) -> None:
        verksamhet = self.workspace.verksamhet.get()
        self._verksamhet = verksamhet
        self.fields.set_values(
            verksamhet.namn,
            verksamhet.lan,
            verksamhet.huvudman,
            [k.namn for k in verksamhet.kommuner],
        )

    def save(self) -> None:
        updated = Verksamhet(
            namn=self.fields.namn.text().strip(),
            lan=self.fields.lan.currentText(),
            huvudman=self.fields.huvudman.text().strip(),
            start_ar=self._verksamhet.start_ar,
            id=self._verksamhet.id,
            version=self._verksamhet.version,
        )
        try:
            self.workspace.verksamhet.update(updated, self.fields.kommun_names())
        except ConflictError as error:
            # What was typed stays; saving again overwrites the other change knowingly.
            self._verksamhet = replace(self._verksamhet, version=error.version)
            show_error(self, error, CONFLICT_TITLE)
            return
        except PoDeskError as error:
            show_error(self, error, "Kan inte spara")
            return
        self.load()
        did_write(self, self.workspace.verksamhet.update)

    def edit_ground_name(self) -> None:
        if RenameGroundDialog(self.workspace.ko, self).exec():
            did_write(self, self.workspace.ko.rename_ground)

    def edit_kommun_dates(self) -> None:
        if KommunDatesDialog(self.workspace.verksamhet, self).exec():
            self.load()
            did_write(self, self.workspace.verksamhet.set_kommun_dates)


class OmbudTab(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = OmbudTableModel()
        self.table = model_table(self.model, "Ombud")
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add = QPushButton("&Nytt ombud")
        edit = QPushButton("&Redigera")
        add.clicked.connect(self.add)
        edit.clicked.connect(self.edit)
        self.summary = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(edit)
        buttons.addStretch()
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.load()

    def load(self) -> None:
        self._ombud = self.workspace.verksamhet.list_ombud()
        fill_table(self.table, self.model, self._ombud)
        summary = self.workspace.verksamhet.ombud_summary(date.today())
        self.summary.setText(
            f"{number(summary.aktiva)} aktiva ombud, "
            f"{number(summary.heltidstjanster, 2)} heltidstjänster"
        )

    def add(self) -> None:
        if OmbudDialog(self.workspace.verksamhet, None, self).exec():
            self.load()
            did_write(self, self.workspace.verksamhet.save_ombud)

    def edit(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            return
        if OmbudDialog(self.workspace.verksamhet, self.model.row_at(row), self).exec():
            self.load()
            did_write(self, self.workspace.verksamhet.save_ombud)


class SecurityTab(QWidget):
    """The register's key and the workstation's settings; on a shared server the login's
    password instead of the file's key, the server instead of the file, the login as the
    user, and no backups on close (the server is backed up by IT and `backup --server`)."""

    settings_changed = Signal()
    # The login password on the server was changed: the window logs out (its connections
    # were opened with the old password) and the person logs in with the new one.
    password_changed = Signal()

    def __init__(
        self, workspace: Workspace, settings: AppSettings, save_settings: Callable[[], None]
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self._save_settings = save_settings
        on_server = workspace.access.on_server
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" min")
        self.idle.setValue(settings.idle_lock_minutes)
        self.idle.setAccessibleName("Lås efter inaktivitet")
        self.idle.valueChanged.connect(self._idle_changed)
        self.notes = QCheckBox(
            "Tillåt &anteckningar på uppdrag (fritext, kontrolleras mot personuppgifter)"
        )
        notes = workspace.verksamhet.notes_setting()
        self._notes_version: int | None = notes.version
        self.notes.setChecked(notes.value)
        self.notes.toggled.connect(self._notes_toggled)
        store_box = QGroupBox("Registret")
        store_form = QFormLayout(store_box)
        station_box = QGroupBox("Den här datorn")
        station_form = QFormLayout(station_box)
        station_form.addRow("&Lås efter inaktivitet:", self.idle)
        if on_server:
            self._server_rows(store_form, station_form)
        else:
            self._file_rows(store_form, station_form)
        store_form.addRow("", self.notes)
        store_box.setMaximumWidth(720)
        station_box.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(store_box)
        layout.addWidget(station_box)
        layout.addStretch()

    def _file_rows(self, store_form: QFormLayout, station_form: QFormLayout) -> None:
        """A local file: its key (passphrase, new key, the keyring), the backups on
        close, and who works at the computer (the actor in the ändringslogg)."""
        workspace, settings = self.workspace, self.settings
        change = QPushButton("&Byt lösenfras…")
        change.clicked.connect(lambda: ChangePassphraseDialog(self.workspace, self).exec())
        self.rekey_button = QPushButton("Byt &nyckel…")
        self.rekey_button.setToolTip(
            "Om lösenfrasen eller nyckelfilen har läckt: kryptera om registret med en ny nyckel."
        )
        self.rekey_button.clicked.connect(self._rekey)
        self.remember = remember_box("&Kom ihåg nyckeln på den här datorn (nyckelringen)")
        self.remember.setChecked(workspace.keys.is_key_remembered())
        self.remember.toggled.connect(self._toggle_remember)
        self.actor = QComboBox()
        self.actor.setAccessibleName("Vem arbetar vid datorn")
        self.actor.addItem("Enhetschef", "enhetschef")
        for person in workspace.verksamhet.list_ombud():
            self.actor.addItem(f"Ombud {person.namn}", f"ombud {person.namn}")
        select_data(self.actor, settings.actor)
        self.actor.currentIndexChanged.connect(self._actor_changed)
        store_form.addRow("Fil:", QLabel(str(workspace.session.path)))
        change_row = QHBoxLayout()
        change_row.addWidget(change)
        change_row.addWidget(self.rekey_button)
        change_row.addStretch()
        store_form.addRow("", change_row)
        store_form.addRow("", self.remember)
        self.backup_count = QSpinBox()
        self.backup_count.setRange(1, 50)
        self.backup_count.setValue(settings.backup_count)
        self.backup_count.setAccessibleName("Antal automatiska säkerhetskopior")
        self.backup_count.valueChanged.connect(self._backup_count_changed)
        self.backup_folder = QLabel(str(workspace.backup.folder(settings.backup_folder)))
        self.backup_folder.setWordWrap(True)
        choose_folder = QPushButton("Välj &mapp…")
        choose_folder.clicked.connect(self._choose_backup_folder)
        station_form.addRow("Säkerhetskopior vid &stängning:", self.backup_count)
        station_form.addRow("Mapp för säkerhetskopior:", self.backup_folder)
        station_form.addRow("", choose_folder)
        station_form.addRow("&Användare:", self.actor)

    def _server_rows(self, store_form: QFormLayout, station_form: QFormLayout) -> None:
        """A shared server: where it is, the login (the user in the ändringslogg, by the
        role the server gives it) and a change of its password."""
        access = self.workspace.access
        profile = access.server_profile
        assert profile is not None
        place = f"{profile.host}:{profile.port}, databasen {profile.database}"
        self.server_label = QLabel(f"{profile.name} ({place})" if profile.name else place)
        self.server_label.setAccessibleName("Server")
        self.server_label.setWordWrap(True)
        store_form.addRow("Server:", self.server_label)
        self.password_button = QPushButton("Byt &lösenord på servern…")
        self.password_button.setToolTip(
            "Ditt lösenord för inloggningen och din nyckel till registret; därefter "
            "loggar du in igen med det nya."
        )
        self.password_button.clicked.connect(self._change_server_password)
        row = QHBoxLayout()
        row.addWidget(self.password_button)
        row.addStretch()
        store_form.addRow("", row)
        self.user_label = QLabel(
            f"{self.workspace.session.actor} ({access.capabilities.role_label})"
        )
        self.user_label.setAccessibleName("Användare")
        station_form.addRow("Användare:", self.user_label)
        note = QLabel(
            "Registret på servern säkerhetskopieras av kommunens IT (och med po-desk "
            "backup --server); inga säkerhetskopior görs vid stängning."
        )
        note.setWordWrap(True)
        station_form.addRow("", note)

    def _change_server_password(self) -> None:
        from po_desk.ui.server_password_dialog import ServerPasswordDialog

        profile = self.workspace.access.server_profile
        assert profile is not None
        dialog = ServerPasswordDialog(profile, self, first_login=False)
        if dialog.exec() and dialog.changed_profile is not None:
            self.password_changed.emit()

    def _rekey(self) -> None:
        from po_desk.ui.rekey_dialog import RekeyDialog

        RekeyDialog(self.workspace, self).exec()

    def _toggle_remember(self, on: bool) -> None:
        if on and not self.workspace.keys.remember_key():
            show_error(self, PoDeskError("Nyckelringen tog inte emot nyckeln."))
            self.remember.setChecked(False)
        elif not on:
            self.workspace.keys.forget_key()

    def _notes_toggled(self, on: bool) -> None:
        try:
            saved = self.workspace.verksamhet.set_notes_enabled(on, self._notes_version)
        except ConflictError as error:
            # The box keeps what was chosen; choosing again overwrites knowingly.
            self._notes_version = error.version
            show_error(self, error, CONFLICT_TITLE)
            return
        except PoDeskError as error:
            # Refused (a role on the server that may not): the box shows what is stored.
            show_error(self, error, "Kan inte spara")
            self._show_stored_notes()
            return
        self._notes_version = saved
        did_write(self, self.workspace.verksamhet.set_notes_enabled)

    def _show_stored_notes(self) -> None:
        notes = self.workspace.verksamhet.notes_setting()
        self._notes_version = notes.version
        blocked = self.notes.blockSignals(True)
        self.notes.setChecked(notes.value)
        self.notes.blockSignals(blocked)

    def _idle_changed(self, minutes: int) -> None:
        self.settings.idle_lock_minutes = minutes
        self._save_settings()
        self.settings_changed.emit()

    def _backup_count_changed(self, count: int) -> None:
        self.settings.backup_count = count
        self._save_settings()

    def _choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Mapp för säkerhetskopior")
        if folder:
            self.settings.backup_folder = folder
            self.backup_folder.setText(folder)
            self._save_settings()

    def _actor_changed(self) -> None:
        self.settings.actor = self.actor.currentData()
        self.workspace.session.actor = self.settings.actor
        self._save_settings()


class SettingsView(QWidget):
    settings_changed = Signal()
    password_changed = Signal()  # the login password on the server (SecurityTab)

    def __init__(
        self, workspace: Workspace, settings: AppSettings, save_settings: Callable[[], None]
    ) -> None:
        super().__init__()
        self.tabs = roomy_tabs(QTabWidget())
        self.verksamhet_tab = VerksamhetTab(workspace)
        self.ombud_tab = OmbudTab(workspace)
        self.security_tab = SecurityTab(workspace, settings, save_settings)
        self.tabs.addTab(self.verksamhet_tab, "&Verksamhet")
        self.tabs.addTab(self.ombud_tab, "&Ombud")
        self.tabs.addTab(self.security_tab, "&Säkerhet")
        self.categories_tab = CategoriesTab(workspace)
        self.tabs.addTab(self.categories_tab, "&Kategorier")
        self.audit_tab = AuditTab(workspace)
        self.tabs.addTab(self.audit_tab, "Ändrings&logg och gallring")
        self.security_tab.settings_changed.connect(self.settings_changed)
        self.security_tab.password_changed.connect(self.password_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Inställningar</h2>"))
        layout.addWidget(self.tabs)

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """The forms reload only when their data changed elsewhere (a merge), so that an
        edit in progress is kept; every write is in the ändringslogg."""
        if changes.verksamhet and handler is not self.verksamhet_tab:
            self.verksamhet_tab.load()
        if changes.verksamhet and handler is not self.ombud_tab:
            self.ombud_tab.load()
        # A prioritetsgrund renamed on the Verksamhet tab, or categories changed by a merge
        # or another user (category writes declare prioritering among others).
        if changes.prioritering and handler is not self.categories_tab:
            self.categories_tab.load()
        if changes.audit:
            self.audit_tab.refresh()

    def refresh(self) -> None:
        self.verksamhet_tab.load()
        self.ombud_tab.load()
        self.categories_tab.load()
        self.audit_tab.refresh()
