from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from po_desk.services.workspace import Workspace
from po_desk.store.migrate import head_revision
from po_desk.store.models import Base


def test_first_migration_builds_exactly_the_models(workspace: Workspace) -> None:
    with workspace._store.session() as session:
        context = MigrationContext.configure(session.connection())
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_new_store_is_at_head(workspace: Workspace) -> None:
    assert workspace.schema_revision() == head_revision()
    assert workspace.check() == []
