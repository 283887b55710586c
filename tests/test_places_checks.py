"""Issue 15: official län and kommuner in the store, the return and the compilation, and
the consistency rules before fastställ and on every return a compilation reads."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from po_desk.domain import return_checks
from po_desk.domain.aterrapport_tables import describe_path
from po_desk.domain.errors import NeedsConfirmation, ValidationFailed
from po_desk.services import sammanstallning_service, store_lifecycle
from po_desk.services.official_places import official_places
from po_desk.store.store import Store
from tests.conftest import PASSPHRASE
from tests.test_aggregate import random_return
from tests.test_cli import run_cli

# A return with figures in every section the rules look at (klienter, nya, kö, ombud).
SEED = 7


def base_return(name: str = "PO Brott") -> dict[str, Any]:
    document = random_return(SEED, name)
    klienter = document["klienter"]
    assert klienter["totalt"] > 2 and klienter["nya_per_kon"]["kvinna"] > 0
    return document


def _summor(d: dict[str, Any]) -> None:
    d["ombud"]["antal"] += 1


def _andelar(d: dict[str, Any]) -> None:
    d["klienter"]["med_barn"]["andel"] = 1.5


def _nya(d: dict[str, Any]) -> None:
    extra = d["klienter"]["totalt"] + 1 - d["klienter"]["nya"]
    d["klienter"]["nya"] += extra
    d["klienter"]["nya_per_kon"]["kvinna"] += extra
    d["klienter"]["nya_per_kon"]["totalt"] += extra


def _orsaker(d: dict[str, Any]) -> None:
    row = d["kontaktorsaker"]["ekonomi"]
    extra = d["klienter"]["nya_per_kon"]["kvinna"] + 1 - row["kvinna"]
    row["kvinna"] += extra
    row["totalt"] += extra
    row["andel"] = {key: 1.0 for key in row["andel"]}


def _ledningsgrupp(d: dict[str, Any]) -> None:
    d["ledningsgrupp"]["fulltalig"] = not d["ledningsgrupp"]["fulltalig"]


def _vantetider(d: dict[str, Any]) -> None:
    d["ko"]["vantetid_dagar"] = {"min": 30, "median": 10, "max": 40}


def _koder(d: dict[str, Any]) -> None:
    d["verksamhet"]["lan_kod"] = "99"


BREAKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "summor": _summor,
    "andelar": _andelar,
    "nya_och_avslutade": _nya,
    "kontaktorsaker_per_kon": _orsaker,
    "ledningsgrupp": _ledningsgrupp,
    "vantetider": _vantetider,
    "ar_schema_koder": _koder,
}


def test_every_rule_with_an_error_has_a_breaker() -> None:
    assert set(BREAKERS) == set(return_checks.RULES) - {"forandring"}


def write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", sorted(BREAKERS))
def test_a_broken_return_is_refused_naming_the_file_and_the_rule(tmp_path: Path, rule: str):
    good = write(tmp_path, "hel.json", random_return(SEED + 1, "PO Hel"))
    broken = base_return()
    BREAKERS[rule](broken)
    first = return_checks.errors(return_checks.check(broken, 2026, places=official_places()))
    assert first and first[0].rule == rule  # the hand-broken return breaks this rule first
    bad = write(tmp_path, "trasig.json", broken)
    out = tmp_path / "samman.json"
    result = run_cli("aggregate", str(good), str(bad), "--out", str(out))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert "trasig.json" in result.stderr and f"regeln {rule} " in result.stderr
    assert not out.exists()


def test_a_consistent_return_passes_every_rule() -> None:
    assert return_checks.check(base_return(), 2026, places=official_places()) == []


def _tripled(value: Any) -> Any:
    """Every count three times as large; shares (andel) stay as they are."""
    if isinstance(value, dict):
        return {k: v if k == "andel" else _tripled(v) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool):
        return value * 3
    return value


def test_warnings_compile_and_are_listed_in_json_csv_and_pdf(tmp_path: Path) -> None:
    now = base_return()
    before = json.loads(json.dumps(now))
    before["ar"] -= 1
    before["klienter"] = _tripled(now["klienter"])  # a drop of two thirds, still consistent
    paths = [write(tmp_path, "a.json", now), write(tmp_path, "b.json", random_return(3, "PO B"))]
    earlier = tmp_path / "forra"
    earlier.mkdir()
    previous_of = [write(earlier, "a.json", before)]  # last year's files; b has none

    compiled = sammanstallning_service.aggregate(paths, tmp_path / "s.json", previous_of)
    listed = [w for w in compiled["kvalitet"] if w["falt"] == "klienter.totalt"]
    assert listed and listed[0]["fil"] == "a.json" and listed[0]["regel"] == "forandring"
    assert listed[0]["verksamhet"] == "PO Brott"
    written = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert written["kvalitet"] == compiled["kvalitet"]
    sammanstallning_service.aggregate(paths, tmp_path / "s.csv", previous_of)
    csv_text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "Kvalitet: varningar i återrapporterna" in csv_text
    rule = return_checks.RULES["forandring"]
    assert f"a.json;PO Brott;{rule};{describe_path('klienter.totalt')}" in csv_text
    if shutil.which("pdftotext"):
        sammanstallning_service.aggregate(paths, tmp_path / "s.pdf", previous_of)
        text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                              text=True).stdout  # fmt: skip
        assert "Kvalitet" in text and "a.json" in text and "PO Brott" in text


def test_without_warnings_the_quality_section_is_empty(tmp_path: Path) -> None:
    paths = [write(tmp_path, "a.json", base_return())]
    assert sammanstallning_service.compile_files(paths)["kvalitet"] == []


# -- places in the compilation -----------------------------------------------------------


def without_codes(document: dict[str, Any], lan: str, kommuner: list[str]) -> dict[str, Any]:
    verksamhet = {k: v for k, v in document["verksamhet"].items() if "kod" not in k}
    return {**document, "verksamhet": {**verksamhet, "lan": lan, "kommuner": kommuner}}


def test_spellings_of_one_lan_and_kommun_compile_as_one_place(tmp_path: Path) -> None:
    a = without_codes(random_return(1, "PO A"), "Värmland", ["Karlstad"])
    b = without_codes(random_return(2, "PO B"), "Värmlands län", ["Karlstads kommun"])
    c = random_return(4, "PO C")
    c["verksamhet"].update(lan="Värmlands län", lan_kod="17", kommuner=["Karlstad"],
                           kommunkoder=["1780"])  # fmt: skip
    paths = [write(tmp_path, f"{n}.json", d) for n, d in (("a", a), ("b", b), ("c", c))]
    compiled = sammanstallning_service.compile_files(paths)
    assert list(compiled["lan"]) == ["Värmlands län"]
    assert compiled["lan"]["Värmlands län"]["antal_verksamheter"] == 3
    assert compiled["totalt"]["antal_kommuner"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lan_kod", "99"),
        ("kommunkoder", ["9999"]),
        ("lan", "Fel län"),
        ("kommuner", ["Ingenstans"]),
    ],
)
def test_an_unknown_place_is_refused_naming_the_file(tmp_path: Path, field: str, value) -> None:
    document = random_return(1, "PO A")
    if field in ("lan", "kommuner"):  # a return with names only (as version 1 has)
        document = without_codes(document, document["verksamhet"]["lan"],
                                 document["verksamhet"]["kommuner"])  # fmt: skip
    document["verksamhet"][field] = value
    path = write(tmp_path, "okand.json", document)
    out = tmp_path / "s.json"
    with pytest.raises(sammanstallning_service.SammanstallningError) as raised:
        sammanstallning_service.aggregate([path], out)
    assert "okand.json" in raised.value.message and "ar_schema_koder" in raised.value.message
    assert "SCB" in raised.value.message
    assert not out.exists()


# -- places in the store -----------------------------------------------------------------


def init(tmp_path: Path, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("init", "--db", str(tmp_path / name), "--verksamhet", "PO Test", *extra,
                   env={"PO_DESK_PASSPHRASE": PASSPHRASE})  # fmt: skip


def test_init_refuses_a_lan_not_on_the_list(tmp_path: Path) -> None:
    result = init(tmp_path, "x.podesk", "--lan", "Fel län", "--kommun", "Karlstad")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "Fel län" in result.stderr
    assert not (tmp_path / "x.podesk").exists()
    result = init(tmp_path, "y.podesk", "--lan", "17", "--kommun", "Karlsta")
    assert result.returncode != 0 and "Karlsta" in result.stderr
    assert not (tmp_path / "y.podesk").exists()


def test_a_name_and_its_code_give_the_same_store(tmp_path: Path) -> None:
    stored = []
    for name, lan, kommun in (("a.podesk", "17", "1780"),
                              ("b.podesk", "Värmlands län", "Karlstad"),
                              ("c.podesk", "Värmland", "Karlstads kommun")):  # fmt: skip
        result = init(tmp_path, name, "--lan", lan, "--kommun", kommun, "--kommun", "1715")
        assert result.returncode == 0, result.stderr
        workspace = store_lifecycle.open_store(tmp_path / name, passphrase=PASSPHRASE)
        try:
            verksamhet = workspace.verksamhet.get()
            stored.append((verksamhet.lan, [k.namn for k in verksamhet.kommuner]))
        finally:
            workspace.session.close()
    assert stored == [("Värmlands län", ["Karlstad", "Kil"])] * 3


def old_store(tmp_path: Path, lan: str, kommuner: list[str]):
    """A store made before the list was shipped, with its own spellings."""
    store, _key = Store.create(tmp_path / "gammal.podesk", namn="PO Gammal", lan=lan,
                               kommuner=kommuner, passphrase=PASSPHRASE, start_ar=2020)  # fmt: skip
    store.close()
    return store_lifecycle.open_store(tmp_path / "gammal.podesk", passphrase=PASSPHRASE)


def test_an_old_spelling_keeps_working_and_the_return_carries_the_codes(tmp_path: Path) -> None:
    workspace = old_store(tmp_path, "Värmland", ["Karlstads kommun", "Hammarö"])
    try:
        assert workspace.verksamhet.place_problems() == []
        document = workspace.aterrapport.compute(2025)
        assert document["verksamhet"]["lan_kod"] == "17"
        assert document["verksamhet"]["kommunkoder"] == ["1780", "1761"]
        # Saving Inställningar respells the stored kommun, keeping it (and its uppdrag).
        kommun_id = workspace.verksamhet.get().kommuner[0].id
        verksamhet = workspace.verksamhet.get()
        workspace.verksamhet.update(verksamhet, ["1780", "Hammarö"])
        saved = workspace.verksamhet.get()
        assert saved.lan == "Värmlands län"
        assert [(k.id, k.namn) for k in saved.kommuner] == [
            (kommun_id, "Karlstad"),
            (saved.kommuner[1].id, "Hammarö"),
        ]
    finally:
        workspace.session.close()


def test_an_unresolved_place_is_shown_and_blocks_fastställ(tmp_path: Path) -> None:
    workspace = old_store(tmp_path, "Värmlands län", ["Karlstad", "Gamla kommunen"])
    try:
        problems = workspace.verksamhet.place_problems()
        assert problems == [
            "Kommunen ”Gamla kommunen” finns inte i SCB:s förteckning över kommuner."
        ]
        assert [k.namn for k in workspace.verksamhet.get().kommuner] == [
            "Karlstad",
            "Gamla kommunen",
        ]
        with pytest.raises(ValidationFailed) as refused:
            workspace.aterrapport.freeze(2025)
        assert any("ar_schema_koder" in line for line in refused.value.problems)
        assert workspace.aterrapport.saved(2025).faststalld is None
    finally:
        workspace.session.close()


# -- fastställ -----------------------------------------------------------------------------


def test_fastställ_is_refused_on_an_error_and_asks_on_a_warning(workspace, monkeypatch) -> None:
    service = workspace.aterrapport
    year = date.today().year - 1
    real = service.compute

    def broken(y: int) -> dict[str, Any]:
        document = real(y)
        document["ombud"]["antal"] += 1
        return document

    monkeypatch.setattr(service, "compute", broken)
    with pytest.raises(ValidationFailed) as refused:
        service.freeze(year)
    assert isinstance(refused.value, ValidationFailed)
    assert not isinstance(refused.value, NeedsConfirmation)
    assert any("summor" in line for line in refused.value.problems)
    assert service.saved(year).faststalld is None

    def jumped(y: int) -> dict[str, Any]:
        document = real(y)
        if y == year:
            document["ombud"]["arsarbetare"] = 40.0
        else:
            document["ombud"]["arsarbetare"] = 12.0
        return document

    monkeypatch.setattr(service, "compute", jumped)
    monkeypatch.setattr(service, "covers", lambda y: True)
    with pytest.raises(NeedsConfirmation) as asked:
        service.freeze(year)
    assert any("ombud.arsarbetare" in line for line in asked.value.problems)
    assert service.saved(year).faststalld is None
    service.freeze(year, warnings_confirmed=True)
    assert service.saved(year).faststalld is not None


def test_a_kommun_not_on_the_list_is_replaced_by_the_one_chosen_keeping_its_uppdrag(
    tmp_path: Path,
) -> None:
    from po_desk.domain.uppdrag import Uppdrag

    workspace = old_store(tmp_path, "Värmlands län", ["Karlstad", "Gamla kommunen"])
    try:
        old = workspace.verksamhet.get().kommuner[1]
        workspace.uppdrag.save(
            Uppdrag(
                kon="man",
                fodelsear=1960,
                kommun_id=old.id,
                start=date(2025, 5, 5),
                kontaktorsaker=("bostad",),
            )
        )
        verksamhet = workspace.verksamhet.get()
        workspace.verksamhet.update(verksamhet, ["Karlstad", "Kil"])
        kommuner = workspace.verksamhet.get().kommuner
        assert [(k.id, k.namn) for k in kommuner][1] == (old.id, "Kil")
        assert workspace.verksamhet.place_problems() == []
        assert workspace.aterrapport.compute(2025)["verksamhet"]["kommunkoder"] == [
            "1780",
            "1715",
        ]
    finally:
        workspace.session.close()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"lan_kod": "20"}, "verksamhet.lan_kod"),  # Dalarna's code beside Värmland's name
        ({"kommunkoder": ["1780", "1715"]}, "verksamhet.kommunkoder"),  # two codes, one name
        ({"kommunkoder": ["0000"]}, "verksamhet.kommuner"),
    ],
)
def test_the_codes_rule_checks_the_places_against_the_list(change, path) -> None:
    document = random_return(1, "PO A")
    document["verksamhet"].update(lan="Värmlands län", lan_kod="17", kommuner=["Karlstad"],
                                  kommunkoder=["1780"])  # fmt: skip
    places = official_places()
    assert return_checks.check(document, 2026, places=places) == []
    document["verksamhet"].update(change)
    found = return_checks.errors(return_checks.check(document, 2026, places=places))
    assert [(f.rule, f.path) for f in found] == [("ar_schema_koder", path)]
    assert return_checks.check(document, 2026) == []  # without the list: not checked


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100_000))
def test_property_a_return_straight_from_the_domain_breaks_no_rule(seed: int) -> None:
    document = random_return(seed, f"PO {seed}")
    assert return_checks.check(document, 2026, places=official_places()) == []
    assert return_checks.check(document, 2026, previous=document, places=official_places()) == []
