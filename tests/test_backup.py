"""Backup and restore: identical rows after a round trip, a backup opens with the secret
valid when it was made, nothing is replaced before the backup is verified."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from po_desk.domain.errors import DamagedStore, WrongPassphrase
from po_desk.services import backup_service, demo, store_lifecycle
from po_desk.store import backup, merge
from tests.conftest import PASSPHRASE


def rows(workspace) -> dict:
    data = merge.export_rows(workspace._store)
    return {table: sorted(map(repr, items)) for table, items in data.items()}


def test_round_trip_gives_identical_rows(created, store_path: Path, tmp_path: Path) -> None:
    workspace = created.workspace
    demo.fill(workspace, uppdrag_count=120, years=2, seed=9)
    before = rows(workspace)
    target = tmp_path / "kopia.podesk-backup"
    info = workspace.backup.backup_to(target)
    assert info.counts["uppdrag"] == 120
    assert b"SQLite format 3" not in target.read_bytes()
    active = next(u for u in workspace.uppdrag.all() if u.is_active)
    workspace.uppdrag.close(active.id, date.today(), "mal_uppnatt")  # change something afterwards
    workspace.session.close()
    kept = backup_service.restore(target, store_path, passphrase=PASSPHRASE)
    assert kept is not None and kept.exists()
    restored = store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    try:
        assert rows(restored) == before
        assert restored.session.check() == []
    finally:
        restored.session.close()


def test_backup_opens_with_the_passphrase_valid_when_it_was_made(
    created, store_path: Path, tmp_path: Path
) -> None:
    workspace = created.workspace
    target = tmp_path / "fore.podesk-backup"
    workspace.backup.backup_to(target)
    workspace.keys.change_passphrase("en helt annan lösenfras 99")
    workspace.session.close()
    with pytest.raises(WrongPassphrase):
        backup.verify(target, passphrase="en helt annan lösenfras 99")
    assert backup.verify(target, passphrase=PASSPHRASE).counts["verksamhet"] == 1
    assert backup.verify(target, recovery_key=created.recovery_key)
    backup_service.restore(target, store_path, passphrase=PASSPHRASE)
    store_lifecycle.open_store(store_path, passphrase=PASSPHRASE).session.close()


def test_nothing_is_replaced_by_a_bad_backup(created, store_path: Path, tmp_path: Path) -> None:
    workspace = created.workspace
    target = tmp_path / "k.podesk-backup"
    workspace.backup.backup_to(target)
    workspace.session.close()
    before = store_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        backup_service.restore(target, store_path, passphrase="fel lösenfras")
    damaged = tmp_path / "trasig.podesk-backup"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(DamagedStore):
        backup_service.restore(damaged, store_path, passphrase=PASSPHRASE)
    truncated = tmp_path / "kort.podesk-backup"
    truncated.write_bytes(target.read_bytes()[:1000])
    with pytest.raises(DamagedStore):
        backup_service.restore(truncated, store_path, passphrase=PASSPHRASE)
    assert store_path.read_bytes() == before
    assert not list(store_path.parent.glob("*.bak"))


def test_automatic_backups_rotate(workspace, store_path: Path) -> None:
    made = []
    for index in range(4):
        info = workspace.backup.automatic(keep=2)
        os.utime(info.path, (1_000_000 + index, 1_000_000 + index))
        made.append(info.path)
    folder = backup_service.default_folder(store_path)
    kept = sorted(folder.glob("*.podesk-backup"))
    assert len(kept) <= 2 and made[-1] in kept


def test_damaged_store_message_names_the_newest_backup(workspace, store_path: Path) -> None:
    info = workspace.backup.automatic()
    workspace.session.close()
    data = bytearray(store_path.read_bytes())
    data[5000:5016] = b"\x00" * 16
    store_path.write_bytes(bytes(data))
    with pytest.raises(DamagedStore) as error:
        store_lifecycle.open_store(store_path, passphrase=PASSPHRASE)
    assert info.path.name in error.value.message


@pytest.mark.gui
def test_gui_backs_up_on_close(qtbot, workspace, store_path: Path) -> None:
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.main_window import MainWindow

    window = MainWindow(workspace, AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert backup_service.newest(store_path) is not None


def test_row_counts_in_one_statement_are_each_tables_count(demo_workspace) -> None:
    """Issue 17 (`close_s`): the counts a backup records and verifies, made in one SELECT,
    are every table's own count."""
    from sqlalchemy import event, func, select

    from po_desk.store.tables import metadata

    engine = demo_workspace._store.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        counts = backup.row_counts(engine)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    with engine.connect() as connection:
        each = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar()
            for table in metadata.sorted_tables
        }
    assert counts == each
    assert counts["uppdrag"] > 0 and counts["avvikelse"] > 0 and counts["audit_log"] > 0
