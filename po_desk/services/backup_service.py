"""Backups the user can understand: a file per backup in a folder next to the store,
made on request and automatically when the program closes, the oldest automatic ones
rotated away."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from po_desk.secure_files import private_folder
from po_desk.store import backup
from po_desk.store.backup import BackupInfo, OtherStoreBackup
from po_desk.store.server_engine import ServerError
from po_desk.store.server_store import ServerStore
from po_desk.store.store import Store

DEFAULT_FOLDER_NAME = "po-desk-sakerhetskopior"
DEFAULT_KEEP = 5

__all__ = ["BackupInfo", "BackupService", "OtherStoreBackup", "newest", "restore"]


def default_folder(store_path: Path) -> Path:
    return Path(store_path).absolute().parent / DEFAULT_FOLDER_NAME


def backup_name(store_path: Path) -> str:
    return f"{Path(store_path).stem}-{datetime.now():%Y%m%d-%H%M%S}.podesk-backup"


def free_backup_path(folder: Path, store_path: Path) -> Path:
    """A new automatic backup's path; never an existing backup (two closes in a second)."""
    name = backup_name(store_path)
    candidate, number = Path(folder) / name, 2
    while candidate.exists():
        stem = name.removesuffix(".podesk-backup")
        candidate, number = Path(folder) / f"{stem}-{number}.podesk-backup", number + 1
    return candidate


class BackupService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def folder(self, configured: str = "") -> Path:
        return Path(configured) if configured else default_folder(self._store.path)

    def ensure_folder(self, configured: str = "") -> Path:
        """The backup folder, created user-only when missing (the default one is always
        made user-only; a folder the user chose that exists is left as it is)."""
        folder = self.folder(configured)
        if not configured or not folder.exists():
            private_folder(folder)
        return folder

    def backup_to(self, target: Path) -> BackupInfo:
        """A backup written to `target` and verified by opening it."""
        if isinstance(self._store, ServerStore):
            # A copy of the server's register is `backup --server` (register_move), the
            # enhetschef's or IT's; the GUI hides its backup action on a server.
            raise ServerError(
                "En säkerhetskopia av registret på servern görs med po-desk backup --server "
                "(av enhetschefen eller IT); kommunens IT säkerhetskopierar också servern."
            )
        return backup.write_backup(self._store, Path(target))

    def automatic(self, configured_folder: str = "", keep: int = DEFAULT_KEEP) -> BackupInfo:
        """The backup made on close: into the backup folder, keeping the newest `keep` (and
        always the newest one with the most rows, so a shrunk store cannot rotate the last
        good backup away)."""
        folder = self.ensure_folder(configured_folder)
        info = self.backup_to(free_backup_path(folder, self._store.path))
        backup.rotate(folder, self._store.store_id, max(1, keep))
        return info

    def on_close(self, configured_folder: str = "", keep: int = DEFAULT_KEEP) -> BackupInfo | None:
        """The backup on close (issue 17): skipped (None) when the newest backup already
        holds exactly this store; else written and verified like any other. A marker file
        stands while it is made, so that a start after an interrupted one redoes it."""
        folder = self.folder(configured_folder)
        found = backup.newest_backup(folder, self._store.store_id, self._store.path.stem)
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
    """The newest backup made of this store (matched by its id, not by file name)."""
    folder = Path(configured_folder) if configured_folder else default_folder(store_path)
    store_id = backup.current_store_id(Path(store_path))
    return backup.newest_backup(folder, store_id, Path(store_path).stem)


def restore(
    backup_path: Path,
    store_path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    allow_other_store: bool = False,
) -> Path | None:
    """Verifies, keeps the replaced store as a `.bak`, puts the backup in place. A backup
    of another store raises OtherStoreBackup unless `allow_other_store`."""
    return backup.restore(
        Path(backup_path),
        Path(store_path),
        passphrase=passphrase,
        recovery_key=recovery_key,
        allow_other_store=allow_other_store,
    )
