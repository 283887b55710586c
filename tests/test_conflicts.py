"""Several people at once (issue 18): a save carries the row version its user loaded; a
row changed since is never overwritten silently. The second saver gets a ConflictError
naming who changed the row and when, and may save again knowingly with its version.

Runs on the local store here and on the server in tests/test_services_on_server.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from po_desk.domain.errors import ConflictError, RowGone
from po_desk.services.workspace import Workspace
from tests.conftest import TODAY
from tests.test_avvikelser import new as new_avvikelse
from tests.test_ko_service import new as new_anmalan
from tests.test_uppdrag_service import new as new_uppdrag


def test_uppdrag_saved_by_someone_else_is_a_conflict_not_an_overwrite(
    workspace: Workspace,
) -> None:
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    assert saved.version == 1
    mine = replace(saved, fodelsear=1990)  # the form I am editing
    theirs = workspace.uppdrag.save(replace(saved, barn="nej"), today=TODAY)
    assert theirs.version == 2
    with pytest.raises(ConflictError) as caught:
        workspace.uppdrag.save(mine, today=TODAY)
    error = caught.value
    assert error.actor == workspace.session.actor
    assert error.at is not None and error.version == 2
    assert error.message.startswith(f"Uppdraget ändrades av {workspace.session.actor} kl. ")
    assert "Dina ändringar är kvar i formuläret" in error.message
    stored = workspace.uppdrag.get(saved.id)
    assert (stored.barn, stored.fodelsear) == ("nej", 1985)  # theirs kept, mine not written
    # Told and saving again with the version now stored: a knowing overwrite.
    again = workspace.uppdrag.save(replace(mine, version=error.version), today=TODAY)
    assert (again.fodelsear, again.version) == (1990, 3)


def test_a_changed_code_list_alone_bumps_the_version(workspace: Workspace) -> None:
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    changed = workspace.uppdrag.save(replace(saved, kontaktorsaker=("ekonomi",)), today=TODAY)
    assert changed.version == 2
    with pytest.raises(ConflictError):
        workspace.uppdrag.save(replace(saved, kontaktorsaker=("bostad",)), today=TODAY)


def test_closing_bumps_the_version_so_an_open_form_conflicts(workspace: Workspace) -> None:
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    workspace.uppdrag.close(saved.id, date(2025, 9, 30), "flyttat", today=TODAY)
    with pytest.raises(ConflictError):
        workspace.uppdrag.save(replace(saved, barn="nej"), today=TODAY)
    assert workspace.uppdrag.get(saved.id).slut == date(2025, 9, 30)


def test_anmalan_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    saved = workspace.ko.save(new_anmalan(workspace))
    workspace.ko.offer(saved.id, TODAY)
    with pytest.raises(ConflictError) as caught:
        workspace.ko.save(replace(saved, fodelsear=1971))
    assert caught.value.message.startswith(f"Anmälan ändrades av {workspace.session.actor}")
    stored = workspace.ko.get(saved.id)
    assert (stored.status, stored.fodelsear) == ("erbjuden", 1970)


def test_a_second_paborja_of_the_same_anmalan_is_a_conflict(workspace: Workspace) -> None:
    anmalan = workspace.ko.save(new_anmalan(workspace))
    started = workspace.ko.start(
        anmalan.id, workspace.ko.uppdrag_from(anmalan, TODAY - timedelta(days=1)), today=TODAY
    )
    assert started.kod
    # The second ombud's repository call (the service's own check passed before the first
    # committed): refused inside the transaction, no second uppdrag.
    from po_desk.store.ko_repo import KoRepository

    before = workspace.uppdrag.count()
    with pytest.raises(ConflictError) as caught:
        KoRepository(workspace._store).start_uppdrag(
            anmalan.id, workspace.ko.uppdrag_from(anmalan, TODAY)
        )
    assert caught.value.actor == workspace.session.actor
    assert "Den väntar inte längre i kön; inget uppdrag skapades." in caught.value.message
    assert "spara igen" not in caught.value.message
    assert workspace.uppdrag.count() == before


def test_avvikelse_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    saved = workspace.avvikelser.save(new_avvikelse())
    workspace.avvikelser.save(replace(saved, konsekvens="Annan konsekvens."))
    with pytest.raises(ConflictError) as caught:
        workspace.avvikelser.save(replace(saved, beskrivning="Min text."))
    assert caught.value.message.startswith("Avvikelsen ändrades av ")
    stored = workspace.avvikelser.get(saved.id)
    assert (stored.beskrivning, stored.konsekvens) == (saved.beskrivning, "Annan konsekvens.")


def test_saving_a_removed_row_says_so(workspace: Workspace) -> None:
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    from po_desk.store import models

    with workspace._store.transaction() as session:
        session.delete(session.get_one(models.Uppdrag, saved.id))
    with pytest.raises(RowGone, match=r"^Uppdraget finns inte längre: någon annan har"):
        workspace.uppdrag.save(replace(saved, barn="nej"), today=TODAY)


def test_a_save_without_a_loaded_version_is_not_checked(workspace: Workspace) -> None:
    """Imports and merges carry no loaded version: they are not conflicts."""
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    workspace.uppdrag.save(replace(saved, barn="nej"), today=TODAY)
    again = workspace.uppdrag.save(replace(saved, version=None, fodelsear=1991), today=TODAY)
    assert again.fodelsear == 1991


def test_closing_from_a_stale_dialog_is_a_conflict(workspace: Workspace) -> None:
    saved = workspace.uppdrag.save(new_uppdrag(workspace), today=TODAY)
    workspace.uppdrag.save(replace(saved, barn="nej"), today=TODAY)
    with pytest.raises(ConflictError):
        workspace.uppdrag.close(
            saved.id, date(2025, 9, 30), "flyttat", today=TODAY, version=saved.version
        )
    assert workspace.uppdrag.get(saved.id).slut is None


def test_a_ledningsgrupp_member_saved_by_someone_else_is_a_conflict(
    workspace: Workspace,
) -> None:
    from po_desk.domain.ledningsgrupp import Medlem

    service = workspace.ledningsgrupp
    saved = service.save_member(Medlem("kommun", "Enhetschef", date(2024, 1, 1)))
    service.save_member(replace(saved, roll="Verksamhetschef"))
    with pytest.raises(ConflictError) as caught:
        service.save_member(replace(saved, till=date(2025, 6, 30)))
    assert caught.value.message.startswith("Ledamoten ändrades av ")
    [stored] = service.members()
    assert (stored.roll, stored.till) == ("Verksamhetschef", None)


def test_an_avvikelse_lifted_meanwhile_is_not_moved_to_another_meeting(
    workspace: Workspace,
) -> None:
    from po_desk.domain.ledningsgrupp import Mote
    from po_desk.store.ledningsgrupp_repo import LedningsgruppRepository

    item = workspace.avvikelser.save(new_avvikelse())
    first = workspace.ledningsgrupp.save_meeting(Mote(TODAY), [item.id])
    # The second meeting's dialog listed it as not raised; its save reaches the store.
    with pytest.raises(ConflictError):
        LedningsgruppRepository(workspace._store).save_meeting(Mote(TODAY), [item.id])
    assert workspace.avvikelser.get(item.id).mote_id == first.id
    assert len(workspace.ledningsgrupp.meetings()) == 1


def test_a_meeting_refused_names_the_avvikelse_lifted_elsewhere_and_lifts_none(
    workspace: Workspace,
) -> None:
    """Of the avvikelser chosen, the first is still new and the second was lifted at
    another meeting meanwhile: nothing is saved, and the conflict tells when the second
    was changed (not the first, which this meeting had just lifted: issue 17's one
    UPDATE lifts before it counts)."""
    from datetime import datetime

    from po_desk.domain.avvikelse import AvvikelseStatus
    from po_desk.domain.ledningsgrupp import Mote
    from po_desk.store.ledningsgrupp_repo import LedningsgruppRepository

    still_new = workspace.avvikelser.save(new_avvikelse())
    taken = workspace.avvikelser.save(new_avvikelse(beskrivning="Beslutet dröjde länge."))
    first = workspace.ledningsgrupp.save_meeting(Mote(TODAY), [taken.id])
    # Each row's change log told apart by its day.
    times = {
        entry_id: datetime(2021 if row_id == still_new.id else 2022, 6, 15, 12)
        for entry_id, row_id, _action in workspace.audit.entry_keys()
    }
    workspace.audit.set_times(times)
    with pytest.raises(ConflictError) as refused:
        LedningsgruppRepository(workspace._store).save_meeting(
            Mote(TODAY), [still_new.id, taken.id]
        )
    assert "2022-06-15" in refused.value.message and "2021" not in refused.value.message
    assert workspace.avvikelser.get(still_new.id).status == AvvikelseStatus.NY
    assert workspace.avvikelser.get(taken.id).mote_id == first.id
    assert len(workspace.ledningsgrupp.meetings()) == 1


def test_an_ombud_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    from po_desk.domain.verksamhet import Ombud

    service = workspace.verksamhet
    saved = service.save_ombud(Ombud("Anna", "kvinna", 1.0, date(2024, 1, 1)))
    changed = service.save_ombud(saved.with_grad(TODAY, 0.5))
    assert changed.version > saved.version
    with pytest.raises(ConflictError):
        service.save_ombud(replace(saved, namn="Anna B"))
    assert [o.namn for o in service.list_ombud()] == ["Anna"]


def test_a_new_grad_period_alone_is_a_new_version_of_the_ombud(workspace: Workspace) -> None:
    from po_desk.domain.verksamhet import GradPeriod, Ombud

    service = workspace.verksamhet
    saved = service.save_ombud(Ombud("Bo", "man", 1.0, date(2024, 1, 1)))
    # An earlier period added: today's grad (the ombud row's own columns) is unchanged.
    earlier = (GradPeriod(date(2024, 1, 1), 0.5), GradPeriod(date(2024, 6, 1), 1.0))
    changed = service.save_ombud(replace(saved, grader=earlier))
    assert changed.version > saved.version
    with pytest.raises(ConflictError):
        service.save_ombud(replace(saved, namn="Bo B"))


def test_ending_an_intagningsstopp_someone_else_changed_is_a_conflict(
    workspace: Workspace,
) -> None:
    from po_desk.domain.intagningsstopp import Intagningsstopp

    workspace.ko.save_stopp(Intagningsstopp(TODAY - timedelta(days=20), None, "Vakans"))
    shown = workspace.ko.stopp_in_force(TODAY)  # the dialog's "pågående stopp"
    workspace.ko.save_stopp(replace(shown, till=TODAY + timedelta(days=30)))
    with pytest.raises(ConflictError):
        workspace.ko.save_stopp(replace(shown, till=TODAY), True)
    [stored] = workspace.ko.stopp()
    assert stored.till == TODAY + timedelta(days=30)


def test_feedback_on_an_avvikelse_someone_else_answered_is_a_conflict(
    workspace: Workspace,
) -> None:
    from po_desk.domain.avvikelse import AvvikelseStatus
    from po_desk.domain.ledningsgrupp import Mote

    item = workspace.avvikelser.save(new_avvikelse())
    workspace.ledningsgrupp.save_meeting(Mote(TODAY), [item.id])
    shown = workspace.avvikelser.get(item.id)  # the återkoppling dialog opens on this
    workspace.avvikelser.move(item.id, AvvikelseStatus.ATERKOPPLING, "Deras svar.", TODAY)
    with pytest.raises(ConflictError):
        workspace.avvikelser.move(
            item.id, AvvikelseStatus.ATGARDAD, "Mitt svar.", TODAY, version=shown.version
        )
    stored = workspace.avvikelser.get(item.id)
    assert (stored.status, stored.aterkoppling) == ("aterkoppling", "Deras svar.")


def test_two_parts_of_a_return_saved_at_once_both_stay(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part of a return (answers, statsbidrag, texts, kö answer) is merged into the
    year's manual fields in one transaction: another person's save of another part
    between a read and a write is never lost."""
    from po_desk.domain.aterrapport_svar import Statsbidrag
    from po_desk.store.aterrapport_repo import AterrapportRepository

    year = TODAY.year - 1
    service = workspace.aterrapport
    original_get = AterrapportRepository.get
    other = {"saves": 0, "busy": False}

    def get_then_someone_saves(self: AterrapportRepository, wanted: int):
        result = original_get(self, wanted)
        if not other["busy"]:  # another person saves the texts right after each read
            other["busy"] = True
            other["saves"] += 1
            service.save_manual(wanted, {"handledning": f"Handledning {other['saves']}"})
            other["busy"] = False
        return result

    monkeypatch.setattr(AterrapportRepository, "get", get_then_someone_saves)
    service.save_statsbidrag(year, Statsbidrag(900_000, 3.0, 700_000, 250_000))
    monkeypatch.undo()
    assert other["saves"] >= 1
    manuellt = service.saved(year).manuellt
    assert manuellt["handledning"] == f"Handledning {other['saves']}"
    assert service.statsbidrag(year) == Statsbidrag(900_000, 3.0, 700_000, 250_000)


