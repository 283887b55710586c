"""Files an output must never replace: a store, its key file, its lock files, its journal,
and (for anything but a new backup) a backup. Recognised by what lies on the disk, so it
holds for every store, open or not."""

from __future__ import annotations

import contextlib
import json
import zipfile
from pathlib import Path

from po_desk.domain.errors import PoDeskError

STORE_SUFFIX = ".podesk"
BACKUP_MANIFEST = "manifest.json"
BACKUP_FORMAT_PREFIX = "po-desk-backup/"
KEYS_FORMAT_PREFIX = "po-desk-keys/"
COMPANION_SUFFIXES = (".keys", ".lock.json", ".lock", "-journal")


class ProtectedTarget(PoDeskError):
    """An output path that would destroy a store, its key file, lock or a backup."""


def _same(a: Path, b: Path) -> bool:
    return a.absolute().resolve() == b.absolute().resolve()


def _is_key_file(path: Path) -> bool:
    with contextlib.suppress(OSError, ValueError, UnicodeDecodeError, RecursionError):
        with open(path, "rb") as handle:
            head = handle.read(64 * 1024 + 1)
        if len(head) <= 64 * 1024:
            document = json.loads(head.decode("utf-8"))
            return isinstance(document, dict) and str(document.get("format", "")).startswith(
                KEYS_FORMAT_PREFIX
            )
    return False


def is_backup(path: Path) -> bool:
    with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile, KeyError, RecursionError):
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(BACKUP_MANIFEST)
            if info.file_size > 1024 * 1024:
                return False
            manifest = json.loads(archive.read(info))
        return isinstance(manifest, dict) and str(manifest.get("format", "")).startswith(
            BACKUP_FORMAT_PREFIX
        )
    return False


def _what(target: Path, allow_backup: bool) -> str | None:
    name = target.name
    for suffix in COMPANION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = target.with_name(name[: -len(suffix)])
            if base.exists():
                return "registrets nyckelfil" if suffix == ".keys" else "en av registrets filer"
    if not target.exists():
        return None
    if Path(f"{target}.keys").exists() or name.endswith(STORE_SUFFIX):
        return "ett register"
    if _is_key_file(target):
        return "en nyckelfil"
    if not allow_backup and is_backup(target):
        return "en säkerhetskopia"
    return None


def refuse_protected_target(
    path: Path, *, store_path: Path | None = None, allow_backup: bool = False
) -> None:
    """Raises ProtectedTarget when writing `path` would replace a store's file or a backup.

    `store_path` names a store that may not exist yet (at `init`); its files are refused too.
    """
    target = Path(path)
    if store_path is not None:
        store = Path(store_path)
        own = [store, *(Path(f"{store}{suffix}") for suffix in COMPANION_SUFFIXES)]
        if any(_same(target, candidate) for candidate in own):
            raise ProtectedTarget(
                f"{target.name} är en av registrets egna filer och skrivs inte över. "
                "Välj ett annat filnamn."
            )
    what = _what(target.absolute().resolve(), allow_backup)
    if what is not None:
        raise ProtectedTarget(
            f"{target.name} är {what} och skrivs inte över. Välj ett annat filnamn."
        )
