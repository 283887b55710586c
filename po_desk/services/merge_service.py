"""Merge files: one workstation's rows, encrypted with a passphrase chosen for the
transfer, brought into the enhetschef's store.

Every incoming row passes the same validation and guard as typed input (`merge_rules`), a
file from another verksamhet is refused unless the caller confirms it, and a merge respects
fastställda returns, gallring and the notes setting (`store.merge`)."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from po_desk.domain import passphrase as passphrases
from po_desk.domain.errors import DamagedStore, PoDeskError, WrongPassphrase, os_reason
from po_desk.domain.import_rules import fold
from po_desk.services.access_service import refuse_copy_unless_allowed
from po_desk.services.changes import EVERYTHING, writes
from po_desk.services.files import write_private_file
from po_desk.services.gallring_service import GallringService
from po_desk.services.merge_rules import MergeRules
from po_desk.services.uppdrag_service import UppdragService
from po_desk.store import bounded, keyslots, merge
from po_desk.store.merge import MergePolicy, MergeReport
from po_desk.store.migrate import head_revision
from po_desk.store.prioritering_repo import PrioriteringRepository
from po_desk.store.sealing import Malformed, WrongSecret, seal, unseal
from po_desk.store.store import Store
from po_desk.store.verksamhet_repo import VerksamhetRepository

FORMAT = "po-desk-merge/1"
ASSOCIATED = FORMAT.encode()
PREFERENCES = (merge.PREFER_NEWEST, merge.PREFER_OURS, merge.PREFER_THEIRS)


class OtherVerksamhet(PoDeskError):
    """The file comes from another verksamhet's register; the user must confirm it."""

    exit_code = 3


