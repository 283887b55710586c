from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace
from po_desk.store.migrate import alembic_head_revision, head_revision
from po_desk.store.tables import metadata


def test_first_migration_builds_exactly_the_models(workspace: Workspace) -> None:
    with workspace._store.session() as session:
        context = MigrationContext.configure(session.connection())
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_new_store_is_at_head(workspace: Workspace) -> None:
    assert workspace.session.schema_revision() == head_revision()
    assert workspace.session.check() == []


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["schema_0001", "schema_0002", "schema_0003", "schema_0004"])
def test_store_of_every_released_schema_upgrades_without_loss(tmp_path: Path, name: str) -> None:
    for suffix in (".podesk", ".podesk.keys"):
        shutil.copy2(FIXTURES / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    store = tmp_path / f"{name}.podesk"
    workspace = store_lifecycle.open_store(store, passphrase=f"fixtur-lösenfras-{name[-4:]}")
    try:
        assert workspace.session.schema_revision() == head_revision()
        assert workspace.session.check() == []
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
        workspace.session.close()
    if name[-4:] != head_revision():
        assert (tmp_path / f"{name}.podesk.fore-{name[-4:]}.bak").is_file()


def _every_row(path: Path, data_key: bytes) -> dict[str, dict[object, dict[str, object]]]:
    """Every row of every table with an id, read by reflection: field values, not counts."""
    import sqlalchemy as sa

    from po_desk.store.engine import open_engine

    engine = open_engine(path, data_key)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        rows: dict[str, dict[object, dict[str, object]]] = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                if "id" in table.c:
                    rows[table.name] = {
                        row.id: dict(row._mapping) for row in connection.execute(sa.select(table))
                    }
        return rows
    finally:
        engine.dispose()


# A migration that deliberately rewrites stored values names them here: (table, column).
REWRITTEN_BY_MIGRATIONS: frozenset[tuple[str, str]] = frozenset()


@pytest.mark.parametrize("name", ["schema_0001", "schema_0002", "schema_0003", "schema_0004"])
def test_upgrade_keeps_every_field_value(tmp_path: Path, name: str) -> None:
    """Each row of the released store is still there after the upgrade, every column it had
    holding the same value (new columns and tables may be added)."""
    from po_desk.store.keyslots import KeyFile

    for suffix in (".podesk", ".podesk.keys"):
        shutil.copy2(FIXTURES / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    store = tmp_path / f"{name}.podesk"
    passphrase = f"fixtur-lösenfras-{name[-4:]}"
    data_key = KeyFile.load(store).unlock(passphrase=passphrase)
    before = _every_row(store, data_key)
    store_lifecycle.open_store(store, passphrase=passphrase).session.close()
    after = _every_row(store, data_key)
    assert sum(len(rows) for rows in before.values()) > 120  # the fixture is not empty
    changed = []
    for table, rows in before.items():
        for row_id, row in rows.items():
            kept = after.get(table, {}).get(row_id)
            if kept is None:
                changed.append((table, row_id, "<row gone>"))
                continue
            changed.extend(
                (table, row_id, column)
                for column, value in row.items()
                if (table, column) not in REWRITTEN_BY_MIGRATIONS and kept.get(column) != value
            )
    assert changed == []


def test_written_head_revision_is_alembics_newest() -> None:
    assert head_revision() == alembic_head_revision()
