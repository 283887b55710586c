from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from po_desk.domain import ledningsgrupp, underlag
from po_desk.domain.avvikelse import Avvikelse, AvvikelseFilter, AvvikelseStatus, apply
from po_desk.domain.errors import GuardBlocked, ValidationFailed
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.services.workspace import Workspace

TODAY = date.today()


def new(**changes) -> Avvikelse:
    base = Avvikelse(
        datum=TODAY - timedelta(days=10),
        aktor="forsakringskassan",
        niva="handlaggare",
        kategorier=("vantetider",),
        beskrivning="Beslutet dröjde i fyra månader.",
        konsekvens="Klienten fick skulder.",
        atgarder=("skrivelse",),
    )
    return replace(base, **changes)


def test_log_raise_and_answer(workspace: Workspace) -> None:
    service = workspace.avvikelser
    saved = service.save(new())
    assert saved.status == AvvikelseStatus.NY and saved.kategorier == ("vantetider",)
    with pytest.raises(ValidationFailed, match="möte"):
        service.move(saved.id, AvvikelseStatus.LYFT)
    meeting = workspace.ledningsgrupp.save_meeting(Mote(datum=TODAY), [saved.id])
    raised = service.get(saved.id)
    assert raised.status == AvvikelseStatus.LYFT and raised.mote_id == meeting.id
    assert service.not_raised() == []
    with pytest.raises(ValidationFailed, match="återkoppling"):
        service.move(saved.id, AvvikelseStatus.ATERKOPPLING, "")
    answered = service.move(saved.id, AvvikelseStatus.ATERKOPPLING, "Rutinen är ändrad.", TODAY)
    assert answered.status == AvvikelseStatus.ATERKOPPLING and answered.aterkoppling_datum == TODAY
    assert service.move(saved.id, AvvikelseStatus.ATGARDAD).status == AvvikelseStatus.ATGARDAD
    with pytest.raises(ValidationFailed, match="kan inte gå"):
        service.move(saved.id, AvvikelseStatus.NY)


def test_every_text_passes_the_guard(workspace: Workspace) -> None:
    for field in ("beskrivning", "konsekvens"):
        with pytest.raises(GuardBlocked, match="personnummer"):
            workspace.avvikelser.save(new(**{field: "Gäller 811218-9876"}))
    saved = workspace.avvikelser.save(new())
    workspace.ledningsgrupp.save_meeting(Mote(datum=TODAY), [saved.id])
    with pytest.raises(GuardBlocked, match="e-postadress"):
        workspace.avvikelser.move(saved.id, AvvikelseStatus.ATERKOPPLING, "svar från a@b.se")
    assert len(workspace.avvikelser.all()) == 1


def test_validation(workspace: Workspace) -> None:
    with pytest.raises(ValidationFailed) as error:
        workspace.avvikelser.save(
            new(aktor="", niva="", kategorier=(), beskrivning=" ", datum=TODAY + timedelta(1))
        )
    text = " ".join(error.value.problems)
    for expected in ("aktör", "nivå", "kategori", "Beskriv", "framtiden"):
        assert expected in text
    with pytest.raises(ValidationFailed, match="inget uppdrag med koden"):
        workspace.avvikelser.save(new(uppdrag_kod="2025-999"))


def test_filter_and_search() -> None:
    items = [
        new(aktor="forsakringskassan", datum=date(2025, 1, 5)),
        new(aktor="region_psykiatri", niva="central", datum=date(2025, 6, 1)),
        new(beskrivning="Telefontiden var för kort", datum=date(2024, 3, 1)),
    ]
    assert len(apply(items, AvvikelseFilter(fran=date(2025, 1, 1)))) == 2
    assert len(apply(items, AvvikelseFilter(aktor="region_psykiatri"))) == 1
    assert len(apply(items, AvvikelseFilter(niva="central"))) == 1
    assert len(apply(items, AvvikelseFilter(text="TELEFON"))) == 1
    assert len(apply(items, AvvikelseFilter(kategori="bemotande"))) == 0


