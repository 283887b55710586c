"""Issue 15 in the GUI: län and kommuner from SCB's list in the wizard's and Inställningar's
form, and fastställ refused on an error and confirmed on a warning."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from po_desk.ui.main_window import RAPPORTER, MainWindow
from po_desk.ui.settings_view import VerksamhetTab
from po_desk.ui.verksamhet_fields import LAN_PLACEHOLDER, VerksamhetFields
from tests.test_places_checks import old_store

pytestmark = pytest.mark.gui


def test_the_form_offers_the_official_list_and_no_preselected_lan(qtbot) -> None:
    fields = VerksamhetFields()
    qtbot.addWidget(fields)
    assert fields.lan.count() == 21 and fields.lan.currentIndex() == -1
    assert fields.lan.placeholderText() == LAN_PLACEHOLDER and fields.lan.currentText() == ""
    fields.namn.setText("PO Test")
    fields.kommuner.setPlainText("Karlstad")
    assert not fields.is_complete()  # the län is not chosen
    fields.lan.setCurrentIndex(fields.lan.findText("Värmlands län"))
    assert fields.is_complete()
    assert fields.kommun_choice.count() == 290
    assert fields.kommun_choice.itemData(0)[:2] == "17"  # the chosen län's kommuner first
    fields.kommun_choice.setEditText("1715")
    fields.add_kommun.click()
    assert fields.kommun_names() == ["Karlstad", "Kil"]
    fields.kommun_choice.setEditText("Ingenstans")
    fields.add_kommun.click()
    assert "Ingenstans" in fields.place_message.text() and "SCB" in fields.place_message.text()
    assert fields.kommun_names() == ["Karlstad", "Kil"]
    fields.kommuner.setPlainText("Karlstad\nFelby")
    assert "”Felby” finns inte" in fields.place_message.text()


def test_installningar_maps_old_spellings_and_names_what_does_not_resolve(qtbot, tmp_path):
    workspace = old_store(tmp_path, "Värmland", ["Karlstads kommun", "Gamla kommunen"])
    try:
        tab = VerksamhetTab(workspace)
        qtbot.addWidget(tab)
        assert tab.fields.lan.currentText() == "Värmlands län"  # the official entry
        assert "”Gamla kommunen” finns inte" in tab.fields.place_message.text()
        assert tab.fields.kommun_names() == ["Karlstads kommun", "Gamla kommunen"]  # kept
    finally:
        workspace.session.close()
    (tmp_path / "b").mkdir()
    workspace = old_store(tmp_path / "b", "Wermland", ["Karlstad"])
    try:
        tab = VerksamhetTab(workspace)
        qtbot.addWidget(tab)
        assert tab.fields.lan.currentIndex() == -1
        assert "”Wermland” i registret" in tab.fields.place_message.text()
    finally:
        workspace.session.close()


def test_fastställ_in_the_panel_refuses_an_error_and_asks_on_warnings(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aterrapport
    year = date.today().year - 1
    panel.year.setCurrentIndex(panel.year.findData(year))
    service = window.workspace.aterrapport
    real = service.compute
    shown: list[str] = []
    asked: list[str] = []
    answers = iter([True])  # each step below sets the answers to "Fastställ?" and warnings
    monkeypatch.setattr(
        "po_desk.ui.aterrapport_panel.confirm",
        lambda parent, title, text: asked.append(text) or next(answers),
    )
    monkeypatch.setattr(
        "po_desk.ui.aterrapport_panel.show_error",
        lambda parent, error, title="": shown.append("\n".join(error.problems)),
    )

    def broken(y: int) -> dict[str, Any]:
        document = real(y)
        document["ombud"]["antal"] += 1
        return document

    monkeypatch.setattr(service, "compute", broken)
    panel.freeze()
    assert shown and "summor" in shown[0] and "kan inte fastställas" in shown[0]
    assert service.saved(year).faststalld is None

    def jumped(y: int) -> dict[str, Any]:
        document = real(y)
        document["ombud"]["arsarbetare"] = 40.0 if y == year else 12.0
        return document

    monkeypatch.setattr(service, "compute", jumped)
    monkeypatch.setattr(service, "covers", lambda y: True)
    answers = iter([True, False])  # fastställ: yes; the warnings: no
    asked.clear()
    panel.freeze()
    assert len(asked) == 2 and "ombud.arsarbetare" in asked[1]
    assert service.saved(year).faststalld is None
    answers = iter([True, True])
    panel.freeze()
    assert service.saved(year).faststalld is not None
    assert "Fastställd" in panel.status.text()


def test_the_compilation_panel_names_the_file_and_the_rule(qtbot, window, tmp_path) -> None:
    import json

    from tests.test_aggregate import write_returns

    folder = tmp_path / "returer"
    folder.mkdir()
    paths = write_returns(folder, 3)
    document = json.loads(paths[1].read_text(encoding="utf-8"))
    document["ledningsgrupp"]["fulltalig"] = not document["ledningsgrupp"]["fulltalig"]
    paths[1].write_text(json.dumps(document), encoding="utf-8")
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aggregate
    panel.load(folder)
    out = tmp_path / "samman.pdf"
    panel.compile_to(out)
    qtbot.waitUntil(lambda: paths[1].name in panel.errors.text(), timeout=20000)
    assert "regeln ledningsgrupp" in panel.errors.text()
    assert not out.exists()
