"""Files the services write for the user (recovery key, later exports): private and atomic,
and never over a store, its key file, its locks or a backup."""

from __future__ import annotations

from pathlib import Path

from po_desk.store.protected import refuse_protected_target
from po_desk.store.secure_files import atomic_write


def refuse_protected(path: Path, store_path: Path | None = None) -> None:
    """Raises (one Swedish line) when `path` is a store's own file or a backup."""
    refuse_protected_target(Path(path), store_path=store_path)


def write_private_file(path: Path, data: bytes) -> None:
    refuse_protected(Path(path))
    atomic_write(Path(path), data)
