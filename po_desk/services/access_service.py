"""Who is working and what their role lets them do (DESIGN §8, "the GUI hides what a role
cannot do"). On a server the role is the login's po-desk group; a local store is full
rights. The database enforces the roles; this is for showing only what will work."""

from __future__ import annotations

from functools import cached_property

from po_desk.domain import capabilities as rules
from po_desk.domain.capabilities import Capabilities
from po_desk.store.server_engine import ServerError, ServerProfile
from po_desk.store.server_store import ServerStore
from po_desk.store.store import Store


class AccessService:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def on_server(self) -> bool:
        return isinstance(self._store, ServerStore)

    @cached_property
    def role(self) -> str:
        """Asked of the server once per opening (a role changes only by IT's hand)."""
        if isinstance(self._store, ServerStore):
            return self._store.role()
        return rules.LOCAL

    @property
    def capabilities(self) -> Capabilities:
        return rules.for_role(self.role)

    @property
    def server_profile(self) -> ServerProfile | None:
        """The profile logged in with, without its password; None for a local store."""
        if isinstance(self._store, ServerStore):
            return self._store.profile.with_login()
        return None

    @property
    def server_name(self) -> str | None:
        """The profile's name (or its `user@host:port/db`) on a server; None locally."""
        if isinstance(self._store, ServerStore):
            profile = self._store.profile
            return profile.name or profile.describe()
        return None


def refuse_copy_unless_allowed(store: Store) -> None:
    """The whole register leaves the server (server export, backup --server, a merge file)
    only by the enhetschef's hand, or IT's (the database's administrator, with the
    server's recovery key); an ombud or a läsare reads what the program shows them, not a
    copy of everything. A local store is its holder's."""
    if not AccessService(store).capabilities.can_copy_register:
        raise ServerError(rules.COPY_REFUSED)
