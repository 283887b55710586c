"""Replacing a store's database and key file together, so that a crash at any moment
leaves a pair that opens (the old one or the new one, never the new database with the
old key file).

Both new files are first written in full beside the store under hidden staging names
(database first, then key file). Then the database is renamed into place, then the key
file. What a crash left is read from which staging files remain:
- the staged database is still there: nothing was replaced yet; both staged files go;
- only the staged key file is there: the database was replaced; the key file follows.
`finish_interrupted` does that, and runs before a store is opened or replaced.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from po_desk.secure_files import atomic_write, fsync_directory, restrict_permissions
from po_desk.store.keyslots import key_file_path

log = logging.getLogger(__name__)


def staged_paths(store_path: Path) -> tuple[Path, Path]:
    store_path = Path(store_path)
    return (
        store_path.with_name(f".{store_path.name}.ny-databas"),
        store_path.with_name(f".{store_path.name}.ny-nyckelfil"),
    )


def work_path(store_path: Path) -> Path:
    """Where a re-key prepares the re-encrypted copy before it is staged."""
    store_path = Path(store_path)
    return store_path.with_name(f".{store_path.name}.ny-nyckel")


def pending(store_path: Path) -> bool:
    return any(path.exists() for path in (*staged_paths(store_path), work_path(store_path)))


def finish_interrupted(store_path: Path) -> None:
    """Completes or undoes a replacement a crash interrupted (nothing when none was)."""
    work_path(store_path).unlink(missing_ok=True)  # a re-key killed before its swap
    _finish_staged(store_path)


def _finish_staged(store_path: Path) -> None:
    staged_db, staged_keys = staged_paths(store_path)
    if staged_db.exists():
        staged_db.unlink(missing_ok=True)
        staged_keys.unlink(missing_ok=True)
        log.info("interrupted store replacement undone")
    elif staged_keys.exists():
        os.replace(staged_keys, key_file_path(store_path))
        fsync_directory(Path(store_path).parent)
        log.info("interrupted store replacement completed")


def replace_store(store_path: Path, database: bytes | Path, keys: bytes) -> None:
    """Puts `database` (bytes, or a file that is moved) and `keys` in place as one step."""
    store_path = Path(store_path)
    _finish_staged(store_path)
    staged_db, staged_keys = staged_paths(store_path)
    if isinstance(database, Path):
        os.replace(database, staged_db)
        restrict_permissions(staged_db)
        with open(staged_db, "rb+") as handle:
            os.fsync(handle.fileno())
        fsync_directory(store_path.parent)
    else:
        atomic_write(staged_db, database)
    atomic_write(staged_keys, keys)
    # A hot journal of the old database must never be played into the new one.
    Path(f"{store_path}-journal").unlink(missing_ok=True)
    os.replace(staged_db, store_path)
    fsync_directory(store_path.parent)
    os.replace(staged_keys, key_file_path(store_path))
    fsync_directory(store_path.parent)
