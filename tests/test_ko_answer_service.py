"""Issue 14 through the services on a real store: the kö answer kept with the year, the
prioriteringsordning decided or not, schema version 2 in every export, the migration of
the seeded "Förvald ordning", and the compilation of a version 1 and a version 2 return."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from po_desk.domain import vantetid
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.ko import DEFAULT_ORDER, Anmalan
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import return_schema, sammanstallning_service, store_lifecycle
from po_desk.services.workspace import Workspace

YEAR = date.today().year - 1
FIXTURES = Path(__file__).parent / "fixtures"


def add_uppdrag(workspace: Workspace, anmald: date, start: date, kommun: int = 0) -> None:
    workspace.uppdrag.save(
        Uppdrag(
            kon="kvinna", fodelsear=1980,
            kommun_id=workspace.verksamhet.get().kommuner[kommun].id,
            start=start, anmald=anmald, kontaktorsaker=("ekonomi",),
        )
    )  # fmt: skip


def test_new_store_return_says_no_decided_ordning_until_one_is_recorded(workspace) -> None:
    service = workspace.aterrapport
    ordning = service.compute(YEAR)["prioriteringsordning"]
    assert (ordning["har_prioriteringsordning"], ordning["beslutad"]) == (False, False)
    assert ordning["grunder"] == [] and ordning["beslutsdatum"] is None
    assert workspace.ko.order_in_force().grunder == DEFAULT_ORDER  # the kö uses the proposal

    with pytest.raises(ValidationFailed, match="vem som beslutade"):
        workspace.ko.add_version(date(YEAR, 2, 3), DEFAULT_ORDER, beslutad_av=None)
    workspace.ko.add_version(date(YEAR, 2, 3), ("vrakning", "barn"), beslutad_av="enhetschef")
    ordning = service.compute(YEAR)["prioriteringsordning"]
    assert ordning["har_prioriteringsordning"] and ordning["beslutad"]
    assert ordning["beslutsdatum"] == f"{YEAR}-02-03" and ordning["beslutad_av"] == "enhetschef"
    assert [(g["rang"], g["grund"]) for g in ordning["grunder"]] == [(1, "vrakning"), (2, "barn")]
    assert not service.compute(YEAR - 1)["prioriteringsordning"]["beslutad"]

    workspace.ko.record_none(date(YEAR, 6, 1), "ledningsgrupp")
    ordning = service.compute(YEAR)["prioriteringsordning"]
    assert (ordning["har_prioriteringsordning"], ordning["beslutad"]) == (False, True)
    assert ordning["beslutsdatum"] == f"{YEAR}-06-01"
    assert workspace.ko.order_in_force().grunder == ()  # the kö goes in anmäld order
    with pytest.raises(ValidationFailed):
        workspace.ko.add_version(
            date(YEAR, 7, 1), ("barn",), beslutad_av="ledningsgrupp", ingen=True
        )


def test_kö_answer_is_kept_with_the_year_and_the_threshold_is_a_store_setting(workspace) -> None:
    service = workspace.aterrapport
    add_uppdrag(workspace, date(YEAR, 3, 1), date(YEAR, 3, 2))  # one day
    add_uppdrag(workspace, date(YEAR, 4, 1), date(YEAR, 5, 6))  # 35 days
    ko = service.compute(YEAR)["ko"]
    assert ko["hade_ko"] and ko["hade_ko_underlag"]["vantat_over_troskel"] == 1
    service.set_ko_threshold(40)
    ko = service.compute(YEAR)["ko"]
    assert not ko["hade_ko"] and ko["hade_ko_underlag"]["troskel_dagar"] == 40
    with pytest.raises(ValidationFailed):
        service.set_ko_threshold(0)

    with pytest.raises(ValidationFailed, match="bara när"):
        service.save_ko_answer(YEAR, vantetid.KoAnswer(None, ("vakanser",)))
    service.save_ko_answer(YEAR, vantetid.KoAnswer(True, ("vakanser", "sjukfranvaro")))
    service.save_manual(YEAR, {"handledning": "Varje vecka."})  # keeps the kö answer
    ko = service.compute(YEAR)["ko"]
    assert (ko["hade_ko"], ko["hade_ko_forslag"], ko["hade_ko_besvarad"]) == (True, False, True)
    assert ko["orsaker"] == ["sjukfranvaro", "vakanser"]
    assert service.compute(YEAR)["manuellt"]["handledning"] == "Varje vecka."
    service.save_ko_answer(YEAR, vantetid.KoAnswer(None))
    assert service.compute(YEAR)["ko"]["hade_ko_besvarad"] is False

    service.save_ko_answer(YEAR, vantetid.KoAnswer(False))
    service.freeze(YEAR)
    with pytest.raises(ValidationFailed, match="fastställd"):
        service.save_ko_answer(YEAR, vantetid.KoAnswer(True))
    assert service.document(YEAR)["ko"]["hade_ko"] is False


def test_per_kommun_and_still_waiting_figures_in_json_csv_and_pdf(workspace, tmp_path) -> None:
    kommuner = workspace.verksamhet.get().kommuner
    add_uppdrag(workspace, date(YEAR, 1, 1), date(YEAR, 1, 11))  # Karlstad, 10
    add_uppdrag(workspace, date(YEAR, 1, 1), date(YEAR, 3, 2))  # Karlstad, 60
    add_uppdrag(workspace, date(YEAR, 2, 1), date(YEAR, 2, 15), kommun=1)  # Hammarö, 14
    workspace.ko.save(
        Anmalan(
            anmald=date(YEAR, 9, 1),
            kon="man",
            fodelsear=1970,
            kommun_id=kommuner[1].id,
            kontaktorsaker=("bostad",),
        )
    )  # fmt: skip  (waits 121 days on 31 December, still waiting today)
    service = workspace.aterrapport
    service.export(tmp_path / "r.json", YEAR, "json")
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["schema"] == "po-desk/aterrapport/2"
    assert return_schema.problems(document) == []
    ko = document["ko"]
    assert ko["vantande_31_dec"] == 1 and ko["vantande_31_dec_langst_dagar"] == 121
    assert ko["per_kommun"] == [
        {"kommun": "Karlstad", "startade_fran_ko": 2,
         "vantetid_dagar": {"min": 10, "median": 35.0, "max": 60},
         "vantande_31_dec": 0, "vantande_31_dec_langst_dagar": None},
        {"kommun": "Hammarö", "startade_fran_ko": 1,
         "vantetid_dagar": {"min": 14, "median": 14.0, "max": 14},
         "vantande_31_dec": 1, "vantande_31_dec_langst_dagar": 121},
    ]  # fmt: skip

    service.export(tmp_path / "r.csv", YEAR, "csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig")), delimiter=";"))
    assert ["Väntetider per kommun"] in rows
    assert ["Karlstad", "2", "10", "35,00", "60", "0", ""] in rows
    assert ["Hammarö", "1", "14", "14,00", "14", "1", "121"] in rows
    assert ["Längsta väntan hittills bland dem (dagar)", "121"] in rows
    assert ["Kö under året", "Ja"] in rows  # 121 days > 30
    assert ["Prioriteringsordning vid årets slut"] in rows
    assert ["–", "Ingen beslutad prioriteringsordning"] in rows

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed: the PDF is not read back")
    service.export(tmp_path / "r.pdf", YEAR, "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Väntetider per kommun" in text
    line = next(row for row in text.splitlines() if row.strip().startswith("Hammarö"))
    assert line.split()[1:] == ["1", "14", "14,00", "14", "1", "121"]
    assert "Ingen beslutad prioriteringsordning" in text
    assert "Underlag för förslaget" in text


def test_every_export_of_a_demo_store_validates_against_the_shipped_schema(workspace) -> None:
    from po_desk.services import demo

    demo.fill(workspace, uppdrag_count=150, years=3, seed=4)
    for year in range(YEAR - 2, YEAR + 1):
        document = json.loads(workspace.aterrapport.render(year, "json"))
        assert return_schema.problems(document) == []
        assert document["prioriteringsordning"]["beslutad"]  # the demo records decisions


def test_migration_turns_only_the_untouched_seeded_order_into_a_proposal(tmp_path) -> None:
    for suffix in (".podesk", ".podesk.keys"):
        shutil.copy2(FIXTURES / f"schema_0004{suffix}", tmp_path / f"s{suffix}")
    workspace = store_lifecycle.open_store(
        tmp_path / "s.podesk", passphrase="fixtur-lösenfras-0004"
    )
    try:
        versions = workspace.ko.versions()
        assert [(v.anteckning, v.beslutad_av) for v in versions] == [
            ("Förvald ordning", None),
            ("Beslut i ledningsgruppen", "ledningsgrupp"),
            ("Akut behov först efter beslut i ledningsgruppen", "ledningsgrupp"),
        ]
        assert all(v.grunder for v in versions)  # no version lost its grounds
        assert versions[0].grunder == DEFAULT_ORDER and not versions[0].ingen
        saved = workspace.aterrapport.saved(2025)
        assert saved.faststalld is not None
        assert saved.faststalld["schema"] == "po-desk/aterrapport/1"
        assert workspace.aterrapport.document(2025) == saved.faststalld  # unchanged
        assert return_schema.problems(saved.faststalld) == []  # checked against version 1
        json.loads(workspace.aterrapport.render(2025, "json"))
        workspace.aterrapport.render(2025, "csv")
    finally:
        workspace.session.close()


def test_aggregate_reads_a_version_1_and_a_version_2_return_together(workspace, tmp_path):
    first = json.loads((FIXTURES / "aterrapport_v1_2025.json").read_text(encoding="utf-8"))
    assert first["schema"] == "po-desk/aterrapport/1" and first["ko"]["hade_ko"] is True
    # A compilation resolves a v1 return's names through SCB's list (issue 15): the
    # fixture's made-up kommuner become real ones of its län.
    first["verksamhet"]["kommuner"] = ["Kil", "Grums"]
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(first), encoding="utf-8")
    year = first["ar"]
    # The v2 return: a store with no decided ordning whose enhetschef answered "kö: nej".
    add_uppdrag(workspace, date(year, 1, 1), date(year, 6, 1))  # proposal: Ja
    workspace.aterrapport.save_ko_answer(year, vantetid.KoAnswer(False))
    v2 = tmp_path / "v2.json"
    workspace.aterrapport.export(v2, year, "json")
    # A second v2 return: decided "ingen", kö by the answer Ja.
    other = json.loads(v2.read_text(encoding="utf-8"))
    other["verksamhet"]["namn"] = "PO Tredje"
    other["ko"].update(hade_ko=True, hade_ko_besvarad=True, orsaker=["vakanser"])
    other["prioriteringsordning"].update(
        beslutad=True, beslutsdatum=f"{year}-01-10", beslutad_av="ledningsgrupp"
    )
    third = tmp_path / "v2b.json"
    third.write_text(json.dumps(other), encoding="utf-8")
    out = tmp_path / "samman.json"
    compiled = sammanstallning_service.aggregate([v1, v2, third], out)
    total = compiled["totalt"]
    assert total["antal_verksamheter"] == 3
    assert total["ko"]["verksamheter_med_ko"] == 2  # v1 (Ja) and the third; not the "nej"
    assert total["ko"]["verksamheter_med_ko_besvarat"] == 2
    assert total["ko"]["orsaker"]["vakanser"] == 1
    assert total["prioriteringsordning_beslut"] == {
        "med_beslutad": 1, "utan_beslutad": 2, "beslutat_ingen": 1, "inget_beslut": 1,
    }  # fmt: skip
    assert [(k["verksamhet"], k["kommun"]) for k in total["ko_per_kommun"]] == [
        ("PO Testbygden", "Karlstad"), ("PO Testbygden", "Hammarö"),
        ("PO Tredje", "Karlstad"), ("PO Tredje", "Hammarö"),
    ]  # fmt: skip
    for suffix in (".csv", ".pdf"):
        sammanstallning_service.aggregate([v1, v2, third], tmp_path / f"samman{suffix}")
    text = (tmp_path / "samman.csv").read_text("utf-8-sig")
    assert "Utan beslutad prioriteringsordning;2" in text
    assert "Verksamheter med kö (enligt svaret);2" in text
