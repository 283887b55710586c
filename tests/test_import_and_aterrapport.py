"""Import files built at random, the återrapport computed from them, and the same figures
computed here straight from the rows."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import categories
from po_desk.domain.errors import NeedsConfirmation, ValidationFailed
from po_desk.services import return_schema, store_lifecycle
from po_desk.services.uppdrag_import import ImportFileError
from tests.conftest import PASSPHRASE

YEAR = 2025
KOMMUNER = ["Karlstad", "Hammarö"]
ORSAK_NAMES = [c.name for c in categories.KONTAKTORSAKER]
KON_SPELLING = {"kvinna": ["kvinna", "K", "Kvinna"], "man": ["man", "M", "Män"], "annan": ["annan"]}
HEADERS = [
    ("kod", ["kod", "Kod"]),
    ("kon", ["kon", "Kön", "KÖN"]),
    ("fodelsear", ["fodelsear", "Födelseår"]),
    ("kommun", ["kommun", "Kommun"]),
    ("anmald", ["anmald", "Anmäld"]),
    ("start", ["start", "Start"]),
    ("slut", ["slut", "Slut"]),
    ("barn", ["barn", "Barn"]),
    ("kontaktorsaker", ["kontaktorsaker", "Kontaktorsaker"]),
]


def new_store(folder: Path):
    return store_lifecycle.create_store(
        folder / "s.podesk", namn="PO Import", lan="Värmlands län", kommuner=KOMMUNER,
        passphrase=PASSPHRASE,
    ).workspace  # fmt: skip


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "kon": st.sampled_from(["kvinna", "man", "annan"]),
            "alder": st.integers(18, 90),
            "kommun": st.sampled_from(KOMMUNER),
            "start": st.dates(date(2022, 1, 1), date(2025, 12, 31)),
            "langd": st.one_of(st.none(), st.integers(0, 900)),
            "barn": st.sampled_from(["nej", "helt", "delvis"]),
            "orsaker": st.lists(st.sampled_from(range(10)), min_size=1, max_size=4, unique=True),
        }
    ),
    min_size=1,
    max_size=40,
)


def write_file(folder: Path, rows, encoding: str, separator: str, header_variant: int) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([spellings[header_variant % len(spellings)] for _, spellings in HEADERS])
    for index, row in enumerate(rows):
        slut = ""
        if row["langd"] is not None:
            end = date.fromordinal(row["start"].toordinal() + row["langd"])
            slut = end.isoformat() if end <= date(2026, 6, 30) else ""
        writer.writerow([
            f"{row['start'].year}-{index + 1:03d}",
            KON_SPELLING[row["kon"]][index % len(KON_SPELLING[row["kon"]])],
            row["start"].year - row["alder"], row["kommun"], "", row["start"].isoformat(),
            slut, row["barn"], "|".join(ORSAK_NAMES[i] for i in row["orsaker"]),
        ])  # fmt: skip
        row["slut"] = date.fromisoformat(slut) if slut else None
    path = folder / "import.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def expected_figures(rows) -> dict:
    during = [r for r in rows if r["start"].year <= YEAR and (r["slut"] is None
              or r["slut"].year >= YEAR)]  # fmt: skip

    def group(r) -> str:
        age = YEAR - (r["start"].year - r["alder"])
        return "18-29" if age <= 29 else "30-49" if age <= 49 else "50-64" if age <= 64 else "65+"

    kon_alder = Counter((r["kon"], group(r)) for r in during)
    nya = [r for r in rows if r["start"].year == YEAR]
    orsaker = Counter((categories.KONTAKTORSAKER[i].code, r["kon"]) for r in nya
                      for i in r["orsaker"])  # fmt: skip
    return {
        "totalt": len(during),
        "nya": len(nya),
        "avslutade": sum(1 for r in during if r["slut"] and r["slut"].year == YEAR),
        "kon_alder": kon_alder,
        "med_barn": Counter(r["kon"] for r in during if r["barn"] != "nej"),
        "orsaker": orsaker,
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows_strategy,
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    st.sampled_from([";", ","]),
    st.integers(0, 2),
)
def test_property_return_of_an_imported_file_matches_the_file(
    rows, encoding, separator, header_variant
) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        workspace = new_store(folder)
        path = write_file(folder, rows, encoding, separator, header_variant)
        plan = workspace.uppdrag_import.run(path, today=date(2026, 6, 30))
        assert len(plan.new) == len(rows)
        document = workspace.aterrapport.compute(YEAR)
        workspace.session.close()
    finally:
        shutil.rmtree(folder)
    expected = expected_figures(rows)
    klienter = document["klienter"]
    assert (klienter["totalt"], klienter["nya"], klienter["avslutade"]) == (
        expected["totalt"], expected["nya"], expected["avslutade"],
    )  # fmt: skip
    for kon in ("kvinna", "man", "annan"):
        for label in ("18-29", "30-49", "50-64", "65+"):
            assert klienter["kon_alder"][kon][label] == expected["kon_alder"][(kon, label)]
        assert klienter["med_barn"][kon] == expected["med_barn"][kon]
        for orsak in categories.KONTAKTORSAKER:
            assert (
                document["kontaktorsaker"][orsak.code][kon]
                == expected["orsaker"][(orsak.code, kon)]
            )
    assert klienter["kon_alder"]["totalt"]["totalt"] == expected["totalt"]
    assert not return_schema.problems(document)


def test_windows_1252_file_with_swedish_headers_imports_once(workspace, tmp_path) -> None:
    text = (
        "Kod;Kön;Födelseår;Kommun;Anmäld;Start;Slut;Barn;Kontaktorsaker;Hänvisad från;"
        "Avslutsorsak\r\n"
        ";K;1980;Karlstad;2025-01-02;2025-02-01;;Ja, helt;Ekonomi|Stöd i kontakten med "
        "myndigheter;Socialtjänst;\r\n"
        "2025-050;Män;1999;hammarö;;2025-03-01;2025-09-30;nej;bost|sjukv;;Mål uppnått\r\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    importer = workspace.uppdrag_import
    assert len(importer.run(path, dry_run=True).new) == 2
    assert workspace.uppdrag.count() == 0
    first = importer.run(path)
    assert len(first.new) == 2
    again = importer.run(path)
    assert (len(again.new), again.unchanged) == (0, 2)
    items = {u.kod: u for u in workspace.uppdrag.all()}
    assert items["2025-050"].kontaktorsaker == ("bostad", "sjukvard")
    assert items["2025-050"].avslutsorsak == "mal_uppnatt"
    generated = next(u for k, u in items.items() if k != "2025-050")
    assert generated.barn == "helt" and generated.hanvisad_fran == "socialtjanst"


def test_one_bad_row_imports_nothing_and_names_the_row(workspace, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "kon,fodelsear,kommun,start,barn,kontaktorsaker\n"
        "k,1980,Karlstad,2025-01-01,nej,ekonomi\n"
        "m,2015,Karlstad,2025-01-01,nej,ekonomi\n"
        "k,1970,Karlstad,2025-02-30,nej,s\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as error:
        workspace.uppdrag_import.run(path)
    text = " ".join(error.value.problems)
    assert "Rad 3: " in text and "18 år" in text
    assert "Rad 4: " in text and "2025-02-30" in text and "tvetydig" in text
    assert "Rad 2" not in text
    assert workspace.uppdrag.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "varken en CSV"),
        (b"namn;personnummer\nx;y\n", "saknar kolumnerna"),
        (b"", "tom"),
        (b"PK\x03\x04 not really a zip", "Excel-filen kan inte"),
    ],
)
def test_unreadable_files_give_a_clear_error(workspace, tmp_path, content, message) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        workspace.uppdrag_import.run(path)


def test_xlsx_import(workspace, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kön", "Födelseår", "Kommun", "Start", "Barn", "Kontaktorsaker"])
    sheet.append(["kvinna", 1975, "Karlstad", date(2025, 4, 1), "delvis", "Bostad|Eko"])
    sheet.append(["man", 1990.0, "Hammarö", "2025-05-01", "nej", "Annan orsak"])
    path = tmp_path / "lista.xlsx"
    book.save(path)
    plan = workspace.uppdrag_import.run(path)
    assert len(plan.new) == 2
    first = next(u for u in workspace.uppdrag.all() if u.kon == "kvinna")
    assert first.start == date(2025, 4, 1) and first.kontaktorsaker == ("ekonomi", "bostad")


def test_fastalla_freezes_and_reports_differences(workspace) -> None:
    from po_desk.services import demo

    demo.fill(workspace, uppdrag_count=150, years=2, seed=5)
    year = date.today().year - 1
    service = workspace.aterrapport
    service.save_manual(year, {"handledning": "Extern handledning en gång i månaden."})
    with pytest.raises(NeedsConfirmation):  # the demo's figures jump since the year before
        service.freeze(year)
    assert service.saved(year).faststalld is None
    frozen = service.freeze(year, warnings_confirmed=True)
    assert frozen["manuellt"]["handledning"].startswith("Extern")
    assert service.differences(year) == []
    kommun = workspace.verksamhet.get().kommuner[0]
    from po_desk.domain.uppdrag import Uppdrag

    workspace.uppdrag.save(
        Uppdrag(
            kon="annan",
            fodelsear=1970,
            kommun_id=kommun.id,
            start=date(year, 3, 3),
            kontaktorsaker=("ekonomi",),
        )
    )
    changed = dict((path, (a, b)) for path, a, b in service.differences(year))
    assert changed["klienter.totalt"][1] == changed["klienter.totalt"][0] + 1
    assert "klienter.kon_alder.annan.50-64" in changed
    assert service.document(year) == service.saved(year).faststalld
    service.unfreeze(year)
    assert service.document(year)["klienter"]["totalt"] == changed["klienter.totalt"][1]


def test_exports(workspace, tmp_path) -> None:
    from po_desk.services import demo

    demo.fill(workspace, uppdrag_count=200, years=2, seed=6)
    year = date.today().year - 1
    service = workspace.aterrapport
    service.export(tmp_path / "r.json", year, "json")
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert return_schema.problems(document) == []
    assert document["schema"] == "po-desk/aterrapport/2" and document["ar"] == year

    service.export(tmp_path / "r.csv", year, "csv")
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Kön", "18–29 år", "30–49 år", "50–64 år", "65+ år", "Totalt"] in rows
    assert any(row[:1] == ["Stöd i kontakten med sjukvården"] for row in rows)
    total_row = next(r for r in rows if r[:1] == ["Klienter under året"] and len(r) == 2)
    assert int(total_row[1]) == document["klienter"]["totalt"]

    with pytest.raises(ValidationFailed):
        service.export(tmp_path / "r.txt", year, "txt")
    assert not (tmp_path / "r.txt").exists()

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed: the PDF is not read back")
    service.export(tmp_path / "r.pdf", year, "pdf")
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Återrapport" in pdf_text and "Underskrift, enhetschef" in pdf_text
    assert f"Återrapport {year}" in pdf_text and "Sida 1 av" in pdf_text
    line = next(
        row for row in pdf_text.splitlines()
        if "Klienter under året" in row and row.strip().split()[-1].isdigit()
    )  # fmt: skip
    assert int(line.split()[-1]) == document["klienter"]["totalt"]


def test_shipped_schema_is_valid_draft_2020_12_and_rejects_broken_returns() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(return_schema.schema())
    assert return_schema.problems({"schema": "po-desk/aterrapport/1"})
    assert return_schema.problems([]) != []


def test_the_preview_holds_the_first_good_rows_only(workspace, tmp_path: Path) -> None:
    """The plan's preview: the first PREVIEW_ROWS good rows in file order, with the
    kommun's and the kontaktorsaker's names (built for those rows only: issue 17)."""
    from po_desk.services.uppdrag_import import PREVIEW_ROWS

    lines = ["kon;fodelsear;kommun;anmald;start;slut;barn;kontaktorsaker"]
    for i in range(PREVIEW_ROWS + 40):
        kommun = "Okänd ort" if i == 3 else "Karlstad"  # row 5 of the file is refused
        lines.append(f"kvinna;{1950 + i % 40};{kommun};;2024-02-{1 + i % 28:02d};;nej;"
                     "bostad|ekonomi")  # fmt: skip
    path = tmp_path / "rader.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = workspace.uppdrag_import.plan(path, today=date(YEAR, 6, 1))
    assert len(plan.preview) == PREVIEW_ROWS
    assert [p.number for p in plan.preview] == [n for n in range(2, PREVIEW_ROWS + 3) if n != 5]
    names = {c.code: c.name for c in categories.KONTAKTORSAKER}
    first = plan.preview[0]
    assert first.kommun == "Karlstad"
    assert first.kontaktorsaker == ", ".join(names[c] for c in first.uppdrag.kontaktorsaker)
