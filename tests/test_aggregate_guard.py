"""`po-desk aggregate` runs the anonymisation guard on every text of every return (issue 12):
a return carrying a personnummer, phone number or e-mail address is refused, naming the
file and the field but not the text, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_desk.domain import categories
from tests.test_aggregate import run_cli, write_returns

BRIST = {
    "datum": "2025-03-01",
    "aktor": categories.AKTORER[0].code,
    "niva": categories.NIVAER[0].code,
    "kategorier": [categories.BRISTKATEGORIER[0].code],
    "beskrivning": "Handläggaren svarade inte.",
    "konsekvens": "",
    "atgarder": [],
    "status": "",
    "aterkoppling": "",
}


def carry(path: Path, field: str, text: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    if field.startswith("brister.texter.1."):
        document["brister"]["texter"].insert(0, {**BRIST, field.rsplit(".", 1)[1]: text})
    elif field.startswith("manuellt."):
        document["manuellt"][field.split(".")[1]] = text
    else:
        document["verksamhet"]["huvudman"] = text
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "text", "kind"),
    [
        ("brister.texter.1.beskrivning", "Klienten 811218-9876 fick avslag", "personnummer"),
        ("brister.texter.1.aterkoppling", "pnr 8112\u200b18–9876", "personnummer"),
        ("manuellt.kommentarer", "Ring 070-123 45 67", "telefonnummer"),
        ("verksamhet.huvudman", "namn(at)kommun.se", "e-postadress"),
    ],
)
def test_cli_refuses_a_return_carrying_an_identifier(
    tmp_path: Path, field: str, text: str, kind: str
) -> None:
    paths = write_returns(tmp_path, 3)
    carry(paths[1], field, text)
    out = tmp_path / "samman.csv"
    result = run_cli("aggregate", *map(str, paths), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert paths[1].name in result.stderr and field in result.stderr and kind in result.stderr
    assert "9876" not in result.stderr and "45 67" not in result.stderr
    assert not out.exists()


def test_warnings_alone_do_not_stop_a_compilation(tmp_path: Path) -> None:
    paths = write_returns(tmp_path, 2)
    carry(paths[0], "brister.texter.1.beskrivning", "Träffade Anna Johansson på Storgatan 12")
    out = tmp_path / "samman.json"
    result = run_cli("aggregate", *map(str, paths), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists()


@pytest.mark.gui
def test_gui_panel_shows_the_same_message(qtbot, window, tmp_path: Path) -> None:
    from po_desk.ui.main_window import RAPPORTER

    folder = tmp_path / "returer"
    folder.mkdir()
    paths = write_returns(folder, 2)
    carry(paths[1], "brister.texter.1.beskrivning", "Klienten 811218-9876 fick avslag")
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aggregate
    panel.load(folder)
    out = tmp_path / "samman.pdf"
    panel.compile_to(out)
    qtbot.waitUntil(lambda: paths[1].name in panel.errors.text(), timeout=10000)
    message = panel.errors.text()
    assert "brister.texter.1.beskrivning" in message and "personnummer" in message
    assert "9876" not in message
    assert not out.exists()
