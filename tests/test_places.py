"""The official län and kommun list: complete, and every usual spelling resolves to one code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain.places import UnknownPlace
from po_desk.services.official_places import official_places

PLACES = official_places()


def test_the_list_has_21_lan_and_290_kommuner_with_unique_codes() -> None:
    assert len(PLACES.lan) == 21
    assert len(PLACES.kommuner) == 290
    assert len({k.kod for k in PLACES.kommuner}) == 290
    assert len({k.namn for k in PLACES.kommuner}) == 290
    assert sum(len(PLACES.kommuner_in(lan)) for lan in PLACES.lan) == 290
    assert PLACES.source and PLACES.valid_from


@pytest.mark.parametrize(
    ("code", "name", "lan"),
    [
        ("0180", "Stockholm", "Stockholms län"),
        ("1480", "Göteborg", "Västra Götalands län"),
        ("1280", "Malmö", "Skåne län"),
        ("1780", "Karlstad", "Värmlands län"),
        ("2584", "Kiruna", "Norrbottens län"),
    ],
)
def test_spot_checks(code: str, name: str, lan: str) -> None:
    kommun = PLACES.find_kommun(code)
    assert kommun.namn == name
    assert PLACES.lan_of(kommun).namn == lan
    assert PLACES.find_kommun(name) == kommun


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Karlstads kommun", "1780"),
        ("karlstad", "1780"),
        ("Göteborgs stad", "1480"),
        ("Borås kommun", "1490"),
        ("Västerås stad", "1980"),
        ("Upplands-Bro", "0139"),
        ("upplands bro kommun", "0139"),
        ("Malung-Sälens kommun", "2023"),
        ("Lilla Edet", "1462"),
    ],
)
def test_kommun_spellings(written: str, code: str) -> None:
    assert PLACES.find_kommun(written).kod == code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Värmland", "17"),
        ("Värmlands län", "17"),
        ("17", "17"),
        ("skåne", "12"),
        ("Skåne län", "12"),
        ("Västra Götaland", "14"),
        ("Örebro län", "18"),
        ("1", "01"),
    ],
)
def test_lan_spellings(written: str, code: str) -> None:
    assert PLACES.find_lan(written).kod == code


@pytest.mark.parametrize("wrong", ["Fel län", "", "Värmlands kommun", "99", "Norge"])
def test_unknown_lan_is_refused(wrong: str) -> None:
    with pytest.raises(UnknownPlace):
        PLACES.find_lan(wrong)


@pytest.mark.parametrize("wrong", ["Fel kommun", "", "Karlstadt", "9999", "Värmland"])
def test_unknown_kommun_is_refused(wrong: str) -> None:
    with pytest.raises(UnknownPlace):
        PLACES.find_kommun(wrong)


@given(
    st.sampled_from(PLACES.kommuner),
    st.sampled_from(["{}", "{} kommun", "{}s kommun", "  {}  ", "{} stad"]),
)
def test_every_kommun_resolves_from_its_usual_spellings(kommun, pattern) -> None:  # type: ignore[no-untyped-def]
    written = pattern.format(kommun.namn.upper() if "stad" in pattern else kommun.namn)
    assert PLACES.find_kommun(written) == kommun
