"""Writing sensitive files: owner-only permissions, temp name in the same folder, fsync,
atomic replace, so a crash leaves either the old file or the new one, never half of it.

At the top of the package so that store, services, ui and cli write files the one same way
(the domain does no file I/O)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from po_desk.domain.cancellation import checkpoint


def atomic_write(path: Path | str, data: bytes) -> None:
    path = Path(path)
    if path.exists() and not path.is_file():
        # Replacing a device or folder by rename would destroy it (think /dev/null as root).
        raise IsADirectoryError(21, "Målet är inte en vanlig fil", str(path))
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.chmod(temp_name, 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint()  # a cancelled export leaves the old file as it was
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    fsync_directory(path.parent)


def fsync_directory(folder: Path) -> None:
    # Makes the rename itself durable; not possible (and not needed) on Windows.
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def restrict_permissions(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, 0o600)


def private_folder(folder: Path) -> Path:
    """`folder`, created if missing, readable by its owner only (on POSIX)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        with contextlib.suppress(OSError):  # a folder owned by someone else stays as it is
            os.chmod(folder, 0o700)
    return folder
