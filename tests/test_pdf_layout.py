"""Every PDF of a demo store read back with poppler: only embedded fonts, no word broken
inside itself, no heading left at the foot of a page, empty tables that say so, brister in
the fixed aktör order, and an external underlag that lists nothing under a hidden count."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from po_desk.domain import categories
from po_desk.domain.aterrapport_tables import tables
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.sammanstallning_tables import overview_table, section_tables
from po_desk.services import sammanstallning_service
from po_desk.services.workspace import Workspace

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)
YEAR = date.today().year - 1
FRAN, TILL = date(YEAR, 1, 1), date(YEAR, 12, 31)
NIVA_NAMES = [n.name for n in categories.NIVAER]
UNDERLAG_HEADERS = [
    "Mått", "Perioden", "Föregående period", "Förändring", "Aktör", *NIVA_NAMES, "Totalt",
    "Hela verksamheten", "Kategori", "Antal",
]  # fmt: skip
_PIECE = re.compile(r"[^\s\-–/]*[\-–/]+|[^\s\-–/]+")
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def text_of(pdf: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(
        ["pdftotext", "-layout", *span, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pieces(text: str) -> list[str]:
    """A text's pieces as lines may break them: at spaces, after hyphens and slashes."""
    return [p.strip("().,:;%") for p in _PIECE.findall(text) if p.strip("().,:;%")]


def words_with_boxes(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    result = []
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, word in _WORD.findall(body):
            result.append((page, float(x0), float(y0), float(x1), float(y1), unescape(word)))
    return result


def assert_words_whole(pdf: Path, phrases: list[str]) -> None:
    """Every piece of every phrase is printed whole, and no phrase word is printed as a
    head on one line with its tail right below it (a word broken inside itself)."""
    vocabulary = {w.strip("().,:;%") for phrase in phrases for w in phrase.split()}
    vocabulary.discard("")
    printed = set()
    for line in text_of(pdf).splitlines():
        printed.update(pieces(line))
    missing = sorted({p for phrase in phrases for p in pieces(phrase)} - printed)
    assert not missing, f"{pdf.name}: not printed whole: {missing}"
    boxes = words_with_boxes(pdf)
    broken = []
    for page, x0, y0, x1, y1, head in boxes:
        if head[-1] in "-–/":
            continue  # an allowed break
        height = y1 - y0
        for other_page, a0, b0, a1, _b1, tail in boxes:
            below = other_page == page and 0.5 * height < b0 - y0 < 1.8 * height
            front, back = head.strip("().,:;%"), tail.strip("().,:;%")
            if below and a0 < x1 and a1 > x0 and front and back and front + back in vocabulary:
                broken.append(f"{head} / {tail}")
    assert not broken, f"{pdf.name}: words broken inside: {broken}"


def assert_embedded_fonts(pdf: Path) -> None:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    for row in rows:
        # name type encoding emb sub uni object ID: "yes" in the emb column.
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), (pdf.name, row)
    assert "Helvetica" not in listing


def assert_no_heading_at_foot(pdf: Path, headings: set[str]) -> None:
    for page in range(1, page_count(pdf) + 1):
        lines = [" ".join(line.split()) for line in text_of(pdf, page).splitlines()]
        content = [line for line in lines if line and not line.startswith("Sida ")]
        assert content[-1] not in headings, f"{pdf.name} p.{page} ends with {content[-1]!r}"


