"""Issue 15: brister counted by reporting verksamheter, verksamheter with kö, and the change
since the previous year's returns, the same in JSON, CSV and PDF."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import categories, sammanstallning
from po_desk.domain.formatting import decimal, number
from tests.test_aggregate import YEAR, random_return, run_cli

PREVIOUS = YEAR - 1


def expected_brister(returns: list[dict]) -> dict[tuple[str, str, str], tuple[int, int, int]]:
    """(nivå, aktör, kategori) → (verksamheter, län, avvikelser), counted here."""
    who: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
    count: Counter[tuple[str, str, str]] = Counter()
    for document in returns:
        me = (document["verksamhet"]["lan"], document["verksamhet"]["namn"])
        for text in document["brister"]["texter"]:
            for kategori in text["kategorier"]:
                who[(text["niva"], text["aktor"], kategori)].add(me)
                count[(text["niva"], text["aktor"], kategori)] += 1
    return {k: (len(v), len({lan for lan, _ in v}), count[k]) for k, v in who.items()}


def rows_by_key(rows: list[dict]) -> dict[tuple[str, str, str], tuple[int, int, int]]:
    return {
        (r["niva"], r["aktor"], r["kategori"]): (r["verksamheter"], r["lan"], r["avvikelser"])
        for r in rows
    }


def numeric_paths(value, path=(), unknown: bool = False) -> set[tuple]:
    """Every figure's path, through dicts (lists of rows are checked on their own); with
    `unknown`, also the figures given as null (a change against an unknown median)."""
    if isinstance(value, dict):
        return {
            p for key, inner in value.items() for p in numeric_paths(inner, (*path, key), unknown)
        }
    if (isinstance(value, int | float) and not isinstance(value, bool)) or (
        unknown and value is None
    ):
        return {path}
    return set()


def now_and_before(seeds: list[int], earlier: list[int]) -> tuple[list[dict], list[dict]]:
    now = [random_return(seed, f"PO {seed % 7}-{seed}") for seed in seeds]
    # Some verksamheter of last year carry this year's names, so that they match.
    names = [r["verksamhet"]["namn"] for r in now] + [f"PO gammal {s}" for s in earlier]
    before = [
        random_return(seed + 20_000, names[index], PREVIOUS) for index, seed in enumerate(earlier)
    ]
    return now, before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=7, unique=True),
    st.lists(st.integers(0, 10_000), min_size=0, max_size=7, unique=True),
)
def test_property_brister_by_reporting_verksamheter_and_the_change(seeds, earlier) -> None:
    now, before = now_and_before(seeds, earlier)
    compiled = sammanstallning.compile_returns(now, ["a.json"], previous=before or None)
    total = compiled["totalt"]
    assert rows_by_key(total["brister_verksamheter"]) == expected_brister(now)
    nivaer = [r["niva"] for r in total["brister_verksamheter"]]
    order = sammanstallning.NIVA_NATIONAL_ORDER
    assert nivaer == sorted(nivaer, key=order.index)  # central nivå first
    for lan, section in compiled["lan"].items():
        mine = [r for r in now if r["verksamhet"]["lan"] == lan]
        assert rows_by_key(section["brister_verksamheter"]) == expected_brister(mine)
    with_ko = {(r["verksamhet"]["lan"], r["verksamhet"]["namn"]): r["ko"]["orsaker"]
               for r in now if r["ko"]["hade_ko"]}  # fmt: skip
    assert {(r["lan"], r["verksamhet"]): r["orsaker"] for r in total["ko_verksamheter"]} == with_ko
    texts = [t for group in total["brister_texter"] for t in group["texter"]]
    assert len(texts) == sum(len(r["brister"]["texter"]) for r in now)
    assert all(t["kategorier"] for t in texts)
    if not before:
        assert "foregaende_ar" not in compiled
        return
    compared = compiled["foregaende_ar"]
    assert compared["ar"] == PREVIOUS and compared["antal_verksamheter"] == len(before)
    change = compared["forandring"]["totalt"]
    assert numeric_paths(total) <= numeric_paths(change, unknown=True)  # each has its change
    for lan, section in compiled["lan"].items():
        changes = compared["forandring"]["lan"][lan]
        assert numeric_paths(section) <= numeric_paths(changes, unknown=True)
    assert change["klienter"]["totalt"] == sum(r["klienter"]["totalt"] for r in now) - sum(
        r["klienter"]["totalt"] for r in before
    )
    assert change["ko"]["verksamheter_med_ko"] == sum(r["ko"]["hade_ko"] for r in now) - sum(
        r["ko"]["hade_ko"] for r in before
    )
    assert change["brister"]["antal"] == sum(r["brister"]["antal"] for r in now) - sum(
        r["brister"]["antal"] for r in before
    )
    then, this = expected_brister(before), expected_brister(now)
    wanted = {
        key: tuple(a - b for a, b in zip(this.get(key, (0, 0, 0)), then.get(key, (0, 0, 0)),
                                         strict=True))
        for key in {*this, *then}
    }  # fmt: skip
    assert rows_by_key(change["brister_verksamheter"]) == wanted
    for lan in {r["verksamhet"]["lan"] for r in [*now, *before]}:
        mine = [r for r in now if r["verksamhet"]["lan"] == lan]
        theirs = [r for r in before if r["verksamhet"]["lan"] == lan]
        per_lan = compared["forandring"]["lan"][lan]
        assert per_lan["klienter"]["nya"] == sum(r["klienter"]["nya"] for r in mine) - sum(
            r["klienter"]["nya"] for r in theirs
        )
        assert per_lan["antal_verksamheter"] == len(mine) - len(theirs)


def test_previous_return_is_matched_by_name_or_codes_and_jumps_are_warned() -> None:
    now = random_return(3, "PO Väst")
    before = json.loads(json.dumps(now))
    before["ar"] = PREVIOUS
    before["klienter"]["totalt"] = now["klienter"]["totalt"] * 3 + 30
    other = random_return(4, "PO Öst", PREVIOUS)
    assert sammanstallning.previous_of(now, [other, before]) is before
    assert sammanstallning.previous_of(now, [other]) is None
    renamed = json.loads(json.dumps(before))
    renamed["verksamhet"].update(namn="PO Västra", lan_kod="17", kommunkoder=["1780"])
    coded = json.loads(json.dumps(now))
    coded["verksamhet"].update(lan_kod="17", kommunkoder=["1780"])
    assert sammanstallning.previous_of(coded, [other, renamed]) is renamed
    compiled = sammanstallning.compile_returns([now], ["a.json"], previous=[before, other])
    warned = compiled["foregaende_ar"]["varningar"]
    assert any(
        w["verksamhet"] == "PO Väst"
        and w["falt"] == "klienter.totalt"
        and w["regel"] == "forandring"
        for w in warned
    )


def write(folder: Path, returns: list[dict]) -> list[Path]:
    folder.mkdir()
    paths = []
    for index, document in enumerate(returns):
        path = folder / f"retur-{index:02d}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(path)
    return paths


def csv_blocks(data: bytes) -> dict[str, list[list[str]]]:
    """Each CSV block by its title: header and rows."""
    blocks: dict[str, list[list[str]]] = {}
    title = None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"):
        if not row:
            title = None
        elif title is None:
            title = row[0]
            blocks[title] = []
        else:
            blocks[title].append(row)
    return blocks


def pdf_cell(value) -> str:
    return decimal(value) if isinstance(value, float) else number(value)


def csv_cell(value) -> str:
    return decimal(value, grouped=False) if isinstance(value, float) else str(value)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext saknas")
def test_with_previous_every_count_has_its_change_alike_in_json_csv_and_pdf(tmp_path) -> None:
    now, before = now_and_before([11, 12, 13, 14, 15], [1, 2, 3, 21, 22, 23])
    paths = write(tmp_path / "nu", now)
    earlier = write(tmp_path / "fjol", before)
    outputs = {}
    for suffix in (".json", ".csv", ".pdf"):
        out = tmp_path / f"samman{suffix}"
        result = run_cli("aggregate", *map(str, paths), "--previous", *map(str, earlier),
                         "--out", str(out))  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert f"Jämförd med {PREVIOUS}" in result.stdout
        outputs[suffix] = out
    compiled = json.loads(outputs[".json"].read_text(encoding="utf-8"))
    blocks = csv_blocks(outputs[".csv"].read_bytes())
    text = subprocess.run(["pdftotext", "-layout", str(outputs[".pdf"]), "-"],
                          capture_output=True, text=True).stdout  # fmt: skip
    lines = [" ".join(line.split()) for line in text.splitlines()]
    compared = compiled["foregaende_ar"]
    total, change, then = compiled["totalt"], compared["forandring"]["totalt"], compared["totalt"]

    # One-figure tables: now, the previous year and the change (as Tabell 2).
    checks = [
        ("Totalt – Klienter under året", "Klienter under året",
         total["klienter"]["totalt"], then["klienter"]["totalt"], change["klienter"]["totalt"]),
        ("Totalt – Kö och väntetider", "Verksamheter med kö (enligt svaret)",
         total["ko"]["verksamheter_med_ko"], then["ko"]["verksamheter_med_ko"],
         change["ko"]["verksamheter_med_ko"]),
        ("Totalt – Personliga ombud", "Årsarbetare", total["ombud"]["arsarbetare"],
         then["ombud"]["arsarbetare"], change["ombud"]["arsarbetare"]),
    ]  # fmt: skip
    for block, label, value, previous, difference in checks:
        assert difference == round(value - previous, 4)
        assert [label, csv_cell(value), csv_cell(previous), csv_cell(difference)] in blocks[block]
        wanted = f"{label} {pdf_cell(value)} {pdf_cell(previous)} {pdf_cell(difference)}"
        assert wanted in lines, wanted

    # Many-figure tables: a table of changes of the same shape follows.
    overview = blocks["Verksamheter per län – förändring jämfört med 2024"]
    total_row = next(row for row in overview if row[0] == "Totalt")
    assert total_row[5] == str(change["klienter"]["totalt"])
    assert total_row[1] == str(change["antal_verksamheter"])
    rows = change["brister_verksamheter"]
    assert rows, "the test returns report brister"
    title = "Systembrister per nivå, aktör och kategori – förändring jämfört med 2024"
    csv_rows = blocks[f"Totalt – {title}"]
    start = lines.index(title)
    pdf_part = lines[start : start + lines[start:].index("Förändring = skillnad mot 2024.")]
    for row in rows:
        names = (categories.name_of(categories.NIVAER, row["niva"]),
                 categories.name_of(categories.AKTORER, row["aktor"]),
                 categories.name_of(categories.BRISTKATEGORIER, row["kategori"]))  # fmt: skip
        figures = [row["verksamheter"], row["lan"], row["avvikelser"]]
        assert [*names, *map(str, figures)] in csv_rows
        if " " not in names[2]:  # a one-word kategori stays on one line in the PDF
            assert " ".join([*names, *map(pdf_cell, figures)]) in pdf_part
    kon_alder = blocks["Totalt – Klienter efter kön och ålder – förändring jämfört med 2024"]
    assert kon_alder[-1] == ["Totalt", *(str(change["klienter"]["kon_alder"]["totalt"][label])
                                         for label in ("18-29", "30-49", "50-64", "65+",
                                                       "totalt"))]  # fmt: skip


def test_previous_of_the_same_year_is_refused_and_nothing_written(tmp_path) -> None:
    now, _ = now_and_before([1, 2], [])
    paths = write(tmp_path / "nu", now)
    same = write(tmp_path / "fjol", [random_return(40, "PO 40")])
    out = tmp_path / "samman.json"
    result = run_cli("aggregate", *map(str, paths), "--previous", *map(str, same),
                     "--out", str(out))  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and same[0].name in result.stderr
    assert not out.exists()
