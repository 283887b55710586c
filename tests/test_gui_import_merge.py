"""The import dialog lists changes to existing values and asks before making them; the merge
dialog asks before it accepts a file from another verksamhet (issue 12 points 5 and 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_desk.services import store_lifecycle
from po_desk.ui.import_dialog import ImportDialog
from po_desk.ui.main_window import MainWindow
from po_desk.ui.merge_dialogs import MergeImportDialog
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.gui
HEADER = "kod;kon;fodelsear;kommun;start;barn;kontaktorsaker\n"
TRANSFER = "överföring från annanstans"


class Answers:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def __call__(self, _parent, _title: str, text: str) -> bool:
        self.questions.append(text)
        return self.answer


def load(qtbot, dialog: ImportDialog, path: Path) -> None:
    dialog.plan = None
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)


def test_import_preview_shows_changes_and_asks_before_making_them(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "2025-010;kvinna;1980;Karlstad;2025-02-01;nej;ekonomi\n",
                     encoding="utf-8")  # fmt: skip
    window.workspace.uppdrag_import.run(first)
    changed = tmp_path / "changed.csv"
    changed.write_text(HEADER + "2025-010;man;1980;Karlstad;2025-02-01;nej;ekonomi\n",
                       encoding="utf-8")  # fmt: skip
    dialog = ImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    load(qtbot, dialog, changed)
    assert dialog.changes.isVisible() and dialog.changes.count() == 1
    assert dialog.changes.item(0).text().startswith("Rad 2 (uppdrag 2025-010): kön")
    assert dialog.import_button.isEnabled()

    refuse = Answers(False)
    monkeypatch.setattr("po_desk.ui.import_dialog.confirm", refuse)
    dialog.run_import()
    assert len(refuse.questions) == 1 and "1 värden" in refuse.questions[0]
    assert not dialog.imported and window.workspace.uppdrag.all()[0].kon == "kvinna"

    accept = Answers(True)
    monkeypatch.setattr("po_desk.ui.import_dialog.confirm", accept)
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported, timeout=5000)
    assert len(accept.questions) == 1
    assert window.workspace.uppdrag.all()[0].kon == "man"


def test_import_without_changes_asks_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.csv"
    path.write_text(HEADER + ";kvinna;1980;Karlstad;2025-02-01;nej;ekonomi\n", encoding="utf-8")
    dialog = ImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    load(qtbot, dialog, path)
    assert not dialog.changes.isVisible()
    never = Answers(False)
    monkeypatch.setattr("po_desk.ui.import_dialog.confirm", never)
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported, timeout=5000)
    assert never.questions == [] and window.workspace.uppdrag.count() == 1


def test_merge_dialog_asks_before_a_file_from_another_verksamhet(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from po_desk.domain.uppdrag import Uppdrag

    other = store_lifecycle.create_store(
        tmp_path / "annan.podesk", namn="PO Annanstans", lan="Värmlands län",
        kommuner=["Karlstad", "Hammarö"], passphrase=PASSPHRASE,
    ).workspace  # fmt: skip
    kommun = other.verksamhet.get().kommuner[0]
    other.uppdrag.save(Uppdrag(kon="man", fodelsear=1970, kommun_id=kommun.id,
                               start=date(2025, 3, 3), kontaktorsaker=("bostad",)))  # fmt: skip
    file = tmp_path / "annan.podesk-merge"
    other.merge.export_file(file, TRANSFER)
    other.session.close()

    dialog = MergeImportDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(file))
    dialog.secret.setText(TRANSFER)
    refuse = Answers(False)
    monkeypatch.setattr("po_desk.ui.merge_dialogs.confirm", refuse)
    dialog.preview()
    qtbot.waitUntil(lambda: "annan verksamhet" in dialog.errors.text(), timeout=10000)
    assert len(refuse.questions) == 1 and "PO Annanstans" in refuse.questions[0]
    assert not dialog.merge_button.isEnabled()

    accept = Answers(True)
    monkeypatch.setattr("po_desk.ui.merge_dialogs.confirm", accept)
    dialog.preview()
    qtbot.waitUntil(dialog.merge_button.isEnabled, timeout=10000)
    assert len(accept.questions) == 1
    assert window.workspace.uppdrag.count() == 0
    dialog.merge()
    qtbot.waitUntil(lambda: dialog.merged, timeout=10000)
    assert window.workspace.uppdrag.count() == 1
    shown = [dialog.conflicts.item(i).text() for i in range(dialog.conflicts.count())]
    assert any(line.startswith("Hölls utanför") for line in shown)
