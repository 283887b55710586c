"""Creating, opening and re-keying stores."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from po_desk.domain import passphrase as passphrase_rules
from po_desk.domain.errors import DamagedStore, KeyFileMissing, ValidationFailed
from po_desk.domain.verksamhet import validate_verksamhet
from po_desk.services.official_places import official_names
from po_desk.services.workspace import CreatedStore, Workspace
from po_desk.store.keyslots import key_file_path
from po_desk.store.store import DAMAGED_MESSAGE, Store

if TYPE_CHECKING:
    from po_desk.services.unlock import PendingKey, PendingNewKeys

log = logging.getLogger(__name__)


def create_store(
    path: Path,
    *,
    namn: str,
    lan: str,
    kommuner: list[str],
    passphrase: str,
    huvudman: str = "",
    start_ar: int | None = None,
    keys: PendingNewKeys | None = None,
) -> CreatedStore:
    problems = validate_verksamhet(namn, lan, kommuner)
    if problems:
        raise ValidationFailed(problems)
    lan, kommuner = official_names(lan, kommuner)
    passphrase_rules.require_acceptable(passphrase)
    store, recovery_key = Store.create(
        Path(path),
        namn=namn.strip(),
        lan=lan.strip(),
        kommuner=[k.strip() for k in kommuner if k.strip()],
        passphrase=passphrase,
        huvudman=huvudman.strip(),
        start_ar=start_ar,
        keys=keys.result() if keys is not None else None,
    )
    log.info("new store created")
    return CreatedStore(Workspace(store), recovery_key)


def open_store(
    path: Path, *, passphrase: str | None = None, recovery_key: str | None = None
) -> Workspace:
    with _backup_hint(Path(path)):
        return Workspace(Store.open(Path(path), passphrase=passphrase, recovery_key=recovery_key))


def open_pending(path: Path, pending: PendingKey) -> Workspace:
    """The store opened with a key derived while the program loaded (services/unlock.py)."""
    with _backup_hint(Path(path)):
        data_key = pending.result()
        if data_key is None:
            return Workspace(Store.open(Path(path), passphrase=pending.passphrase))
        return Workspace(Store.open(Path(path), data_key=data_key))


def open_remembered(path: Path) -> Workspace | None:
    with _backup_hint(Path(path)):
        store = Store.open_remembered(Path(path))
    return Workspace(store) if store else None


@contextlib.contextmanager
def _backup_hint(path: Path) -> Iterator[None]:
    """A damaged store's message names the newest backup to restore from."""
    try:
        yield
    except (DamagedStore, KeyFileMissing) as error:
        from po_desk.services import backup_service  # only here: it imports the backup code

        found = backup_service.newest(path)
        if found is None:
            raise
        hint = f" Nyaste säkerhetskopian är {found} (po-desk restore eller Arkiv > Återställ)."
        error.message += hint
        error.args = (error.message,)
        raise


def check_store(workspace: Workspace) -> None:
    """Runs the integrity checks; raises DamagedStore (one line, naming the newest backup)
    when anything is wrong. The findings go to the log, never into the message."""
    with _backup_hint(workspace.session.path):
        problems = workspace.session.check()
        if problems:
            log.info("integrity check: %d findings", len(problems))
            for line in problems[:200]:
                log.debug("integrity: %s", line)
            damaged = DamagedStore(DAMAGED_MESSAGE)
            damaged.findings = tuple(problems)
            raise damaged


def store_files(path: Path) -> list[Path]:
    """The files that make up a store: the database and its key file."""
    return [Path(path), key_file_path(Path(path))]
