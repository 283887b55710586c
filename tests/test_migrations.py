from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from po_desk.services import stores
from po_desk.services.workspace import Workspace
from po_desk.store.migrate import alembic_head_revision, head_revision
from po_desk.store.models import Base


def test_first_migration_builds_exactly_the_models(workspace: Workspace) -> None:
    with workspace._store.session() as session:
        context = MigrationContext.configure(session.connection())
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_new_store_is_at_head(workspace: Workspace) -> None:
    assert workspace.schema_revision() == head_revision()
    assert workspace.check() == []


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["schema_0001", "schema_0002", "schema_0003", "schema_0004"])
def test_store_of_every_released_schema_upgrades_without_loss(tmp_path: Path, name: str) -> None:
    for suffix in (".podesk", ".podesk.keys"):
        shutil.copy2(FIXTURES / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    store = tmp_path / f"{name}.podesk"
    workspace = stores.open_store(store, passphrase=f"fixtur-lösenfras-{name[-4:]}")
    try:
        assert workspace.schema_revision() == head_revision()
        assert workspace.check() == []
        assert workspace.uppdrag.count() == 120
        assert len(workspace.verksamhet.list_ombud()) == 2
        assert workspace.verksamhet.get().namn == "PO Fixturbygden"
        if name >= "schema_0002":
            assert len(workspace.ko.all()) == 100
            assert len(workspace.ko.versions()) == 3
        if name >= "schema_0003":
            assert len(workspace.avvikelser.all()) == 39
            assert len(workspace.ledningsgrupp.meetings()) == 16
        if name >= "schema_0004":
            saved = workspace.aterrapport.saved(2025)
            assert saved.faststalld is not None and saved.manuellt["handledning"]
    finally:
        workspace.close()
    if name[-4:] != head_revision():
        assert (tmp_path / f"{name}.podesk.fore-{name[-4:]}.bak").is_file()


def test_written_head_revision_is_alembics_newest() -> None:
    assert head_revision() == alembic_head_revision()
