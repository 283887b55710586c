"""Moving a register between a local file and the shared server (DESIGN §8, "Moving").

A move copies every row in one transaction on the receiving side (store/transfer.py) and,
before that transaction commits, proves the row counts and every year's return equal on
both sides. If anything differs the transaction is rolled back, so the receiver is as it
was, and the user is told which year.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from po_desk.domain import capabilities
from po_desk.domain import passphrase as passphrase_rules
from po_desk.domain.errors import PoDeskError
from po_desk.services.access_service import refuse_copy_unless_allowed
from po_desk.services.official_places import official_names
from po_desk.services.workspace import Workspace
from po_desk.store import transfer
from po_desk.store.backup import BackupInfo, write_backup
from po_desk.store.keyslots import key_file_path
from po_desk.store.protected import refuse_protected_target
from po_desk.store.server_engine import ServerProfile
from po_desk.store.server_store import ServerStore
from po_desk.store.store import Store
from po_desk.store.writer_lock import lock_paths

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


class ReturnsDiffer(PoDeskError):
    """A year's return is not the same after the move; the move was taken back."""


@dataclass(frozen=True)
class MoveReport:
    counts: dict[str, int]
    years: list[int]  # the years whose returns were proved the same on both sides

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def years_of(workspace: Workspace) -> list[int]:
    """The years a return can be made for: from the verksamhet's start (or its oldest
    uppdrag, when older) to this year, those the register covers."""
    first = workspace.verksamhet.get().start_ar
    oldest = [u.start.year for u in workspace.uppdrag.all()]
    first = max(2000, min([first, *oldest]))
    service = workspace.aterrapport
    return [year for year in range(first, date.today().year + 1) if service.covers(year)]


def returns_of(workspace: Workspace, years: list[int]) -> dict[int, tuple[Any, Any]]:
    """Each year's return as the records give it, and the fastställd one when there is
    one (what is exported is the latter, else the former)."""
    service = workspace.aterrapport
    return {year: (service.compute(year), service.saved(year).faststalld) for year in years}


def prove_same_returns(source: Workspace, target: Workspace) -> list[int]:
    """Every year's computed and fastställd return, equal on both sides; the years."""
    years = years_of(source)
    if years_of(target) != years:
        raise ReturnsDiffer("Flytten avbröts: registren täcker inte samma år.")
    theirs, ours = returns_of(source, years), returns_of(target, years)
    for year in years:
        if theirs[year] != ours[year]:
            raise ReturnsDiffer(
                f"Flytten avbröts: återrapporten för {year} blev inte densamma efter flytten."
            )
    return years


def _move(source: Store, target: Store, progress: Progress | None) -> MoveReport:
    years: list[int] = []

    def verify(moved: Store) -> None:
        years.extend(prove_same_returns(Workspace(source), Workspace(moved)))

    counts = transfer.copy_register(source, target, progress, verify)
    return MoveReport(counts, years)


def move_to_server(
    source_path: Path,
    profile: ServerProfile,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    server_recovery_key: str | None = None,
    progress: Progress | None = None,
) -> MoveReport:
    """`po-desk server import --from FILE`: the local register (opened by its passphrase
    or recovery key) onto a server that `server init` prepared and that holds no records
    yet. The server's data key, which seals the free text, comes from the person's key
    slot, or from the server's recovery key for an administrator without one."""
    source = Store.open(Path(source_path), passphrase=passphrase, recovery_key=recovery_key)
    try:
        target = ServerStore.open_server(
            profile, recovery_key=server_recovery_key, require_verksamhet=False
        )
        try:
            report = _move(source, target, progress)
        finally:
            target.close()
    finally:
        source.close()
    log.info("register moved to the server: %d rows, %d years", report.rows, len(report.years))
    return report


def _new_local(target: Path, server: Store, passphrase: str) -> tuple[Store, str]:
    """A new local store named like the server's verksamhet (its rows are replaced by the
    move); with its recovery key."""
    verksamhet = Workspace(server).verksamhet.get()
    lan, kommuner = official_names(verksamhet.lan, [k.namn for k in verksamhet.kommuner])
    return Store.create(
        target,
        namn=verksamhet.namn,
        lan=lan,
        kommuner=kommuner or ["–"],
        passphrase=passphrase,
        huvudman=verksamhet.huvudman,
        start_ar=verksamhet.start_ar,
    )


def _remove_store_files(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), key_file_path(path), *lock_paths(path)):
        leftover.unlink(missing_ok=True)


NOT_YOURS_TO_COPY = capabilities.COPY_REFUSED


def copy_to_local(
    profile: ServerProfile,
    target: Path,
    passphrase: str,
    progress: Progress | None = None,
    *,
    server_recovery_key: str | None = None,
) -> tuple[MoveReport, str]:
    """The server's register written out as a new local encrypted store at `target`,
    opened by `passphrase`; with the new store's recovery key (shown once). Only the
    enhetschef or the administrator may (ServerError otherwise, before anything is written)."""
    passphrase_rules.require_acceptable(passphrase)
    server = ServerStore.open_server(profile, recovery_key=server_recovery_key)
    try:
        refuse_copy_unless_allowed(server)
        local, recovery_key = _new_local(Path(target), server, passphrase)
        try:
            report = _move(server, local, progress)
        except BaseException:
            local.close()
            _remove_store_files(Path(target))
            raise
        local.close()
    finally:
        server.close()
    return report, recovery_key


def backup_server(
    profile: ServerProfile,
    target: Path,
    passphrase: str,
    progress: Progress | None = None,
    *,
    server_recovery_key: str | None = None,
) -> tuple[BackupInfo, str]:
    """`po-desk backup --server`: the same encrypted backup file as a local store's, which
    opens as a local store with `passphrase` (or the recovery key returned). The store it
    is made from lives beside the target under a hidden name, encrypted like any store,
    and is removed afterwards."""
    passphrase_rules.require_acceptable(passphrase)
    target = Path(target)
    refuse_protected_target(target, allow_backup=True)
    staging = target.parent / f".po-desk-server-copy-{secrets.token_hex(6)}.podesk"
    try:
        _, recovery_key = copy_to_local(
            profile, staging, passphrase, progress, server_recovery_key=server_recovery_key
        )
        store = Store.open(staging, passphrase=passphrase)
        try:
            info = write_backup(store, target)
        finally:
            store.close()
    finally:
        _remove_store_files(staging)
    return info, recovery_key
