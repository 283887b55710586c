"""The finish a Windows user expects: Swedish Qt texts, a window that opens at once and
remembers its place and store, Om po-desk with licences, F1 help, screen-reader names,
tab order, and views that fit at 100 % and 200 % scaling."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QWidget

from po_desk.services.app_settings import AppSettings
from po_desk.services.licences import shipped_components
from po_desk.services.workspace import Workspace
from po_desk.ui import app as app_module
from po_desk.ui import swedish, window_memory
from po_desk.ui.main_window import MainWindow
from tests.test_gui import SHOTS, screenshot

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]


def test_qt_standard_texts_and_locale_are_swedish(qtbot) -> None:
    app = QApplication.instance()
    assert swedish.install(app)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes
    )
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Avbryt"
    assert buttons.button(QDialogButtonBox.StandardButton.Yes).text().replace("&", "") == "Ja"
    from PySide6.QtCore import QLocale

    assert QLocale().toString(10561) == "10\xa0561"


def test_window_shows_before_the_store_opens_then_opens_with_remembered_key(
    qtbot, workspace: Workspace
) -> None:
    path = workspace.session.path
    workspace.keys.remember_key()
    workspace.session.close()
    window = app_module.show_window(AppSettings(), path)
    qtbot.addWidget(window)
    window.automatic_backups = False
    assert window.isVisible() and window.workspace is None
    assert "Öppnar registret" in window.locked_page.text.text()
    assert not window.locked_page.button.isVisible()
    assert app_module.open_into(window)
    assert window.workspace is not None
    assert window.windowTitle() == "po-desk – Översikt"
    assert all(action.isEnabled() for action in window.store_actions)
    window.close()


def test_window_geometry_and_last_store_are_remembered(
    qtbot, workspace: Workspace, isolated_qsettings: Path
) -> None:
    window = MainWindow(workspace, AppSettings(), automatic_backups=False)
    qtbot.addWidget(window)
    window.setGeometry(30, 40, 760, 560)  # inside the offscreen screen
    window.show()
    window.close()
    window_memory.remember_store(workspace.session.path)
    ini = next(isolated_qsettings.rglob("*.ini")).read_text(encoding="utf-8")
    assert "geometri" in ini and "senaste" in ini
    assert "lösen" not in ini.lower()
    again = MainWindow(None, AppSettings(), store_path=workspace.session.path)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 560)
    assert window_memory.last_store() == workspace.session.path.resolve()
    assert app_module.first_store(None) == workspace.session.path.resolve()
    settings = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "po-desk", "po-desk"
    )
    assert settings.value(window_memory.LAST_STORE_KEY) == str(workspace.session.path.resolve())


def test_about_lists_every_shipped_library_with_licence(qtbot, window: MainWindow) -> None:
    from po_desk import __version__
    from po_desk.ui.about_dialog import AboutDialog

    components = {c.name.lower(): c for c in shipped_components()}
    for name in ("pyside6_essentials", "sqlalchemy", "sqlcipher3", "reportlab", "keyring",
                 "cryptography", "qt", "sqlcipher"):  # fmt: skip
        assert name in components, name
        assert components[name].licence
    assert "LGPL" in components["pyside6_essentials"].licence
    assert components["sqlalchemy"].licence == "MIT"
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert f"po-desk {__version__}" in dialog.findChild(QLabel).text()
    assert dialog.model.rowCount() == len(components)
    row = [dialog.model.row_at(r).name for r in range(dialog.model.rowCount())].index("SQLAlchemy")
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))
    assert "Permission is hereby granted" in dialog.licence_text.toPlainText()
    screenshot(dialog, "om_po_desk")


def test_f1_opens_the_swedish_user_guide(qtbot, window: MainWindow) -> None:
    from po_desk.ui.user_guide import UserGuideWindow

    help_action = next(a for a in window.findChildren(type(window.lock_action))
                       if a.text() == "&Användarhandbok")  # fmt: skip
    assert help_action.shortcut().toString() == "F1"
    help_action.trigger()
    guide = window.findChild(UserGuideWindow)
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    for heading in ("Första start", "Dagligt arbete", "Januarirapporten", "Säkerhetskopior",
                    "Glömd lösenfras"):  # fmt: skip
        assert heading in text
    help_action.trigger()
    assert len(window.findChildren(UserGuideWindow)) == 1  # one guide, brought forward
    screenshot(guide, "anvandarhandbok")


def test_uppdrag_dialog_tab_order_follows_the_form(qtbot, workspace: Workspace) -> None:
    from po_desk.ui.uppdrag_dialog import UppdragDialog

    dialog = UppdragDialog(
        workspace.uppdrag, workspace.verksamhet.get().kommuner, workspace.verksamhet.list_ombud()
    )
    qtbot.addWidget(dialog)
    dialog.show()
    first = dialog.person.kon
    first.setFocus()
    seen: list[QWidget] = []
    widget: QWidget = first
    while True:
        if widget.isVisible() and widget.focusPolicy() & widget.focusPolicy().TabFocus:
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is first or len(seen) > 200:
            break
    fields = [w for w in seen if (w.window() is dialog and not w.inherits("QAbstractButton"))
              or w.inherits("QCheckBox")]  # fmt: skip
    assert len(fields) >= 8  # kön, födelseår, kommun, ombud, dates, barn, kontaktorsaker…
    tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in fields]
    # Top to bottom; widgets on one row (within a line's height) may come in any order.
    assert all(later >= earlier - 25 for earlier, later in itertools.pairwise(tops)), tops


@pytest.mark.parametrize("scale", ["1", "2"])
def test_every_view_fits_and_is_named_at_scale(scale: str, tmp_path: Path) -> None:
    shots = str(Path(SHOTS) / f"skala_{scale}") if SHOTS else ""
    result = subprocess.run(
        [sys.executable, "-m", "tests.view_survey", *([shots] if shots else [])],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
        env={**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["scale"] == float(scale)
    assert set(report["views"]) >= {"Översikt", "Uppdrag", "Kö", "Avvikelser", "Rapporter",
                                    "Inställningar", "Uppdragsdialog"}  # fmt: skip
    for name, found in report["views"].items():
        assert found["unnamed"] == [], (name, found["unnamed"])
        assert found["clipped"] == [], (name, found["clipped"])


def test_counts_in_views_use_swedish_digit_grouping(qtbot, window: MainWindow) -> None:
    from po_desk.services import demo

    demo.fill(window.workspace, 1200, 2, seed=5)
    view = window.uppdrag_view
    view.refresh()
    assert view.count_label.text().endswith(" av 1 200 uppdrag"), view.count_label.text()


def test_damaged_store_at_start_gets_a_message_and_the_unlock_dialog(
    qtbot, workspace: Workspace, monkeypatch
) -> None:
    from po_desk.domain.errors import DamagedStore
    from po_desk.ui.unlock_dialog import UnlockDialog

    path = workspace.session.path
    workspace.keys.remember_key()
    workspace.session.close()
    with path.open("r+b") as handle:  # the first page (the schema) damaged after the salt
        handle.seek(16)
        handle.write(b"\0" * 4000)
    damaged = path.read_bytes()
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "show_error", lambda _p, error, _t: shown.append(error))
    asked: list[bool] = []
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: asked.append(True) or 0)
    window = app_module.show_window(AppSettings(), path)
    qtbot.addWidget(window)
    window.automatic_backups = False
    assert not app_module.open_into(window)
    assert len(shown) == 1 and isinstance(shown[0], DamagedStore)
    assert shown[0].message  # one Swedish sentence, shown as it is
    assert asked == [True]  # the unlock dialog, which offers a restore from backup
    assert window.workspace is None
    assert path.read_bytes() == damaged  # nothing written to the damaged file
