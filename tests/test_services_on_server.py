"""Service tests written for the local file, run again on the PostgreSQL server.

The `workspace` fixture is overridden here, so every imported test runs on a fresh
server database (issue 18: one store interface, two engines): the service suite is in
effect parametrised over `local` (where each test is defined) and `server` (here).
Skipped where PostgreSQL is missing, like tests/test_server.py. A test whose local form
expects the workstation's actor is replaced below by its server form (the actor is the
login role). Tests about the local file itself (its key file, lock, migrations, files on
disk, the GUI) stay local; `test_every_service_test_module_runs_on_the_server` keeps the
two lists complete, so a new service test module cannot be forgotten here.
"""

from __future__ import annotations

import inspect as _inspect

import pytest

from po_desk.services.workspace import Workspace
from tests.test_aterrapport_records import *  # noqa: F403
from tests.test_aterrapport_svar import *  # noqa: F403
from tests.test_avvikelser import *  # noqa: F403
from tests.test_bulk_insert import *  # noqa: F403
from tests.test_cancellation import *  # noqa: F403
from tests.test_categories import *  # noqa: F403
from tests.test_conflicts import *  # noqa: F403
from tests.test_csv_injection import *  # noqa: F403
from tests.test_gallring_and_audit import *  # noqa: F403
from tests.test_import_and_aterrapport import *  # noqa: F403
from tests.test_import_safety import *  # noqa: F403
from tests.test_klienter import *  # noqa: F403
from tests.test_ko_answer_service import *  # noqa: F403
from tests.test_ko_service import *  # noqa: F403
from tests.test_oversikt import *  # noqa: F403
from tests.test_pdf_layout import *  # noqa: F403
from tests.test_places_checks import *  # noqa: F403
from tests.test_return_checks import *  # noqa: F403
from tests.test_underlag_pdf import *  # noqa: F403
from tests.test_uppdrag_service import *  # noqa: F403
from tests.test_view_rows import *  # noqa: F403
from tests.test_view_use_cases import *  # noqa: F403

# Only the tests that work on a workspace say anything about the server; the rest (pure
# rules, tests on a store file of their own) already ran once.
# Tests that also use the store file itself (a CLI run on --db, the key file) are about
# the local file and stay there; the server's own forms are in tests/test_server*.py.
LOCAL_FILE_FIXTURES = frozenset({"store_path", "created"})
for _name, _test in list(globals().items()):
    if not _name.startswith("test_"):
        continue
    _fixtures = set(_inspect.signature(_test).parameters)
    if "workspace" not in _fixtures or _fixtures & LOCAL_FILE_FIXTURES:
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


# Modules whose workspace tests are about the local file or the GUI, not the services.
LOCAL_ONLY_MODULES = frozenset({
    "test_backup", "test_canary", "test_disk_full", "test_fast_start", "test_finish",
    "test_gui_conflicts", "test_gui_ko", "test_gui_view_rules", "test_keyring_allowlist",
    "test_keyslots", "test_migrations", "test_one_writer", "test_op_changes",
    "test_schema_from_models", "test_screen_fit", "test_speed", "test_store_safety",
    "test_store_security", "test_workspace_holder",
})  # fmt: skip


def test_every_service_test_module_runs_on_the_server() -> None:
    """Every test module with a test on the `workspace` fixture is imported above, or
    named as being about the local file."""
    import importlib
    import re
    from pathlib import Path

    on_server = set(
        re.findall(r"^from tests\.(test_\w+) import \*", Path(__file__).read_text(), re.M)
    )
    uses_workspace = set()
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for name, test in vars(module).items():
            ours = name.startswith("test_") and test.__module__ == module.__name__
            if ours and "workspace" in _inspect.signature(test).parameters:
                uses_workspace.add(path.stem)
    # tests/test_server*.py are the server's own tests already.
    server_tests = {name for name in uses_workspace if name.startswith("test_server")}
    server_tests.add(Path(__file__).stem)
    missing = uses_workspace - LOCAL_ONLY_MODULES - server_tests - on_server
    assert not missing, sorted(missing)
