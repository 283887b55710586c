"""The guard against spellings people really type (issue 12.3): what Word, phones and careful
typists make of personnummer, phone numbers and e-mail addresses must be blocked, and the
dates, times, amounts and reference numbers of an ordinary note must pass."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain.guard import Severity, blocking, luhn_valid, scan

# Valid personnummer: 811218-9876 (Skatteverket's example), 850101-1236, 121212-1212,
# 880320-0016. Samordningsnummer: 701063-2383 (3 Oct 1970), 850161-1233 (1 Jan 1985).
BLOCKED_ID_NUMBERS = [
    # typographic separators
    "811218–9876",  # en dash
    "811218—9876",  # em dash
    "811218−9876",  # minus sign
    "811218‑9876",  # non-breaking hyphen
    "811218‐9876",  # hyphen
    "811218\u00a09876",  # no-break space
    "811218\u202f9876",  # narrow no-break space
    "811218\u20099876",  # thin space
    "811218/9876",
    "811218.9876",
    "811218--9876",
    "811218 - 9876",
    "811218 – 9876",
    "811218_9876",
    "811218:9876",
    "811218\t9876",
    "19811218–9876",
    "19811218\u00a09876",
    "19811218/9876",
    "19811218.9876",
    # invisible characters inside the number
    "8112\u200b18-9876",
    "811218-98\u00ad76",
    "8\u200b1\u200b1\u200b2\u200b1\u200b8\u200b9\u200b8\u200b7\u200b6",
    "811218\u200d-9876",
    "811218-\u20609876",
    "\ufeff811218-9876",
    "811\u200e218-9876",
    "1981\u00ad1218-9876",
    # fullwidth and other digit forms
    "８１１２１８－９８７６",
    "８１１２１８９８７６",
    "١٩٨١١٢١٨٩٨٧٦",  # Arabic-Indic digits
    # the dashed date form
    "1985-01-01-1236",
    "85-01-01-1236",
    "1985.01.01-1236",
    "1985/01/01-1236",
    "1985 01 01-1236",
    "1985–01–01–1236",
    "1981-12-18-9876",
    "1985-01-01 - 1236",
    # glued to letters
    "pnr850101-1236",
    "fil_850101-1236",
    "PNR:850101-1236",
    "pnr:8501011236",
    "personnr850101-1236.",
    "klient850101-1236x",
    "id=198501011236",
    "#850101-1236",
    "(850101-1236)",
    '"850101-1236"',
    "nr.850101-1236",
    "ABC8501011236DEF",
    # in sentences, and other valid numbers
    "Klientens personnummer är 121212-1212.",
    "pnr 880320-0016, ring efter lunch",
    "19880320-0016",
    "198803200016",
    "880320+0016",
    "Listan: 850101-1236,811218-9876",
    "850101-1236\n",
    "Personnummer:\u00a0850101\u20131236",
    # samordningsnummer
    "701063-2383",
    "701063–2383",
    "19701063-2383",
    "7010632383",
    "samnr701063-2383",
    "850161 1233",
    "1985-01-61-1233",
]

BLOCKED_PHONES = [
    "Tel:070-123 45 67",
    "tel:0701234567",
    "Tel.070-1234567",
    "mobil:070-123 45 67",
    "mobil:0701234567",
    "Mobil: 073-987 65 43",
    "(070) 123 45 67",
    "(070)123 45 67",
    "(08) 123 456 78",
    "070 - 123 45 67",
    "070–123 45 67",
    "070 – 123 45 67",
    "070—123 45 67",
    "070.123.45.67",
    "070.123 45 67",
    "070/123 45 67",
    "070 123 45 67",
    "070-12 34 567",
    "070\u00a0123\u00a045\u00a067",
    "070\u202f123\u202f45\u202f67",
    "07\u200b01234567",
    "０７０－１２３ ４５ ６７",
    "08-123 456 78",
    "08–123 45 67",
    "031-12 34 56",
    "054-540 00 00",
    "0920-123 45",
    "+46 70 123 45 67",
    "+46 (0)70-123 45 67",
    "+46-70-123 45 67",
    "+46701234567",
    "0046 70 123 45 67",
    "＋４６ ７０ １２３ ４５ ６７",
    "Ring mig på 070-123 45 67 i morgon",
    "sms till 0721234567",
    "Ring 070-123 45 67 två gånger",
    "Ring 070-123 45 67 12 gånger",
    "Ring 0910-12345",
    "0910-123456",
]

BLOCKED_EMAILS = [
    "namn＠domän.se",
    "namn @ domän.se",
    "namn@ domän.se",
    "namn(at)domän.se",
    "namn (at) domän.se",
    "namn[at]domän.se",
    "namn [at] domän [dot] se",
    "namn{at}domän.se",
    "namn<at>domän.se",
    "namn at domän punkt se",
    "namn at domän dot se",
    "namn snabel-a domän.se",
    "namn(snabela)domän.se",
    "anna.svensson@kommun.karlstad.se",
    "ANNA@EXEMPEL.SE",
    "anna\u200b@exempel.se",
    "anna@exempel\u00ad.se",
    "mejla anna_b+po@exempel.nu i dag",
]

BLOCKED = BLOCKED_ID_NUMBERS + BLOCKED_PHONES + BLOCKED_EMAILS

PASSED = [
    # dates
    "Möte 2025-01-15 med handläggaren",
    "Möte 2025-01-15 1300",
    "Beslut 2025-01-15 2025-02-01 och 2025-03-31",
    "Perioden 2024-01-01–2024-12-31",
    "Perioden 2024-01-01-2024-12-31",
    "Möte 01.02.2025",
    "Möte 1/2 2025",
    "Möte 15/1-2025",
    "Möte 2025.01.15",
    "den 15 januari 2025",
    # clock times
    "kl 0830-1615",
    "kl. 08.30–16.15",
    "Klockan 08.30–10.00",
    "Öppet 08:00 - 16:30",
    "Tid 0900–1200 och 1300–1600",
    "kl 08.30 – 12.00",
    "(0830–1615)",
    "Öppet 0830-1615 5 dagar i veckan",
    "Tid 08.30-09.15 10 personer",
    # amounts
    "2 050 000 000 kr",
    "Ansökan om 10 561 kr avslogs",
    "Belopp 1 234 567,50 kr",
    "Skulden är 2\u00a0050\u00a0000 kr",
    "Skulden är 12 345 678 kr",
    "Hyra 8 500 kr/mån",
    "Bidrag 0,50 kr per km",
    "Summa 1 050 kr",
    "Belopp −1 200 kr",
    "Belopp 1.050.000 kr",
    # uppdrag codes, diarienummer, SFS
    "Uppdrag 2025-017 avslutades",
    "Uppdrag 2025–017 avslutades",
    "Uppdrag 2025-0017",
    "Dnr SN 2024/0123 och KS-2025-00456",
    "Dnr 2025/00123",
    "Dnr SOC 2025-000123",
    "Ärende 2024-0456-12",
    "Enligt SFS 2013:522 och 2001:453",
    "SFS 2010:110 4 kap. 1 §",
    "Socialtjänstlagen (2001:453)",
    "LSS 9 § 1",
    # other numbers
    "Ringde 3 gånger, 2 möten",
    "Postnummer saknas",
    "Version 1.2.3",
    "Rum 0123",
    "År 2025 hade 118 uppdrag",
    "Organisationsnummer saknas",
    "Bankgiro 5050-1055",
    "Fakturanummer 2025-10-0042",
    # words that look like e-mail parts
    "Vi tittade på punkt 3 at the end",
    "Möte @ kontoret",
    "Se punkt 4.2 i beslutet",
    "E-post skickades till handläggaren",
    "Kontakt via 1177.se",
    "Info på forsakringskassan.se",
    # authorities' service numbers
    "Ringde Försäkringskassan på 0771-524 524",
    "Skatteverket 0771–567 567",
    "Kundtjänst 020-12 34 56",
    # places
    "Ärendet gäller Stockholm och Kronoberg",
    "",
]


def with_check_digit(nine: str) -> str:
    for digit in "0123456789":
        if luhn_valid(nine + digit):
            return nine + digit
    raise AssertionError("no check digit")


def test_the_table_is_large_enough() -> None:
    assert len(BLOCKED) >= 100 and len(set(BLOCKED)) == len(BLOCKED)
    assert len(PASSED) >= 50 and len(set(PASSED)) == len(PASSED)


@pytest.mark.parametrize("text", BLOCKED)
def test_real_world_spelling_is_blocked(text: str) -> None:
    found = blocking(scan(text))
    assert found, text
    for finding in found:
        assert text[finding.start : finding.end].strip(), "the span covers the typed text"


@pytest.mark.parametrize("text", BLOCKED_ID_NUMBERS)
def test_id_spelling_is_blocked_as_an_id(text: str) -> None:
    assert {f.kind for f in blocking(scan(text))} <= {"personnummer", "samordningsnummer"}


@pytest.mark.parametrize("text", PASSED)
def test_ordinary_text_passes(text: str) -> None:
    assert scan(text) == [], text


def test_span_points_into_the_typed_text() -> None:
    text = "Tel:\u00a0070\u2013123\u200b 45 67."
    (finding,) = scan(text)
    assert text[finding.start : finding.end] == "070\u2013123\u200b 45 67"


def test_warn_categories_still_work_on_folded_text() -> None:
    text = "Bor på Storgatan\u00a012 i 652\u00a024 Karlstad, träffade Anna Johansson"
    found = scan(text)
    assert {f.kind for f in found} == {"adress", "postadress", "namn"}
    assert all(f.severity == Severity.WARN for f in found)
    assert [(f.kind, f.severity) for f in scan("811218–9875")] == [("id_nummer", Severity.WARN)]


SEPARATORS = [
    "", "-", "+", " ", "--", " - ", "/", ".", "_", ":",
    "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d",
    "\u00a0", "\u2007", "\u2009", "\u200a", "\u202f", "\u3000", " \u2013 ", "\u2013\u2013",
]  # fmt: skip
INVISIBLE = ["\u200b", "\u00ad", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f"]
LETTERS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ_", max_size=6
)


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31)),
    serial=st.integers(0, 999),
    samordning=st.booleans(),
    twelve=st.booleans(),
    separator=st.sampled_from(SEPARATORS),
    invisible=st.lists(st.tuples(st.integers(0, 14), st.sampled_from(INVISIBLE)), max_size=4),
    before=LETTERS,
    after=LETTERS,
    fullwidth=st.booleans(),
)
def test_property_any_valid_id_number_in_any_spelling_is_blocked(
    birth: date,
    serial: int,
    samordning: bool,
    twelve: bool,
    separator: str,
    invisible: list[tuple[int, str]],
    before: str,
    after: str,
    fullwidth: bool,
) -> None:
    day = birth.day + 60 if samordning else birth.day
    ten = with_check_digit(f"{birth:%y%m}{day:02d}{serial:03d}")
    if separator == "+" and twelve:
        separator = "-"
    birth_part = (f"{birth.year // 100}" if twelve else "") + ten[:6]
    number = list(birth_part + separator + ten[6:])
    if fullwidth:
        number = [chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in number]
    for position, char in sorted(invisible, reverse=True):
        number.insert(min(position, len(number)), char)
    text = f"{before}{''.join(number)}{after} slut"
    found = blocking(scan(text))
    assert [f.kind for f in found] == ["samordningsnummer" if samordning else "personnummer"]


@given(
    mobile=st.sampled_from(["70", "72", "73", "76", "79"]),
    rest=st.integers(0, 9_999_999),
    separator=st.sampled_from(["-", "–", " - ", " – ", "/", ".", " ", "\u00a0", "‑", ""]),
    group=st.sampled_from([" ", ".", "\u00a0", "", "-"]),
    prefix=st.sampled_from(["", "Tel:", "tel ", "mobil:", "Mobil: ", "ring ", "("]),
)
def test_property_mobile_numbers_in_any_spelling_are_blocked(
    mobile: str, rest: int, separator: str, group: str, prefix: str
) -> None:
    digits = f"{rest:07d}"
    area = f"0{mobile}" + (")" if prefix == "(" else "")
    text = f"{prefix}{area}{separator}{group.join([digits[:3], digits[3:5], digits[5:]])}"
    assert blocking(scan(f"{text} tack")), text


@given(
    hours=st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23), st.integers(0, 59)),
    dash=st.sampled_from(["-", "–", " - ", " – ", "—"]),
    dot=st.sampled_from(["", ".", ":"]),
)
def test_property_clock_time_ranges_pass(
    hours: tuple[int, int, int, int], dash: str, dot: str
) -> None:
    h1, m1, h2, m2 = hours
    assert scan(f"kl {h1:02d}{dot}{m1:02d}{dash}{h2:02d}{dot}{m2:02d}") == []


@given(st.integers(0, 999_999_999_999))
def test_property_amounts_with_any_space_class_pass(amount: int) -> None:
    for space in (" ", "\u00a0", "\u202f", "."):
        spaced = f"{amount:,}".replace(",", space)
        assert scan(f"Skulden är {spaced} kr") == [], spaced
