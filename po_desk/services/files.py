"""Files the services write for the user (recovery key, later exports): private and atomic."""

from __future__ import annotations

from pathlib import Path

from po_desk.store.secure_files import atomic_write


def write_private_file(path: Path, data: bytes) -> None:
    atomic_write(Path(path), data)
