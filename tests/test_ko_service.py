from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from po_desk.domain.errors import GuardBlocked, ValidationFailed
from po_desk.domain.intagningsstopp import Intagningsstopp
from po_desk.domain.ko import DEFAULT_ORDER, Anmalan, KoStatus
from po_desk.services.workspace import Workspace
from po_desk.store import ko_repo

TODAY = date.today()


def new(workspace: Workspace, days_ago: int = 30, **changes) -> Anmalan:
    kommun = workspace.verksamhet.get().kommuner[0]
    base = Anmalan(
        anmald=TODAY - timedelta(days=days_ago),
        kon="man",
        fodelsear=1970,
        kommun_id=kommun.id,
        kontaktorsaker=("bostad",),
    )
    return replace(base, **changes)


def test_new_store_has_the_default_order_as_a_proposal_only(workspace: Workspace) -> None:
    order = workspace.ko.order_in_force()
    assert order.grunder == DEFAULT_ORDER and not order.is_decided
    assert workspace.ko.versions() == [] and workspace.ko.decision_in_force() is None
    assert [g.code for g in workspace.ko.grounds()][:4] == list(DEFAULT_ORDER)


def test_save_generates_codes_and_orders_the_ko(workspace: Workspace) -> None:
    late_child = workspace.ko.save(new(workspace, 5, prioritetsgrunder=("barn",)))
    early = workspace.ko.save(new(workspace, 90))
    housing = workspace.ko.save(new(workspace, 20, prioritetsgrunder=("vrakning",)))
    assert late_child.kod.startswith("K") and late_child.kod.endswith("-001")
    assert [r.anmalan.kod for r in workspace.ko.queue()] == [late_child.kod, housing.kod, early.kod]

    workspace.ko.add_version(TODAY, ("vrakning", "barn", "unga_vuxna", "utan_natverk"))
    assert [r.anmalan.kod for r in workspace.ko.queue()] == [housing.kod, late_child.kod, early.kod]
    workspace.ko.add_version(TODAY, DEFAULT_ORDER, beslutad_av="enhetschef")
    assert [r.anmalan.kod for r in workspace.ko.queue()] == [late_child.kod, housing.kod, early.kod]
    assert len(workspace.ko.versions()) == 2  # the earlier version is kept


def test_paborja_moves_the_person_in_one_transaction(workspace: Workspace) -> None:
    waiting = workspace.ko.save(new(workspace, 45, prioritetsgrunder=("barn",)))
    uppdrag = workspace.ko.uppdrag_from(waiting, start=TODAY)
    assert (uppdrag.anmald, uppdrag.kon, uppdrag.kontaktorsaker) == (
        waiting.anmald,
        "man",
        ("bostad",),
    )
    created = workspace.ko.start(waiting.id, uppdrag)
    after = workspace.ko.get(waiting.id)
    assert after.status == KoStatus.PABORJAD and after.uppdrag_id == created.id
    assert after.status_datum == TODAY
    assert created.anmald == waiting.anmald and created.prioritetsgrunder == ("barn",)
    assert workspace.ko.queue() == []
    figures = workspace.ko.current_figures()
    assert figures.startade_12_man.antal == 1 and figures.startade_12_man.max == 45
    with pytest.raises(ValidationFailed, match="väntar inte"):
        workspace.ko.start(waiting.id, uppdrag)


def test_paborja_failing_midway_leaves_both_as_they_were(workspace, monkeypatch) -> None:
    waiting = workspace.ko.save(new(workspace))

    def broken(session, uppdrag):
        original(session, uppdrag)  # the uppdrag row is written, then the disk fills
        raise OSError(28, "No space left on device")

    original = ko_repo.insert_uppdrag
    monkeypatch.setattr(ko_repo, "insert_uppdrag", broken)
    with pytest.raises(OSError):
        workspace.ko.start(waiting.id, workspace.ko.uppdrag_from(waiting))
    assert workspace.uppdrag.count() == 0
    assert workspace.ko.get(waiting.id).status == KoStatus.VANTAR


def test_invalid_uppdrag_does_not_start(workspace: Workspace) -> None:
    waiting = workspace.ko.save(new(workspace))
    bad = replace(workspace.ko.uppdrag_from(waiting), kontaktorsaker=())
    with pytest.raises(ValidationFailed, match="kontaktorsak"):
        workspace.ko.start(waiting.id, bad)
    assert workspace.ko.get(waiting.id).is_waiting


