"""Backups: one self-contained file holding the encrypted database and its key file as
they were at one moment, so it opens with the passphrase or recovery key valid then.

The database bytes are copied while holding SQLite's RESERVED lock (BEGIN IMMEDIATE), so no
writer can change the file during the copy; the copy is encrypted like the store itself.

A backup belongs to the store whose id its manifest names: rotation, "the newest backup"
and restore go by that id, never by the file name. Reading one is bounded (a crafted file
cannot unpack to gigabytes); verifying one happens in the store's folder or a private
temporary folder, and what a killed verification left there is cleaned up.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy.exc
from sqlalchemy import select

from po_desk.domain.errors import DamagedStore, PoDeskError
from po_desk.secure_files import atomic_write, restrict_permissions
from po_desk.store import bounded, swap, tables
from po_desk.store.bounded import SMALL_MEMBER, TooLarge
from po_desk.store.engine import integrity_problems, open_engine
from po_desk.store.keyslots import KeyFile, key_file_path
from po_desk.store.migrate import current_revision
from po_desk.store.protected import refuse_protected_target
from po_desk.store.store import Store
from po_desk.store.tables import metadata
from po_desk.store.writer_lock import WriterLock

log = logging.getLogger(__name__)

FORMAT = "po-desk-backup/1"
DB_MEMBER, KEYS_MEMBER, MANIFEST_MEMBER = "register.podesk", "register.podesk.keys", "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: str
    schema: str | None
    counts: dict[str, int]
    store_id: str = ""
    verksamhet: str = ""

    @property
    def content_rows(self) -> int:
        return content_rows(self.counts)


class OtherStoreBackup(PoDeskError):
    """The backup was made of another store; restoring it needs the user's word."""


# How much a backup holds is counted in main records only: the audit log grows with every
# change (also deletions), and gallring removes link rows (prioritetsgrunder) on purpose,
# which must not make a pre-gallring backup "fuller" and keep it forever.
CONTENT_TABLES = frozenset({
    "verksamhet", "kommun", "ombud", "uppdrag", "ko_anmalan", "avvikelse", "aterrapport",
    "ledningsgrupp_mote", "ledningsgrupp_medlem", "intagningsstopp", "prioriteringsordning",
})  # fmt: skip
AUTOMATIC_NAME = re.compile(r"^.+-\d{8}-\d{6}(-\d+)?\.podesk-backup$")
VERIFY_PREFIX = ".po-desk-verify-"
STALE_VERIFY_SECONDS = 6 * 3600


def content_rows(counts: dict[str, int]) -> int:
    return sum(int(n) for table, n in counts.items() if table in CONTENT_TABLES)


def row_counts(engine: Any) -> dict[str, int]:
    """Every table's row count, in one statement (a backup counts twice, the store and its
    verified copy: one compiled SELECT per table was a third of the backup on close)."""
    ordered = metadata.sorted_tables
    quote = engine.dialect.identifier_preparer.quote
    counts = ", ".join(f"(SELECT count(*) FROM {quote(table.name)})" for table in ordered)
    with engine.connect() as connection:
        row = connection.exec_driver_sql(f"SELECT {counts}").one()
    return {table.name: int(count) for table, count in zip(ordered, row, strict=True)}


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
    """Writes the backup atomically, then opens it to prove it is whole; an unverified
    file is never left behind."""
    target = Path(target)
    refuse_protected_target(target, store_path=store.path, allow_backup=True)
    try:
        data = _snapshot(store)
        counts = row_counts(store.engine)
    except (sqlalchemy.exc.DatabaseError, sqlite_errors()) as error:
        if isinstance(error, sqlalchemy.exc.OperationalError):
            raise
        log.info("backup of a damaged store refused: %s", type(error).__name__)
        raise DamagedStore(_DAMAGED_SOURCE) from None
    manifest: dict[str, Any] = {
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
    atomic_write(target, buffer.getvalue())
    try:
        info = verify(target, data_key=store.data_key, work_folder=store.path.parent)
    except DamagedStore:
        target.unlink(missing_ok=True)  # an unverified copy is not a backup
        raise DamagedStore(_DAMAGED_SOURCE) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return info


_DAMAGED_SOURCE = (
    "Registret är skadat och kan inte säkerhetskopieras; ingen ny säkerhetskopia sparades "
    "och de tidigare finns kvar. Återställ från den senaste säkerhetskopian."
)


def sqlite_errors() -> type[Exception]:
    """The DB-API's DatabaseError (raw connections raise it, not SQLAlchemy's)."""
    import sqlcipher3

    error: type[Exception] = sqlcipher3.dbapi2.DatabaseError
    return error


def same_as(store: Store, backup_path: Path) -> bool:
    """True when `backup_path` holds exactly the store's current database and key file (a
    backup on close is then skipped: nothing changed since it was made)."""
    try:
        with zipfile.ZipFile(backup_path) as archive:
            manifest = json.loads(bounded.read_member(archive, MANIFEST_MEMBER, SMALL_MEMBER))
            keys = bounded.read_member(archive, KEYS_MEMBER, SMALL_MEMBER)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, RecursionError, TooLarge):
        return False
    if keys != key_file_path(store.path).read_bytes():
        return False
    return bool(hashlib.sha256(_snapshot(store)).hexdigest() == manifest.get("sha256"))


