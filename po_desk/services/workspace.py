"""An open store and the services bound to it; what the GUI and CLI hold while unlocked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from po_desk.domain import passphrase as passphrase_rules
from po_desk.store import keyring_store
from po_desk.store.store import Store
from po_desk.store.writer_lock import location_warning

if TYPE_CHECKING:
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


class Workspace:
    """The services are made (and their modules imported) on first use: a CLI command
    imports only the services it uses (issue 17)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @cached_property
    def uppdrag(self) -> UppdragService:
        from po_desk.services.uppdrag_service import UppdragService

        return UppdragService(self._store)

    @cached_property
    def verksamhet(self) -> VerksamhetService:
        from po_desk.services.verksamhet_service import VerksamhetService

        return VerksamhetService(self._store)

    @cached_property
    def ko(self) -> KoService:
        from po_desk.services.ko_service import KoService

        return KoService(self._store, self.uppdrag)

    @cached_property
    def avvikelser(self) -> AvvikelseService:
        from po_desk.services.avvikelse_service import AvvikelseService

        return AvvikelseService(self._store)

    @cached_property
    def ledningsgrupp(self) -> LedningsgruppService:
        from po_desk.services.ledningsgrupp_service import LedningsgruppService

        return LedningsgruppService(self._store)

    @cached_property
    def underlag(self) -> UnderlagService:
        from po_desk.services.underlag_service import UnderlagService

        return UnderlagService(self._store)

    @cached_property
    def aterrapport(self) -> AterrapportService:
        from po_desk.services.aterrapport_service import AterrapportService

        return AterrapportService(self._store)

    @cached_property
    def merge(self) -> MergeService:
        from po_desk.services.merge_service import MergeService

        return MergeService(self._store)

    @cached_property
    def backup(self) -> BackupService:
        from po_desk.services.backup_service import BackupService

        return BackupService(self._store)

    @cached_property
    def audit(self) -> AuditService:
        from po_desk.services.audit_service import AuditService

        return AuditService(self._store)

    @cached_property
    def gallring(self) -> GallringService:
        from po_desk.services.gallring_service import GallringService

        return GallringService(self._store)

    @cached_property
    def oversikt(self) -> OversiktService:
        from po_desk.services.oversikt_service import OversiktService

        return OversiktService(
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
        from po_desk.services.uppdrag_import import UppdragImport

        kommuner = {k.namn: k.id for k in self.verksamhet.get().kommuner}
        return UppdragImport(self.uppdrag, kommuner)

    def location_warning(self) -> str | None:
        return location_warning(self.path)

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """The block's writes in one transaction (see Store.batch): for the demo."""
        return self._store.batch()

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
