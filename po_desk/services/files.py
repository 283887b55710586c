"""Every file written for the user (exports, recovery key, merge files): private and atomic
(`po_desk.secure_files`), and never over a store, its key file, its locks or a backup in
use (issue 12: an export aimed at `store.podesk.keys` destroyed the store)."""

from __future__ import annotations

from pathlib import Path

from po_desk.secure_files import atomic_write
from po_desk.store.protected import refuse_protected_target


def refuse_protected(path: Path, store_path: Path | None = None) -> None:
    """Raises (one Swedish line) when `path` is a store's own file or a backup."""
    refuse_protected_target(Path(path), store_path=store_path)


def write_private_file(path: Path, data: bytes) -> None:
    refuse_protected(Path(path))
    atomic_write(Path(path), data)
