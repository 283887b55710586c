"""Issue 13: stale or missing feedback in views and dialogs, deadlines only for covered
years, the recovery key typed with look-alike digits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import store_lifecycle
from po_desk.ui.overview_view import OverviewView
from tests.conftest import PASSPHRASE
from tests.test_gui import screenshot

pytestmark = pytest.mark.gui
THIS_YEAR = date.today().year


def _new_store(path: Path, start_ar: int | None = None) -> store_lifecycle.CreatedStore:
    return store_lifecycle.create_store(
        path,
        namn="PO Nystart",
        lan="Värmlands län",
        kommuner=["Karlstad"],
        passphrase=PASSPHRASE,
        start_ar=start_ar,
    )


def test_a_store_started_this_year_is_not_told_about_last_years_deadline(
    qtbot, tmp_path: Path
) -> None:
    created = _new_store(tmp_path / "ny.podesk")
    workspace = created.workspace
    try:
        assert not workspace.aterrapport.covers(THIS_YEAR - 1)
        assert workspace.aterrapport.covers(THIS_YEAR)
        view = OverviewView(workspace)
        qtbot.addWidget(view)
        text = view.aterrapport_text.text()
        assert f"för {THIS_YEAR - 1}" not in text and "sista dag" not in text
        assert f"Registret började {THIS_YEAR}" in text

        # An uppdrag that ran last year brings that year's return due.
        kommun = workspace.verksamhet.get().kommuner[0].id
        workspace.uppdrag.add_many(
            [
                Uppdrag(
                    kon="kvinna",
                    fodelsear=1980,
                    kommun_id=kommun,
                    start=date(THIS_YEAR - 1, 3, 1),
                    kontaktorsaker=("ekonomi",),
                )
            ]
        )
        assert workspace.aterrapport.covers(THIS_YEAR - 1)
        assert not workspace.aterrapport.covers(THIS_YEAR - 2)
        view.refresh()
        assert f"Återrapporten för {THIS_YEAR - 1}" in view.aterrapport_text.text()
    finally:
        workspace.session.close()


def test_a_store_started_earlier_covers_last_year(qtbot, tmp_path: Path) -> None:
    created = _new_store(tmp_path / "aldre.podesk", start_ar=THIS_YEAR - 3)
    try:
        assert created.workspace.aterrapport.covers(THIS_YEAR - 1)
        view = OverviewView(created.workspace)
        qtbot.addWidget(view)
        assert f"Återrapporten för {THIS_YEAR - 1}" in view.aterrapport_text.text()
    finally:
        created.workspace.session.close()


def test_anmalan_errors_follow_the_fields(qtbot, window) -> None:
    from po_desk.ui.anmalan_dialog import AnmalanDialog

    workspace = window.workspace
    dialog = AnmalanDialog(
        workspace.ko, workspace.verksamhet.get().kommuner, workspace.ko.grounds(), None, window
    )
    qtbot.addWidget(dialog)
    dialog.save()
    assert "Välj kön" in dialog.errors.text() and "kommun" in dialog.errors.text().lower()
    person = dialog.person
    person.kon.setCurrentIndex(person.kon.findData("kvinna"))
    assert "Välj kön" not in dialog.errors.text()
    assert dialog.errors.text()  # kommun and kontaktorsak are still missing
    person.kommun.setCurrentIndex(1)
    person.orsaker.box("bostad").setChecked(True)
    assert dialog.errors.text() == ""
    person.orsaker.box("bostad").setChecked(False)
    assert dialog.errors.text() == ""  # no new complaint before the next Spara
    dialog.save()
    assert "kontaktorsak" in dialog.errors.text().lower()


def test_after_paborja_the_ko_says_which_uppdrag_began(qtbot, window) -> None:
    from po_desk.domain.ko import Anmalan
    from po_desk.ui.main_window import KO
    from po_desk.ui.uppdrag_dialog import UppdragDialog
    from tests.test_gui import when_modal

    workspace = window.workspace
    window.nav.setCurrentRow(KO)
    waiting = workspace.ko.save(
        Anmalan(
            anmald=date.today(),
            kon="kvinna",
            fodelsear=1975,
            kommun_id=workspace.verksamhet.get().kommuner[0].id,
            kontaktorsaker=("ekonomi",),
        )
    )
    view = window.ko_view
    view.refresh()
    view.table.selectRow(0)
    assert "prioriteringsgrunderna" in view.why.text()
    before = view.why.text()

    def start(dialog: UppdragDialog) -> None:
        dialog.save()

    when_modal(qtbot, start)
    view.start_button.click()
    (created,) = workspace.uppdrag.all()
    assert view.why.text() != before
    assert created.kod in view.why.text() and waiting.kod in view.why.text()
    view.refresh()
    assert view.why.text().startswith("Välj en anmälan")


def test_the_recovery_key_sheet_names_verksamhet_date_store_and_the_key(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    import subprocess

    from po_desk.ui.recovery_key_page import RecoveryKeyPanel

    key = "OBILA-LIOBO-ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345"
    store = tmp_path / "register.podesk"
    panel = RecoveryKeyPanel()
    qtbot.addWidget(panel)
    panel.set_key(key, "PO Nystart", store)
    target = tmp_path / "nyckel.pdf"
    monkeypatch.setattr(
        "po_desk.ui.recovery_key_page.QFileDialog.getSaveFileName",
        lambda *_a, **_k: (str(target), "PDF (*.pdf)"),
    )
    [save] = [b for b in panel.findChildren(QPushButton) if "Spara" in b.text()]
    save.click()
    assert target.read_bytes()[:5] == b"%PDF-"
    assert str(target) in panel.saved_label.text()
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    for group in key.split("-"):
        assert group in text
    assert "PO Nystart" in text and date.today().isoformat() in text
    assert str(store.resolve()) in re.sub(r"\s+", "", text)
    assert "kassaskåp" in text and "Återställningsnyckel" in text
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts
    assert any("Mono" in line for line in fonts)


def test_saving_from_the_pdf_preview_says_where(qtbot, tmp_path: Path, monkeypatch) -> None:
    from po_desk.ui.pdf_preview import PdfPreview, render_pages
    from po_desk.ui.recovery_key_page import RecoveryKeyPanel

    panel = RecoveryKeyPanel()
    qtbot.addWidget(panel)
    panel.set_key("AAAAA-BBBBB", "PO", tmp_path / "r.podesk")
    pdf = panel.sheet()
    preview = PdfPreview("Test", pdf, render_pages(pdf), "test.pdf", None)
    qtbot.addWidget(preview)
    target = tmp_path / "ut.pdf"
    monkeypatch.setattr(
        "po_desk.ui.pdf_preview.QFileDialog.getSaveFileName",
        lambda *_a, **_k: (str(target), "PDF (*.pdf)"),
    )
    preview.save()
    assert target.read_bytes() == pdf
    assert "ut.pdf" in preview.status.text() and str(tmp_path) in preview.status.text()


def test_the_recovery_key_typed_with_zeros_and_ones_opens_the_store(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from po_desk.ui.unlock_dialog import UnlockDialog

    key = "OBILA-LIOBO-ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345"
    monkeypatch.setattr("po_desk.store.keyslots.new_recovery_key", lambda: key)
    created = _new_store(tmp_path / "nyckel.podesk")
    assert created.recovery_key == key
    created.workspace.session.close()
    monkeypatch.setattr("po_desk.ui.unlock_dialog.ChangePassphraseDialog.exec", lambda _s: 0)
    dialog = UnlockDialog(tmp_path / "nyckel.podesk")
    qtbot.addWidget(dialog)
    dialog.use_recovery.setChecked(True)
    dialog.recovery_key.setText("08ila l10b0 abcde fghij klmn0 pqrst uvwxy z2345".replace("i", "1"))
    dialog.unlock()
    qtbot.waitUntil(
        lambda: dialog.workspace is not None or bool(dialog.error.text()), timeout=10000
    )
    assert dialog.error.text() == ""
    assert dialog.workspace is not None
    dialog.workspace.session.close()


def _click(qtbot, text: str, seen: dict[str, str]) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.test_gui import when_modal

    def answer(box: QMessageBox) -> None:
        seen["text"] = box.text()
        seen["buttons"] = "|".join(b.text() for b in box.buttons())
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()

    when_modal(qtbot, answer)


def test_a_missing_db_is_named_with_create_here_and_choose_another(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from po_desk.ui import app as app_module
    from po_desk.ui.setup_wizard import PAGE_VERKSAMHET, SetupWizard

    missing = tmp_path / "saknas.podesk"
    assert app_module.first_store(missing) is None
    seen: dict[str, str] = {}
    _click(qtbot, "Avbryt", seen)
    assert app_module.ask_about_missing_store(missing) == (None, None)
    assert str(missing) in seen["text"]
    assert set(seen["buttons"].split("|")) == {
        "Skapa nytt register här",
        "Välj ett annat…",
        "Avbryt",
    }

    other = tmp_path / "annat.podesk"
    monkeypatch.setattr(
        "po_desk.ui.app.QFileDialog.getOpenFileName", lambda *_a, **_k: (str(other), "")
    )
    _click(qtbot, "Välj ett annat…", seen)
    assert app_module.resolve_missing_store(missing) == (None, other)

    wizard_seen: dict[str, object] = {}

    def look_at_wizard(wizard: SetupWizard) -> None:
        wizard_seen["page"] = wizard.currentId()
        wizard_seen["path"] = wizard.verksamhet_page.path.text()
        wizard.reject()

    def wizard_when_shown() -> None:
        active = QApplication.activeModalWidget()
        if isinstance(active, SetupWizard):
            look_at_wizard(active)
        else:
            QTimer.singleShot(20, wizard_when_shown)

    _click(qtbot, "Skapa nytt register här", seen)
    QTimer.singleShot(0, wizard_when_shown)
    assert app_module.resolve_missing_store(missing) == (None, None)
    assert wizard_seen == {"page": PAGE_VERKSAMHET, "path": str(missing)}


def test_cli_on_a_missing_store_names_it_and_the_init_command(tmp_path: Path, capsys) -> None:
    from po_desk import cli

    missing = tmp_path / "saknas.podesk"
    for command in (["check"], ["backup", "--out", str(tmp_path / "b.bak")]):
        code = cli.main([*command, "--db", str(missing)])
        err = capsys.readouterr().err
        assert code == 3, command
        assert err.count("\n") == 1 and str(missing) in err
        assert f"po-desk init --db {missing}" in err


def _widths(table) -> list[int]:
    return [table.columnWidth(c) for c in range(table.model().columnCount())]


def test_avvikelser_columns_keep_the_beskrivning_in_view_at_1280x800(qtbot, window) -> None:
    from po_desk.domain import categories
    from po_desk.domain.avvikelse import Avvikelse
    from po_desk.ui.main_window import AVVIKELSER

    workspace = window.workspace
    every_category = tuple(c.code for c in categories.BRISTKATEGORIER[:6])
    workspace.avvikelser.add_many(
        [
            Avvikelse(
                datum=date.today(),
                aktor="soc_socialpsykiatri",
                niva="handlaggare",
                kategorier=every_category,
                beskrivning="Boendestödet ställdes in tre veckor i rad utan att någon "
                "meddelade klienten eller ombudet, och ingen ersättare sattes in.",
            )
        ]
    )
    window.nav.setCurrentRow(AVVIKELSER)
    register = window.avvikelser_view.register
    register.refresh()
    qtbot.wait(50)
    table = register.table
    widths = _widths(table)
    assert sum(widths) <= table.viewport().width(), widths
    assert widths[-1] >= 200, widths
    metrics = table.fontMetrics()
    status = table.model().index(0, 4).data()
    assert widths[4] >= metrics.horizontalAdvance(status) + 6
    kategorier = table.model().index(0, 3)
    assert kategorier.data(Qt.ItemDataRole.ToolTipRole) == kategorier.data()
    screenshot(window, "avvikelser_columns")


def test_ko_avslutade_shows_the_whole_status(qtbot, window) -> None:
    from po_desk.domain.ko import Anmalan
    from po_desk.ui.main_window import KO

    workspace = window.workspace
    kommun = workspace.verksamhet.get().kommuner[0].id
    saved = [
        workspace.ko.save(
            Anmalan(
                anmald=date.today(),
                kon="kvinna",
                fodelsear=1975,
                kommun_id=kommun,
                kontaktorsaker=("ekonomi",),
            )
        )
        for _ in range(3)
    ]
    window.nav.setCurrentRow(KO)
    window.ko_view.refresh()  # the kö first: short statuses ("Väntar") size the columns
    qtbot.wait(20)
    workspace.ko.withdraw(saved[0].id, date.today())
    workspace.ko.not_relevant(saved[1].id, date.today(), "Flyttade från kommunen")
    window.nav.setCurrentRow(KO)
    view = window.ko_view
    view.refresh()
    view.show_choice.setCurrentIndex(1)
    qtbot.wait(50)
    table = view.table
    metrics = table.fontMetrics()
    widths = _widths(table)
    assert sum(widths) <= table.viewport().width(), widths
    from po_desk.ui.ko_table_model import STATUS

    for row in range(table.model().rowCount()):
        for column in range(STATUS + 1):
            text = table.model().index(row, column).data() or ""
            assert widths[column] >= metrics.horizontalAdvance(text) + 6, (text, widths)
    screenshot(window, "ko_avslutade")


def test_ledningsgrupp_roles_are_whole_on_one_line(qtbot, window) -> None:
    from po_desk.domain.ledningsgrupp import Medlem
    from po_desk.ui.main_window import AVVIKELSER

    workspace = window.workspace
    workspace.ledningsgrupp.save_member(
        Medlem("brukarorganisation", "Representant för brukarorganisationen RSMH", date(2024, 1, 1))
    )
    workspace.ledningsgrupp.save_member(
        Medlem("psykiatri", "Verksamhetschef psykiatrisk öppenvård", date(2024, 1, 1))
    )
    window.nav.setCurrentRow(AVVIKELSER)
    window.avvikelser_view.tabs.setCurrentIndex(1)
    lg = window.avvikelser_view.ledningsgrupp
    lg.refresh()
    qtbot.wait(50)
    table = lg.members
    metrics = table.fontMetrics()
    model = table.model()
    widths = [table.columnWidth(c) for c in range(model.columnCount())]
    assert sum(widths) <= table.viewport().width(), widths
    heights = {table.rowHeight(r) for r in range(model.rowCount())}
    assert len(heights) == 1
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = model.index(row, column).data()
            assert widths[column] >= metrics.horizontalAdvance(text) + 6, (text, widths)
    screenshot(window, "ledningsgrupp")
