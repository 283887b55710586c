"""Merge files: one workstation's rows, encrypted with a passphrase chosen for the
transfer, brought into the enhetschef's store."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from po_desk.domain.errors import DamagedStore, PoDeskError, WrongPassphrase
from po_desk.services.files import write_private_file
from po_desk.store import bounded, keyslots, merge
from po_desk.store.merge import MergeReport
from po_desk.store.migrate import head_revision
from po_desk.store.sealing import Malformed, WrongSecret, seal, unseal
from po_desk.store.store import Store

FORMAT = "po-desk-merge/1"
ASSOCIATED = FORMAT.encode()
PREFERENCES = (merge.PREFER_NEWEST, merge.PREFER_OURS, merge.PREFER_THEIRS)


class MergeService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def export_file(self, path: Path, passphrase: str) -> int:
        """Writes every row of this store, sealed with `passphrase`; returns the row count."""
        if len(passphrase) < 8:
            raise PoDeskError("Välj en lösenfras för filen på minst 8 tecken.")
        rows = merge.export_rows(self._store)
        payload = {
            "format": FORMAT,
            "schema": head_revision(),
            "store_id": self._store.store_id,
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
            payload = json.loads(bounded.decompress(data, self._unpack_limit(path)))
        except bounded.TooLarge:
            raise DamagedStore(
                "Filen packas upp till mer än en sammanfogningsfil kan vara; den används inte."
            ) from None
        except WrongSecret:
            raise WrongPassphrase("Fel lösenfras för sammanfogningsfilen.") from None
        except OSError as error:
            raise PoDeskError(f"Filen kan inte läsas: {error.strerror}.") from None
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

    def _unpack_limit(self, path: Path) -> int:
        """How much a merge file may unpack to: set from this store's size and the file's
        (a crafted file must not fill the memory)."""
        return bounded.size_limit(
            bounded.file_size(self._store.path), 20 * bounded.file_size(Path(path))
        )

    def preview(self, path: Path, passphrase: str, prefer: str) -> MergeReport:
        payload = self.read_file(path, passphrase)
        return merge.preview(self._store, payload["rows"], self._check(prefer))

    def import_file(self, path: Path, passphrase: str, prefer: str) -> MergeReport:
        payload = self.read_file(path, passphrase)
        return merge.import_rows(
            self._store, payload["rows"], self._check(prefer), str(payload.get("store_id", ""))
        )

    @staticmethod
    def _check(prefer: str) -> str:
        if prefer not in PREFERENCES:
            raise PoDeskError("Regeln ska vara nyast, var eller deras.")
        return prefer


def describe(report: MergeReport) -> str:
    added = sum(report.added.values())
    updated = sum(report.updated.values())
    return (
        f"{added} nya rader, {updated} uppdaterade, {report.unchanged} oförändrade, "
        f"{len(report.conflicts)} konflikter."
    )
