"""Two copies of one store edited apart, then merged: nothing lost, conflicts listed by the
rule that decided them, and importing the same file again changes nothing."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.errors import DamagedStore, WrongPassphrase
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import store_lifecycle
from po_desk.services.merge_service import describe
from tests.conftest import PASSPHRASE

TRANSFER = "överföring 2025"
DAY = date.today() - timedelta(days=30)


def uppdrag(workspace, **changes) -> Uppdrag:
    kommun = workspace.verksamhet.get().kommuner[0]
    base = Uppdrag(kon="kvinna", fodelsear=1980, kommun_id=kommun.id, start=DAY,
                   kontaktorsaker=("ekonomi",))  # fmt: skip
    return replace(base, **changes)


@pytest.fixture
def two_workstations(created, store_path: Path, tmp_path: Path):
    main = created.workspace
    shared = main.uppdrag.save(uppdrag(main))
    main.session.close()
    laptop_path = tmp_path / "laptop" / "register.podesk"
    laptop_path.parent.mkdir()
    for suffix in ("", ".keys"):
        shutil.copy2(f"{store_path}{suffix}", f"{laptop_path}{suffix}")
    main = store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    laptop = store_lifecycle.open_store(laptop_path, passphrase=PASSPHRASE)
    yield main, laptop, shared
    main.session.close()
    laptop.session.close()


def test_stores_edited_apart_merge_without_loss(two_workstations, tmp_path: Path) -> None:
    main, laptop, shared = two_workstations
    mine = main.uppdrag.save(uppdrag(main, fodelsear=1990))
    theirs = laptop.uppdrag.save(uppdrag(laptop, fodelsear=1960, barn="helt"))
    assert mine.kod == theirs.kod  # both workstations numbered the same code
    main.uppdrag.save(replace(main.uppdrag.get(shared.id), barn="delvis"))
    laptop.uppdrag.save(replace(laptop.uppdrag.get(shared.id), kontaktorsaker=("bostad",)))
    laptop.avvikelser.save(
        Avvikelse(
            datum=DAY,
            aktor="forsakringskassan",
            niva="lokal",
            kategorier=("vantetider",),
            beskrivning="Beslutet dröjde.",
        )
    )
    file = tmp_path / "laptop.podesk-merge"
    assert laptop.merge.export_file(file, TRANSFER) > 0
    assert b"Beslutet" not in file.read_bytes()

    preview = main.merge.preview(file, TRANSFER, "nyast")
    assert main.uppdrag.count() == 2  # a preview writes nothing
    report = main.merge.import_file(file, TRANSFER, "nyast")
    assert describe(report) == describe(preview)
    items = {u.id: u for u in main.uppdrag.all()}
    assert set(items) == {shared.id, mine.id, theirs.id}
    assert items[theirs.id].kod != items[mine.id].kod  # renumbered, not lost
    assert items[shared.id].kontaktorsaker == ("bostad",)  # the laptop's edit was newer
    assert len(main.avvikelser.all()) == 1
    rules = [c.rule for c in report.conflicts]
    assert any("senast ändrade" in rule for rule in rules)
    assert any("fick" in rule for rule in rules)

    again = main.merge.import_file(file, TRANSFER, "nyast")
    assert not again.changed_anything and again.conflicts == []
    assert {u.id: u for u in main.uppdrag.all()} == items


def test_prefer_ours_keeps_our_version(two_workstations, tmp_path: Path) -> None:
    main, laptop, shared = two_workstations
    laptop.uppdrag.save(replace(laptop.uppdrag.get(shared.id), barn="helt"))
    file = tmp_path / "f.merge"
    laptop.merge.export_file(file, TRANSFER)
    report = main.merge.import_file(file, TRANSFER, "var")
    assert main.uppdrag.get(shared.id).barn == "nej"
    assert [c.rule for c in report.conflicts] == ["den här datorns version behölls (befintliga)"]


def test_wrong_passphrase_and_damaged_file(two_workstations, tmp_path: Path) -> None:
    main, laptop, _ = two_workstations
    file = tmp_path / "f.merge"
    laptop.merge.export_file(file, TRANSFER)
    with pytest.raises(WrongPassphrase):
        main.merge.import_file(file, "fel lösenfras", "nyast")
    damaged = tmp_path / "d.merge"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x55
    damaged.write_bytes(bytes(data))
    with pytest.raises((DamagedStore, WrongPassphrase)):
        main.merge.import_file(damaged, TRANSFER, "nyast")
    (tmp_path / "r.merge").write_bytes(b"\x00\x01random")
    with pytest.raises(DamagedStore):
        main.merge.import_file(tmp_path / "r.merge", TRANSFER, "nyast")
    assert main.uppdrag.count() == 1


def test_a_returning_klient_merges_as_one_person(two_workstations, tmp_path: Path) -> None:
    main, laptop, shared = two_workstations
    laptop.uppdrag.close(shared.id, DAY + timedelta(days=5), "mal_uppnatt")
    back = laptop.uppdrag.save(
        uppdrag(laptop, start=DAY + timedelta(days=20), tidigare_kod=shared.kod)
    )
    first = laptop.uppdrag.save(uppdrag(laptop, fodelsear=1960))
    laptop.uppdrag.close(first.id, DAY + timedelta(days=1), "mal_uppnatt")
    second = laptop.uppdrag.save(
        uppdrag(laptop, fodelsear=1960, start=DAY + timedelta(days=10), tidigare_kod=first.kod)
    )
    file = tmp_path / "f.merge"
    laptop.merge.export_file(file, TRANSFER)
    report = main.merge.import_file(file, TRANSFER, "nyast")
    assert report.added.get("klient") == 1  # the new person; the shared one was known
    items = {u.id: u for u in main.uppdrag.all()}
    assert items[back.id].klient_id == items[shared.id].klient_id == shared.klient_id
    assert items[second.id].klient_id == items[first.id].klient_id != shared.klient_id
    assert main.uppdrag.periods_of(items[back.id])[0].id == shared.id
    figures = main.aterrapport.compute(DAY.year)["klienter"]
    if (DAY + timedelta(days=20)).year == DAY.year:
        assert figures["totalt"] == 2  # four uppdrag, two persons
    again = main.merge.import_file(file, TRANSFER, "nyast")
    assert not again.changed_anything and again.conflicts == []


def test_dated_facts_merge(two_workstations, tmp_path: Path) -> None:
    from po_desk.domain.uppdrag import with_barn

    main, laptop, shared = two_workstations
    (kommun, *_) = laptop.verksamhet.get().kommuner
    laptop.verksamhet.set_kommun_dates([replace(kommun, fran=date(2020, 1, 1))])
    staff = laptop.verksamhet.list_ombud()[0] if laptop.verksamhet.list_ombud() else None
    if staff is None:
        from po_desk.domain.verksamhet import Ombud

        staff = laptop.verksamhet.save_ombud(Ombud("AK", "kvinna", 1.0, date(2020, 1, 1)))
    laptop.verksamhet.save_ombud(staff.with_grad(date(2024, 1, 1), 0.5))
    laptop.uppdrag.save(with_barn(laptop.uppdrag.get(shared.id), DAY + timedelta(days=1), "helt"))
    code = laptop.ko.add_ground("Akut behov")
    assert main.ko.add_ground("Akut behov") == code  # the same ground, another row id
    laptop.ko.rename_ground(code, "Akut stödbehov", date(2024, 1, 1))
    file = tmp_path / "f.merge"
    laptop.merge.export_file(file, TRANSFER)
    main.merge.import_file(file, TRANSFER, "nyast")
    merged_kommun = next(k for k in main.verksamhet.get().kommuner if k.namn == kommun.namn)
    assert merged_kommun.fran == date(2020, 1, 1)
    (merged_staff,) = [o for o in main.verksamhet.list_ombud() if o.namn == staff.namn]
    assert merged_staff.grad_on(date(2024, 6, 1)) == 0.5
    assert [c.barn for c in main.uppdrag.get(shared.id).barn_andringar] == ["helt"]
    assert main.ko.ground_names_on(date(2023, 1, 1))[code] == "Akut behov"
    assert main.ko.ground_names_on(date(2025, 1, 1))[code] == "Akut stödbehov"
    again = main.merge.import_file(file, TRANSFER, "nyast")
    assert not again.changed_anything and again.conflicts == []


def test_a_change_of_only_the_links_is_merged(two_workstations, tmp_path: Path) -> None:
    """An uppdrag whose kontaktorsaker alone were changed on the laptop (its own columns
    as before) was counted unchanged and the change silently lost; so were an avvikelse's
    kategorier."""
    main, laptop, shared = two_workstations
    avvikelse = laptop.avvikelser.save(
        Avvikelse(datum=DAY, aktor="forsakringskassan", niva="lokal",
                  kategorier=("vantetider",), beskrivning="Beslutet dröjde.")
    )  # fmt: skip
    file = tmp_path / "laptop.podesk-merge"
    laptop.merge.export_file(file, TRANSFER)
    main.merge.import_file(file, TRANSFER, "nyast")
    assert main.avvikelser.get(avvikelse.id).kategorier == ("vantetider",)

    laptop.uppdrag.save(
        replace(laptop.uppdrag.get(shared.id), kontaktorsaker=("ekonomi", "bostad"))
    )
    laptop.avvikelser.save(
        replace(laptop.avvikelser.get(avvikelse.id), kategorier=("vantetider", "bemotande"))
    )
    laptop.merge.export_file(file, TRANSFER)
    report = main.merge.import_file(file, TRANSFER, "nyast")
    assert report.changed_anything
    assert set(main.uppdrag.get(shared.id).kontaktorsaker) == {"ekonomi", "bostad"}
    assert set(main.avvikelser.get(avvikelse.id).kategorier) == {"vantetider", "bemotande"}

    again = main.merge.import_file(file, TRANSFER, "nyast")
    assert not again.changed_anything and again.conflicts == []
