"""The return reads only the rows that can count in its year; the figures must be exactly
those computed from every row of the register, for every year."""

from __future__ import annotations

from datetime import date

from po_desk.domain import aterrapport
from po_desk.domain.aterrapport import Records
from po_desk.services import demo
from po_desk.services.workspace import Workspace


def test_narrowed_records_give_the_same_return_as_all_rows(workspace: Workspace) -> None:
    demo.fill(workspace, 500, 5, seed=11)
    service = workspace.aterrapport
    this_year = date.today().year
    for year in range(this_year - 5, this_year + 1):
        narrowed = service.records(year)
        everything = Records(
            verksamhet=narrowed.verksamhet,
            uppdrag=workspace.uppdrag.all(),
            anmalningar=service._ko.list_all(),
            stopp=narrowed.stopp,
            versions=narrowed.versions,
            ground_names=narrowed.ground_names,
            ombud=narrowed.ombud,
            members=narrowed.members,
            meetings=narrowed.meetings,
            avvikelser=workspace.avvikelser.all(),
            manuellt=narrowed.manuellt,
            catalogue=narrowed.catalogue,
        )
        # Y−1 is read too (a ny klient had no uppdrag in Y−1); the demo starts 5 years ago.
        assert len(narrowed.uppdrag) < len(everything.uppdrag) or year <= this_year - 4
        assert aterrapport.build(narrowed, year) == aterrapport.build(everything, year), year


def test_a_year_the_register_does_not_cover_is_not_exported(tmp_path) -> None:
    """A return for a year before the verksamhet and its records would be all zeros: it
    is refused with a Swedish line, and nothing is written."""
    import pytest

    from po_desk.domain.errors import ValidationFailed
    from tests.conftest import new_test_store

    created = new_test_store(tmp_path / "r.podesk")  # start 2020, no records
    try:
        target = tmp_path / "2019.json"
        with pytest.raises(ValidationFailed, match="Registret täcker inte 2019"):
            created.workspace.aterrapport.export(target, 2019, "json")
        assert not target.exists()
        created.workspace.aterrapport.export(tmp_path / "2020.json", 2020, "json")
    finally:
        created.workspace.session.close()
