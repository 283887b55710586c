"""One writer per store: an OS lock on `<store>.lock` (released by the OS if the program
dies, so a crash leaves no stale lock) and `<store>.lock.json` saying who holds it.

The holder's description names the user and computer, never client data. A store in a
cloud-sync folder or on a network share gets a warning: those copy half-written files and
do not honour SQLite's locks reliably.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from po_desk.domain.errors import StoreLocked

SYNC_FOLDER_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud",
                       "nextcloud", "owncloud", "box sync")  # fmt: skip
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p"}


def lock_paths(store_path: Path) -> tuple[Path, Path]:
    return Path(f"{store_path}.lock"), Path(f"{store_path}.lock.json")


class WriterLock:
    def __init__(self, store_path: Path) -> None:
        self._lock_path, self._info_path = lock_paths(store_path)
        # User-only, like the store: the files name the user, the computer and the pid.
        self._lock = FileLock(str(self._lock_path), timeout=0, mode=0o600)

    def acquire(self) -> None:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise StoreLocked(self._held_by()) from None
        info = {
            "anvandare": _user(),
            "dator": socket.gethostname(),
            "pid": os.getpid(),
            "sedan": datetime.now().isoformat(timespec="minutes"),
        }
        if os.name == "posix":
            with contextlib.suppress(OSError):  # one made by an older version was 0644
                os.chmod(self._lock_path, 0o600)
        # The lock itself is what counts; the description is a courtesy.
        with contextlib.suppress(OSError):
            descriptor = os.open(self._info_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                if os.name == "posix":
                    os.fchmod(handle.fileno(), 0o600)
                handle.write(json.dumps(info))

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self._info_path.unlink(missing_ok=True)
            self._lock.release()

    def _held_by(self) -> str:
        try:
            info = json.loads(self._info_path.read_text(encoding="utf-8"))
            who = f"{info['anvandare']} på datorn {info['dator']}"
            since = str(info["sedan"]).replace("T", " ")
            return f"Registret används redan av {who} sedan {since}. Stäng programmet där först."
        except (OSError, ValueError, KeyError, TypeError):
            return "Registret används redan av ett annat po-desk-fönster. Stäng det först."


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "okänd användare"


def location_warning(store_path: Path) -> str | None:
    """A Swedish warning when the store lies in a sync folder or on a network share."""
    text = str(Path(store_path).absolute())
    if text.startswith(("\\\\", "//")):  # a UNC path, \\server\share
        return "Registret ligger på en nätverksresurs. Flytta det till den här datorns disk."
    lowered = text.lower()
    if any(marker in part for part in lowered.replace("\\", "/").split("/")
           for marker in SYNC_FOLDER_MARKERS):  # fmt: skip
        return (
            "Registret ligger i en synkroniserad mapp (till exempel OneDrive eller Dropbox). "
            "Sådana mappar kan kopiera halvskrivna filer; flytta registret till en vanlig mapp."
        )
    if _network_mount(Path(text)):
        return "Registret ligger på en nätverksdisk. Flytta det till den här datorns disk."
    return None


def _network_mount(path: Path) -> bool:
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return False
    best, best_type = "", ""
    for line in mounts.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 3 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
            best, best_type = parts[1], parts[2]
    return best_type in NETWORK_FILESYSTEMS
