"""The Kö view driven through its dialogs, offscreen, on a real encrypted store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QLabel

from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, KoStatus
from po_desk.services.workspace import Workspace
from po_desk.ui.anmalan_dialog import AnmalanDialog
from po_desk.ui.intagningsstopp_dialog import IntagningsstoppDialog
from po_desk.ui.main_window import KO, MainWindow
from po_desk.ui.prioritering_dialog import PrioriteringDialog
from po_desk.ui.uppdrag_dialog import UppdragDialog
from tests.test_gui import screenshot, when_modal

pytestmark = pytest.mark.gui
TODAY = date.today()


@pytest.fixture(autouse=True)
def open_section(window: MainWindow) -> None:
    window.nav.setCurrentRow(KO)


def codes(window: MainWindow) -> list[str]:
    model = window.ko_view.model
    return [model.row_at(row).anmalan.kod for row in range(model.rowCount())]


def add(workspace: Workspace, days_ago: int, grounds=()) -> Anmalan:
    return workspace.ko.save(
        Anmalan(
            anmald=TODAY - timedelta(days=days_ago),
            kon="kvinna",
            fodelsear=1975,
            kommun_id=workspace.verksamhet.get().kommuner[0].id,
            kontaktorsaker=("ekonomi",),
            prioritetsgrunder=tuple(grounds),
        )
    )


def test_new_anmalan_through_the_dialog(qtbot, window: MainWindow) -> None:
    view = window.ko_view

    def fill(dialog: AnmalanDialog) -> None:
        dialog.save()
        assert "Välj kön" in dialog.errors.text()
        person = dialog.person
        person.kon.setCurrentIndex(person.kon.findData("kvinna"))
        person.fodelsear.setValue(2001)
        person.kommun.setCurrentIndex(1)
        person.orsaker.box("bostad").setChecked(True)
        person.grunder.box("vrakning").setChecked(True)
        assert "uppfylls (räknas" in person.young_hint.text()
        screenshot(dialog, "anmalan_dialog")
        dialog.save()

    when_modal(qtbot, fill)
    view.new_button.click()
    assert view.model.rowCount() == 1
    row = view.model.row_at(0)
    assert row.plats == 1 and row.anmalan.status == KoStatus.VANTAR
    assert row.grunder.startswith("Vräkning")
    assert "Unga vuxna" in row.grunder


def test_reordering_the_prioriteringsordning_resorts_the_ko(qtbot, window, workspace) -> None:
    child = add(workspace, 10, ("barn",))
    housing = add(workspace, 60, ("vrakning",))
    window.ko_view.refresh()
    assert codes(window) == [child.kod, housing.kod]
    window.ko_view.table.selectRow(1)
    assert "grund 2" in window.ko_view.why.text()
    assert window.ko_view.order_banner.isVisible()  # a new store has decided nothing
    assert "ej beslutad" in window.ko_view.order_banner.text()
    assert "Förslag – ej beslutad" in window.ko_view.order_label.text()
    screenshot(window, "ko_view")

    def move_housing_up(dialog: PrioriteringDialog) -> None:
        assert "Ingen prioriteringsordning är beslutad" in dialog.status.text()
        dialog.in_order.setCurrentRow(1)  # vrakning
        dialog._move(-1)
        assert dialog.order()[:2] == ("vrakning", "barn")
        screenshot(dialog, "prioritering_dialog")
        dialog.save()
        assert "vem som beslutade" in dialog.errors.text()  # who decided is required
        dialog.beslutad_av.setCurrentIndex(dialog.beslutad_av.findData("ledningsgrupp"))
        dialog.save()

    when_modal(qtbot, move_housing_up)
    window.ko_view.edit_order()
    assert codes(window) == [housing.kod, child.kod]
    assert "1. Risk för vräkning" in window.ko_view.order_label.text()
    assert "Beslutad " in window.ko_view.order_label.text()
    assert not window.ko_view.order_banner.isVisible()
    assert len(workspace.ko.versions()) == 1
    assert workspace.ko.versions()[0].beslutad_av == "ledningsgrupp"


def test_recording_that_there_is_no_prioriteringsordning(qtbot, window, workspace) -> None:
    late_child = add(workspace, 10, ("barn",))
    early = add(workspace, 60)
    window.ko_view.refresh()
    assert codes(window) == [late_child.kod, early.kod]  # the proposal orders the kö

    def record_none(dialog: PrioriteringDialog) -> None:
        dialog.ingen.setChecked(True)
        assert not dialog.in_order.isEnabled()
        dialog.beslutad_av.setCurrentIndex(dialog.beslutad_av.findData("enhetschef"))
        dialog.save()

    when_modal(qtbot, record_none)
    window.ko_view.edit_order()
    (version,) = workspace.ko.versions()
    assert version.ingen and version.beslutad_av == "enhetschef" and version.grunder == ()
    assert codes(window) == [early.kod, late_child.kod]  # now in anmäld order
    assert "ingen prioriteringsordning" in window.ko_view.order_label.text()
    assert not window.ko_view.order_banner.isVisible()


def test_paborja_creates_the_uppdrag(qtbot, window: MainWindow, workspace) -> None:
    waiting = add(workspace, 33, ("barn",))
    view = window.ko_view
    view.refresh()
    view.table.selectRow(0)

    def start(dialog: UppdragDialog) -> None:
        assert dialog.windowTitle() == f"Påbörja uppdrag från {waiting.kod}"
        assert dialog.anmald.enabled.isChecked()
        assert dialog.person.orsaker.selected() == ("ekonomi",)
        dialog.save()

    when_modal(qtbot, start)
    view.start_button.click()
    assert view.model.rowCount() == 0
    (created,) = workspace.uppdrag.all()
    assert created.anmald == waiting.anmald and created.start == TODAY
    assert workspace.ko.get(waiting.id).status == KoStatus.PABORJAD
    assert "påbörjade från kön senaste 12 månaderna:</b> 1" in view.figures.text()


def test_intagningsstopp_banner(qtbot, window: MainWindow, workspace) -> None:
    view = window.ko_view
    assert not view.banner.isVisible()

    def stop(dialog: IntagningsstoppDialog) -> None:
        dialog.orsak.setText("Vakans")
        dialog.save()

    when_modal(qtbot, stop)
    view.edit_stopp()
    assert view.banner.isVisible()
    assert "Intagningsstopp" in view.banner.text() and "Vakans" in view.banner.text()
    screenshot(window, "ko_banner")
    workspace.ko.save_stopp(
        Intagningsstopp(
            TODAY - timedelta(days=9), TODAY - timedelta(days=1), "x", id=workspace.ko.stopp()[0].id
        )
    )
    view.refresh()
    assert not view.banner.isVisible()


def test_offer_withdraw_and_ended_list(qtbot, window: MainWindow, workspace, monkeypatch) -> None:
    first = add(workspace, 5)
    add(workspace, 4)
    view = window.ko_view
    view.refresh()
    view.table.selectRow(0)
    view.offer_button.click()
    assert view.model.row_at(0).status == "Erbjuden"
    monkeypatch.setattr("po_desk.ui.ko_view.confirm", lambda *a: True)
    view.table.selectRow(0)
    view.withdraw_button.click()
    assert view.model.rowCount() == 1
    view.show_choice.setCurrentIndex(1)
    assert [view.model.row_at(r).anmalan.kod for r in range(view.model.rowCount())] == [first.kod]
    assert view.model.row_at(0).plats is None


def test_overview_shows_ko_figures(window: MainWindow, workspace) -> None:
    add(workspace, 12)
    window.nav.setCurrentRow(0)
    window.overview.refresh()
    texts = [label.accessibleName() for label in window.overview.findChildren(QLabel)]
    assert "Väntar: 1" in texts