class MergeService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def export_file(self, path: Path, passphrase: str) -> int:
        """Writes every row of this store, sealed with `passphrase`; returns the row count."""
        # The file holds the whole register: the same strength rule as the store's own,
        # and on a server only the enhetschef (or IT) may write it.
        passphrases.require_acceptable(passphrase)
        refuse_copy_unless_allowed(self._store)
        rows = merge.export_rows(self._store)
        payload = {
            "format": FORMAT,
            "schema": head_revision(),
            "store_id": self._store.store_id,
            "verksamhet": self._identity(),
            "created": datetime.now(UTC).isoformat(),
            "rows": rows,
        }
        data = zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 9)
        envelope = {"format": FORMAT, "sealed": seal(passphrase, data, ASSOCIATED,
                                                     keyslots.DEFAULT_KDF)}  # fmt: skip
        write_private_file(Path(path), json.dumps(envelope).encode("utf-8"))
        return sum(len(table) for table in rows.values())

    def read_file(self, path: Path, passphrase: str) -> dict[str, Any]:
        try:
            envelope = json.loads(Path(path).read_bytes())
            if envelope.get("format") != FORMAT:
                raise ValueError("format")
            data = unseal(passphrase, envelope["sealed"], ASSOCIATED)
            payload: dict[str, Any] = json.loads(bounded.decompress(data, self._unpack_limit(path)))
        except bounded.TooLarge:
            raise DamagedStore(
                "Filen packas upp till mer än en sammanfogningsfil kan vara; den används inte."
            ) from None
        except WrongSecret:
            raise WrongPassphrase("Fel lösenfras för sammanfogningsfilen.") from None
        except OSError as error:
            raise PoDeskError(f"Filen kan inte läsas: {os_reason(error)}.") from None
        except (
            ValueError, KeyError, TypeError, AttributeError, RecursionError, Malformed, zlib.error
        ):  # fmt: skip
            raise DamagedStore(
                "Filen är ingen sammanfogningsfil från po-desk, eller så är den skadad."
            ) from None
        if payload.get("schema") != head_revision():
            raise PoDeskError(
                "Filen kommer från en annan version av po-desk. Uppdatera programmet på båda "
                "datorerna och exportera igen."
            )
        return payload

    def _identity(self) -> dict[str, str]:
        verksamhet = VerksamhetRepository(self._store).get()
        return {"namn": verksamhet.namn, "lan": verksamhet.lan}

    def _unpack_limit(self, path: Path) -> int:
        """How much a merge file may unpack to: set from this store's size and the file's
        (a crafted file must not fill the memory)."""
        return bounded.size_limit(
            bounded.file_size(self._store.path), 20 * bounded.file_size(Path(path))
        )

    def _same_verksamhet(self, payload: dict[str, Any]) -> None:
        """A copy of this store, or a register of the verksamhet of the same name and län."""
        if payload.get("store_id") == self._store.store_id:
            return
        theirs = payload.get("verksamhet")
        ours = self._identity()
        if isinstance(theirs, dict) and all(
            fold(str(theirs.get(key, ""))) == fold(ours[key]) for key in ("namn", "lan")
        ):
            return
        name = str(theirs.get("namn", ""))[:100] if isinstance(theirs, dict) else ""
        raise OtherVerksamhet(
            "Filen kommer från en annan verksamhet"
            + (f" ({name})" if name else "")
            + " än den här. Sammanfoga bara om du är säker på att uppgifterna hör hit."
        )

    def _policy(self, rows: Any) -> MergePolicy:
        today = date.today()
        kommun_ids = {k.id for k in VerksamhetRepository(self._store).get().kommuner}
        grounds = {g.code for g in PrioriteringRepository(self._store).grounds()}
        uppdrag = UppdragService(self._store)
        koder = {u.kod for u in uppdrag.all()}
        if isinstance(rows, dict):
            for row in rows.get("category") or []:
                if isinstance(row, dict) and row.get("kind") == "prioritetsgrund":
                    grounds.add(str(row.get("code")))
            koder |= {str(r.get("kod")) for r in rows.get("uppdrag") or [] if isinstance(r, dict)}
        runs = [entry.get("fore") for entry in GallringService(self._store).log()]
        cutoffs = [date.fromisoformat(run) for run in runs if isinstance(run, str)]
        return MergePolicy(
            check=MergeRules(kommun_ids, grounds, koder, today, uppdrag.categories()),
            gallrad_fore=max(cutoffs) if cutoffs else None,
            notes_enabled=uppdrag.notes_enabled(),
        )

    def preview(
        self, path: Path, passphrase: str, prefer: str, other_verksamhet: bool = False
    ) -> MergeReport:
        payload = self.read_file(path, passphrase)
        if not other_verksamhet:
            self._same_verksamhet(payload)
        rows: Any = payload.get("rows")
        return merge.preview(self._store, rows, self._check(prefer), self._policy(rows))

    @writes(EVERYTHING)
    def import_file(
        self, path: Path, passphrase: str, prefer: str, other_verksamhet: bool = False
    ) -> MergeReport:
        """Brings the file in, or nothing: a file from another verksamhet only with
        `other_verksamhet`, and only when every row passes the rules."""
        payload = self.read_file(path, passphrase)
        if not other_verksamhet:
            self._same_verksamhet(payload)
        rows: Any = payload.get("rows")
        return merge.import_rows(
            self._store,
            rows,
            self._check(prefer),
            str(payload.get("store_id", "")),
            self._policy(rows),
        )

    @staticmethod
    def _check(prefer: str) -> str:
        if prefer not in PREFERENCES:
            raise PoDeskError("Regeln ska vara nyast, var eller deras.")
        return prefer


def describe(report: MergeReport) -> str:
    added = sum(report.added.values())
    updated = sum(report.updated.values())
    text = (
        f"{added} nya rader, {updated} uppdaterade, {report.unchanged} oförändrade, "
        f"{len(report.conflicts)} konflikter"
    )
    if report.kept_out:
        text += f", {len(report.kept_out)} hölls utanför"
    return text + "."


def lines(report: MergeReport) -> list[str]:
    """What the merge decided, one line each: conflicts, what it kept out, and texts the
    guard wants checked."""
    return [
        *(f"{merge.TABLE_LABELS.get(c.table, c.table)} {c.label}: {c.rule}"
          for c in report.conflicts),
        *(f"Hölls utanför: {merge.TABLE_LABELS.get(c.table, c.table)} {c.label}: {c.rule}"
          for c in report.kept_out),
        *(f"Kontrollera: {warning}" for warning in report.warnings),
    ]  # fmt: skip
