from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain.guard import Severity, blocking, luhn_valid, scan


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in scan(text)]


def with_check_digit(nine: str) -> str:
    for digit in "0123456789":
        if luhn_valid(nine + digit):
            return nine + digit
    raise AssertionError("no check digit")


# 811218-9876 is the Skatteverket example of a valid personnummer.
@pytest.mark.parametrize(
    "text",
    [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "811218 9876",
        "19811218 9876",
        "811218+9876",
        "Klienten 811218-9876 ringde",
    ],
)
def test_personnummer_in_every_common_spelling_blocks(text: str) -> None:
    findings = scan(text)
    assert [f.kind for f in findings] == ["personnummer"]
    assert findings[0].severity == Severity.BLOCK


def test_samordningsnummer_blocks() -> None:
    number = with_check_digit("701063" + "238")  # day 63 = the 3rd plus 60
    assert kinds(number[:6] + "-" + number[6:]) == ["samordningsnummer"]
    assert kinds("19" + number) == ["samordningsnummer"]


@pytest.mark.parametrize(
    "text",
    ["anna.svensson@example.se", "Skriv till x_y+z@kommun.karlstad.se i dag"],
)
def test_email_blocks(text: str) -> None:
    assert "epost" in kinds(text)
    assert blocking(scan(text))


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "0701234567",
        "08-123 456 78",
        "031-12 34 56",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 8 123 456 78",
        "Ring 054-540 00 00 efter lunch",
    ],
)
def test_swedish_phone_numbers_block(text: str) -> None:
    assert kinds(text) == ["telefon"]


@pytest.mark.parametrize(
    "text",
    [
        "Möte 2025-01-15 med handläggaren",
        "Beslut 2025-01-15 2025-02-01 och 2025-03-31",
        "Ansökan om 10 561 kr avslogs",
        "Belopp 1 234 567,50 kr",
        "Uppdrag 2025-017 avslutades",
        "Dnr SN 2024/0123 och KS-2025-00456",
        "Enligt SFS 2013:522 och 2001:453",
        "Klockan 08.30–10.00",
        "Ärendet gäller Stockholm och Kronoberg",
        "",
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert scan(text) == []


def test_warnings_need_confirmation_but_do_not_block() -> None:
    text = "Bor på Storgatan 12 i 652 24 Karlstad, träffade Anna Johansson"
    found = scan(text)
    assert {f.kind for f in found} == {"adress", "postadress", "namn"}
    assert not blocking(found)


def test_id_shape_with_bad_check_digit_warns() -> None:
    found = scan("811218-9875")
    assert [(f.kind, f.severity) for f in found] == [("id_nummer", Severity.WARN)]


def test_spans_cover_the_finding() -> None:
    text = "Tel 070-123 45 67."
    (finding,) = scan(text)
    assert text[finding.start : finding.end] == "070-123 45 67"


birth_dates = st.dates(min_value=date(1920, 1, 1), max_value=date(2007, 12, 31))


def personnummer_forms(birth: date, serial: int, samordning: bool) -> list[str]:
    day = birth.day + 60 if samordning else birth.day
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    ten = with_check_digit(nine)
    century = f"{birth.year // 100}"
    return [
        f"{ten[:6]}-{ten[6:]}",
        ten,
        f"{ten[:6]} {ten[6:]}",
        f"{century}{ten[:6]}-{ten[6:]}",
        f"{century}{ten}",
    ]


@given(birth_dates, st.integers(0, 999), st.booleans(), st.sampled_from(["", "Not: ", "x "]))
def test_property_every_valid_id_number_is_blocked(
    birth: date, serial: int, samordning: bool, prefix: str
) -> None:
    for form in personnummer_forms(birth, serial, samordning):
        found = scan(f"{prefix}{form} slut")
        assert blocking(found), form
        assert found[0].kind in ("personnummer", "samordningsnummer")


@given(st.lists(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), max_size=4))
def test_property_iso_dates_are_never_flagged(days: list[date]) -> None:
    assert scan(" ".join(day.isoformat() for day in days)) == []


@given(st.integers(0, 99_999_999))
def test_property_amounts_are_never_flagged(amount: int) -> None:
    spaced = f"{amount:,}".replace(",", " ")
    assert scan(f"Skulden är {spaced} kr") == []


@given(st.integers(2000, 2099), st.integers(1, 9999))
def test_property_uppdrag_codes_are_never_flagged(year: int, number: int) -> None:
    assert scan(f"Se uppdrag {year}-{number:03d}.") == []


@given(st.from_regex(r"[a-z]{1,10}(\.[a-z]{1,8})?@[a-z]{2,10}\.(se|nu|com)", fullmatch=True))
def test_property_emails_block(address: str) -> None:
    assert [f.kind for f in scan(f"mejl {address} tack")] == ["epost"]


@given(
    st.sampled_from(["70", "72", "73", "76", "79"]),
    st.integers(0, 9_999_999),
    st.sampled_from(["0{a}-{b} {c} {d}", "0{a}{b}{c}{d}", "+46 {a} {b} {c} {d}"]),
)
def test_property_mobile_numbers_block(prefix: str, rest: int, pattern: str) -> None:
    digits = f"{rest:07d}"
    text = pattern.format(a=prefix, b=digits[:3], c=digits[3:5], d=digits[5:])
    found = scan(f"nr {text}")
    assert len(found) == 1 and blocking(found)
    if " " in text:
        assert found[0].kind == "telefon"
    else:  # ten bare digits can also be a valid personnummer; blocked either way
        assert found[0].kind in ("telefon", "personnummer", "samordningsnummer")


def test_luhn_check_digit() -> None:
    assert luhn_valid("8112189876")
    assert not luhn_valid("8112189875")
