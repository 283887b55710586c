"""Import safety (issue 12 points 6 and 9, lenient values; issue 13 point 21): codes in one
plausible canonical form, only ISO dates and plain years, a re-import that never undoes what
happened since, and one CLI line per bad row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from po_desk import cli
from po_desk.domain.errors import ValidationFailed
from tests.conftest import PASSPHRASE

HEADER = "kod;kon;fodelsear;kommun;anmald;start;slut;barn;kontaktorsaker\n"
TODAY = date(2026, 6, 30)


def write(tmp_path: Path, *rows: str, name: str = "u.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def problems_of(workspace, path: Path) -> str:
    with pytest.raises(ValidationFailed) as error:
        workspace.uppdrag_import.run(path, today=TODAY)
    return "\n".join(error.value.problems)


@pytest.mark.parametrize(
    "kod",
    [
        "2025-198501011236",
        "2025-0701234567",
        "0000-001",
        "9999-001",
        "２０２５-００１",
        "2025-٠٠١",
        "2025-0",
        "K2025-001",
        "2025_001",
    ],
)
def test_implausible_codes_are_refused(workspace, tmp_path: Path, kod: str) -> None:
    path = write(tmp_path, f"{kod};kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi")
    text = problems_of(workspace, path)
    assert "Rad 2:" in text and "koden ska ha formen" in text
    assert kod not in text  # a bad code may be a personnummer: it is not repeated
    assert workspace.uppdrag.count() == 0


def test_one_canonical_code_form(workspace, tmp_path: Path) -> None:
    from po_desk.domain.uppdrag import normalise_kod

    assert {normalise_kod(k, "", TODAY) for k in ("2025-500", "2025-0500", "2025-00500")} == {
        "2025-500"
    }
    assert normalise_kod("2025-7", "", TODAY) == "2025-007"
    path = write(
        tmp_path,
        "2025-0500;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi",
        "2025-07;man;1970;Karlstad;;2025-03-01;;nej;ekonomi",
    )
    workspace.uppdrag_import.run(path, today=TODAY)
    assert {u.kod for u in workspace.uppdrag.all()} == {"2025-500", "2025-007"}
    again = write(tmp_path, "2025-00500;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi")
    plan = workspace.uppdrag_import.run(again, today=TODAY)
    assert (len(plan.new), plan.unchanged) == (0, 1)  # the same code, not a second one
    same_twice = write(
        tmp_path,
        "2025-500;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi",
        "2025-0500;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi",
        name="twice.csv",
    )
    assert "flera rader" in problems_of(workspace, same_twice)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("start", "2025-01-155"),
        ("start", "2025-01-15 oops"),
        ("start", "20250115"),
        ("start", "2025-W03-1"),
        ("start", "２０２５-０１-１５"),
        ("anmald", "1900-01-01"),
        ("slut", "2025-1-5"),
        ("fodelsear", "1_980"),
        ("fodelsear", "+1980"),
        ("fodelsear", "١٩٨٠"),
        ("fodelsear", "1980.5"),
        ("fodelsear", " 19 80"),
    ],
)
def test_lenient_dates_and_numbers_are_refused(
    workspace, tmp_path: Path, column: str, value: str
) -> None:
    cells = {"kod": "", "kon": "kvinna", "fodelsear": "1980", "kommun": "Karlstad",
             "anmald": "", "start": "2025-02-01", "slut": "", "barn": "nej",
             "kontaktorsaker": "ekonomi"}  # fmt: skip
    cells[column] = value
    path = write(tmp_path, ";".join(cells.values()))
    text = problems_of(workspace, path)
    assert text.count("Rad 2:") >= 1
    assert workspace.uppdrag.count() == 0


def test_real_excel_date_cells_are_accepted(workspace, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kön", "Födelseår", "Kommun", "Start", "Barn", "Kontaktorsaker"])
    sheet.append(["kvinna", 1975, "Karlstad", datetime(2025, 4, 1), "nej", "Ekonomi"])
    sheet.append(["kvinna", 1975, "Karlstad", datetime(1990, 4, 1), "nej", "Ekonomi"])
    path = tmp_path / "lista.xlsx"
    book.save(path)
    text = problems_of(workspace, path)
    assert "Rad 3:" in text and "1990-04-01" in text and "Rad 2" not in text


def test_reimport_after_closing_keeps_the_uppdrag_closed(workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "2025-010;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi")
    workspace.uppdrag_import.run(path, today=TODAY)
    item = workspace.uppdrag.all()[0]
    workspace.uppdrag.close(item.id, date(2025, 6, 1), "mal_uppnatt", today=TODAY)
    plan = workspace.uppdrag_import.run(path, today=TODAY)
    assert (plan.unchanged, plan.changes) == (1, [])
    again = workspace.uppdrag.get(item.id)
    assert again.slut == date(2025, 6, 1) and again.avslutsorsak == "mal_uppnatt"


def test_import_fills_empty_fields_and_changes_values_only_when_confirmed(
    workspace, tmp_path: Path
) -> None:
    first = write(tmp_path, "2025-010;kvinna;1980;Karlstad;;2025-02-01;;nej;ekonomi")
    workspace.uppdrag_import.run(first, today=TODAY)
    filled = write(
        tmp_path, "2025-010;kvinna;1980;Karlstad;2025-01-20;2025-02-01;;nej;ekonomi", name="f.csv"
    )
    plan = workspace.uppdrag_import.run(filled, today=TODAY)
    assert len(plan.filled) == 1 and plan.changes == []
    assert workspace.uppdrag.all()[0].anmald == date(2025, 1, 20)

    changing = write(
        tmp_path, "2025-010;man;1980;Karlstad;2025-01-20;2025-02-01;;helt;ekonomi", name="c.csv"
    )
    preview = workspace.uppdrag_import.run(changing, dry_run=True, today=TODAY)
    lines = preview.change_lines()
    assert len(lines) == 2 and all(line.startswith("Rad 2 (uppdrag 2025-010): ") for line in lines)
    assert "kön" in lines[0] and "→" in lines[0] and "barn" in lines[1]
    text = problems_of(workspace, changing)
    assert "--update" in text and "kön" in text
    assert workspace.uppdrag.all()[0].kon == "kvinna"
    workspace.uppdrag_import.run(changing, today=TODAY, update=True)
    assert workspace.uppdrag.all()[0].kon == "man"


def test_a_row_without_kod_never_changes_another_persons_uppdrag(workspace, tmp_path: Path) -> None:
    first = write(tmp_path, "2025-010;kvinna;1980;Karlstad;2025-01-20;2025-02-01;;nej;ekonomi")
    workspace.uppdrag_import.run(first, today=TODAY)
    other = write(
        tmp_path,
        ";kvinna;1980;Karlstad;2025-01-20;2025-02-01;2025-05-05;helt;bostad",
        name="other.csv",
    )
    plan = workspace.uppdrag_import.run(other, today=TODAY, update=True)
    assert plan.unchanged == 1 and not plan.filled and not plan.changed
    assert plan.notes and "2025-010" in plan.notes[0]
    kept = workspace.uppdrag.all()[0]
    assert (kept.slut, kept.barn, kept.kontaktorsaker) == (None, "nej", ("ekonomi",))


def test_cli_prints_one_line_per_bad_row(created, store_path: Path, tmp_path: Path, capsys):
    created.workspace.session.close()
    rows = [";robot;1_980;Karlstad;;2025-02-01;;nej;ekonomi" for _ in range(60)]
    path = write(tmp_path, *rows)
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    code = cli.main(["import", "uppdrag", str(path), "--db", str(store_path),
                     "--passphrase-file", str(secret)])  # fmt: skip
    assert code != 0
    lines = capsys.readouterr().err.splitlines()
    row_lines = [line for line in lines if line.strip().startswith("Rad ")]
    assert len(row_lines) == 50
    assert row_lines[0].strip().startswith("Rad 2:") and "kön" in row_lines[0]
    assert all("födelseår" in line for line in row_lines)  # both problems on the row's line
    assert lines[-1].strip() == "… och 10 till."
    assert lines[0] == "po-desk: Inget importerades."


@pytest.mark.parametrize(
    "typed", ["198501011236", "2025-0701234567x", "K2025-001", "２０２５-００１"]
)
def test_an_avvikelse_code_of_another_shape_is_refused_without_repeating_it(typed: str) -> None:
    from po_desk.domain.avvikelse import Avvikelse, validate

    item = Avvikelse(datum=date(2025, 1, 1), aktor="forsakringskassan", niva="lokal",
                     kategorier=("vantetider",), beskrivning="Beslutet dröjde.",
                     uppdrag_kod=typed)  # fmt: skip
    problems = validate(item, {"2025-001"}, TODAY)
    assert any("ÅÅÅÅ-NNN" in p for p in problems)
    assert not any(typed in p for p in problems)
