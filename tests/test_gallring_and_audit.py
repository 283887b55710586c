from __future__ import annotations

import csv
from datetime import date

import pytest

from po_desk.domain import aterrapport
from po_desk.domain.errors import ValidationFailed
from po_desk.services import demo

TODAY = date(2026, 11, 22)


def test_gallring_keeps_past_figures_and_logs_each_run(workspace) -> None:
    demo.fill(workspace, uppdrag_count=300, years=6, seed=21, today=TODAY)
    workspace.verksamhet.set_notes_enabled(True)
    years = range(TODAY.year - 6, TODAY.year)
    before = {y: aterrapport.flatten(workspace.aterrapport.compute(y)) for y in years}
    with pytest.raises(ValidationFailed, match="Ange först"):
        workspace.gallring.preview(TODAY)
    workspace.gallring.set_period_years(3)
    cutoff, preview = workspace.gallring.preview(TODAY)
    assert cutoff == date(2023, 11, 22) and preview.uppdrag > 0
    counts = workspace.gallring.run(TODAY)
    assert counts == preview
    assert workspace.gallring.preview(TODAY)[1].total == 0  # a second run has nothing left
    after = {y: aterrapport.flatten(workspace.aterrapport.compute(y)) for y in years}
    assert after == before
    old = [u for u in workspace.uppdrag.all() if u.slut and u.slut < cutoff]
    assert old and all(u.ombud_id is None and u.anteckning is None for u in old)
    # What the return counts stays: the coded hänvisning and avslutsorsak.
    assert any(u.avslutsorsak for u in old) and any(u.hanvisad_fran for u in old)
    log = workspace.gallring.log()
    assert len(log) == 1 and log[0]["uppdrag"] == counts.uppdrag
    actions = {e.action for e in workspace.audit.entries()}
    assert "gallring" in actions


def test_audit_log_view_and_export_hold_no_content(workspace, tmp_path) -> None:
    workspace.verksamhet.set_notes_enabled(True)
    kommun = workspace.verksamhet.get().kommuner[0].id
    from po_desk.domain.uppdrag import Uppdrag

    workspace.uppdrag.save(
        Uppdrag(
            kon="man",
            fodelsear=1970,
            kommun_id=kommun,
            start=date(2025, 1, 1),
            kontaktorsaker=("ekonomi",),
            anteckning="HEMLIGANTECKNING",
        )
    )
    entries = workspace.audit.entries()
    assert any(e.table_name == "uppdrag" and e.action == "skapad" for e in entries)
    assert workspace.audit.actors() == ["enhetschef"]
    out = tmp_path / "logg.csv"
    workspace.audit.export_csv(out, entries)
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0] == ["Tid", "Användare", "Ändring", "Vad", "Rad-id"]
    assert ["enhetschef", "skapad", "Uppdrag"] in [r[1:4] for r in rows]
    assert "HEMLIGANTECKNING" not in text