def test_the_verksamhet_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    """Inställningar: namn, län, huvudman and kommuner are saved with the version loaded."""
    service = workspace.verksamhet
    mine = service.get()  # my form
    assert mine.version is not None
    theirs = service.get()
    names = [k.namn for k in theirs.kommuner]
    service.update(replace(theirs, huvudman="Deras huvudman"), names)
    with pytest.raises(ConflictError) as caught:
        service.update(replace(mine, namn="Mitt namn"), names)
    error = caught.value
    assert error.message.startswith(
        f"Verksamhetens uppgifter ändrades av {workspace.session.actor} kl. "
    )
    stored = service.get()
    assert (stored.namn, stored.huvudman) == (mine.namn, "Deras huvudman")
    # Told, saving again with the version now stored overwrites knowingly.
    service.update(replace(mine, namn="Mitt namn", version=error.version), names)
    assert service.get().namn == "Mitt namn"


def test_a_kommun_added_by_someone_else_is_a_new_version_of_the_verksamhet(
    workspace: Workspace,
) -> None:
    service = workspace.verksamhet
    mine = service.get()
    names = [k.namn for k in mine.kommuner]
    service.update(mine, [*names, "Uppsala"])
    with pytest.raises(ConflictError):
        service.update(replace(mine, huvudman="Ny"), names)  # would drop their kommun
    assert "Uppsala" in [k.namn for k in service.get().kommuner]


