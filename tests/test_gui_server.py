"""The GUI on a shared server (issue 18): "Anslut till server" in the wizard, logging in
again later, "Server: profil (roll)" in the title and status bar, and every control a
role cannot use hidden or disabled with the reason. The database refusing those writes
itself is tested in tests/test_server.py (test_forbidden_write_is_refused_by_postgresql)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL

from po_desk.domain import capabilities
from po_desk.services import server_service
from po_desk.services.app_settings import AppSettings
from po_desk.ui import app as app_module
from po_desk.ui import roles, window_memory
from po_desk.ui.main_window import AVVIKELSER, INSTALLNINGAR, KO, SECTIONS, UPPDRAG, MainWindow
from tests.support.server_roles import (  # noqa: F401  (fixtures)
    ROLE_PASSWORD,
    role_users,
    role_workspace,
)

pytestmark = pytest.mark.gui


def _all_views(window: MainWindow) -> None:
    for index in range(len(SECTIONS)):
        if not window.nav.item(index).isHidden():
            window.nav.setCurrentRow(index)


def _controls(window: MainWindow):
    return [found for view in window._views.values() for found in roles.ruled(view)]


def test_every_role_rule_finds_its_control_and_a_local_store_hides_nothing(window) -> None:
    _all_views(window)
    found = _controls(window)
    assert {key for _w, key, _c, _k in found} == (
        set(roles.BUTTONS) | set(roles.FIELDS) | set(roles.TABLES)
    )
    assert all(not w.isHidden() and w.toolTip() == "" for w, *_ in found)
    assert " Server:" not in window.windowTitle()
    assert window.restore_action.isVisible() and window.new_uppdrag_action.isVisible()
    assert window.status_label.text().startswith("Register: ")


def _server_window(qtbot, workspace) -> MainWindow:
    window = MainWindow(workspace, AppSettings(), automatic_backups=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    _all_views(window)
    return window


def test_each_role_sees_only_what_it_may_do(qtbot, role_workspace, request) -> None:  # noqa: F811
    group = request.node.callspec.params["role_workspace"]
    allowed = capabilities.for_role(group)
    window = _server_window(qtbot, role_workspace)
    label = allowed.role_label
    name = role_workspace.access.server_name
    assert window.windowTitle().endswith(f" · Server: {name} ({label})")
    assert window.status_label.text().startswith(f"Server: {name} ({label}) · Användare: h27_")
    assert window.automatic_backups is False
    assert not window.restore_action.isVisible()

    found = _controls(window)
    assert found
    for widget, key, capability, kind in found:
        if getattr(allowed, capability):
            assert not widget.isHidden() and widget.toolTip() == "", key
            if kind == roles.TABLE:
                assert widget.receivers(SIGNAL("doubleClicked(QModelIndex)")) >= 1, key
            continue
        assert widget.toolTip() == allowed.refusal(roles.WHAT[capability]), key
        if kind == roles.BUTTON:
            assert widget.isHidden(), key
        elif kind == roles.FIELD:
            assert not widget.isEnabled(), key
        else:
            assert widget.receivers(SIGNAL("doubleClicked(QModelIndex)")) == 0, key

    hidden_sections = [i for i in range(len(SECTIONS)) if window.nav.item(i).isHidden()]
    if group == "lasare":
        assert hidden_sections == [UPPDRAG, KO, AVVIKELSER]
        assert not window.new_uppdrag_action.isVisible()
        assert not window.uppdrag_menu.menuAction().isVisible()
        assert not window.merge_import_action.isVisible()
        assert not window.section_actions[UPPDRAG].isVisible()
        # Reports and the overview stay; nothing in them can write.
        assert all(not getattr(allowed, c) for _w, _k, c, _kind in found)
    else:
        assert hidden_sections == []
        assert window.new_uppdrag_action.isVisible()
    if group == "ombud":
        hidden = {key[1] for w, key, _c, k in found if k == roles.BUTTON and w.isHidden()}
        assert {"Fastställ…", "Gallra nu…", "Ändra prioriteringsordning…", "Ny ledamot",
                "Spara verksamheten"} <= hidden  # fmt: skip
        assert "Nytt uppdrag" not in hidden and "Ny avvikelse" not in hidden
    if group == "enhetschef":
        assert all(not w.isHidden() for w, *_ in found)
    # The verksamhet's settings saved on a tick, and the categories: the enhetschef's.
    settings_keys = {roles.NOTES_BOX, roles.EXTERNAL_BOX, "Lägg till", "Byt namn", "Inaktivera"}
    ruled_keys = {key[1]: (w, k) for w, key, _c, k in found}
    assert settings_keys <= set(ruled_keys)
    for key in settings_keys:
        widget, kind = ruled_keys[key]
        usable = not widget.isHidden() if kind == roles.BUTTON else widget.isEnabled()
        assert usable == (group == "enhetschef"), key
    assert ruled_keys[roles.NOTES_BOX][1] == ruled_keys[roles.EXTERNAL_BOX][1] == roles.FIELD
    window.nav.setCurrentRow(INSTALLNINGAR)
    # Choosing another kind of category reloads the tab: what the role may not use stays
    # disabled (the name of a new entry was enabled again for an ombud).
    tab = window._views[INSTALLNINGAR].categories_tab
    for index in range(tab.kind.count()):
        tab.kind.setCurrentIndex(index)
        addable = tab.workspace.verksamhet.addition_refused(tab.current_kind()) is None
        assert tab.added_name.isEnabled() == (addable and group == "enhetschef"), index
    window.close()


def test_security_tab_on_a_server_shows_the_server_and_the_login_not_a_file(
    qtbot,
    role_workspace,  # noqa: F811
    role_users,  # noqa: F811
    request,
) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox

    group = request.node.callspec.params["role_workspace"]
    window = _server_window(qtbot, role_workspace)
    window.nav.setCurrentRow(INSTALLNINGAR)
    tab = window.view(INSTALLNINGAR).security_tab
    buttons = {b.text().replace("&", "") for b in tab.findChildren(QPushButton)}
    assert buttons == {"Byt lösenord på servern…"}  # no passphrase, key or backup folder
    labels = [label.text() for label in tab.findChildren(QLabel)]
    assert "Server:" in labels and "Fil:" not in labels
    assert not [t for t in labels if "kerhetskopior vid" in t or "sakerhetskopior" in t]
    assert not tab.findChildren(QComboBox)  # no "Enhetschef" to choose
    assert [b.accessibleName() for b in tab.findChildren(QSpinBox)] == ["Lås efter inaktivitet"]
    profile = role_workspace.access.server_profile
    assert tab.server_label.text() == f"{profile.host}:{profile.port}, databasen {profile.database}"
    label = capabilities.for_role(group).role_label
    assert tab.user_label.text() == f"{role_users[group]} ({label})"
    # The GUI cannot back up a server (`po-desk backup --server` does, for the enhetschef).
    assert not window.backup_action.isVisible()
    # A merge file holds the whole register: the enhetschef's (or IT's) to write.
    assert window.merge_export_action.isVisible() == (group == "enhetschef")
    window.close()


def test_a_local_store_keeps_its_key_and_backup_settings(window) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton

    window.nav.setCurrentRow(INSTALLNINGAR)
    tab = window.view(INSTALLNINGAR).security_tab
    buttons = {b.text().replace("&", "") for b in tab.findChildren(QPushButton)}
    assert {"Byt lösenfras…", "Byt nyckel…", "Välj mapp…"} <= buttons
    assert "Fil:" in [label.text() for label in tab.findChildren(QLabel)]
    assert tab.actor.currentData() == "enhetschef" and window.backup_action.isVisible()


def test_a_write_the_server_refuses_is_said_plainly_and_the_box_shows_what_is_stored(
    qtbot,
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
    server_workspace,
    monkeypatch,
) -> None:
    """Were a setting's box enabled for an ombud after all, the server's refusal is its
    Swedish line (not "Oväntat fel") and the box goes back to the stored value."""
    from po_desk.ui import rapporter_view, settings_view
    from po_desk.ui.main_window import RAPPORTER

    url = pg_cluster.url(role_users["ombud"], ROLE_PASSWORD, database=pg_services_db[0])
    workspace = server_service.open_workspace(server_service.resolve(url))
    shown: list[str] = []
    for module in (settings_view, rapporter_view):
        monkeypatch.setattr(
            module, "show_error", lambda _p, error, _t="": shown.append(error.message)
        )
    window = _server_window(qtbot, workspace)
    tab = window.view(INSTALLNINGAR).security_tab
    stored = tab.notes.isChecked()
    tab.notes.setEnabled(True)
    tab.notes.click()
    assert shown == ["Din roll på servern får inte göra detta."]
    assert tab.notes.isChecked() == stored
    rapporter = window.view(RAPPORTER)
    external = rapporter.suppress.isChecked()
    rapporter.suppress.setEnabled(True)
    rapporter.suppress.click()
    assert shown[-1] == "Din roll på servern får inte göra detta." and len(shown) == 2
    assert rapporter.suppress.isChecked() == external
    window.close()


def test_an_error_of_ours_no_view_caught_is_shown_as_its_message(monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from po_desk.services.server_service import ServerError
    from po_desk.ui import crash_guard

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: seen.append((title, text)))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: seen.append((title, text)))
    error = ServerError("Din roll på servern får inte göra detta.")
    crash_guard._hook(ServerError, error, None)
    assert seen == [("Det gick inte", "Din roll på servern får inte göra detta.")]
    crash_guard._hook(RuntimeError, RuntimeError("x"), None)
    assert seen[-1][0] == "Oväntat fel"


def test_the_login_password_is_changed_from_the_settings_then_logged_in_again(
    qtbot, pg_cluster, pg_services_db, server_workspace, memory_keyring, monkeypatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from po_desk.ui.server_password_dialog import ServerPasswordDialog
    from tests.conftest import add_server_person

    name, admin_connection = pg_services_db
    add_server_person(
        pg_cluster, name, "gui_byter", "ombud", ROLE_PASSWORD,
        admin_connection.info_recovery_key,
    )  # fmt: skip
    url = pg_cluster.url("gui_byter", ROLE_PASSWORD, database=name)
    workspace = server_service.open_workspace(server_service.resolve(url))
    window = _server_window(qtbot, workspace)
    tab = window.view(INSTALLNINGAR).security_tab
    new = "ett helt nytt eget lösenord"

    def exec_(dialog: ServerPasswordDialog) -> QDialog.DialogCode:
        assert "första inloggning" not in dialog.findChild(type(tab.user_label)).text()
        dialog.current.setText(ROLE_PASSWORD)
        dialog.first.setText(new)
        dialog.second.setText(new)
        dialog.change()
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(ServerPasswordDialog, "exec", exec_)
    tab.password_button.click()
    assert window.workspace is None  # logged out: log in with the new password
    assert window.locked_page.button.text() == "&Logga in…"
    again = server_service.open_workspace(
        server_service.resolve(pg_cluster.url("gui_byter", new, database=name))
    )
    assert again.access.role == "ombud"
    again.session.close()
    window.close()


# --- connecting -------------------------------------------------------------------------------


def _fill_server_page(wizard, pg_cluster, database: str, user: str, password: str) -> None:
    page = wizard.server_page
    page.profile_name.setText("Stadens server")
    page.host.setText(pg_cluster.host)
    page.port.setValue(pg_cluster.port)
    page.database.setText(database)
    page.user.setText(user)
    page.ca_file.setText(str(pg_cluster.ca_file))
    page.password.setText(password)


def test_wizard_connects_to_a_server_saves_the_profile_and_remembers_the_password(
    qtbot,
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
    memory_keyring,
) -> None:
    from PySide6.QtWidgets import QDialog, QWizard

    from po_desk.ui.setup_wizard import PAGE_SERVER, SetupWizard

    settings = AppSettings()
    wizard = SetupWizard(settings=settings)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.start_page.connect_server.setChecked(True)
    assert wizard.start_page.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_SERVER
    page = wizard.server_page
    assert not page.isComplete()
    _fill_server_page(wizard, pg_cluster, pg_services_db[0], role_users["ombud"], ROLE_PASSWORD)
    assert page.isComplete()

    page.test_button.click()
    assert page.result.text() == "Anslutningen fungerar. Du är inloggad som ombud."
    assert page.error.text() == ""

    page.remember.setChecked(True)
    assert wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "&Anslut" and finish.isEnabled()
    finish.click()
    assert wizard.result() == QDialog.DialogCode.Accepted
    workspace = wizard.workspace
    assert workspace is not None and workspace.access.role == "ombud"
    assert page.password.text() == ""
    saved = AppSettings.load().server_profiles["Stadens server"]
    assert saved["user"] == role_users["ombud"] and "password" not in saved
    assert ROLE_PASSWORD not in str(saved)
    profile = server_service.resolve("Stadens server")
    assert server_service.with_remembered_password(profile).password == ROLE_PASSWORD

    window = MainWindow(workspace, settings, automatic_backups=True)
    qtbot.addWidget(window)
    assert window.server_profile is not None and window.server_profile.password is None
    assert window.automatic_backups is False
    assert "Server: Stadens server (ombud)" in window.windowTitle()
    window.close()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("password", "Inloggningen på servern misslyckades: fel användarnamn eller lösenord."),
        ("ca", "inte är utfärdat av kommunens CA"),
        ("port", "kan inte nås: kontrollera värdnamn och port"),
        ("database", "Databasen finns_inte finns inte på servern"),
    ],
)
def test_wizard_says_in_swedish_why_the_connection_failed(
    qtbot,
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
    case: str,
    message: str,
) -> None:
    from po_desk.ui.setup_wizard import SetupWizard
    from tests.support.pg_cluster import _free_port

    settings = AppSettings()
    wizard = SetupWizard(settings=settings)
    qtbot.addWidget(wizard)
    password = "fel lösenord 1234" if case == "password" else ROLE_PASSWORD
    _fill_server_page(wizard, pg_cluster, pg_services_db[0], role_users["lasare"], password)
    page = wizard.server_page
    if case == "ca":
        page.ca_file.setText(str(pg_cluster.other_ca_file))
    if case == "port":
        page.port.setValue(_free_port())
    if case == "database":
        page.database.setText("finns_inte")
    page.test_button.click()
    assert message in page.error.text()
    assert page.result.text() == ""
    assert not wizard.connect_server()
    assert wizard.workspace is None
    assert settings.server_profiles == {}  # a profile that does not work is not kept
    assert ROLE_PASSWORD not in page.error.text()


def test_a_later_start_logs_in_to_the_last_server_with_the_remembered_password(
    qtbot,
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
    memory_keyring,
) -> None:
    url = pg_cluster.url(role_users["enhetschef"], database=pg_services_db[0])
    settings = AppSettings()
    profile = server_service.save_profile("stad", server_service.resolve(url), settings)
    window_memory.remember_server("stad")
    assert app_module.server_to_open(settings, None) == profile
    server_service.remember_password(profile.with_login(password=ROLE_PASSWORD))

    window = app_module.show_server_window(settings, profile)
    qtbot.addWidget(window)
    assert window.workspace is None and "Server: stad · Utloggad" in window.status_label.text()
    assert app_module.open_server_into(window)
    assert window.workspace is not None
    assert window.windowTitle() == "po-desk – Översikt · Server: stad (enhetschef)"
    window.lock()
    assert window.workspace is None
    assert "utloggad från servern" in window.locked_page.text.text()
    assert window.locked_page.button.text() == "&Logga in…"
    window.close()
    window_memory.remember_store(Path("annat.podesk"))
    assert app_module.server_to_open(settings, None) is None  # a file was used last


def test_login_dialog_asks_for_the_password_and_says_when_it_is_wrong(
    qtbot,
    pg_cluster,
    pg_services_db,
    role_users,  # noqa: F811
) -> None:
    from po_desk.ui.server_login_dialog import ServerLoginDialog

    url = pg_cluster.url(role_users["lasare"], database=pg_services_db[0])
    profile = server_service.named_profile("stad", server_service.resolve(url))
    dialog = ServerLoginDialog(profile)
    qtbot.addWidget(dialog)
    assert dialog.user.text() == role_users["lasare"]
    dialog.password.setText("fel lösenord 1234")
    dialog.login()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=15000)
    assert dialog.error.text().startswith("Inloggningen på servern misslyckades")
    assert dialog.workspace is None
    dialog.password.setText(ROLE_PASSWORD)
    dialog.login()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=15000)
    assert dialog.workspace.access.capabilities.reports_only
    dialog.workspace.session.close()


def test_weakened_last_profile_is_refused_with_one_line(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(app_module, "show_error", lambda _p, error, _t: shown.append(error))
    settings = AppSettings()
    settings.server_profiles["stad"] = {"host": "db.kommun.se", "database": "podesk",
                                        "sslmode": "require"}  # fmt: skip
    assert app_module.server_to_open(settings, "stad") is None
    assert shown[0].message.startswith("Anslutningen vägras: sslmode=require")


def test_login_dialog_changes_a_first_password_then_opens(
    qtbot, pg_cluster, pg_services_db, monkeypatch
) -> None:
    """A person's first login from the GUI: the temporary password is changed in the
    "Byt lösenord" dialog, then the register opens (nothing opens before)."""
    from PySide6.QtWidgets import QDialog

    from po_desk.ui.server_login_dialog import ServerLoginDialog
    from po_desk.ui.server_password_dialog import ServerPasswordDialog
    from tests.conftest import FIRST_PASSWORD

    name, admin_connection = pg_services_db
    admin = server_service.resolve(pg_cluster.admin_url(database=name))
    server_service.add_user(
        admin, "gui_forsta", "ombud", FIRST_PASSWORD,
        recovery_key=admin_connection.info_recovery_key,
    )  # fmt: skip
    shown: list[ServerPasswordDialog] = []

    def exec_(dialog: ServerPasswordDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        dialog.first.setText("ett eget nytt lösenord")
        dialog.second.setText("ett eget nytt lösenord")
        dialog.change()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ServerPasswordDialog, "exec", exec_)
    url = pg_cluster.url("gui_forsta", database=name)
    dialog = ServerLoginDialog(server_service.named_profile("stad", server_service.resolve(url)))
    qtbot.addWidget(dialog)
    dialog.password.setText(FIRST_PASSWORD)
    dialog.login()
    qtbot.waitUntil(lambda: dialog.workspace is not None, timeout=15000)
    assert len(shown) == 1 and dialog.workspace.session.actor == "gui_forsta"
    dialog.workspace.session.close()
