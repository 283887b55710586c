"""Consistency rules of a return: each rule catches its hand-broken return, a return computed
from records breaks none, and a jump over half since last year is a warning only."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import return_checks
from tests.test_aggregate import YEAR, random_return

CURRENT_YEAR = YEAR + 1


def a_return() -> dict[str, Any]:
    # A seed whose return has klienter, nya and a kö, so every rule has something to check.
    for seed in range(100):
        doc = random_return(seed, "PO Test")
        if doc["klienter"]["nya"] >= 3 and doc["ko"]["startade_fran_ko"] >= 2:
            return doc
    raise AssertionError("no seed gives a return with nya and a kö")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 100_000))
def test_a_return_computed_from_records_breaks_no_rule(seed: int) -> None:
    doc = random_return(seed, f"PO {seed}")
    assert return_checks.errors(return_checks.check(doc, CURRENT_YEAR)) == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def breaker(doc: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        node = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[leaf] = value(node[leaf]) if callable(value) else value

    return breaker


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("summor", _set("klienter.kon_alder.kvinna.totalt", lambda v: v + 1)),
    ("summor", _set("klienter.kon_alder.totalt.18-29", lambda v: v + 2)),
    ("summor", _set("klienter.med_barn.totalt", lambda v: v + 1)),
    ("summor", _set("kontaktorsaker.ekonomi.totalt", lambda v: v + 1)),
    ("summor", _set("brister.antal", lambda v: v + 5)),
    ("summor", _set("ombud.antal", lambda v: v + 1)),
    ("andelar", _set("klienter.med_barn.andel", 1.7)),
    ("andelar", _set("kontaktorsaker.bostad.andel.man", -0.1)),
    ("nya_och_avslutade", _set("klienter.nya", lambda v: 10_000)),
    ("kontaktorsaker_per_kon", _set("kontaktorsaker.ekonomi.kvinna", lambda v: 10_000)),
    ("ledningsgrupp", _set("ledningsgrupp.fulltalig", lambda v: not v)),
    ("vantetider", _set("ko.vantetid_dagar.min", lambda v: 10_000)),
    ("vantetider", _set("ko.fordelning.0-30", lambda v: v + 3)),
    ("ar_schema_koder", _set("schema", "po-desk/aterrapport/9")),
    ("ar_schema_koder", _set("ar", CURRENT_YEAR + 1)),
    ("ar_schema_koder", _set("ar", 1999)),
]


@pytest.mark.parametrize(("rule", "breaker"), BROKEN)
def test_each_rule_catches_its_broken_return(
    rule: str, breaker: Callable[[dict[str, Any]], None]
) -> None:
    doc = a_return()
    assert return_checks.errors(return_checks.check(doc, CURRENT_YEAR)) == []
    breaker(doc)
    found = return_checks.errors(return_checks.check(doc, CURRENT_YEAR))
    assert rule in {f.rule for f in found}, found
    assert all(f.rule in return_checks.RULES for f in found)


def test_an_unknown_category_code_is_an_error() -> None:
    doc = a_return()
    doc["kontaktorsaker"]["hemlig_orsak"] = copy.deepcopy(doc["kontaktorsaker"]["ekonomi"])
    found = return_checks.errors(return_checks.check(doc, CURRENT_YEAR))
    assert [f.path for f in found if f.rule == "ar_schema_koder"] == ["kontaktorsaker.hemlig_orsak"]


def test_a_jump_over_half_is_a_warning_and_small_numbers_are_not() -> None:
    previous = a_return()
    doc = copy.deepcopy(previous)
    previous["klienter"]["totalt"] = 40
    doc["klienter"]["totalt"] = 70  # +75 %
    previous["ombud"]["antal"] = 2
    doc["ombud"]["antal"] = 4  # +100 %, but too small to mean anything
    found = return_checks.check(doc, CURRENT_YEAR, previous=previous)
    jumps = return_checks.warnings(found)
    assert [f.path for f in jumps] == ["klienter.totalt"]
    assert "+75%" in jumps[0].message
    assert all(f.severity == return_checks.WARNING for f in jumps)
    assert "Varning (forandring, klienter.totalt)" in jumps[0].line()
