"""Klienter are persons (issue 14): a person who comes back gets a new uppdrag linked to
the earlier kod, history is never rewritten, and every figure counts persons through the
one counting module. Figures are computed by hand in each test."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from po_desk.domain import aterrapport, counting
from po_desk.domain.errors import ValidationFailed
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace

TODAY = date(2026, 11, 22)
FIXTURES = Path(__file__).parent / "fixtures"


def new(workspace: Workspace, **changes) -> Uppdrag:
    kommun = workspace.verksamhet.get().kommuner[0]
    base = Uppdrag(
        kon="kvinna",
        fodelsear=1980,
        kommun_id=kommun.id,
        start=date(2023, 2, 1),
        kontaktorsaker=("ekonomi",),
    )
    return replace(base, **changes)


def figures(workspace: Workspace, year: int) -> tuple[int, int, int, int]:
    klienter = workspace.aterrapport.compute(year)["klienter"]
    return klienter["totalt"], klienter["nya"], klienter["avslutade"], klienter["kvarstaende"]


def test_klient_back_after_a_gap_counts_in_the_right_years(workspace: Workspace) -> None:
    service = workspace.uppdrag
    first = service.save(new(workspace), today=TODAY)
    service.close(first.id, date(2023, 10, 31), "mal_uppnatt", today=TODAY)
    # Another person, man, with two periods in 2024: counted once.
    b1 = service.save(
        new(workspace, kon="man", fodelsear=1970, start=date(2024, 1, 10)), today=TODAY
    )
    service.close(b1.id, date(2024, 3, 31), "klienten_avslutade", today=TODAY)
    b2 = service.save(
        new(workspace, kon="man", fodelsear=1970, start=date(2024, 9, 1), tidigare_kod=b1.kod),
        today=TODAY,
    )
    assert b2.klient_id == b1.klient_id and b2.kod == "2024-002"
    frozen_2023 = workspace.aterrapport.freeze(2023)

    # The klient of 2023 comes back in 2025: a new linked uppdrag, new kontaktorsaker.
    with pytest.raises(ValidationFailed, match="återkommande klient"):
        service.reopen(first.id, today=TODAY)
    back = service.save(
        new(
            workspace,
            start=date(2025, 3, 1),
            kontaktorsaker=("bostad", "bryta_isolering"),
            tidigare_kod=first.kod,
        ),
        today=TODAY,
    )
    assert back.klient_id == first.klient_id and back.kod == "2025-001"

    # By hand: 2023 the kvinna alone, new and ended.
    assert figures(workspace, 2023) == (1, 1, 1, 0)
    # 2024: only the man (two periods, once), new and remaining; the kvinna counts 0.
    assert figures(workspace, 2024) == (1, 1, 0, 1)
    document_2024 = workspace.aterrapport.compute(2024)
    assert document_2024["klienter"]["kon_alder"]["kvinna"]["totalt"] == 0
    assert document_2024["kontaktorsaker"]["ekonomi"]["man"] == 1
    # 2025: both; only the kvinna is ny, with her 2025 kontaktorsaker.
    assert figures(workspace, 2025) == (2, 1, 0, 2)
    document_2025 = workspace.aterrapport.compute(2025)
    assert document_2025["klienter"]["nya_per_kon"] == {
        "kvinna": 1,
        "man": 0,
        "annan": 0,
        "totalt": 1,
    }
    orsaker = document_2025["kontaktorsaker"]
    assert (orsaker["bostad"]["kvinna"], orsaker["bryta_isolering"]["kvinna"]) == (1, 1)
    assert orsaker["ekonomi"]["totalt"] == 0
    # The fastställd year is unchanged by all of this.
    assert workspace.aterrapport.differences(2023) == []
    assert workspace.aterrapport.document(2023) == frozen_2023
    assert workspace.aterrapport.compute(2023)["klienter"] == frozen_2023["klienter"]


def test_two_periods_in_one_year_count_once_and_overlap_is_refused(workspace: Workspace):
    service = workspace.uppdrag
    a = service.save(new(workspace, start=date(2025, 1, 15)), today=TODAY)
    service.close(a.id, date(2025, 4, 30), "klienten_avslutade", today=TODAY)
    with pytest.raises(ValidationFailed, match="överlappar"):
        service.save(new(workspace, start=date(2025, 4, 1), tidigare_kod=a.kod), today=TODAY)
    with pytest.raises(ValidationFailed, match="Kön och födelseår"):
        service.save(
            new(workspace, start=date(2025, 6, 1), fodelsear=1981, tidigare_kod=a.kod),
            today=TODAY,
        )
    with pytest.raises(ValidationFailed, match="inget uppdrag"):
        service.save(new(workspace, start=date(2025, 6, 1), tidigare_kod="2019-999"), today=TODAY)
    b = service.save(new(workspace, start=date(2025, 6, 1), tidigare_kod=a.kod), today=TODAY)
    service.close(b.id, date(2025, 11, 30), "mal_uppnatt", today=TODAY)
    assert figures(workspace, 2025) == (1, 1, 1, 0)
    assert workspace.aterrapport.compute(2025)["kontaktorsaker"]["ekonomi"]["totalt"] == 1
    # The earlier period cannot be reopened while a later one exists.
    with pytest.raises(ValidationFailed, match="senare uppdrag"):
        service.reopen(a.id, today=date(2025, 12, 1))


def test_kon_and_fodelsear_belong_to_the_person(workspace: Workspace) -> None:
    service = workspace.uppdrag
    a = service.save(new(workspace), today=TODAY)
    service.close(a.id, date(2023, 5, 31), "mal_uppnatt", today=TODAY)
    b = service.save(new(workspace, start=date(2024, 2, 1), tidigare_kod=a.kod), today=TODAY)
    service.save(replace(b, fodelsear=1979), today=TODAY)
    assert service.get(a.id).fodelsear == 1979


# ---------------------------------------------------------------------------------------
# Property: the counting module equals an independent count of random persons and periods.

DAY0 = date(2020, 1, 1)


@st.composite
def persons(draw):
    result = []
    for number in range(draw(st.integers(0, 12))):
        day = DAY0 + timedelta(days=draw(st.integers(0, 400)))
        for _ in range(draw(st.integers(1, 3))):
            start = day
            length = draw(st.one_of(st.none(), st.integers(0, 500)))
            slut = None if length is None else start + timedelta(days=length)
            result.append(
                Uppdrag(
                    kon=draw(st.sampled_from(("kvinna", "man", "annan"))),
                    fodelsear=1970,
                    kommun_id="k",
                    start=start,
                    slut=slut,
                    kontaktorsaker=("ekonomi",),
                    klient_id=f"p{number}",
                    kod=f"{start.year}-{len(result) + 1:03d}",
                )
            )
            if slut is None:
                break
            day = slut + timedelta(days=draw(st.integers(1, 400)))
    return result


def _independent(items: list[Uppdrag], year: int) -> tuple[set, set, set, set]:
    def active(u: Uppdrag, y: int) -> bool:
        return u.start <= date(y, 12, 31) and (u.slut is None or u.slut >= date(y, 1, 1))

    people = {u.klient_id for u in items}
    during = {p for p in people if any(active(u, year) for u in items if u.klient_id == p)}
    before = {p for p in people if any(active(u, year - 1) for u in items if u.klient_id == p)}
    dec31 = date(year, 12, 31)
    remaining = {
        p
        for p in during
        if any(u.start <= dec31 and (u.slut is None or u.slut > dec31)
               for u in items if u.klient_id == p)
    }  # fmt: skip
    return during, during - before, during - remaining, remaining


@settings(max_examples=200, deadline=None)
@given(persons(), st.integers(2020, 2023))
def test_person_counts_equal_an_independent_count(items: list[Uppdrag], year: int) -> None:
    during, nya, avslutade, kvarstaende = _independent(items, year)
    counted = counting.count_year(items, year)
    assert {p.key for p in counted.active} == during
    assert {p.key for p in counted.nya} == nya
    assert {p.key for p in counted.avslutade} == avslutade
    assert {p.key for p in counted.kvarstaende} == kvarstaende
    klienter = aterrapport.klienter(items, year)
    assert (klienter["totalt"], klienter["nya"], klienter["avslutade"]) == (
        len(during),
        len(nya),
        len(avslutade),
    )
    assert klienter["kvarstaende"] == len(kvarstaende)


# ---------------------------------------------------------------------------------------
# A store of the previous release migrates with every figure of every past year unchanged.


def test_store_of_schema_0004_keeps_every_figure_of_every_year(tmp_path: Path) -> None:
    for suffix in (".podesk", ".podesk.keys"):
        shutil.copy2(FIXTURES / f"schema_0004{suffix}", tmp_path / f"s{suffix}")
    # Computed by the release of schema 0004 on this fixture, before the klient model.
    expected = json.loads((FIXTURES / "schema_0004_returns.json").read_text("utf-8"))
    workspace = store_lifecycle.open_store(
        tmp_path / "s.podesk", passphrase="fixtur-lösenfras-0004"
    )
    try:
        assert len(expected) == 4
        for year, sections in expected.items():
            document = workspace.aterrapport.compute(int(year))
            for name, old in sections.items():
                now = document[name]
                if isinstance(old, dict):  # fields added since are new, the old ones the same
                    now = {key: now[key] for key in old}
                assert now == old, (year, name)
        # The return fastställd by the previous release shows no difference after it.
        assert workspace.aterrapport.saved(2025).faststalld is not None
        assert workspace.aterrapport.differences(2025) == []
    finally:
        workspace.session.close()


def test_import_links_a_returning_klient_by_tidigare_kod(workspace: Workspace, tmp_path: Path):
    earlier = workspace.uppdrag.save(new(workspace), today=TODAY)
    workspace.uppdrag.close(earlier.id, date(2023, 6, 30), "mal_uppnatt", today=TODAY)
    kommun = workspace.verksamhet.get().kommuner[0].namn
    path = tmp_path / "tillbaka.csv"
    path.write_text(
        "kod;kon;fodelsear;kommun;start;slut;barn;kontaktorsaker;Tidigare kod\n"
        f"2024-010;kvinna;1980;{kommun};2024-02-01;2024-05-31;nej;bostad;{earlier.kod}\n"
        f"2025-010;kvinna;1980;{kommun};2025-02-01;;nej;ekonomi;2024-010\n"
        f"2025-011;man;1990;{kommun};2025-03-01;;nej;ekonomi;\n",
        encoding="utf-8",
    )
    plan = workspace.uppdrag_import.run(path, today=TODAY)
    assert len(plan.new) == 3
    items = {u.kod: u for u in workspace.uppdrag.all()}
    assert items["2024-010"].klient_id == items["2025-010"].klient_id == earlier.klient_id
    assert items["2025-011"].klient_id not in (None, earlier.klient_id)
    # By hand: the kvinna was active in 2023, so not ny in 2024; 2025: only the man is ny.
    assert figures(workspace, 2024) == (1, 0, 1, 0)
    assert figures(workspace, 2025) == (2, 1, 0, 2)
    again = workspace.uppdrag_import.run(path, today=TODAY)
    assert (len(again.new), again.unchanged) == (0, 3)


def test_import_refuses_an_unknown_or_overlapping_tidigare_kod(workspace, tmp_path) -> None:
    earlier = workspace.uppdrag.save(new(workspace), today=TODAY)
    kommun = workspace.verksamhet.get().kommuner[0].namn
    path = tmp_path / "fel.csv"
    path.write_text(
        "kon;fodelsear;kommun;start;barn;kontaktorsaker;tidigare_kod\n"
        f"kvinna;1980;{kommun};2025-02-01;nej;bostad;2019-404\n"
        f"kvinna;1980;{kommun};2025-02-01;nej;bostad;{earlier.kod}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as raised:
        workspace.uppdrag_import.run(path, today=TODAY)
    text = " ".join(raised.value.problems)
    assert "Rad 2: tidigare kod 2019-404 finns varken" in text
    assert "Rad 3: Klientens uppdrag 2023-001 pågår" in text
    assert workspace.uppdrag.count() == 1


def test_paborja_from_the_ko_can_continue_an_earlier_klient(workspace: Workspace) -> None:
    from po_desk.domain.ko import Anmalan

    today = date.today()
    earlier = workspace.uppdrag.save(new(workspace, start=date(2023, 2, 1)))
    workspace.uppdrag.close(earlier.id, date(2023, 12, 1), "mal_uppnatt")
    kommun = workspace.verksamhet.get().kommuner[0]
    waiting = workspace.ko.save(
        Anmalan(
            anmald=today - timedelta(days=40),
            kon="kvinna",
            fodelsear=1980,
            kommun_id=kommun.id,
            kontaktorsaker=("bostad",),
        )
    )
    uppdrag = replace(workspace.ko.uppdrag_from(waiting, start=today), tidigare_kod=earlier.kod)
    created = workspace.ko.start(waiting.id, uppdrag)
    assert created.klient_id == earlier.klient_id
    assert created.anmald == waiting.anmald
    assert workspace.uppdrag.earlier_kod(created) == earlier.kod
    assert workspace.ko.get(waiting.id).uppdrag_id == created.id


# ---------------------------------------------------------------------------------------
# Dated facts: a past year is computed with the facts in force then.


def test_grad_periods_kommun_dates_and_two_decimals(workspace: Workspace, tmp_path) -> None:
    from po_desk.domain.verksamhet import Ombud

    verksamhet = workspace.verksamhet
    # Eight full-time ombud all of 2024 and one at 0,25: 8,25 tjänster and årsarbetare.
    for index in range(8):
        verksamhet.save_ombud(Ombud(f"O{index}", "kvinna", 1.0, date(2024, 1, 1)))
    quarter = verksamhet.save_ombud(Ombud("Q", "man", 0.25, date(2024, 1, 1)))
    # From 1 July 2025 Q works 0,75; 2024 keeps 0,25.
    changed = verksamhet.save_ombud(
        replace(quarter, tjanstgoringsgrad=0.75).with_grad(date(2025, 7, 1), 0.75)
    )
    assert [(p.fran, p.grad) for p in changed.grader] == [
        (date(2024, 1, 1), 0.25),
        (date(2025, 7, 1), 0.75),
    ]
    ombud_2024 = workspace.aterrapport.compute(2024)["ombud"]
    assert (ombud_2024["tjanster_31_dec"], ombud_2024["arsarbetare"]) == (8.25, 8.25)
    ombud_2025 = workspace.aterrapport.compute(2025)["ombud"]
    # By hand: 8 + 0,25 × 181/365 + 0,75 × 184/365 = 8,5022 → 8,50; 31 Dec: 8,75.
    assert (ombud_2025["tjanster_31_dec"], ombud_2025["arsarbetare"]) == (8.75, 8.5)

    # The second kommun was served only until 2024.
    kommuner = verksamhet.get().kommuner
    assert len(kommuner) >= 2
    first, second = kommuner[0], kommuner[1]
    verksamhet.set_kommun_dates([replace(second, till=date(2024, 12, 31))])
    assert second.namn in workspace.aterrapport.compute(2024)["verksamhet"]["kommuner"]
    assert workspace.aterrapport.compute(2025)["verksamhet"]["kommuner"][0] == first.namn
    assert second.namn not in workspace.aterrapport.compute(2025)["verksamhet"]["kommuner"]
    with pytest.raises(ValidationFailed, match="slutdatum"):
        verksamhet.set_kommun_dates([replace(first, fran=date(2025, 1, 1), till=date(2024, 1, 1))])

    # 8,25 is 8,25 in the JSON, the CSV, the PDF and the view; 8,50 keeps both decimals.
    service = workspace.aterrapport
    assert json.loads(service.render(2024, "json"))["ombud"]["arsarbetare"] == 8.25
    csv_text = service.render(2024, "csv").decode("utf-8-sig")
    assert "Årsarbetare;8,25" in csv_text and "Tjänster 31 december;8,25" in csv_text
    assert "Årsarbetare;8,50" in service.render(2025, "csv").decode("utf-8-sig")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(service.render(2024, "pdf"))
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    line = next(row for row in text.splitlines() if "Årsarbetare" in row)
    assert line.split()[-1] == "8,25"
    from po_desk.domain import aterrapport_tables
    from po_desk.domain.formatting import decimal

    assert decimal(8.25) == "8,25" and decimal(8.2) == "8,20" and decimal(1234.5) == "1 234,50"
    table = next(t for t in aterrapport_tables.tables(service.compute(2024)) if t.key == "ombud")
    assert ("Årsarbetare", 8.25) in table.rows
    from po_desk.ui.aterrapport_panel import table_html

    assert "8,25" in table_html(table) and "8,2<" not in table_html(table)


def test_barn_changed_during_an_uppdrag_counts_from_its_date(workspace: Workspace) -> None:
    from po_desk.domain.uppdrag import with_barn

    saved = workspace.uppdrag.save(new(workspace, start=date(2024, 3, 1)), today=TODAY)
    frozen = workspace.aterrapport.freeze(2024)
    changed = workspace.uppdrag.save(
        with_barn(workspace.uppdrag.get(saved.id), date(2025, 6, 1), "helt"), today=TODAY
    )
    assert changed.barn == "nej" and [(c.fran, c.barn) for c in changed.barn_andringar] == [
        (date(2025, 6, 1), "helt")
    ]
    # By hand: no barn in 2024, barn from June 2025.
    assert workspace.aterrapport.compute(2024)["klienter"]["med_barn"]["totalt"] == 0
    assert workspace.aterrapport.compute(2025)["klienter"]["med_barn"]["kvinna"] == 1
    assert workspace.aterrapport.differences(2024) == []
    assert workspace.aterrapport.document(2024) == frozen
    with pytest.raises(ValidationFailed, match="inom uppdraget"):
        workspace.uppdrag.save(with_barn(changed, date(2026, 12, 1), "delvis"), today=TODAY)
    # The value at start is corrected by a change dated at the start.
    corrected = workspace.uppdrag.save(with_barn(changed, date(2024, 3, 1), "delvis"), today=TODAY)
    assert corrected.barn == "delvis" and len(corrected.barn_andringar) == 1


def test_a_renamed_ground_keeps_its_old_name_in_past_years(workspace: Workspace) -> None:
    ko = workspace.ko
    code = ko.add_ground("Akut behov")
    ko.add_version(date(2023, 1, 1), (code, "barn"))
    frozen = workspace.aterrapport.freeze(2023)
    ko.rename_ground(code, "Akut stödbehov", date(2025, 1, 1), today=TODAY)
    assert {g.code: g.name for g in ko.grounds()}[code] == "Akut stödbehov"

    def name_in(year: int) -> str:
        # What the return names the grounds with (its prioriteringsordning section).
        return workspace.aterrapport.records(year).ground_names[code]

    assert (name_in(2024), name_in(2025)) == ("Akut behov", "Akut stödbehov")
    assert workspace.aterrapport.differences(2023) == []
    assert workspace.aterrapport.document(2023) == frozen
    with pytest.raises(ValidationFailed, match="redan en grund"):
        ko.rename_ground(code, ko.grounds()[0].name, date(2025, 1, 1), today=TODAY)


def test_underlag_and_oversikt_count_persons_through_the_same_rules() -> None:
    from po_desk.domain import underlag

    def period(start: date, slut: date | None, kod: str) -> Uppdrag:
        return Uppdrag(kon="man", fodelsear=1970, kommun_id="k", start=start, slut=slut,
                       kontaktorsaker=("ekonomi",), klient_id="p1", kod=kod)  # fmt: skip

    items = [
        period(date(2025, 1, 10), date(2025, 2, 28), "2025-001"),
        period(date(2025, 4, 1), None, "2025-002"),
    ]
    data = underlag.build(
        verksamhet="PO", lan="Värmlands län", kommuner=("Karlstad",),
        fran=date(2025, 1, 1), till=date(2025, 6, 30), mote=date(2025, 7, 1),
        uppdrag=items, anmalningar=[], avvikelser=[], meetings=[],
    )  # fmt: skip
    figures = {f.label: f.current for f in data.key_figures}
    # By hand: one person, new in the half-year, still with an uppdrag on 30 June.
    assert figures["Klienter under perioden"] == 1
    assert figures["Nya klienter"] == 1
    assert figures["Avslutade klienter"] == 0
    yearly = counting.year_figures(items, 2025)
    assert (yearly.klienter, yearly.nya, yearly.avslutade, yearly.kvarstaende) == (1, 1, 0, 1)
    assert counting.active_on(items, date(2025, 5, 1)) == 1
    assert counting.active_by(items, date(2025, 2, 1), "kommun_id") == {"k": 1}
