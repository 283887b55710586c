"""Issue 16: `Workspace` is a plain holder of the open store's services; the store's facts
are `workspace.session`, its keys `workspace.keys`."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from pathlib import Path

import pytest

from po_desk.domain.errors import PoDeskError
from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.test_import_safety import TODAY, write


def test_workspace_holds_services_and_passes_nothing_through() -> None:
    public = {name: value for name, value in vars(Workspace).items() if not name.startswith("_")}
    assert public, "the services"
    not_held = [name for name, value in public.items() if not isinstance(value, cached_property)]
    assert not_held == []
    for gone in ("path", "close", "check", "actor", "rekey", "remember_key", "importer"):
        assert not hasattr(Workspace, gone)


def test_the_session_gives_the_stores_facts_and_closes_it(workspace, store_path: Path) -> None:
    session = workspace.session
    assert session.path == store_path and session.is_open
    assert session.check() == [] and session.schema_revision()
    session.actor = "ombud Anna"
    assert workspace.session.actor == "ombud Anna"
    assert session.location_warning() is None
    session.close()
    assert not session.is_open


def test_the_keys_change_the_passphrase_only_with_the_right_current_one(
    workspace, store_path: Path
) -> None:
    new = "en helt annan lösenfras 2027"
    with pytest.raises(PoDeskError):
        workspace.keys.change_passphrase_verified("fel lösenfras här", new)
    with pytest.raises(PoDeskError):
        workspace.keys.change_passphrase("kort")
    workspace.keys.change_passphrase_verified(PASSPHRASE, new)
    assert not workspace.keys.is_key_remembered()
    workspace.session.close()
    store_lifecycle.open_store(store_path, passphrase=new).session.close()


def test_the_import_made_before_a_new_kommun_still_knows_it(workspace, tmp_path: Path) -> None:
    """The import is made once per workspace, so it reads the kommuner when it plans."""
    importer = workspace.uppdrag_import
    verksamhet = workspace.verksamhet.get()
    names = [k.namn for k in verksamhet.kommuner]
    workspace.verksamhet.update(replace(verksamhet), [*names, "Kil"])
    path = write(tmp_path, "2025-010;kvinna;1980;Kil;;2025-02-01;;nej;ekonomi")
    assert workspace.uppdrag_import is importer
    plan = importer.run(path, today=TODAY)
    assert plan.problems == []
    assert [u.kommun_id for u in workspace.uppdrag.all()] == [
        k.id for k in workspace.verksamhet.get().kommuner if k.namn == "Kil"
    ]
