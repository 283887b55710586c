from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain import intagningsstopp, ko, vantetid
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import Anmalan, KoStatus, Prioriteringsordning
from po_desk.domain.uppdrag import Uppdrag

DAY = date(2026, 11, 22)
GROUNDS = ("barn", "vrakning", "unga_vuxna", "utan_natverk", "akut")
MANUAL = tuple(g for g in GROUNDS if g != "unga_vuxna")


def anmalan(kod: str, anmald: date, grounds=(), fodelsear: int = 1980, **kw) -> Anmalan:
    return Anmalan(
        kod=kod, anmald=anmald, kon="kvinna", fodelsear=fodelsear, kommun_id="k",
        kontaktorsaker=("ekonomi",), prioritetsgrunder=tuple(grounds), **kw,
    )  # fmt: skip


anmalan_strategy = st.builds(
    lambda n, days, grounds, birth: anmalan(
        f"K2026-{n:03d}", DAY - timedelta(days=days), grounds, birth
    ),
    st.integers(1, 999),
    st.integers(0, 700),
    st.lists(st.sampled_from(MANUAL), unique=True, max_size=3),
    st.integers(1940, 2007),
)
kos = st.lists(anmalan_strategy, max_size=40, unique_by=lambda a: a.kod)
orders = st.permutations(GROUNDS).map(tuple)


def deciding_rank(a: Anmalan, order: tuple[str, ...]) -> int:
    return ko.rank(a, order, DAY)


@given(kos, orders, st.randoms())
def test_property_order_is_total_and_deterministic(items, order, rnd) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    first = ko.order_ko(items, order, DAY)
    assert [a.kod for a in ko.order_ko(shuffled, order, DAY)] == [a.kod for a in first]
    keys = [ko.sort_key(a, order, DAY) for a in first]
    assert len(set(keys)) == len(keys)  # no ties: the order is total


@given(kos, orders)
def test_property_higher_ground_first_then_first_come(items, order) -> None:
    result = ko.order_ko(items, order, DAY)
    for before, after in itertools.pairwise(result):
        assert deciding_rank(before, order) <= deciding_rank(after, order)
        if deciding_rank(before, order) == deciding_rank(after, order):
            assert before.anmald <= after.anmald


@given(kos, orders, orders)
def test_property_changing_the_order_changes_the_ko_accordingly(items, one, other) -> None:
    for order in (one, other):
        result = ko.order_ko(items, order, DAY)
        expected = sorted(items, key=lambda a: (deciding_rank(a, order), a.anmald, a.kod))
        assert [a.kod for a in result] == [a.kod for a in expected]


@given(kos, orders)
def test_property_only_waiting_are_in_the_ko(items, order) -> None:
    for index, item in enumerate(items):
        if index % 3 == 0:
            item.status, item.status_datum = KoStatus.ATERTAGEN, DAY
    result = ko.order_ko(items, order, DAY)
    assert all(a.is_waiting for a in result)
    assert len(result) == sum(1 for a in items if a.is_waiting)


def test_unga_vuxna_is_derived_from_the_birth_year_on_the_day() -> None:
    young = anmalan("K2026-001", DAY, fodelsear=2000)
    assert "unga_vuxna" in ko.grounds_met(young, DAY)  # 26 in 2026
    assert "unga_vuxna" not in ko.grounds_met(young, date(2030, 1, 1))  # 30 in 2030
    ticked = anmalan("K2026-002", DAY, grounds=("unga_vuxna",), fodelsear=1960)
    assert "unga_vuxna" not in ko.grounds_met(ticked, DAY)


def test_explanation_names_the_deciding_ground_and_the_date() -> None:
    names = {"barn": "Hushåll med barn", "vrakning": "Risk för vräkning"}
    a = anmalan("K2026-001", DAY - timedelta(days=30), grounds=("vrakning", "barn"))
    text = ko.explain(a, ("vrakning", "barn"), DAY, names)
    assert "grund 1: Risk för vräkning" in text
    assert "30 dagar" in text and "Uppfyller även: Hushåll med barn" in text
    none = ko.explain(anmalan("K2026-002", DAY), ("barn",), DAY, names)
    assert "ingen av prioriteringsgrunderna" in none


def test_version_in_force() -> None:
    versions = [
        Prioriteringsordning(date(2024, 1, 1), ("barn",), id="a"),
        Prioriteringsordning(date(2025, 6, 1), ("vrakning",), id="b"),
    ]
    assert ko.in_force(versions, date(2025, 5, 31)).id == "a"
    assert ko.in_force(versions, date(2025, 6, 1)).id == "b"
    assert ko.in_force(versions, date(2023, 1, 1)) is None


def test_validation() -> None:
    known = set(GROUNDS)
    ok = anmalan("K2026-001", DAY)
    assert ko.validate(ok, {"k"}, known, DAY) == []
    bad = anmalan("", DAY + timedelta(days=1), grounds=("unga_vuxna", "okänd"), fodelsear=2015)
    problems = " ".join(ko.validate(bad, {"x"}, known, DAY))
    for expected in ("18 år", "kommuner", "framtiden", "Unga vuxna", "Okänd"):
        assert expected in problems
    assert ko.validate_order((), known) and ko.validate_order(("barn", "barn"), known)