def _not_a_backup(path: Path, error: BaseException | None = None) -> DamagedStore:
    reason = f" ({type(error).__name__})" if error is not None else ""
    return DamagedStore(f"{Path(path).name} är ingen hel säkerhetskopia från po-desk{reason}.")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A backup's manifest, or None when the file is not a readable backup."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(bounded.read_member(archive, MANIFEST_MEMBER, SMALL_MEMBER))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RecursionError, TooLarge):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


def read_backup(path: Path, limit: int | None = None) -> tuple[dict[str, Any], bytes, bytes]:
    """Manifest, database and key file of a backup; nothing unpacks past `limit` bytes
    (default: set from the backup's own size)."""
    path = Path(path)
    if limit is None:
        limit = bounded.size_limit(bounded.file_size(path))
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(bounded.read_member(archive, MANIFEST_MEMBER, SMALL_MEMBER))
            data = bounded.read_member(archive, DB_MEMBER, limit)
            keys = bounded.read_member(archive, KEYS_MEMBER, SMALL_MEMBER)
    except FileNotFoundError:
        raise PoDeskError(f"Säkerhetskopian {path} finns inte.") from None
    except TooLarge:
        raise DamagedStore(
            f"{path.name} packas upp till mer än en säkerhetskopia kan vara; den används inte."
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RecursionError) as error:
        raise _not_a_backup(path, error) from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or hashlib.sha256(data).hexdigest() != manifest.get("sha256")
        or not isinstance(manifest.get("counts"), dict)
    ):
        raise DamagedStore(f"Säkerhetskopian {path.name} är skadad.")
    return manifest, data, keys