def test_kommun_dates_saved_by_someone_else_are_a_conflict(workspace: Workspace) -> None:
    service = workspace.verksamhet
    mine = service.get().kommuner
    theirs = [replace(mine[0], fran=date(2020, 1, 1)), *mine[1:]]
    service.set_kommun_dates(theirs)
    with pytest.raises(ConflictError) as caught:
        service.set_kommun_dates([replace(mine[0], till=date(2024, 12, 31)), *mine[1:]])
    assert caught.value.message.startswith("Kommunens datum ändrades av ")
    stored = service.get().kommuner[0]
    assert (stored.fran, stored.till) == (date(2020, 1, 1), None)


def test_a_store_setting_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    """The kö threshold, the gallring period and notes on/off: the version each form
    loaded (0: never saved) is checked; who changed it comes from the ändringslogg."""
    threshold = workspace.aterrapport.ko_threshold_setting()
    assert threshold.version == 0
    workspace.aterrapport.set_ko_threshold(30, threshold.version)  # someone else
    with pytest.raises(ConflictError) as caught:
        workspace.aterrapport.set_ko_threshold(45, threshold.version)
    assert caught.value.message.startswith(
        f"Gränsen för kö ändrades av {workspace.session.actor} kl. "
    )
    assert workspace.aterrapport.ko_threshold() == 30
    workspace.aterrapport.set_ko_threshold(45, caught.value.version)  # knowingly
    assert workspace.aterrapport.ko_threshold_setting() == (
        type(threshold)(45, (caught.value.version or 0) + 1)
    )

    period = workspace.gallring.period_setting()
    workspace.gallring.set_period_years(5, period.version)
    with pytest.raises(ConflictError):
        workspace.gallring.set_period_years(3, period.version)
    assert workspace.gallring.period_years() == 5
    # The same value as theirs overwrites nothing: no conflict, nothing written.
    assert workspace.gallring.set_period_years(5, period.version) == period.version + 1

    notes = workspace.verksamhet.notes_setting()
    workspace.verksamhet.set_notes_enabled(not notes.value, notes.version)
    with pytest.raises(ConflictError):
        workspace.verksamhet.set_notes_enabled(notes.value, notes.version)
    assert workspace.verksamhet.notes_setting().value is not notes.value


