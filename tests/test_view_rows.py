"""The rows the use cases prepare for the tables (issue 16): names looked up, counts made
and order set in the service, so a table model only shows them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.ledningsgrupp import Mote
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Ombud
from po_desk.services import uppdrag_import
from po_desk.services.workspace import Workspace

TODAY = date.today()


def test_uppdrag_rows_name_kommun_and_ombud(workspace: Workspace) -> None:
    kommuner = {k.namn: k.id for k in workspace.verksamhet.get().kommuner}
    anna = workspace.verksamhet.save_ombud(Ombud("Anna", "kvinna", 1.0, date(2024, 1, 1)))
    first = workspace.uppdrag.save(
        Uppdrag("man", 1970, kommuner["Hammarö"], date(2025, 1, 1), ("ekonomi",),
                ombud_id=anna.id)
    )  # fmt: skip
    second = workspace.uppdrag.save(
        Uppdrag("kvinna", 1980, kommuner["Karlstad"], date(2025, 2, 1), ("ekonomi",))
    )
    rows = workspace.uppdrag.rows([second, first])
    assert [(r.uppdrag.id, r.kommun, r.ombud) for r in rows] == [
        (second.id, "Karlstad", ""),
        (first.id, "Hammarö", "Anna"),
    ]


def test_meeting_rows_newest_first_with_what_was_raised(workspace: Workspace) -> None:
    base = Avvikelse(TODAY - timedelta(days=40), "forsakringskassan", "handlaggare",
                     ("vantetider",), "Beslutet dröjde.")  # fmt: skip
    items = [workspace.avvikelser.save(replace(base, beskrivning=f"Nr {n}")) for n in range(3)]
    lugn = workspace.ledningsgrupp.save_meeting(Mote(TODAY - timedelta(days=20)), [])
    livlig = workspace.ledningsgrupp.save_meeting(
        Mote(TODAY - timedelta(days=10), "Väntetider"), [items[0].id, items[1].id]
    )
    rows = workspace.ledningsgrupp.meeting_rows()
    assert [(r.mote.id, r.lyfta) for r in rows] == [(livlig.id, 2), (lugn.id, 0)]


def test_the_import_preview_holds_the_first_good_rows_with_kommun_names(
    workspace: Workspace, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(uppdrag_import, "PREVIEW_ROWS", 3)
    lines = ["Kön;Födelseår;Kommun;Start;Barn;Kontaktorsaker"]
    lines += [f"kvinna;19{60 + n};{'Hammarö' if n % 2 else 'Karlstad'};2025-02-01;nej;Ekonomi"
              for n in range(5)]  # fmt: skip
    path = tmp_path / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = workspace.uppdrag_import.plan(path)
    assert [(r.number, r.uppdrag.fodelsear, r.kommun) for r in plan.preview] == [
        (2, 1960, "Karlstad"),
        (3, 1961, "Hammarö"),
        (4, 1962, "Karlstad"),
    ]


def test_the_rows_name_the_kontaktorsaker_as_the_store_names_them_today(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The names of the store's catalogue, a renamed one too, not the built-in defaults."""
    from po_desk.domain.categories import CategoryKind

    workspace.verksamhet.rename_category(
        CategoryKind.KONTAKTORSAK, "ekonomi", "Pengar och skulder", date(2020, 1, 1)
    )
    kommun = workspace.verksamhet.get().kommuner[0]
    saved = workspace.uppdrag.save(
        Uppdrag("man", 1970, kommun.id, date(2025, 1, 1), ("ekonomi", "bostad"))
    )
    (row,) = workspace.uppdrag.rows([saved])
    assert row.kontaktorsaker == "Pengar och skulder, Bostad"

    path = tmp_path / "in.csv"
    path.write_text(
        "Kön;Födelseår;Kommun;Start;Barn;Kontaktorsaker\n"
        f"kvinna;1960;{kommun.namn};2025-02-01;nej;Pengar och skulder|Bostad\n",
        encoding="utf-8",
    )
    (preview,) = workspace.uppdrag_import.plan(path).preview
    assert preview.kontaktorsaker == "Pengar och skulder, Bostad"
