from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain import passphrase
from po_desk.domain.counting import year_figures
from po_desk.domain.formatting import number
from po_desk.domain.uppdrag import Uppdrag, active_during, age_group, next_kod
from po_desk.domain.uppdrag_filter import Status, UppdragFilter, apply
from po_desk.domain.verksamhet import Ombud, validate_ombud, validate_verksamhet


def make(start: date, slut: date | None = None, kon: str = "kvinna", **kw) -> Uppdrag:
    return Uppdrag(
        kon=kon, fodelsear=1980, kommun_id="k1", start=start, slut=slut,
        kontaktorsaker=("ekonomi",), avslutsorsak="flyttat" if slut else None, **kw,
    )  # fmt: skip


def test_next_kod() -> None:
    assert next_kod(2025, []) == "2025-001"
    assert next_kod(2025, ["2025-009", "2024-120", "2025-010"]) == "2025-011"
    assert next_kod(2025, [f"2025-{n:03d}" for n in range(1, 1000)]) == "2025-1000"


def test_age_groups() -> None:
    assert [age_group(a) for a in (17, 18, 29, 30, 49, 50, 64, 65, 101)] == [
        None, "18-29", "18-29", "30-49", "30-49", "50-64", "50-64", "65+", "65+",
    ]  # fmt: skip


def test_filter() -> None:
    items = [
        make(date(2024, 5, 1), kod="2024-001", ombud_id="o1"),
        make(date(2024, 5, 1), date(2025, 2, 1), kod="2024-002", ombud_id="o2"),
        make(date(2022, 1, 1), date(2023, 6, 1), kod="2022-001", ombud_id="o1"),
    ]
    codes = lambda f: [u.kod for u in apply(items, f)]  # noqa: E731
    assert codes(UppdragFilter()) == ["2024-001"]
    assert codes(UppdragFilter(status=Status.AVSLUTADE)) == ["2024-002", "2022-001"]
    assert codes(UppdragFilter(status=Status.ALLA, ombud_id="o1")) == ["2024-001", "2022-001"]
    assert codes(UppdragFilter(status=Status.ALLA, year=2025)) == ["2024-001", "2024-002"]
    assert codes(UppdragFilter(status=Status.ALLA, kod_search="2022")) == ["2022-001"]


uppdrag_strategy = st.builds(
    lambda start_offset, length, ended, kon: make(
        date(2018, 1, 1) + timedelta(days=start_offset),
        date(2018, 1, 1) + timedelta(days=start_offset + length) if ended else None,
        kon=kon,
    ),
    st.integers(0, 3000),
    st.integers(0, 1500),
    st.booleans(),
    st.sampled_from(["kvinna", "man", "annan"]),
)


@given(st.lists(uppdrag_strategy, max_size=60), st.integers(2017, 2027))
def test_property_year_figures_add_up(items: list[Uppdrag], year: int) -> None:
    figures = year_figures(items, year)
    assert figures.klienter == sum(figures.per_kon.values())
    assert figures.klienter == figures.avslutade + figures.kvarstaende
    assert figures.nya <= figures.klienter
    assert figures.nya == sum(1 for u in items if u.start.year == year)
    assert figures.avslutade == sum(1 for u in items if u.slut and u.slut.year == year)
    for u in items:
        inside = u.start <= date(year, 12, 31) and (u.slut is None or u.slut >= date(year, 1, 1))
        assert active_during(u, year) == inside


def test_passphrase_strength_hint() -> None:
    assert not passphrase.estimate("").acceptable
    assert "För kort" in passphrase.estimate("abc").label
    assert not passphrase.estimate("aaaaaaaaaaaaaaaa").acceptable
    assert passphrase.estimate("korrekt häst batteri häftklammer").acceptable


def test_verksamhet_and_ombud_validation() -> None:
    assert validate_verksamhet("PO", "Skåne län", ["Lund"]) == []
    problems = validate_verksamhet(" ", "", ["Lund", "lund"])
    assert len(problems) == 3
    good = Ombud(namn="AK", kon="kvinna", tjanstgoringsgrad=0.75, fran=date(2024, 1, 1))
    assert validate_ombud(good) == []
    bad = Ombud(
        namn="", kon="x", tjanstgoringsgrad=1.5, fran=date(2024, 1, 1), till=date(2023, 1, 1)
    )
    assert len(validate_ombud(bad)) == 4


def test_swedish_number_format() -> None:
    assert number(10561) == "10 561"
    assert number(0.75, 2) == "0,75"
    assert number(1234567.5, 1) == "1 234 567,5"


def test_active_by_counts_only_active_on_the_day() -> None:
    from po_desk.domain.counting import active_by

    items = [
        make(date(2024, 1, 1), ombud_id="o1"),
        make(date(2024, 1, 1), date(2024, 6, 30), ombud_id="o1"),
        make(date(2024, 3, 1), ombud_id="o2"),
        make(date(2025, 1, 1), ombud_id=None),
    ]
    assert active_by(items, date(2024, 6, 30), "ombud_id") == {"o1": 2, "o2": 1}
    assert active_by(items, date(2025, 2, 1), "ombud_id") == {"o1": 1, "o2": 1, "": 1}