def test_status_changes(workspace: Workspace) -> None:
    one = workspace.ko.save(new(workspace))
    two = workspace.ko.save(new(workspace))
    three = workspace.ko.save(new(workspace))
    assert workspace.ko.offer(one.id, TODAY).status == KoStatus.ERBJUDEN
    assert workspace.ko.offer(one.id, TODAY).erbjuden == TODAY  # still waiting
    assert workspace.ko.withdraw(two.id, TODAY).status == KoStatus.ATERTAGEN
    with pytest.raises(ValidationFailed, match="varför"):
        workspace.ko.not_relevant(three.id, TODAY, " ")
    with pytest.raises(GuardBlocked):
        workspace.ko.not_relevant(three.id, TODAY, "Ring 070-123 45 67")
    gone = workspace.ko.not_relevant(three.id, TODAY, "Tillhör inte målgruppen")
    assert gone.status == KoStatus.EJ_AKTUELL
    assert [r.anmalan.kod for r in workspace.ko.queue()] == [one.kod]
    with pytest.raises(ValidationFailed):
        workspace.ko.withdraw(two.id, TODAY)


def test_anmalan_validation(workspace: Workspace) -> None:
    with pytest.raises(ValidationFailed, match="Unga vuxna"):
        workspace.ko.save(new(workspace, prioritetsgrunder=("unga_vuxna",)))
    with pytest.raises(ValidationFailed, match="18 år"):
        workspace.ko.save(new(workspace, fodelsear=TODAY.year - 10))
    assert workspace.ko.all() == []


def test_own_grounds_and_order_validation(workspace: Workspace) -> None:
    code = workspace.ko.add_ground("Akut behov")
    assert code == "akut_behov"
    with pytest.raises(ValidationFailed, match="redan"):
        workspace.ko.add_ground("akut behov")
    with pytest.raises(ValidationFailed):
        workspace.ko.add_version(TODAY, ())
    with pytest.raises(ValidationFailed, match="framtiden"):
        workspace.ko.add_version(TODAY + timedelta(days=3), ("barn",))
    workspace.ko.add_version(TODAY, (code, "barn"))
    assert workspace.ko.order_in_force().grunder == (code, "barn")
    urgent = workspace.ko.save(new(workspace, 1, prioritetsgrunder=(code,)))
    workspace.ko.save(new(workspace, 100, prioritetsgrunder=("barn",)))
    assert workspace.ko.queue()[0].anmalan.id == urgent.id


def test_intagningsstopp(workspace: Workspace) -> None:
    with pytest.raises(ValidationFailed, match="orsak"):
        workspace.ko.save_stopp(Intagningsstopp(TODAY, None, ""))
    workspace.ko.save_stopp(Intagningsstopp(TODAY - timedelta(days=3), None, "Vakans"))
    stopp = workspace.ko.stopp_in_force()
    assert stopp is not None and stopp.orsak == "Vakans"
    workspace.ko.save_stopp(replace(stopp, till=TODAY - timedelta(days=1)))
    assert workspace.ko.stopp_in_force() is None
    assert workspace.ko.year_figures(TODAY.year).intagningsstopp_dagar >= 3


def test_thousand_waiting_are_ordered(workspace: Workspace) -> None:
    items = [new(workspace, days_ago=i % 300, fodelsear=1950 + i % 55) for i in range(1000)]
    workspace.ko.add_many(items)
    queue = workspace.ko.queue()
    assert [row.plats for row in queue] == list(range(1, 1001))
    ordered = [row.anmalan for row in queue]
    assert len(ordered) == 1000
    assert len({a.kod for a in ordered}) == 1000


def test_queue_gives_the_view_its_rows_with_place_and_explanation(workspace: Workspace) -> None:
    """The Kö view, the tests and the benchmark read the same rows: place, days waited,
    grounds (deciding one first), kön and åldersgrupp, kommun, status and why."""
    child = workspace.ko.save(new(workspace, 5, prioritetsgrunder=("barn",)))
    early = workspace.ko.save(new(workspace, 90, fodelsear=TODAY.year - 56))
    gone = workspace.ko.save(new(workspace, 40))
    workspace.ko.withdraw(gone.id or "", TODAY)
    queue = workspace.ko.queue(TODAY)
    assert [(row.plats, row.anmalan.id) for row in queue] == [(1, child.id), (2, early.id)]
    first, second = queue
    assert first.vantat == 5 and second.vantat == 90
    assert first.grunder != "–" and second.grunder == "–"
    assert first.kommun == workspace.verksamhet.get().kommuner[0].namn
    assert first.kon_alder.startswith("Man") or first.kon_alder.startswith("man")
    assert "50–64" in second.kon_alder
    assert first.why and second.why and first.why != second.why
    ended = workspace.ko.queue(TODAY, ended=True)
    assert [(row.plats, row.anmalan.id) for row in ended] == [(None, gone.id)]
    assert TODAY.isoformat() in ended[0].why
