"""Fuzzing the inputs people control: free texts through the guard and import files
through the importer never crash; they give findings or a clear Swedish error.

`PO_DESK_FUZZ_EXAMPLES` raises the example count for a long run (default: a few thousand
guard texts and a few hundred import files per CI run)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from po_desk.domain import guard
from po_desk.domain.errors import PoDeskError
from po_desk.domain.guard import Severity
from po_desk.services.uppdrag_import import read_csv, read_xlsx

SCALE = int(os.environ.get("PO_DESK_FUZZ_EXAMPLES", "1"))
swedish_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Z", "S")), max_size=300
)
digits_and_separators = st.text(alphabet="0123456789 -+/.:@", max_size=60)


@settings(max_examples=3000 * SCALE, deadline=None)
@given(st.one_of(swedish_text, digits_and_separators))
def test_guard_never_crashes_and_spans_are_valid(text: str) -> None:
    findings = guard.scan(text)
    previous_end = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.start >= previous_end  # ordered, no overlaps
        assert finding.severity in (Severity.BLOCK, Severity.WARN)
        assert finding.kind in guard.KIND_LABELS
        previous_end = finding.end
    assert "811218" not in guard.describe(findings)


csv_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
csv_rows = st.lists(st.lists(csv_cell, min_size=0, max_size=12), min_size=0, max_size=8)


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2000),
        csv_rows.map(lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8")),
        csv_rows.map(
            lambda rows: (
                "kon;fodelsear;kommun;start;barn;kontaktorsaker\n"
                + "\n".join(";".join(r) for r in rows)
            ).encode("cp1252", errors="replace")
        ),
    )
)
def test_importer_never_crashes(data: bytes) -> None:
    from po_desk.domain import import_rules

    try:
        records = read_csv(data)
    except PoDeskError as error:
        assert error.message  # a clear Swedish message, no traceback
        return
    for number, raw in enumerate(records, start=2):
        row = import_rules.parse_row(number, raw, {"karlstad": "k1"})
        assert (row.uppdrag is None) == bool(row.problems)


def _real_workbook() -> bytes:
    """A workbook as a person would save one: the import's headers, a date, a number."""
    import io
    from datetime import date

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kön", "Födelseår", "Kommun", "Start", "Barn", "Kontaktorsaker"])
    sheet.append(["kvinna", 1975, "Karlstad", date(2025, 4, 1), "delvis", "Bostad|Eko"])
    sheet.append(["man", 1990.0, "Hammarö", "2025-05-01", "nej", "Annan orsak"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


REAL_WORKBOOK = _real_workbook()


def _members(data: bytes) -> dict[str, bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_unmutated_workbook_reaches_the_records() -> None:
    records = read_xlsx(REAL_WORKBOOK)
    assert [r["kommun"] for r in records] == ["Karlstad", "Hammarö"]


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook with one or more of its XML parts changed and zipped again with
    valid checksums, so every example gets past the zip layer into openpyxl."""
    members = _members(REAL_WORKBOOK)
    names = sorted(members)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        content = members[name]
        start = draw(st.integers(0, len(content)))
        end = draw(st.integers(start, min(len(content), start + 40)))
        insert = draw(st.one_of(
            st.binary(max_size=12),
            st.sampled_from([b"<", b">", b"</c>", b"<v>x</v>", b'r="ZZZ99999"', b'"', b"&#0;",
                             b't="s"', b't="d"', b"<row>", b"99999999", b"-1", b"\x00"]),
        ))  # fmt: skip
        members[name] = content[:start] + insert + content[end:]
    if draw(st.booleans()):
        members.pop(draw(st.sampled_from(names)))
    return _zipped(members)


@settings(max_examples=150 * SCALE, deadline=None)
@given(mutated_workbooks())
def test_xlsx_reader_never_crashes(data: bytes) -> None:
    try:
        records = read_xlsx(data)
    except PoDeskError as error:
        assert error.message
    else:
        assert isinstance(records, list)


cell_text = st.one_of(
    st.text(alphabet="0123456789-_+ ./WT:", max_size=20),
    st.text(alphabet=st.characters(codec="utf-8", categories=("N", "P", "Zs")), max_size=14),
    st.dates().map(lambda d: d.isoformat()),
)


@settings(max_examples=1000 * SCALE, deadline=None)
@given(kod=cell_text, fodelsear=cell_text, start=cell_text, anmald=cell_text)
def test_an_accepted_import_row_is_canonical_and_plausible(
    kod: str, fodelsear: str, start: str, anmald: str
) -> None:
    """Whatever the cells say, a row the importer accepts has a canonical ASCII code of a
    plausible year, a four-digit year of birth and ISO dates no older than 1995."""
    import re
    from datetime import date

    from po_desk.domain import import_rules
    from po_desk.domain.uppdrag import EARLIEST_DATE, FIRST_KOD_YEAR

    today = date(2026, 6, 30)
    raw = {"kod": kod, "kon": "kvinna", "fodelsear": fodelsear, "kommun": "Karlstad",
           "start": start, "anmald": anmald, "barn": "nej",
           "kontaktorsaker": "ekonomi"}  # fmt: skip
    row = import_rules.parse_row(2, raw, {"karlstad": "k1"}, today)
    if row.uppdrag is None:
        assert row.problems
        return
    item = row.uppdrag
    if item.kod:
        match = re.fullmatch(r"([0-9]{4})-([0-9]{3,4})", item.kod)
        assert match is not None
        assert FIRST_KOD_YEAR <= int(match.group(1)) <= today.year
        assert not (match.group(2).startswith("0") and len(match.group(2)) > 3)
    assert re.fullmatch(r"[0-9]{4}", fodelsear.strip())
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", start.strip())
    assert item.start >= EARLIEST_DATE
    assert item.anmald is None or item.anmald >= EARLIEST_DATE