def test_intagningsstopp_days_counted_once_and_clipped_to_the_year() -> None:
    periods = [
        Intagningsstopp(date(2025, 12, 20), date(2026, 1, 10), "a"),
        Intagningsstopp(date(2026, 1, 5), date(2026, 1, 20), "b"),
        Intagningsstopp(date(2026, 12, 1), None, "c"),
    ]
    assert intagningsstopp.days_in_year(periods, 2026) == 20 + 31
    assert intagningsstopp.days_in_year(periods, 2026, today=date(2026, 12, 10)) == 20 + 10
    assert intagningsstopp.days_in_year(periods, 2025) == 12
    assert intagningsstopp.in_force(periods, date(2026, 12, 24)).orsak == "c"
    assert intagningsstopp.validate(Intagningsstopp(DAY, DAY - timedelta(days=1), ""))


def started(anmald: date | None, start: date) -> Uppdrag:
    return Uppdrag(
        kon="man", fodelsear=1980, kommun_id="k", start=start,
        kontaktorsaker=("ekonomi",), anmald=anmald,
    )  # fmt: skip


def test_year_figures_by_hand() -> None:
    uppdrag = [
        started(date(2025, 1, 1), date(2025, 1, 11)),  # 10 days
        started(date(2025, 1, 1), date(2025, 3, 2)),  # 60 days
        started(date(2025, 1, 1), date(2025, 4, 1)),  # 90 days
        started(date(2024, 11, 1), date(2025, 11, 16)),  # 380 days
        started(None, date(2025, 5, 1)),  # not through the kö
        started(date(2025, 12, 1), date(2026, 1, 15)),  # waiting on 31 Dec 2025
    ]
    anmalningar = [
        anmalan("K2025-001", date(2025, 12, 20)),  # still waiting
        anmalan(
            "K2025-002", date(2025, 2, 1), status=KoStatus.ATERTAGEN, status_datum=date(2025, 3, 1)
        ),
    ]
    stopp = [Intagningsstopp(date(2025, 7, 1), date(2025, 7, 31), "semester")]
    figures = vantetid.year_figures(anmalningar, uppdrag, stopp, 2025)
    assert figures.hade_ko
    assert figures.startade_fran_ko == vantetid.WaitSummary(4, 10, 75.0, 380)
    assert figures.fordelning == {
        "0-30": 1, "31-60": 1, "61-90": 1, "91-180": 0, "181-365": 0, ">365": 1,
    }  # fmt: skip
    assert figures.vantande_31_dec == 2
    assert figures.intagningsstopp_dagar == 31
    quiet = vantetid.year_figures([], [started(date(2023, 5, 1), date(2023, 5, 1))], [], 2023)
    assert not quiet.hade_ko and quiet.startade_fran_ko.antal == 1


@given(st.lists(st.tuples(st.integers(0, 800), st.integers(0, 500)), max_size=50))
def test_property_bins_add_up_to_the_started(pairs) -> None:
    uppdrag = [
        started(date(2025, 1, 1) + timedelta(days=s - w), date(2025, 1, 1) + timedelta(days=s))
        for s, w in pairs
    ]
    figures = vantetid.year_figures([], uppdrag, [], 2025)
    assert sum(figures.fordelning.values()) == figures.startade_fran_ko.antal
    in_year = [w for s, w in pairs if s < 365]
    assert figures.startade_fran_ko.antal == len(in_year)
    if in_year:
        assert figures.startade_fran_ko.max == max(in_year)
        assert figures.startade_fran_ko.min == min(in_year)


def test_current_figures() -> None:
    waiting = [
        anmalan("K2026-001", DAY - timedelta(days=10), grounds=("barn",)),
        anmalan("K2026-002", DAY - timedelta(days=40)),
        anmalan("K2026-003", DAY - timedelta(days=100), status=KoStatus.ERBJUDEN),
    ]
    uppdrag = [started(DAY - timedelta(days=50), DAY - timedelta(days=20))]
    figures = vantetid.current_figures(waiting, uppdrag, ("barn",), DAY)
    assert (figures.vantande, figures.median_vantat, figures.langst_vantat) == (3, 40.0, 100)
    assert figures.startade_12_man.antal == 1 and figures.startade_12_man.median == 30.0
    assert figures.per_grund == {"barn": 1, "": 2}


@pytest.mark.parametrize(("days", "label"), [(0, "0-30"), (30, "0-30"), (31, "31-60"),
                                              (365, "181-365"), (366, ">365")])  # fmt: skip
def test_bin_edges(days: int, label: str) -> None:
    assert vantetid.bin_of(days) == label


def test_random_fixture_is_reproducible() -> None:
    rng = random.Random(4)
    items = [anmalan(f"K2026-{i:03d}", DAY - timedelta(days=rng.randint(0, 300))) for i in range(9)]
    assert ko.order_ko(items, GROUNDS, DAY) == ko.order_ko(list(reversed(items)), GROUNDS, DAY)
