"""Dated facts edited in Inställningar, driven offscreen: kommunernas datum and a changed
tjänstgöringsgrad with the day it applies from."""

from __future__ import annotations

from datetime import date

import pytest

from po_desk.domain.verksamhet import Ombud
from po_desk.ui.kommun_dates_dialog import KommunDatesDialog
from po_desk.ui.main_window import MainWindow
from po_desk.ui.ombud_dialog import OmbudDialog
from po_desk.ui.widgets import to_qdate
from tests.test_gui import when_modal

pytestmark = pytest.mark.gui


def test_kommun_dates_and_grad_periods_in_installningar(qtbot, window: MainWindow) -> None:
    workspace = window.workspace
    second = workspace.verksamhet.get().kommuner[1]
    tab = window.settings_view.verksamhet_tab

    def set_dates(dialog: KommunDatesDialog) -> None:
        fran, till = dialog.rows[1]
        till.set_value(date(2024, 12, 31))
        fran.set_value(date(2025, 1, 1))
        dialog.save()  # till before fran: stays open with the problem shown
        assert "slutdatum" in dialog.errors.text()
        fran.set_value(None)
        dialog.save()

    when_modal(qtbot, set_dates)
    tab.kommun_dates.click()
    saved = next(k for k in workspace.verksamhet.get().kommuner if k.id == second.id)
    assert (saved.fran, saved.till) == (None, date(2024, 12, 31))
    assert second.namn not in workspace.aterrapport.compute(2025)["verksamhet"]["kommuner"]

    ombud = workspace.verksamhet.save_ombud(Ombud("AK", "kvinna", 1.0, date(2024, 1, 1)))
    dialog = OmbudDialog(workspace.verksamhet, ombud)
    qtbot.addWidget(dialog)
    assert "1,00 från 2024-01-01" in dialog.history.text()
    dialog.grad.setValue(0.5)
    dialog.grad_fran.setDate(to_qdate(date(2025, 1, 1)))
    dialog.save()
    (after,) = workspace.verksamhet.list_ombud()
    assert [(p.fran, p.grad) for p in after.grader] == [
        (date(2024, 1, 1), 1.0),
        (date(2025, 1, 1), 0.5),
    ]
    assert workspace.aterrapport.compute(2024)["ombud"]["arsarbetare"] == 1.0
    assert workspace.aterrapport.compute(2025)["ombud"]["tjanster_31_dec"] == 0.5


def test_a_changed_barn_gets_its_date_in_the_uppdrag_dialog(qtbot, window: MainWindow) -> None:
    from po_desk.domain.uppdrag import Uppdrag
    from po_desk.ui.uppdrag_dialog import UppdragDialog

    workspace = window.workspace
    verksamhet = workspace.verksamhet.get()
    saved = workspace.uppdrag.save(
        Uppdrag(
            kon="man",
            fodelsear=1970,
            kommun_id=verksamhet.kommuner[0].id,
            start=date(2024, 2, 1),
            kontaktorsaker=("ekonomi",),
        )
    )
    dialog = UppdragDialog(workspace.uppdrag, verksamhet.kommuner, [], saved)
    qtbot.addWidget(dialog)
    assert not dialog.returning.isVisibleTo(dialog)
    dialog.barn.setCurrentIndex(dialog.barn.findData("delvis"))
    dialog.barn_fran.setDate(to_qdate(date(2025, 3, 1)))
    dialog.save()
    stored = workspace.uppdrag.get(saved.id)
    assert stored.barn == "nej"
    assert [(c.fran, c.barn) for c in stored.barn_andringar] == [(date(2025, 3, 1), "delvis")]
    assert workspace.aterrapport.compute(2024)["klienter"]["med_barn"]["totalt"] == 0
    assert workspace.aterrapport.compute(2025)["klienter"]["med_barn"]["man"] == 1


def test_rename_a_ground_from_a_date_in_installningar(qtbot, window: MainWindow) -> None:
    from po_desk.ui.rename_ground_dialog import RenameGroundDialog

    workspace = window.workspace
    code = workspace.ko.add_ground("Akut behov")

    def rename(dialog: RenameGroundDialog) -> None:
        dialog.ground.setCurrentIndex(dialog.ground.findData(code))
        dialog.save()  # no name: stays open
        assert "Ange ett namn" in dialog.errors.text()
        dialog.name.setText("Akut stödbehov")
        dialog.fran.setDate(to_qdate(date(2025, 1, 1)))
        dialog.save()

    when_modal(qtbot, rename)
    window.settings_view.verksamhet_tab.rename_ground.click()
    assert workspace.ko.ground_names_on(date(2024, 12, 31))[code] == "Akut behov"
    assert workspace.ko.ground_names_on(date(2025, 12, 31))[code] == "Akut stödbehov"


