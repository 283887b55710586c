"""Compiling returns: totals equal the sums computed here, input order changes nothing, bad
inputs name the file and write nothing."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import aterrapport, categories, vantetid
from po_desk.domain.aterrapport import Records
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.ko import Prioriteringsordning
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.vantetid import KoAnswer
from po_desk.domain.verksamhet import Kommun, Ombud, Verksamhet
from po_desk.services import return_schema, sammanstallning_service
from po_desk.services.official_places import official_places

YEAR = 2025
LAN = ["Värmlands län", "Skåne län", "Stockholms län"]


def random_return(seed: int, name: str, year: int = YEAR) -> dict:
    rng = random.Random(seed)
    places = official_places()
    lan = rng.choice(LAN)
    official = rng.choice(places.kommuner_in(places.find_lan(lan)))
    kommun = Kommun(f"k{seed}", official.namn)
    uppdrag = []
    for _ in range(rng.randint(0, 40)):
        start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000))
        uppdrag.append(
            Uppdrag(
                kon=rng.choice(["kvinna", "man", "annan"]),
                fodelsear=start.year - rng.randint(18, 90),
                kommun_id=kommun.id,
                start=start,
                anmald=start - timedelta(days=rng.randint(0, 200)) if rng.random() < 0.6 else None,
                slut=start + timedelta(days=rng.randint(0, 600)) if rng.random() < 0.5 else None,
                barn=rng.choice(["nej", "helt", "delvis"]),
                kontaktorsaker=tuple(rng.sample(categories.codes(categories.KONTAKTORSAKER), 2)),
            )
        )
    order = list(categories.codes(categories.PRIORITETSGRUNDER))
    rng.shuffle(order)
    records = Records(
        verksamhet=places.with_codes(Verksamhet(name, lan, 2020, kommuner=[kommun])),
        uppdrag=uppdrag,
        versions=rng.choice(
            [
                [Prioriteringsordning(date(2024, 1, 1), tuple(order[: rng.randint(1, 4)]))],
                [Prioriteringsordning(date(2024, 1, 1), (), beslutad_av="enhetschef", ingen=True)],
                [Prioriteringsordning(date(2020, 1, 1), tuple(order), beslutad_av=None)],
                [],
            ]
        ),
        ground_names={c.code: c.name for c in categories.PRIORITETSGRUNDER},
        ombud=[Ombud("AK", "kvinna", rng.choice([0.5, 1.0]), date(2020, 1, 1))],
    )
    records.avvikelser = random_avvikelser(rng, year)
    records.manuellt = vantetid.answer_to(
        rng.choice([KoAnswer(None), KoAnswer(False), KoAnswer(True, ("vakanser",)),
                    KoAnswer(True, ("fler_sokande", "annan"))])
    )  # fmt: skip
    return aterrapport.build(records, year)


def random_avvikelser(rng: random.Random, year: int) -> list[Avvikelse]:
    """A few brister, from a small set of aktörer and kategorier so that verksamheter share
    them."""
    aktorer = categories.codes(categories.AKTORER)[:3]
    kategorier = categories.codes(categories.BRISTKATEGORIER)[:4]
    return [
        Avvikelse(
            datum=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            aktor=rng.choice(aktorer),
            niva=rng.choice(categories.codes(categories.NIVAER)),
            kategorier=tuple(rng.sample(kategorier, rng.randint(1, 2))),
            beskrivning="Lång handläggningstid för ansökan.",
            konsekvens=rng.choice(["", "Klienten stod utan ersättning."]),
            atgarder=tuple(rng.sample(categories.codes(categories.ATGARDER), rng.randint(0, 2))),
        )
        for _ in range(rng.randint(0, 5))
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8, unique=True), st.randoms())
def test_property_totals_are_the_sums_and_order_does_not_matter(seeds, rnd) -> None:
    returns = [random_return(seed, f"PO {seed}") for seed in seeds]
    assert all(not return_schema.problems(r) for r in returns)
    compiled = sammanstallning_service.sammanstallning.compile_returns(returns, ["a.json"])
    shuffled = list(returns)
    rnd.shuffle(shuffled)
    assert sammanstallning_service.sammanstallning.compile_returns(shuffled, ["a.json"]) == compiled
    total = compiled["totalt"]
    assert total["antal_verksamheter"] == len(returns)
    assert total["klienter"]["totalt"] == sum(r["klienter"]["totalt"] for r in returns)
    for kon in ("kvinna", "man", "annan", "totalt"):
        for label in ("18-29", "30-49", "50-64", "65+", "totalt"):
            assert total["klienter"]["kon_alder"][kon][label] == sum(
                r["klienter"]["kon_alder"][kon][label] for r in returns
            )
        assert total["klienter"]["med_barn"][kon] == sum(
            r["klienter"]["med_barn"][kon] for r in returns
        )
    for orsak in categories.codes(categories.KONTAKTORSAKER):
        assert total["kontaktorsaker"][orsak]["totalt"] == sum(
            r["kontaktorsaker"][orsak]["totalt"] for r in returns
        )
    assert total["ko"]["verksamheter_med_ko"] == sum(r["ko"]["hade_ko"] for r in returns)
    assert sum(total["ko"]["fordelning_personer"].values()) == sum(
        r["ko"]["startade_fran_ko"] for r in returns
    )
    users = {p["grund"]: p["verksamheter"] for p in total["prioriteringsordning"]}
    for ground in users:
        assert users[ground] == sum(
            1
            for r in returns
            if any(p["grund"] == ground for p in r["prioriteringsordning"]["grunder"])
        )
    beslut = total["prioriteringsordning_beslut"]
    without = [r for r in returns if not r["prioriteringsordning"]["har_prioriteringsordning"]]
    assert beslut["utan_beslutad"] == len(without)
    assert beslut["med_beslutad"] + beslut["utan_beslutad"] == len(returns)
    assert beslut["beslutat_ingen"] + beslut["inget_beslut"] == len(without)
    assert round(total["ombud"]["arsarbetare"], 2) == round(
        sum(r["ombud"]["arsarbetare"] for r in returns), 2
    )
    for lan, section in compiled["lan"].items():
        mine = [r for r in returns if r["verksamhet"]["lan"] == lan]
        assert section["klienter"]["totalt"] == sum(r["klienter"]["totalt"] for r in mine)


def write_returns(folder: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        path = folder / f"retur-{index:03d}.json"
        path.write_text(json.dumps(random_return(index, f"PO {index}")), encoding="utf-8")
        paths.append(path)
    return paths


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "po_desk", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ})  # fmt: skip


@pytest.mark.parametrize("suffix", [".json", ".csv", ".pdf"])
def test_cli_writes_each_format(tmp_path: Path, suffix: str) -> None:
    paths = write_returns(tmp_path, 5)
    out = tmp_path / f"samman{suffix}"
    result = run_cli("aggregate", *map(str, paths), "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if suffix == ".json":
        compiled = json.loads(data)
        assert compiled["schema"] == "po-desk/sammanstallning/1"
        assert compiled["antal_verksamheter"] == 5 and set(compiled["lan"]) <= set(LAN)
    elif suffix == ".csv":
        assert data.startswith(b"\xef\xbb\xbf") and "Kön;18–29 år".encode() in data
    else:
        if shutil.which("pdftotext") is None:
            pytest.skip("poppler-utils (pdftotext) not installed: the PDF is not read back")
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                              text=True).stdout  # fmt: skip
        assert "Sammanställning av återrapporter 2025" in text and "Källa: 5 återrapporter" in text


@pytest.mark.parametrize("problem", ["year", "duplicate", "broken", "schema", "invalid"])
def test_bad_inputs_name_the_file_and_write_nothing(tmp_path: Path, problem: str) -> None:
    paths = write_returns(tmp_path, 3)
    bad = paths[1]
    document = json.loads(bad.read_text(encoding="utf-8"))
    if problem == "year":
        document["ar"] = 2024
        bad.write_text(json.dumps(document), encoding="utf-8")
    elif problem == "duplicate":
        shutil.copy(paths[0], bad)
    elif problem == "broken":
        bad.write_text('{"schema": "po-desk/aterrapport/1", "ar": ', encoding="utf-8")
    elif problem == "schema":
        document["schema"] = "po-desk/aterrapport/9"
        bad.write_text(json.dumps(document), encoding="utf-8")
    else:
        del document["klienter"]["kon_alder"]
        bad.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "samman.json"
    result = run_cli("aggregate", *map(str, paths), "--out", str(out))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and bad.name in result.stderr
    assert not out.exists()


def test_many_returns_compile_quickly(tmp_path: Path) -> None:
    paths = write_returns(tmp_path, 290)
    started = time.perf_counter()
    compiled = sammanstallning_service.compile_files(paths)
    elapsed = time.perf_counter() - started
    assert compiled["antal_verksamheter"] == 290
    print(f"290 returns compiled in {elapsed:.2f} s")  # the figure; not a timed assertion


@pytest.mark.gui
def test_gui_compiles_a_folder_through_the_buttons(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:
    """Issue 13.1: the real buttons and the file dialogs' answers, as a user clicks them
    (clicked(bool) once arrived as the target and every compilation failed)."""
    from PySide6.QtWidgets import QFileDialog

    from po_desk.ui.main_window import RAPPORTER

    folder = tmp_path / "returer"
    folder.mkdir()
    write_returns(folder, 4)
    answers = {"folder": str(folder), "save": ""}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: answers["folder"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (answers["save"], ""))
    window.nav.setCurrentRow(RAPPORTER)
    panel = window.rapporter_view.aggregate
    panel.choose_button.click()
    assert panel.files.count() == 4 and panel.run_button.isEnabled()
    for name in ("samman.pdf", "samman.csv", "samman.json"):
        answers["save"] = str(tmp_path / name)
        panel.run_button.click()
        qtbot.waitUntil(lambda n=name: n in panel.status.text(), timeout=20000)
        assert "4 återrapporter" in panel.status.text() and panel.errors.text() == ""
        assert (tmp_path / name).stat().st_size > 0
    answers["save"] = ""  # Avbryt in the save dialog: nothing happens
    panel.run_button.click()
    assert "samman.json" in panel.status.text()
    (folder / "trasig.json").write_text("{", encoding="utf-8")
    panel.choose_button.click()
    answers["save"] = str(tmp_path / "b.json")
    panel.run_button.click()
    qtbot.waitUntil(lambda: "trasig.json" in panel.errors.text(), timeout=10000)
    assert not (tmp_path / "b.json").exists()
