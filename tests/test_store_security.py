from __future__ import annotations

import logging
import os
import sqlite3
import sys
import tempfile
import time
import types
import uuid
from datetime import date
from pathlib import Path

import pytest

from po_desk.domain.errors import (
    CipherUnavailable,
    DamagedStore,
    NewerStore,
    StoreNotFound,
    WrongPassphrase,
)
from po_desk.domain.uppdrag import Uppdrag
from po_desk.services import store_lifecycle
from po_desk.services.workspace import Workspace
from po_desk.store import engine as engine_module
from po_desk.store.keyslots import key_file_path
from tests.conftest import PASSPHRASE


def snapshot(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def test_store_file_is_not_plain_sqlite(workspace: Workspace, store_path: Path) -> None:
    header = store_path.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    assert key_file_path(store_path).is_file()
    if os.name == "posix":
        assert store_path.stat().st_mode & 0o077 == 0
        assert key_file_path(store_path).stat().st_mode & 0o077 == 0


def test_wrong_passphrase_leaves_files_byte_identical(workspace: Workspace, store_path: Path):
    workspace.session.close()
    before = snapshot(store_path)
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, passphrase="inte rätt lösenfras")
    assert snapshot(store_path) == before


def test_recovery_key_opens_and_sets_a_new_passphrase(created, store_path: Path) -> None:
    created.workspace.session.close()
    reopened = store_lifecycle.open_store(store_path, recovery_key=created.recovery_key)
    reopened.keys.change_passphrase("en helt ny lösenfras 2026")
    reopened.session.close()
    with pytest.raises(WrongPassphrase):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    store_lifecycle.open_store(store_path, passphrase="en helt ny lösenfras 2026").session.close()
    store_lifecycle.open_store(store_path, recovery_key=created.recovery_key).session.close()


def test_missing_path_is_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "finns-inte.podesk"
    with pytest.raises(StoreNotFound):
        store_lifecycle.open_store(missing, passphrase=PASSPHRASE)
    with pytest.raises(StoreNotFound):
        store_lifecycle.open_remembered(missing)
    assert list(tmp_path.iterdir()) == []


def test_plain_sqlite_file_is_refused_untouched(workspace: Workspace, store_path: Path) -> None:
    workspace.session.close()
    store_path.unlink()
    plain = sqlite3.connect(store_path)
    plain.execute("create table t(x)")
    plain.commit()
    plain.close()
    before = snapshot(store_path)
    with pytest.raises(DamagedStore, match="okrypterad"):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    assert snapshot(store_path) == before


def test_store_and_key_file_mismatch_is_damage(tmp_path: Path) -> None:
    first = store_lifecycle.create_store(
        tmp_path / "a.podesk", namn="A", lan="Skåne län", kommuner=["Lund"], passphrase=PASSPHRASE
    )
    second = store_lifecycle.create_store(
        tmp_path / "b.podesk", namn="B", lan="Skåne län", kommuner=["Lund"], passphrase=PASSPHRASE
    )
    first.workspace.session.close()
    second.workspace.session.close()
    os.replace(tmp_path / "b.podesk.keys", tmp_path / "a.podesk.keys")
    with pytest.raises(DamagedStore):
        store_lifecycle.open_store(tmp_path / "a.podesk", passphrase=PASSPHRASE)


def test_fail_closed_without_sqlcipher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = types.ModuleType("sqlcipher3")
    fake.connect = sqlite3.connect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sqlcipher3", fake)
    engine_module.cipher_version.cache_clear()
    try:
        with pytest.raises(CipherUnavailable):
            store_lifecycle.create_store(
                tmp_path / "x.podesk",
                namn="A",
                lan="Skåne län",
                kommuner=["Lund"],
                passphrase=PASSPHRASE,
            )
    finally:
        engine_module.cipher_version.cache_clear()
    assert list(tmp_path.iterdir()) == []


def test_connection_keeps_temp_data_in_memory(workspace: Workspace) -> None:
    with workspace._store.session() as session:
        assert session.connection().exec_driver_sql("PRAGMA temp_store").scalar() == 2
        assert session.connection().exec_driver_sql("PRAGMA cipher_version").scalar()


def test_store_from_a_newer_version_is_refused(workspace: Workspace, store_path: Path) -> None:
    with workspace._store.transaction() as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    workspace.session.close()
    before = snapshot(store_path)
    with pytest.raises(NewerStore):
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    assert snapshot(store_path) == before


def test_canary_is_found_in_no_plaintext_file(
    workspace: Workspace, store_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    canary = f"KANARIE{uuid.uuid4().hex}"
    workspace.verksamhet.set_notes_enabled(True)
    kommun = workspace.verksamhet.get().kommuner[0]
    saved = workspace.uppdrag.save(
        Uppdrag(
            kon="kvinna",
            fodelsear=1980,
            kommun_id=kommun.id,
            start=date(2025, 2, 1),
            kontaktorsaker=("ekonomi",),
            anteckning=f"Behöver hjälp {canary}",
        )
    )
    assert workspace.uppdrag.get(saved.id or "").anteckning.endswith(canary)
    workspace.session.close()
    needle = canary.encode()
    folders = {store_path.parent, Path(tempfile.gettempdir())}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if not path.is_file() or path.stat().st_mtime < started:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            assert needle not in data, path
            assert canary.encode("utf-16-le") not in data, path
    assert canary not in caplog.text
