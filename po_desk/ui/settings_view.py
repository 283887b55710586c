"""Inställningar: the verksamhet and its kommuner, the ombud, and security."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.errors import PoDeskError
from po_desk.domain.formatting import number
from po_desk.domain.verksamhet import Verksamhet
from po_desk.services.app_settings import AppSettings
from po_desk.services.workspace import Workspace
from po_desk.ui.audit_view import AuditTab
from po_desk.ui.categories_tab import CategoriesTab
from po_desk.ui.change_passphrase_dialog import ChangePassphraseDialog
from po_desk.ui.kommun_dates_dialog import KommunDatesDialog
from po_desk.ui.messages import show_error
from po_desk.ui.ombud_dialog import OmbudDialog
from po_desk.ui.remember_box import remember_box
from po_desk.ui.rename_ground_dialog import RenameGroundDialog
from po_desk.ui.tabs import roomy_tabs
from po_desk.ui.verksamhet_fields import VerksamhetFields
from po_desk.ui.widgets import select_data


class VerksamhetTab(QWidget):
    saved = Signal()

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
        )
        try:
            self.workspace.verksamhet.update(updated, self.fields.kommun_names())
        except PoDeskError as error:
            show_error(self, error, "Kan inte spara")
            return
        self.load()
        self.saved.emit()

    def edit_ground_name(self) -> None:
        if RenameGroundDialog(self.workspace.ko, self).exec():
            self.saved.emit()

    def edit_kommun_dates(self) -> None:
        if KommunDatesDialog(self.workspace.verksamhet, self).exec():
            self.load()
            self.saved.emit()


class OmbudTab(QWidget):
    HEADERS = ("Namn", "Kön", "Tjänstgöringsgrad", "Från", "Till")

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Ombud")
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
        self.table.setRowCount(len(self._ombud))
        for row, person in enumerate(self._ombud):
            values = (
                person.namn,
                categories.name_of(categories.KON, person.kon),
                number(person.tjanstgoringsgrad, 2),
                person.fran.isoformat(),
                person.till.isoformat() if person.till else "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        active = [o for o in self._ombud if o.till is None]
        self.summary.setText(
            f"{len(active)} aktiva ombud, "
            f"{number(sum(o.tjanstgoringsgrad for o in active), 2)} heltidstjänster"
        )

    def add(self) -> None:
        if OmbudDialog(self.workspace.verksamhet, None, self).exec():
            self.load()

    def edit(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        if OmbudDialog(self.workspace.verksamhet, self._ombud[row], self).exec():
            self.load()


class SecurityTab(QWidget):
    settings_changed = Signal()

    def __init__(
        self, workspace: Workspace, settings: AppSettings, save_settings: Callable[[], None]
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self._save_settings = save_settings
        change = QPushButton("&Byt lösenfras…")
        change.clicked.connect(lambda: ChangePassphraseDialog(self.workspace, self).exec())
        self.rekey_button = QPushButton("Byt &nyckel…")
        self.rekey_button.setToolTip(
            "Om lösenfrasen eller nyckelfilen har läckt: kryptera om registret med en ny nyckel."
        )
        self.rekey_button.clicked.connect(self._rekey)
        self.remember = remember_box("&Kom ihåg nyckeln på den här datorn (nyckelringen)")
        self.remember.setChecked(workspace.is_key_remembered())
        self.remember.toggled.connect(self._toggle_remember)
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" min")
        self.idle.setValue(settings.idle_lock_minutes)
        self.idle.setAccessibleName("Lås efter inaktivitet")
        self.idle.valueChanged.connect(self._idle_changed)
        self.actor = QComboBox()
        self.actor.setAccessibleName("Vem arbetar vid datorn")
        self.actor.addItem("Enhetschef", "enhetschef")
        for person in workspace.verksamhet.list_ombud():
            self.actor.addItem(f"Ombud {person.namn}", f"ombud {person.namn}")
        select_data(self.actor, settings.actor)
        self.actor.currentIndexChanged.connect(self._actor_changed)
        self.notes = QCheckBox(
            "Tillåt &anteckningar på uppdrag (fritext, kontrolleras mot personuppgifter)"
        )
        self.notes.setChecked(workspace.uppdrag.notes_enabled())
        self.notes.toggled.connect(self.workspace.verksamhet.set_notes_enabled)
        store_box = QGroupBox("Registret")
        store_form = QFormLayout(store_box)
        store_form.addRow("Fil:", QLabel(str(workspace.path)))
        change_row = QHBoxLayout()
        change_row.addWidget(change)
        change_row.addWidget(self.rekey_button)
        change_row.addStretch()
        store_form.addRow("", change_row)
        store_form.addRow("", self.remember)
        store_form.addRow("", self.notes)
        self.backup_count = QSpinBox()
        self.backup_count.setRange(1, 50)
        self.backup_count.setValue(settings.backup_count)
        self.backup_count.setAccessibleName("Antal automatiska säkerhetskopior")
        self.backup_count.valueChanged.connect(self._backup_count_changed)
        self.backup_folder = QLabel(str(workspace.backup.folder(settings.backup_folder)))
        self.backup_folder.setWordWrap(True)
        choose_folder = QPushButton("Välj &mapp…")
        choose_folder.clicked.connect(self._choose_backup_folder)
        station_box = QGroupBox("Den här datorn")
        station_form = QFormLayout(station_box)
        station_form.addRow("&Lås efter inaktivitet:", self.idle)
        station_form.addRow("Säkerhetskopior vid &stängning:", self.backup_count)
        station_form.addRow("Mapp för säkerhetskopior:", self.backup_folder)
        station_form.addRow("", choose_folder)
        station_form.addRow("&Användare:", self.actor)
        store_box.setMaximumWidth(720)
        station_box.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(store_box)
        layout.addWidget(station_box)
        layout.addStretch()

    def _rekey(self) -> None:
        from po_desk.ui.rekey_dialog import RekeyDialog

        RekeyDialog(self.workspace, self).exec()

    def _toggle_remember(self, on: bool) -> None:
        if on and not self.workspace.remember_key():
            show_error(self, PoDeskError("Nyckelringen tog inte emot nyckeln."))
            self.remember.setChecked(False)
        elif not on:
            self.workspace.forget_key()

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
        self.workspace.set_actor(self.settings.actor)
        self._save_settings()


class SettingsView(QWidget):
    verksamhet_saved = Signal()
    settings_changed = Signal()

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
        self.categories_tab.changed.connect(self.verksamhet_saved)
        self.audit_tab = AuditTab(workspace)
        self.tabs.addTab(self.audit_tab, "Ändrings&logg och gallring")
        self.verksamhet_tab.saved.connect(self.verksamhet_saved)
        self.security_tab.settings_changed.connect(self.settings_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Inställningar</h2>"))
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.verksamhet_tab.load()
        self.ombud_tab.load()
        self.categories_tab.load()
        self.audit_tab.refresh()
