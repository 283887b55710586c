"""Backups: one self-contained file holding the encrypted database and its key file as
they were at one moment, so it opens with the passphrase or recovery key valid then.

The database bytes are copied while holding SQLite's RESERVED lock (BEGIN IMMEDIATE), so no
writer can change the file during the copy; the copy is encrypted like the store itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from po_desk.domain.cancellation import Cancelled
from po_desk.domain.errors import DamagedStore, PoDeskError
from po_desk.store.engine import integrity_problems, open_engine
from po_desk.store.keyslots import KeyFile, key_file_path
from po_desk.store.migrate import current_revision
from po_desk.store.models import Base
from po_desk.store.secure_files import atomic_write, restrict_permissions
from po_desk.store.store import Store
from po_desk.store.writer_lock import WriterLock

FORMAT = "po-desk-backup/1"
DB_MEMBER, KEYS_MEMBER, MANIFEST_MEMBER = "register.podesk", "register.podesk.keys", "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: str
    schema: str | None
    counts: dict[str, int]


def row_counts(engine: Any) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: int(connection.execute(select(func.count()).select_from(table)).scalar())
            for table in Base.metadata.sorted_tables
        }


def _snapshot(store: Store) -> bytes:
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # writers wait; the file cannot change under us
        try:
            return store.path.read_bytes()
        finally:
            raw.rollback()
    finally:
        raw.close()


def write_backup(store: Store, target: Path) -> BackupInfo:
    """Writes the backup atomically, then opens it to prove it is whole."""
    data = _snapshot(store)
    counts = row_counts(store.engine)
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema": current_revision(store.engine),
        "store_id": store.store_id,
        "sha256": hashlib.sha256(data).hexdigest(),
        "counts": counts,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=2))
        archive.writestr(DB_MEMBER, data)
        archive.writestr(KEYS_MEMBER, key_file_path(store.path).read_bytes())
    atomic_write(Path(target), buffer.getvalue())
    try:
        verify(Path(target), data_key=store.data_key)
    except Cancelled:
        Path(target).unlink(missing_ok=True)  # an unverified copy is not a backup
        raise
    return BackupInfo(Path(target), manifest["created"], manifest["schema"], counts)


def same_as(store: Store, backup_path: Path) -> bool:
    """True when `backup_path` holds exactly the store's current database and key file (a
    backup on close is then skipped: nothing changed since it was made)."""
    try:
        with zipfile.ZipFile(backup_path) as archive:
            manifest = json.loads(archive.read(MANIFEST_MEMBER))
            keys = archive.read(KEYS_MEMBER)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False
    if keys != key_file_path(store.path).read_bytes():
        return False
    return hashlib.sha256(_snapshot(store)).hexdigest() == manifest.get("sha256")


def read_backup(path: Path) -> tuple[dict[str, Any], bytes, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST_MEMBER))
            data, keys = archive.read(DB_MEMBER), archive.read(KEYS_MEMBER)
    except FileNotFoundError:
        raise PoDeskError(f"Säkerhetskopian {path} finns inte.") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DamagedStore(
            f"{Path(path).name} är ingen hel säkerhetskopia från po-desk ({type(error).__name__})."
        ) from None
    if manifest.get("format") != FORMAT or hashlib.sha256(data).hexdigest() != manifest.get(
        "sha256"
    ):
        raise DamagedStore(f"Säkerhetskopian {Path(path).name} är skadad.")
    return manifest, data, keys


def verify(
    path: Path,
    *,
    data_key: bytes | None = None,
    passphrase: str | None = None,
    recovery_key: str | None = None,
) -> BackupInfo:
    """Opens the backup from a temporary (still encrypted) copy: checksum, key, integrity and
    row counts must all agree with its manifest."""
    manifest, data, keys = read_backup(path)
    folder = Path(tempfile.mkdtemp(prefix=".po-desk-verify-", dir=Path(path).parent))
    try:
        database = folder / DB_MEMBER
        atomic_write(database, data)
        atomic_write(key_file_path(database), keys)
        key = data_key or KeyFile.load(database).unlock(passphrase, recovery_key)
        engine = open_engine(database, key)
        try:
            problems = integrity_problems(engine)
            counts = row_counts(engine)
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if problems or counts != manifest["counts"]:
        raise DamagedStore(f"Säkerhetskopian {Path(path).name} kunde inte verifieras.")
    return BackupInfo(Path(path), manifest["created"], manifest.get("schema"), counts)


def restore(
    backup: Path, store_path: Path, *, passphrase: str | None, recovery_key: str | None
) -> Path | None:
    """Verifies the backup, keeps the current store as a `.bak`, then puts the backup in
    place. Returns where the replaced store was kept (None when there was none)."""
    store_path = Path(store_path)
    verify(backup, passphrase=passphrase, recovery_key=recovery_key)
    _, data, keys = read_backup(backup)
    lock = WriterLock(store_path)
    lock.acquire()
    try:
        kept = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        if store_path.exists():
            kept = store_path.with_name(f"{store_path.name}.fore-aterstallning-{stamp}.bak")
            shutil.copy2(store_path, kept)
            if key_file_path(store_path).exists():
                shutil.copy2(key_file_path(store_path), key_file_path(kept))
        atomic_write(key_file_path(store_path), keys)
        atomic_write(store_path, data)
        restrict_permissions(store_path)
        Path(f"{store_path}-journal").unlink(missing_ok=True)
        return kept
    finally:
        lock.release()


def rotate(folder: Path, stem: str, keep: int) -> list[Path]:
    """Deletes the oldest automatic backups of `stem` beyond `keep`; returns those kept."""
    backups = sorted(folder.glob(f"{stem}-*.podesk-backup"), key=os.path.getmtime, reverse=True)
    for old in backups[keep:]:
        old.unlink(missing_ok=True)
    return backups[:keep]


def newest_backup(folder: Path, stem: str) -> Path | None:
    if not folder.is_dir():
        return None
    backups = sorted(folder.glob(f"{stem}-*.podesk-backup"), key=os.path.getmtime)
    return backups[-1] if backups else None
