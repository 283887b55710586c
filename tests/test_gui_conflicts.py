"""Several people at once in the GUI (issue 18): a dialog whose row someone else saved
meanwhile shows who and when, stays open with what the user typed and writes nothing;
saving again then overwrites knowingly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from po_desk.services.workspace import Workspace
from po_desk.ui.anmalan_dialog import AnmalanDialog
from po_desk.ui.avvikelse_dialog import AvvikelseDialog
from po_desk.ui.uppdrag_dialog import UppdragDialog
from tests.conftest import TODAY
from tests.test_avvikelser import new as new_avvikelse
from tests.test_ko_service import new as new_anmalan
from tests.test_uppdrag_service import new as new_uppdrag

pytestmark = pytest.mark.gui


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text))
    )
    return shown


def _saved_meanwhile(dialog: QDialog, warnings: list[tuple[str, str]], who: str) -> None:
    dialog.save()  # type: ignore[attr-defined]
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.saved is None  # type: ignore[attr-defined]
    [(title, text)] = warnings
    assert title == "Någon annan har ändrat"
    assert f"ändrades av {who} kl. " in text and "Dina ändringar är kvar i formuläret" in text


def test_uppdrag_dialog_keeps_what_was_typed_on_a_conflict(
    qtbot, workspace: Workspace, warnings: list[tuple[str, str]]
) -> None:
    workspace.session.actor = "Kim"
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    dialog = UppdragDialog(
        workspace.uppdrag,
        workspace.verksamhet.get().kommuner,
        workspace.verksamhet.list_ombud(),
        saved,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.fodelsear.setValue(1991)  # what I type
    workspace.uppdrag.save(replace(saved, fodelsear=1980), today=TODAY)  # someone else
    _saved_meanwhile(dialog, warnings, "Kim")
    assert dialog.person.fodelsear.value() == 1991
    assert workspace.uppdrag.get(saved.id).fodelsear == 1980  # not overwritten
    dialog.save()  # told: saving again overwrites knowingly
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert workspace.uppdrag.get(saved.id).fodelsear == 1991


def test_anmalan_dialog_keeps_what_was_typed_on_a_conflict(
    qtbot, workspace: Workspace, warnings: list[tuple[str, str]]
) -> None:
    workspace.session.actor = "Sam"
    saved = workspace.ko.save(new_anmalan(workspace))
    dialog = AnmalanDialog(
        workspace.ko, workspace.verksamhet.get().kommuner, workspace.ko.grounds(), saved
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.fodelsear.setValue(1975)
    workspace.ko.offer(saved.id, TODAY)
    _saved_meanwhile(dialog, warnings, "Sam")
    assert dialog.person.fodelsear.value() == 1975
    stored = workspace.ko.get(saved.id)
    assert (stored.status, stored.fodelsear) == ("erbjuden", 1970)


def test_avvikelse_dialog_keeps_what_was_typed_on_a_conflict(
    qtbot, workspace: Workspace, warnings: list[tuple[str, str]]
) -> None:
    workspace.session.actor = "Alex"
    saved = workspace.avvikelser.save(new_avvikelse())
    dialog = AvvikelseDialog(workspace.avvikelser, workspace.verksamhet.list_ombud(), saved)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.beskrivning.setPlainText("Handläggningen tog ett halvår.")
    workspace.avvikelser.save(replace(saved, konsekvens="Skulder hos kronofogden."))
    _saved_meanwhile(dialog, warnings, "Alex")
    assert dialog.beskrivning.toPlainText() == "Handläggningen tog ett halvår."
    stored = workspace.avvikelser.get(saved.id)
    assert (stored.beskrivning, stored.konsekvens) == (
        saved.beskrivning,
        "Skulder hos kronofogden.",
    )


def test_verksamhet_settings_keep_what_was_typed_on_a_conflict(
    qtbot, workspace: Workspace, warnings: list[tuple[str, str]]
) -> None:
    """Inställningar: two enhetschefer editing the verksamhet at once; the second save is
    told who changed it and when, keeps what was typed and writes nothing."""
    from po_desk.ui.settings_view import VerksamhetTab

    workspace.session.actor = "Kim"
    tab = VerksamhetTab(workspace)
    qtbot.addWidget(tab)
    tab.fields.namn.setText("Mitt namn")  # what I type
    theirs = workspace.verksamhet.get()  # someone else saves the huvudman
    workspace.verksamhet.update(
        replace(theirs, huvudman="Deras huvudman"), [k.namn for k in theirs.kommuner]
    )
    tab.save()
    [(title, text)] = warnings
    assert title == "Någon annan har ändrat"
    assert "Verksamhetens uppgifter ändrades av Kim kl. " in text
    assert tab.fields.namn.text() == "Mitt namn"
    stored = workspace.verksamhet.get()
    assert (stored.namn, stored.huvudman) == (theirs.namn, "Deras huvudman")
    tab.save()  # told: saving again overwrites knowingly
    assert len(warnings) == 1
    assert workspace.verksamhet.get().namn == "Mitt namn"


def test_aterrapport_panel_keeps_what_was_typed_on_a_conflict(
    qtbot, workspace: Workspace, warnings: list[tuple[str, str]]
) -> None:
    """The return's texts: a save over a text someone else saved since the panel loaded
    it is refused and the text typed stays; another part they saved is merged."""
    from po_desk.domain.aterrapport_svar import Statsbidrag
    from po_desk.ui.aterrapport_panel import AterrapportPanel

    workspace.session.actor = "Kim"
    panel = AterrapportPanel(workspace)
    qtbot.addWidget(panel)
    year = panel.selected_year()
    panel.manual["handledning"].setPlainText("Min handledning.")  # what I type
    service = workspace.aterrapport  # someone else saves the same text and the statsbidrag
    service.save_manual(year, {"handledning": "Deras handledning."})
    service.save_statsbidrag(year, Statsbidrag(900_000, 3.0, 700_000, 250_000))
    assert not panel.save_manual()
    [(title, text)] = warnings
    assert title == "Någon annan har ändrat"
    assert "Återrapportens uppgifter ändrades av Kim kl. " in text
    assert panel.manual["handledning"].toPlainText() == "Min handledning."
    assert service.saved(year).manuellt["handledning"] == "Deras handledning."
    assert panel.save_manual()  # told: saving again overwrites knowingly
    assert len(warnings) == 1
    assert service.saved(year).manuellt["handledning"] == "Min handledning."
    assert service.statsbidrag(year).beviljat_belopp == 900_000  # their part kept
