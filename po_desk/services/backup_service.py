"""Backups the user can understand: a file per backup in a folder next to the store,
made on request and automatically when the program closes, the oldest automatic ones
rotated away."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from po_desk.store import backup
from po_desk.store.backup import BackupInfo
from po_desk.store.store import Store

DEFAULT_FOLDER_NAME = "po-desk-sakerhetskopior"
DEFAULT_KEEP = 5


def default_folder(store_path: Path) -> Path:
    return Path(store_path).absolute().parent / DEFAULT_FOLDER_NAME


def backup_name(store_path: Path) -> str:
    return f"{Path(store_path).stem}-{datetime.now():%Y%m%d-%H%M%S}.podesk-backup"


class BackupService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def folder(self, configured: str = "") -> Path:
        return Path(configured) if configured else default_folder(self._store.path)

    def backup_to(self, target: Path) -> BackupInfo:
        """A backup written to `target` and verified by opening it."""
        return backup.write_backup(self._store, Path(target))

    def automatic(self, configured_folder: str = "", keep: int = DEFAULT_KEEP) -> BackupInfo:
        """The backup made on close: into the backup folder, keeping the newest `keep`."""
        folder = self.folder(configured_folder)
        folder.mkdir(parents=True, exist_ok=True)
        info = self.backup_to(folder / backup_name(self._store.path))
        backup.rotate(folder, self._store.path.stem, max(1, keep))
        return info

    def on_close(self, configured_folder: str = "", keep: int = DEFAULT_KEEP) -> BackupInfo | None:
        """The backup on close (issue 17): skipped (None) when the newest backup already
        holds exactly this store; else written and verified like any other. A marker file
        stands while it is made, so that a start after an interrupted one redoes it."""
        folder = self.folder(configured_folder)
        found = backup.newest_backup(folder, self._store.path.stem)
        if found is not None and backup.same_as(self._store, found):
            _pending_marker(folder, self._store.path).unlink(missing_ok=True)
            return None
        folder.mkdir(parents=True, exist_ok=True)
        marker = _pending_marker(folder, self._store.path)
        marker.write_bytes(b"")
        info = self.automatic(configured_folder, keep)
        marker.unlink(missing_ok=True)
        return info

    def interrupted(self, configured_folder: str = "") -> bool:
        """True when the last backup on close was begun and never finished."""
        return _pending_marker(self.folder(configured_folder), self._store.path).exists()


def _pending_marker(folder: Path, store_path: Path) -> Path:
    return folder / f".{Path(store_path).stem}.backup-pending"


def newest(store_path: Path, configured_folder: str = "") -> Path | None:
    folder = Path(configured_folder) if configured_folder else default_folder(store_path)
    return backup.newest_backup(folder, Path(store_path).stem)


def restore(
    backup_path: Path,
    store_path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
) -> Path | None:
    """Verifies, keeps the replaced store as a `.bak`, puts the backup in place."""
    return backup.restore(
        Path(backup_path), Path(store_path), passphrase=passphrase, recovery_key=recovery_key
    )