def clean_stale_verifications(folder: Path) -> None:
    """Removes verification folders a killed po-desk left behind (never a live one)."""
    with contextlib.suppress(OSError):
        for candidate in Path(folder).glob(f"{VERIFY_PREFIX}*"):
            if candidate.is_dir() and _abandoned(candidate):
                shutil.rmtree(candidate, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    parts = folder.name[len(VERIFY_PREFIX) :].split("-", 1)
    if parts[0].isdigit() and os.name == "posix":
        pid = int(parts[0])
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            pass
    try:
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    return age > STALE_VERIFY_SECONDS


def verify(
    path: Path,
    *,
    data_key: bytes | None = None,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    work_folder: Path | None = None,
    limit: int | None = None,
) -> BackupInfo:
    """Opens the backup from a temporary (still encrypted) copy: checksum, key, integrity and
    row counts must all agree with its manifest. The copy is made in `work_folder` (the
    store's folder), else in a private temporary folder; never beside the backup."""
    path = Path(path)
    manifest, data, keys = read_backup(path, limit)
    if work_folder is not None:
        clean_stale_verifications(work_folder)
    clean_stale_verifications(path.parent)  # left there by older versions
    folder = Path(tempfile.mkdtemp(prefix=f"{VERIFY_PREFIX}{os.getpid()}-", dir=work_folder))
    try:
        database = folder / DB_MEMBER
        atomic_write(database, data)
        atomic_write(key_file_path(database), keys)
        key = data_key or KeyFile.load(database).unlock(passphrase, recovery_key)
        engine = open_engine(database, key)
        try:
            problems = integrity_problems(engine)
            counts = row_counts(engine)
            verksamhet = _verksamhet_name(engine)
        except sqlalchemy.exc.DatabaseError:
            problems, counts, verksamhet = ["unreadable"], {}, ""
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if problems or counts != manifest["counts"]:
        raise DamagedStore(f"Säkerhetskopian {path.name} kunde inte verifieras.")
    store_id = KeyFile.from_bytes(keys).store_id
    return BackupInfo(
        path, str(manifest.get("created", "")), manifest.get("schema"), counts, store_id,
        verksamhet,
    )  # fmt: skip


def _verksamhet_name(engine: Any) -> str:
    with engine.connect() as connection:
        name = connection.execute(select(tables.verksamhet.c.namn).limit(1)).scalar()
    return str(name or "")


def current_store_id(store_path: Path) -> str | None:
    """The id in the store's key file, or None when there is no readable one."""
    try:
        return KeyFile.load(Path(store_path)).store_id
    except PoDeskError:
        return None


def restore(
    backup: Path,
    store_path: Path,
    *,
    passphrase: str | None,
    recovery_key: str | None,
    allow_other_store: bool = False,
) -> Path | None:
    """Verifies the backup, keeps the current store as a `.bak`, then puts the backup in
    place (database and key file as one step). A backup of another store is refused
    (OtherStoreBackup) unless `allow_other_store`. Returns where the replaced store was
    kept (None when there was none)."""
    store_path = Path(store_path)
    backup = Path(backup)
    if _same_file(backup, store_path):
        raise PoDeskError("Säkerhetskopian kan inte vara registret självt.")
    limit = bounded.size_limit(bounded.file_size(backup), bounded.file_size(store_path))
    lock = WriterLock(store_path)
    lock.acquire()
    try:
        swap.finish_interrupted(store_path)
        info = verify(
            backup,
            passphrase=passphrase,
            recovery_key=recovery_key,
            work_folder=store_path.parent,
            limit=limit,
        )
        ours = current_store_id(store_path)
        if ours is not None and info.store_id != ours and not allow_other_store:
            raise OtherStoreBackup(
                f"Säkerhetskopian {backup.name} är gjord av ett annat register "
                f"(verksamhet {info.verksamhet or 'okänd'}), inte av {store_path.name}. "
                "Återställ bara om du vill ersätta registret med det."
            )
        _, data, keys = read_backup(backup, limit)
        kept = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        if store_path.exists():
            kept = store_path.with_name(f"{store_path.name}.fore-aterstallning-{stamp}.bak")
            shutil.copy2(store_path, kept)
            restrict_permissions(kept)
            if key_file_path(store_path).exists():
                shutil.copy2(key_file_path(store_path), key_file_path(kept))
                restrict_permissions(key_file_path(kept))
        swap.replace_store(store_path, data, keys)
        restrict_permissions(store_path)
        return kept
    finally:
        lock.release()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def backups_of(folder: Path, store_id: str) -> list[tuple[Path, dict[str, Any]]]:
    """The backups in `folder` made of the store `store_id`, newest first."""
    if not Path(folder).is_dir():
        return []
    found = []
    for candidate in Path(folder).glob("*.podesk-backup"):
        manifest = read_manifest(candidate)
        if manifest is not None and manifest.get("store_id") == store_id:
            found.append((candidate, manifest))
    found.sort(key=lambda item: os.path.getmtime(item[0]), reverse=True)
    return found


def rotate(folder: Path, store_id: str, keep: int) -> list[Path]:
    """Deletes the oldest automatic backups of the store beyond `keep`, but never the
    newest one holding the most rows: an emptied or shrunk store cannot push the last
    good backup out. Returns those kept."""
    backups = backups_of(folder, store_id)
    automatic = [item for item in backups if AUTOMATIC_NAME.match(item[0].name)]
    if not automatic:
        return []
    fullest = max(automatic, key=lambda item: content_rows(item[1].get("counts") or {}))
    kept = [path for path, _ in automatic[:keep]]
    if fullest[0] not in kept:
        kept.append(fullest[0])
    for path, _ in automatic:
        if path not in kept:
            path.unlink(missing_ok=True)
    return kept


def newest_backup(folder: Path, store_id: str | None, stem: str = "") -> Path | None:
    """The newest backup of the store `store_id`; when the id is unknown (no readable key
    file), the newest automatic backup named exactly after the store (`stem`-date-time)."""
    if store_id is not None:
        backups = backups_of(folder, store_id)
        return backups[0][0] if backups else None
    if not stem or not Path(folder).is_dir():
        return None
    pattern = re.compile(re.escape(stem) + r"-\d{8}-\d{6}(-\d+)?\.podesk-backup")
    named = [p for p in Path(folder).glob("*.podesk-backup") if pattern.fullmatch(p.name)]
    named = [p for p in named if read_manifest(p) is not None]
    return max(named, key=os.path.getmtime) if named else None
