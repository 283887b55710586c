"""Service tests written for the local file, run again on the PostgreSQL server.

The `workspace` fixture is overridden here, so every imported test runs on a fresh
server database (issue 18: one store interface, two engines). Skipped where PostgreSQL
is missing, like tests/test_server.py. A test whose local form expects the workstation's
actor is replaced below by its server form (the actor is the login role). Not yet here:
tests that need the `created` fixture, a store file or a key (backup, merge, passphrase),
and tests/test_ko_answer_service.py (its CSV test fails on the local file too today).
"""

from __future__ import annotations

import inspect as _inspect

import pytest

from po_desk.services.workspace import Workspace
from tests.test_aterrapport_records import *  # noqa: F403
from tests.test_avvikelser import *  # noqa: F403
from tests.test_categories import *  # noqa: F403
from tests.test_gallring_and_audit import *  # noqa: F403
from tests.test_klienter import *  # noqa: F403
from tests.test_ko_service import *  # noqa: F403
from tests.test_return_checks import *  # noqa: F403
from tests.test_uppdrag_service import *  # noqa: F403

# Only the tests that work on a workspace say anything about the server; the rest (pure
# rules, tests on a store file of their own) already ran once.
for _name, _test in list(globals().items()):
    if _name.startswith("test_") and "workspace" not in _inspect.signature(_test).parameters:
        del globals()[_name]


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


def test_audit_log_view_and_export_hold_no_content(workspace: Workspace, tmp_path) -> None:
    import csv
    from datetime import date

    from po_desk.domain.uppdrag import Uppdrag
    from tests.conftest import SERVER_CHEF

    workspace.verksamhet.set_notes_enabled(True)
    kommun = workspace.verksamhet.get().kommuner[0].id
    workspace.uppdrag.save(
        Uppdrag(
            kon="man",
            fodelsear=1970,
            kommun_id=kommun,
            start=date(2025, 1, 1),
            kontaktorsaker=("ekonomi",),
            anteckning="HEMLIGANTECKNING",
        )
    )
    entries = workspace.audit.entries()
    assert any(e.table_name == "uppdrag" and e.action == "skapad" for e in entries)
    assert SERVER_CHEF in workspace.audit.actors()
    out = tmp_path / "logg.csv"
    workspace.audit.export_csv(out, entries)
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert [SERVER_CHEF, "skapad", "Uppdrag"] in [r[1:4] for r in rows]
    assert "HEMLIGANTECKNING" not in text
