"""An open store and the services bound to it; what the GUI and CLI hold while unlocked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from po_desk.domain import passphrase as passphrase_rules
from po_desk.services.aterrapport_service import AterrapportService
from po_desk.services.audit_service import AuditService
from po_desk.services.avvikelse_service import AvvikelseService
from po_desk.services.backup_service import BackupService
from po_desk.services.gallring_service import GallringService
from po_desk.services.ko_service import KoService
from po_desk.services.ledningsgrupp_service import LedningsgruppService
from po_desk.services.merge_service import MergeService
from po_desk.services.oversikt_service import OversiktService
from po_desk.services.underlag_service import UnderlagService
from po_desk.services.uppdrag_import import UppdragImport
from po_desk.services.uppdrag_service import UppdragService
from po_desk.services.verksamhet_service import VerksamhetService
from po_desk.store import keyring_store
from po_desk.store.store import Store
from po_desk.store.writer_lock import location_warning


class Workspace:
    def __init__(self, store: Store) -> None:
        self._store = store
        self.uppdrag = UppdragService(store)
        self.verksamhet = VerksamhetService(store)
        self.ko = KoService(store, self.uppdrag)
        self.avvikelser = AvvikelseService(store)
        self.ledningsgrupp = LedningsgruppService(store)
        self.underlag = UnderlagService(store)
        self.aterrapport = AterrapportService(store)
        self.merge = MergeService(store)
        self.backup = BackupService(store)
        self.audit = AuditService(store)
        self.gallring = GallringService(store)
        self.oversikt = OversiktService(
            self.uppdrag, self.verksamhet, self.ko, self.avvikelser, self.aterrapport
        )

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def is_open(self) -> bool:
        return self._store.is_open

    @property
    def actor(self) -> str:
        return self._store.actor

    def set_actor(self, actor: str) -> None:
        self._store.actor = actor

    def importer(self) -> UppdragImport:
        kommuner = {k.namn: k.id for k in self.verksamhet.get().kommuner}
        return UppdragImport(self.uppdrag, kommuner)

    def location_warning(self) -> str | None:
        return location_warning(self.path)

    def close(self) -> None:
        self._store.close()

    def check(self) -> list[str]:
        return self._store.check()

    def schema_revision(self) -> str | None:
        return self._store.schema_revision()

    def change_passphrase_verified(self, current: str, new_passphrase: str) -> None:
        self._store.verify_passphrase(current)
        self.change_passphrase(new_passphrase)

    def change_passphrase(self, new_passphrase: str) -> None:
        passphrase_rules.require_acceptable(new_passphrase)
        self._store.change_passphrase(new_passphrase)

    def rekey(self, new_passphrase: str) -> str:
        """Byt nyckel after a leak: a new data key, new passphrase and a new recovery key
        (returned, to show once). The old key file and secrets no longer open the store."""
        passphrase_rules.require_acceptable(new_passphrase)
        return self._store.rekey(new_passphrase)

    def rekey_verified(self, current: str, new_passphrase: str) -> str:
        self._store.verify_passphrase(current)
        return self.rekey(new_passphrase)

    def remember_key(self) -> bool:
        return self._store.remember_key()

    def forget_key(self) -> None:
        self._store.forget_key()

    def is_key_remembered(self) -> bool:
        return self._store.is_key_remembered()


@dataclass
class CreatedStore:
    workspace: Workspace
    recovery_key: str


def keyring_available() -> bool:
    return keyring_store.available()
