"""The open store itself: which file, who is working, its checks; closing it."""

from __future__ import annotations

import contextlib
from pathlib import Path

from po_desk.store.store import Store


class SessionService:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def is_open(self) -> bool:
        return self._store.is_open

    @property
    def actor(self) -> str:
        """Who works at the computer; written with every change in the ändringslogg."""
        return self._store.actor

    @actor.setter
    def actor(self, actor: str) -> None:
        self._store.actor = actor

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """The block's writes in one transaction (Store.batch): for the demo."""
        return self._store.batch()

    def close(self) -> None:
        self._store.close()

    def check(self) -> list[str]:
        """The integrity checks' problems; empty when the store is whole."""
        return self._store.check()

    def schema_revision(self) -> str | None:
        return self._store.schema_revision()

    def location_warning(self) -> str | None:
        """Why the store's folder is a risky place (a synced or network folder), if it is."""
        from po_desk.store.writer_lock import location_warning

        return location_warning(self.path)
