"""Issue 16: the Översikt use case returns every figure the view shows, and the deadline."""

from __future__ import annotations

from datetime import date, timedelta

from po_desk.domain.counting import active_on, year_figures
from po_desk.domain.ko import Anmalan
from po_desk.services.oversikt_service import return_deadline
from po_desk.services.workspace import Workspace


def test_the_return_is_due_on_15_january_of_the_next_year() -> None:
    assert return_deadline(2025) == date(2026, 1, 15)


def test_oversikt_holds_every_figure_of_the_demo_store(demo_workspace: Workspace) -> None:
    day = date.today()
    figures = demo_workspace.oversikt.oversikt(day)
    items = demo_workspace.uppdrag.all()
    assert figures.aktiva_i_dag == active_on(items, day) > 0
    assert [f.year for f in figures.years] == [day.year, day.year - 1]
    assert figures.years[1] == year_figures(items, day.year - 1)
    assert sum(count for _name, count in figures.per_ombud) == figures.aktiva_i_dag
    assert sum(count for _name, count in figures.per_kommun) == figures.aktiva_i_dag
    assert [name for name, _count in figures.per_kommun] == sorted(
        name for name, _count in figures.per_kommun
    )
    assert figures.ko.vantande == len(demo_workspace.ko.waiting())
    avvikelser = demo_workspace.avvikelser.all()
    assert figures.avvikelser.registrerade_i_ar == sum(a.datum.year == day.year for a in avvikelser)
    assert figures.aterrapport_ar == day.year - 1
    assert figures.aterrapport_deadline == date(day.year, 1, 15)
    assert figures.aterrapport_text


def test_aterrapport_text_counts_the_days_to_the_deadline(workspace: Workspace) -> None:
    workspace.ko.save(
        Anmalan(
            anmald=date(2024, 12, 1),
            kon="man",
            fodelsear=1970,
            kommun_id=workspace.verksamhet.get().kommuner[0].id,
            kontaktorsaker=("bostad",),
        )
    )
    before = workspace.oversikt.oversikt(date(2025, 1, 5))
    assert before.aterrapport_deadline == date(2025, 1, 15)
    assert "2025-01-15" in before.aterrapport_text and "10 dagar kvar" in before.aterrapport_text
    after = workspace.oversikt.oversikt(date(2025, 1, 5) + timedelta(days=30))
    assert "sista dag var 2025-01-15" in after.aterrapport_text
