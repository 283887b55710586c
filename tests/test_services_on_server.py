"""Service tests written for the local file, run again on the PostgreSQL server.

The `workspace` fixture is overridden here, so every imported test runs on a fresh
server database (issue 18: one store interface, two engines). Skipped where PostgreSQL
is missing, like tests/test_server.py.
"""

from __future__ import annotations

import pytest

from po_desk.services.workspace import Workspace
from tests.test_uppdrag_service import *  # noqa: F403


@pytest.fixture
def workspace(server_workspace: Workspace) -> Workspace:
    return server_workspace


def test_audit_log_records_changes_without_content(workspace: Workspace) -> None:
    """On the server the program's log names the person who logged in (their role name),
    where a local store names the workstation's chosen actor."""
    from datetime import date

    from sqlalchemy import select

    from po_desk.store import models
    from tests.conftest import SERVER_CHEF, TODAY
    from tests.test_uppdrag_service import new

    workspace.verksamhet.set_notes_enabled(True)
    saved = workspace.uppdrag.save(new(workspace, anteckning="HEMLIGTEXT"), today=TODAY)
    workspace.uppdrag.close(saved.id, date(2025, 9, 30), "flyttat", today=TODAY)
    with workspace._store.session() as session:
        entries = session.scalars(
            select(models.AuditEntry).where(models.AuditEntry.row_id == saved.id)
        ).all()
    assert [(e.action, e.table_name, e.actor) for e in entries] == [
        ("skapad", "uppdrag", SERVER_CHEF),
        ("ändrad", "uppdrag", SERVER_CHEF),
    ]
    assert all("HEMLIGTEXT" not in str(vars(e)) for e in entries)
