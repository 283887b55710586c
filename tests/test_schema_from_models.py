"""A new store's schema is made from the models and stamped (issue 17, h25): it must equal,
table for table, what running every migration makes."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect

from po_desk.services.workspace import Workspace
from po_desk.store import migrate
from po_desk.store.engine import open_engine


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables with their columns (by name: ALTER TABLE appends, so the order may differ),
    types, nullability, defaults, keys, indexes and constraints."""
    with engine.connect() as connection:
        found = inspect(connection)
        schema: dict[str, Any] = {}
        for table in sorted(found.get_table_names()):
            schema[table] = {
                "columns": {
                    c["name"]: (
                        str(c["type"]),
                        c["nullable"],
                        c.get("default"),
                        c.get("primary_key"),
                    )
                    for c in found.get_columns(table)
                },
                "primary_key": sorted(found.get_pk_constraint(table)["constrained_columns"]),
                "foreign_keys": sorted(
                    (
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        tuple(fk["referred_columns"]),
                        str(sorted(fk.get("options", {}).items())),
                    )
                    for fk in found.get_foreign_keys(table)
                ),
                "indexes": sorted(
                    (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                    for ix in found.get_indexes(table)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in found.get_unique_constraints(table)
                ),
                "checks": sorted(
                    " ".join(c["sqltext"].split()) for c in found.get_check_constraints(table)
                ),
            }
    return schema


def test_schema_made_from_the_models_equals_the_migrated_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    migrated_path = tmp_path / "migrerad.podesk"
    migrated = open_engine(migrated_path, secrets.token_bytes(32), create=True)
    try:
        assert migrate.migrate(migrated)
        expected = _schema(migrated)
    finally:
        migrated.dispose()
    created = _schema(workspace._store.engine)
    assert set(created) == set(expected)
    for table in expected:
        assert created[table] == expected[table], table
    assert workspace.session.schema_revision() == migrate.head_revision()


def test_a_new_store_does_not_run_the_migrations(tmp_path: Path, monkeypatch) -> None:
    from tests.conftest import new_test_store

    def refuse(_engine: Engine) -> bool:
        raise AssertionError("a new store ran the migrations")

    monkeypatch.setattr(migrate, "migrate", refuse)
    monkeypatch.setattr("po_desk.store.store.migrate", refuse)
    created = new_test_store(tmp_path / "ny.podesk")
    try:
        assert created.workspace.session.schema_revision() == migrate.head_revision()
        assert created.workspace.session.check() == []
    finally:
        created.workspace.session.close()


def test_the_version_table_comes_first_as_alembic_makes_it(workspace: Workspace) -> None:
    """Every open reads the schema revision: its table sits on page 2, right after the
    schema, as in a migrated store, so damage there is found when the store opens."""
    with workspace._store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage LIMIT 1"
        ).all()
    assert rows[0][0] == "alembic_version"