def test_fulltalig_follows_the_members(workspace: Workspace) -> None:
    service = workspace.ledningsgrupp
    assert not service.composition().fulltalig
    for organisation in ("kommun", "primarvard", "psykiatri", "arbetsformedlingen"):
        service.save_member(Medlem(organisation, "Chef", TODAY - timedelta(days=30)))
    composition = service.composition()
    assert composition.saknas == ("forsakringskassan",)
    assert ledningsgrupp.describe(composition) == "Saknas: Försäkringskassan"
    member = service.save_member(
        Medlem("forsakringskassan", "Samordnare", TODAY - timedelta(days=5))
    )
    assert service.composition().fulltalig
    service.save_member(replace(member, till=TODAY - timedelta(days=1)))
    assert not service.composition().fulltalig
    with pytest.raises(ValidationFailed, match="roll"):
        service.save_member(Medlem("kommun", " ", TODAY))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["forsakringskassan", "region_psykiatri", "kronofogden"]),
            st.sampled_from(["handlaggare", "lokal", "central"]),
        ),
        max_size=40,
    )
)
def test_property_aktor_niva_table_adds_up(pairs) -> None:
    items = [new(aktor=a, niva=n) for a, n in pairs]
    rows = underlag.aktor_niva_rows(items)
    assert sum(r.total for r in rows) == len(items)
    for row in rows:
        assert row.total == sum(row.per_niva.values())
        assert row.total == sum(1 for a, _ in pairs if a == row.aktor)


@given(st.integers(0, 50))
def test_property_suppression_only_hides_one_and_two(count: int) -> None:
    text = underlag.shown(count, suppress=True)
    assert text == ("<3" if count in (1, 2) else str(count))
    assert underlag.shown(count, suppress=False) == str(count)


def test_codes_are_masked_and_periods_compare_like_with_like() -> None:
    assert underlag.mask_codes("Se 2025-017 och K2026-004.") == "Se [kod] och [kod]."
    assert underlag.mask_codes("Möte 2025-01-15") == "Möte 2025-01-15"
    assert underlag.previous_period(date(2026, 1, 1), date(2026, 6, 30)) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert underlag.previous_period(date(2026, 1, 10), date(2026, 1, 19)) == (
        date(2025, 12, 31),
        date(2026, 1, 9),
    )


def test_underlag_data(workspace: Workspace) -> None:
    first = workspace.avvikelser.save(new(datum=date(2025, 2, 1)))
    workspace.avvikelser.save(new(datum=date(2025, 3, 1), aktor="kronofogden", niva="lokal"))
    workspace.avvikelser.save(new(datum=date(2024, 3, 1)))
    meeting = workspace.ledningsgrupp.save_meeting(Mote(datum=date(2025, 4, 1)), [first.id])
    data = workspace.underlag.data(date(2025, 1, 1), date(2025, 6, 30), date(2025, 9, 1))
    assert data.avvikelser_antal == 2
    assert {r.aktor: r.total for r in data.aktor_niva} == {
        "forsakringskassan": 1,
        "kronofogden": 1,
    }
    assert [w.avvikelse.id for w in data.waiting_feedback] == [first.id]
    assert data.waiting_feedback[0].raised_on == meeting.datum
    assert data.waiting_feedback[0].days == (date(2025, 9, 1) - date(2025, 4, 1)).days
    assert data.suppress_small
    with pytest.raises(ValidationFailed):
        workspace.underlag.data(date(2025, 6, 1), date(2025, 1, 1))


def test_lifting_at_a_meeting_is_one_update_that_bumps_versions_and_logs_each(
    workspace: Workspace,
) -> None:
    """Issue 17: the avvikelser raised at a meeting are lifted with one UPDATE (not one
    per avvikelse), each with its version bumped and an "ändrad" entry in the log; a save
    from a form opened before the meeting is then a conflict."""
    from collections import Counter

    from sqlalchemy import event

    from po_desk.domain.errors import ConflictError

    items = [workspace.avvikelser.save(new(beskrivning=f"Dröjde {n} veckor.")) for n in (3, 4, 5)]
    before = Counter((e.table_name, e.action) for e in workspace.audit.entries())
    engine = workspace._store.engine
    updates: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        if statement.lstrip().upper().startswith("UPDATE AVVIKELSE"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        meeting = workspace.ledningsgrupp.save_meeting(Mote(datum=TODAY), [i.id for i in items[:2]])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(updates) == 1
    added = Counter((e.table_name, e.action) for e in workspace.audit.entries()) - before
    assert added == Counter({("ledningsgrupp_mote", "skapad"): 1, ("avvikelse", "ändrad"): 2})
    for item in items[:2]:
        lifted = workspace.avvikelser.get(item.id)
        assert (lifted.status, lifted.mote_id) == (AvvikelseStatus.LYFT, meeting.id)
        assert lifted.version == item.version + 1 and lifted.updated_at != item.updated_at
        with pytest.raises(ConflictError):
            workspace.avvikelser.save(replace(item, konsekvens="Skulder."))
    untouched = workspace.avvikelser.get(items[2].id)
    assert (untouched.status, untouched.version) == (AvvikelseStatus.NY, items[2].version)