def test_a_part_of_the_return_saved_by_someone_else_is_a_conflict(workspace: Workspace) -> None:
    """The return's manual part: a save over a part someone else changed since the form
    loaded it is refused; different parts saved by two people are both kept."""
    from po_desk.domain.aterrapport_svar import Statsbidrag
    from po_desk.domain.vantetid import KoAnswer

    year = TODAY.year - 1
    service = workspace.aterrapport
    mine = service.loaded_manual(year)  # my panel
    theirs = service.loaded_manual(year)
    theirs = service.save_manual(year, {"handledning": "Deras text."}, loaded=theirs)
    assert theirs is not None and theirs.values["handledning"] == "Deras text."
    # A different part: merged.
    mine = service.save_statsbidrag(year, Statsbidrag(900_000, 3.0, 700_000, 250_000), mine)
    assert mine is not None
    # My own save again: not a conflict with myself.
    mine = service.save_statsbidrag(year, Statsbidrag(950_000, 3.0, 700_000, 250_000), mine)
    assert mine is not None
    # The part they changed: refused, naming who and when; nothing written.
    with pytest.raises(ConflictError) as caught:
        service.save_manual(year, {"handledning": "Min text."}, loaded=mine)
    assert caught.value.message.startswith(
        f"Återrapportens uppgifter ändrades av {workspace.session.actor} kl. "
    )
    saved = service.saved(year).manuellt
    assert saved["handledning"] == "Deras text."
    assert service.statsbidrag(year).beviljat_belopp == 950_000
    # The same text as theirs overwrites nothing: saved.
    service.save_manual(year, {"handledning": "Deras text."}, loaded=mine)
    # Told, the form adopts the part as stored now: saving again overwrites knowingly.
    mine = service.manual_after_conflict(year, mine, caught.value)
    assert mine.values["handledning"] == "Deras text."
    assert mine.values["sb_beviljat_belopp"] == "950000"  # the other parts as I had them
    service.save_manual(year, {"handledning": "Min text."}, loaded=mine)
    assert service.saved(year).manuellt["handledning"] == "Min text."
    # The kö answer and the svar are checked the same way.
    stale = service.loaded_manual(year)
    service.save_ko_answer(year, KoAnswer(False, ()), service.loaded_manual(year))
    with pytest.raises(ConflictError):
        service.save_ko_answer(year, KoAnswer(True, ()), stale)
    svar = service.svar(year)
    stale = service.loaded_manual(year)
    service.save_svar(year, replace(svar, nya_ombud=2), loaded=service.loaded_manual(year))
    with pytest.raises(ConflictError):
        service.save_svar(year, replace(svar, nya_ombud=4), loaded=stale)
    assert service.svar(year).nya_ombud == 2