def demo_pdfs(workspace: Workspace, folder: Path) -> dict[str, Path]:
    """The PDFs of the run's demo store (conftest: 300 uppdrag, two years, seed 11)."""
    paths = {
        "underlag": write(folder, "underlag.pdf", workspace.underlag.pdf(FRAN, TILL)),
        "aterrapport": write(folder, "aterrapport.pdf", workspace.aterrapport.render(YEAR, "pdf")),
    }
    workspace.aterrapport.export(folder / "a.json", YEAR, "json")
    other = json.loads((folder / "a.json").read_text(encoding="utf-8"))
    other["verksamhet"] = {
        **other["verksamhet"], "namn": "PO Norrdalen", "lan": "Dalarnas län", "lan_kod": "20",
        "kommuner": ["Falun"], "kommunkoder": ["2080"],
    }  # fmt: skip
    (folder / "b.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    paths["sammanstallning"] = folder / "s.pdf"
    sammanstallning_service.aggregate(
        [folder / "a.json", folder / "b.json"], paths["sammanstallning"]
    )
    return paths


def table_phrases(report_tables) -> list[str]:
    phrases = []
    for table in report_tables:
        phrases += [table.title, *table.header]
        phrases += [row[0] for row in table.rows if isinstance(row[0], str)]
    return phrases


@needs_poppler
def test_every_pdf_of_a_demo_store_prints_whole_words_in_embedded_fonts(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    workspace = demo_workspace  # the run's demo store: 300 uppdrag, two years, seed 11
    paths = demo_pdfs(workspace, tmp_path)
    document = workspace.aterrapport.document(YEAR)
    underlag = workspace.underlag.data(FRAN, TILL)
    compilation = sammanstallning_service.compile_files([tmp_path / "a.json", tmp_path / "b.json"])
    phrases = {
        "underlag": [
            *UNDERLAG_HEADERS,
            *(categories.name_of(categories.AKTORER, r.aktor) for r in underlag.aktor_niva),
            *(categories.name_of(categories.BRISTKATEGORIER, c) for c in underlag.per_kategori),
        ],
        "aterrapport": table_phrases(tables(document)),
        "sammanstallning": table_phrases(
            [overview_table(compilation), *section_tables(compilation["totalt"])]
        ),
    }
    aktorer = {c.name for c in categories.AKTORER}
    headings = aktorer | {
        "1. Nyckeltal", "2. Avvikelser per aktör och nivå", "3. Avvikelser per kategori",
        "4. Periodens avvikelser per aktör", "5. Väntar på återkoppling", "Övriga aktörer",
        "Systembrister – beskrivningar per aktör", "Systembrister per aktör",
        "Hela landet / alla inlästa verksamheter", "Antal avvikelser per aktör",
        "Antal per kategori", *(t.title for t in tables(document)),
    }  # fmt: skip
    for name, pdf in paths.items():
        assert_embedded_fonts(pdf)
        assert_words_whole(pdf, phrases[name])
        assert_no_heading_at_foot(pdf, headings)


@needs_poppler
def test_external_underlag_lists_no_dated_text_under_a_hidden_count(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    workspace = demo_workspace  # the run's demo store: 300 uppdrag, two years, seed 11
    data = workspace.underlag.data(FRAN, TILL)
    assert data.suppress_small and data.aktor_table is not None
    external = text_of(write(tmp_path, "extern.pdf", workspace.underlag.pdf(FRAN, TILL)))
    workspace.underlag.set_suppress_small(False)
    internal = text_of(write(tmp_path, "intern.pdf", workspace.underlag.pdf(FRAN, TILL)))

    dated = re.compile(r"\d{4}-\d{2}-\d{2} · (" + "|".join(NIVA_NAMES) + ")")
    assert dated.search(internal), "the internal version lists dated texts"
    assert not dated.search(external)
    section_4 = external.split("4. Periodens avvikelser per aktör")[1].split("5. Väntar")[0]
    section_5 = external.split("5. Väntar på återkoppling")[1]
    assert not re.search(r"\d{4}-\d{2}-\d{2} ·", section_4)
    hidden = [
        row.aktor
        for index, row in enumerate(data.aktor_niva)
        if data.aktor_cell(index, len(NIVA_NAMES)) in ("<3", "x")
    ]
    assert hidden, "the demo period should have small counts"
    listed_lines = {" ".join(line.split()) for line in section_4.splitlines()}
    for index, row in enumerate(data.aktor_niva):
        name = categories.name_of(categories.AKTORER, row.aktor)
        total_text = data.aktor_cell(index, len(NIVA_NAMES))
        # An aktör's texts are listed (under its heading) only where its count is printed.
        assert (name in listed_lines) == (total_text not in ("<3", "x") and row.total >= 3)
        if row.aktor in hidden:
            assert name not in section_5  # no waiting item gives its count away either
    assert "Övriga aktörer" in section_4
    # The one line for the rest gives only what the table gives: total − printed totals.
    rest = int(re.search(r"sammanlagt (\d+) avvikelser", " ".join(section_4.split())).group(1))
    printed = [data.aktor_cell(i, len(NIVA_NAMES)) for i in range(len(data.aktor_niva))]
    assert rest == data.avvikelser_antal - sum(int(t) for t in printed if t.isdigit())
    # Each row of the aktör table as printed: a hidden cell is "<3" or "x", never its count.
    table_lines = external.split("2. Avvikelser per aktör och nivå")[1].split("Antal avvikelser")[0]
    for index, row in enumerate(data.aktor_niva):
        name = categories.name_of(categories.AKTORER, row.aktor)
        line = next(line for line in table_lines.splitlines() if line.strip().startswith(name))
        cells = line.strip()[len(name) :].split()
        expected = [data.aktor_cell(index, c) for c in range(len(NIVA_NAMES) + 1)]
        assert cells == expected
        for count, text in zip([*row.per_niva.values(), row.total], cells, strict=True):
            assert text == str(count) or (text in ("<3", "x") and count > 0)
            assert not (0 < count < 3 and text == str(count))


@needs_poppler
def test_empty_tables_say_there_is_nothing(workspace: Workspace, tmp_path: Path) -> None:
    aterrapport = text_of(write(tmp_path, "a.pdf", workspace.aterrapport.render(YEAR, "pdf")))
    assert aterrapport.count("Inget att redovisa för året.") >= 2  # brister per aktör, kategori
    underlag = text_of(write(tmp_path, "u.pdf", workspace.underlag.pdf(FRAN, TILL)))
    section_2_3 = underlag.split("2. Avvikelser per aktör")[1].split("4. Periodens")[0]
    assert section_2_3.count("Inga avvikelser registrerades under perioden.") == 2
    assert "Hela verksamheten" not in section_2_3


@needs_poppler
def test_aterrapport_lists_brister_in_the_fixed_aktor_order(
    workspace: Workspace, tmp_path: Path
) -> None:
    base = Avvikelse(
        datum=date(YEAR, 1, 10), aktor="skatteverket", niva="handlaggare",
        kategorier=("vantetider",), beskrivning="Beslutet dröjde.", konsekvens="",
        atgarder=("skrivelse",),
    )  # fmt: skip
    # Saved in date order with the aktörer in the reverse of the fixed order.
    for month, aktor in enumerate(["skatteverket", "forsakringskassan", "region_psykiatri"], 1):
        workspace.avvikelser.save(replace(base, datum=date(YEAR, month, 10), aktor=aktor))
    text = text_of(write(tmp_path, "a.pdf", workspace.aterrapport.render(YEAR, "pdf")))
    texts = text.split("Systembrister – beskrivningar per aktör")[1]
    lines = [line.strip() for line in texts.splitlines()]
    names = [
        categories.name_of(categories.AKTORER, c) for c in categories.codes(categories.AKTORER)
    ]
    order = [line for line in lines if line in names]
    assert order == ["Region – psykiatri", "Försäkringskassan", "Skatteverket"]


@needs_poppler
def test_external_underlag_with_fewer_than_three_avvikelser_shows_no_breakdown(
    workspace: Workspace, tmp_path: Path
) -> None:
    base = Avvikelse(
        datum=date(YEAR, 2, 10), aktor="skatteverket", niva="lokal",
        kategorier=("bemotande",), beskrivning="Bemöttes illa.", konsekvens="",
        atgarder=("skrivelse",),
    )  # fmt: skip
    workspace.avvikelser.save(base)
    workspace.avvikelser.save(replace(base, aktor="kronofogden", datum=date(YEAR, 3, 1)))
    external = text_of(write(tmp_path, "u.pdf", workspace.underlag.pdf(FRAN, TILL)))
    breakdowns = external.split("2. Avvikelser per aktör")[1].split("4. Periodens")[0]
    # With a whole-verksamhet total of 2, any "<3" would be 1 or 2 of 2: nothing is shown.
    assert " ".join(breakdowns.split()).count("Uppdelningen redovisas inte") == 2
    assert "Skatteverket" not in breakdowns and "Bemötande" not in breakdowns
    listing = " ".join(external.split("4. Periodens avvikelser per aktör")[1].split())
    assert "Bemöttes illa" not in listing and "sammanlagt 2 avvikelser" in listing
    workspace.underlag.set_suppress_small(False)
    internal = text_of(write(tmp_path, "i.pdf", workspace.underlag.pdf(FRAN, TILL)))
    assert "Skatteverket" in internal and "Bemöttes illa" in internal