def _column(tab, header: str) -> list[str]:
    """What the Kategorier table shows in the column `header`, row by row."""
    model, column = tab.model, tab.model.column_of(header)
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_kategorier_in_installningar(qtbot, window: MainWindow) -> None:
    from po_desk.domain.categories import CategoryKind

    workspace = window.workspace
    tab = window.settings_view.categories_tab
    tab.kind.setCurrentIndex(tab.kind.findData(CategoryKind.KONTAKTORSAK.value))
    # A fixed list of the återrapport: no additions, and the reason is shown.
    assert not tab.add_button.isEnabled()
    assert "fast lista" in tab.add_reason.text()
    tab.kind.setCurrentIndex(tab.kind.findData(CategoryKind.AKTOR.value))
    assert tab.add_button.isEnabled()
    tab.added_name.setText("Tandvården")
    tab.add_button.click()
    assert _column(tab, "Namn")[-1] == "Tandvården"
    tab.add_button.click()  # empty: a message, nothing added
    assert "Ange ett namn" in tab.errors.text()
    codes = _column(tab, "Kod")
    row = codes.index("kronofogden")
    tab.table.selectRow(row)
    assert tab.rename_button.isEnabled()
    tab.new_name.setText("Kronofogdemyndigheten")
    tab.fran.setDate(to_qdate(date(2025, 1, 1)))
    tab.rename_button.click()
    assert tab.errors.text() == ""
    catalogue = workspace.verksamhet.categories()
    assert catalogue.name(CategoryKind.AKTOR, "kronofogden", date(2024, 12, 31)) == "Kronofogden"
    assert catalogue.name(CategoryKind.AKTOR, "kronofogden", date(2025, 1, 1)) == (
        "Kronofogdemyndigheten"
    )
    assert tab.selected_code() == "kronofogden"  # still selected after the reload
    assert "Kronofogden (från början)" in _column(tab, "Namn över tid")[row]
    assert tab.toggle_button.text() == "&Inaktivera"
    tab.toggle_button.click()
    assert _column(tab, "Status")[row] == "Inaktiv från 2025-01-01"
    assert tab.toggle_button.text() == "&Återaktivera"
    assert "kronofogden" not in {
        c.code for c in workspace.verksamhet.category_choices(CategoryKind.AKTOR)
    }
    tab.toggle_button.click()
    assert _column(tab, "Status")[row] == "Aktiv"


def test_a_kontaktorsak_renamed_in_installningar_reaches_the_uppdrag_view(
    qtbot, window: MainWindow
) -> None:
    """The tab reports its write as OpChanges; the uppdrag register shows the new name."""
    from po_desk.domain.categories import CategoryKind
    from po_desk.domain.uppdrag import Uppdrag
    from po_desk.services.changes import changes_of
    from po_desk.ui.main_window import INSTALLNINGAR, UPPDRAG

    workspace = window.workspace
    workspace.uppdrag.save(
        Uppdrag("man", 1970, workspace.verksamhet.get().kommuner[0].id, date(2025, 2, 1),
                ("ekonomi",))
    )  # fmt: skip
    window.nav.setCurrentRow(UPPDRAG)
    view = window.uppdrag_view
    shown = view.model.column_of("Kontaktorsaker")
    assert view.model.index(0, shown).data() == "Ekonomi"
    window.nav.setCurrentRow(INSTALLNINGAR)
    tab = window.settings_view.categories_tab
    tab.kind.setCurrentIndex(tab.kind.findData(CategoryKind.KONTAKTORSAK.value))
    tab.table.selectRow(_column(tab, "Kod").index("ekonomi"))
    tab.new_name.setText("Ekonomi och skulder")
    tab.fran.setDate(to_qdate(date(2020, 1, 1)))
    with qtbot.waitSignal(window.operation_did_execute) as reported:
        tab.rename_button.click()
    changes, handler = reported.args
    assert handler is tab
    assert changes == changes_of(workspace.verksamhet.rename_category) and changes.uppdrag
    window.nav.setCurrentRow(UPPDRAG)
    assert view.model.index(0, shown).data() == "Ekonomi och skulder"


def test_forms_offer_the_stores_entries_with_todays_names(qtbot, window: MainWindow) -> None:
    from po_desk.domain.categories import CategoryKind
    from po_desk.domain.uppdrag import Uppdrag
    from po_desk.ui.avvikelse_dialog import AvvikelseDialog
    from po_desk.ui.close_uppdrag_dialog import CloseUppdragDialog
    from po_desk.ui.uppdrag_dialog import UppdragDialog

    workspace = window.workspace
    service = workspace.verksamhet
    kommuner = service.get().kommuner
    kept = workspace.uppdrag.save(
        Uppdrag(kon="man", fodelsear=1970, kommun_id=kommuner[0].id, start=date(2025, 2, 1),
                kontaktorsaker=("ekonomi",), hanvisad_fran="psykiatri")
    )  # fmt: skip
    added = service.add_category(CategoryKind.AKTOR, "Tandvården")
    service.set_category_active(CategoryKind.HANVISAD_FRAN, "psykiatri", False)
    service.rename_category(CategoryKind.AVSLUTSORSAK, "flyttat", "Flyttat från kommunen",
                            date(2020, 1, 1))  # fmt: skip
    service.rename_category(CategoryKind.KONTAKTORSAK, "ekonomi", "Ekonomi och skulder",
                            date(2020, 1, 1))  # fmt: skip

    def items(combo) -> dict[str, str]:
        return {combo.itemData(i): combo.itemText(i) for i in range(1, combo.count())}

    new = UppdragDialog(workspace.uppdrag, kommuner, [], None)
    qtbot.addWidget(new)
    assert "psykiatri" not in items(new.hanvisad)
    assert items(new.avslutsorsak)["flyttat"] == "Flyttat från kommunen"
    old = UppdragDialog(workspace.uppdrag, kommuner, [], kept)
    qtbot.addWidget(old)
    assert items(old.hanvisad)["psykiatri"] == "Psykiatri"  # the record's own, kept
    closing = CloseUppdragDialog(workspace.uppdrag, kept)
    qtbot.addWidget(closing)
    assert items(closing.orsak)["flyttat"] == "Flyttat från kommunen"
    avvikelse = AvvikelseDialog(workspace.avvikelser, [], None)
    qtbot.addWidget(avvikelse)
    assert items(avvikelse.aktor)[added] == "Tandvården"
    window.uppdrag_view.refresh()
    model = window.uppdrag_view.model
    texts = {model.data(model.index(r, c)) for r in range(model.rowCount())
             for c in range(model.columnCount())}  # fmt: skip
    assert "Ekonomi och skulder" in texts
