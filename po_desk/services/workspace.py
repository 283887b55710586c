"""An open store and the services bound to it; what the GUI and CLI hold while unlocked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from po_desk.store import os_keyring
from po_desk.store.store import Store

if TYPE_CHECKING:
    from po_desk.services.access_service import AccessService
    from po_desk.services.aterrapport_service import AterrapportService
    from po_desk.services.audit_service import AuditService
    from po_desk.services.avvikelse_service import AvvikelseService
    from po_desk.services.backup_service import BackupService
    from po_desk.services.gallring_service import GallringService
    from po_desk.services.key_service import KeyService
    from po_desk.services.ko_service import KoService
    from po_desk.services.ledningsgrupp_service import LedningsgruppService
    from po_desk.services.merge_service import MergeService
    from po_desk.services.oversikt_service import OversiktService
    from po_desk.services.session_service import SessionService
    from po_desk.services.underlag_service import UnderlagService
    from po_desk.services.uppdrag_import import UppdragImport
    from po_desk.services.uppdrag_service import UppdragService
    from po_desk.services.verksamhet_service import VerksamhetService


class Workspace:
    """A plain holder: the open store and the services bound to it, nothing more. The
    store's own facts (path, actor, checks, closing) are `session`, its keys `keys`.

    The services are made (and their modules imported) on first use: a CLI command
    imports only the services it uses (issue 17)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @cached_property
    def session(self) -> SessionService:
        from po_desk.services.session_service import SessionService

        return SessionService(self._store)

    @cached_property
    def keys(self) -> KeyService:
        from po_desk.services.key_service import KeyService

        return KeyService(self._store)

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
    def uppdrag_import(self) -> UppdragImport:
        from po_desk.services.uppdrag_import import UppdragImport

        verksamhet = self.verksamhet
        return UppdragImport(
            self.uppdrag, lambda: {k.namn: k.id for k in verksamhet.get().kommuner}
        )

    @cached_property
    def oversikt(self) -> OversiktService:
        from po_desk.services.oversikt_service import OversiktService

        return OversiktService(
            self.uppdrag, self.verksamhet, self.ko, self.avvikelser, self.aterrapport
        )

    @cached_property
    def access(self) -> AccessService:
        from po_desk.services.access_service import AccessService

        return AccessService(self._store)


@dataclass
class CreatedStore:
    workspace: Workspace
    recovery_key: str


def keyring_available() -> bool:
    return os_keyring.available()
