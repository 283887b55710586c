"""The keys of the open store: passphrase, Byt nyckel, the key in the OS keyring."""

from __future__ import annotations

from po_desk.domain import passphrase as passphrase_rules
from po_desk.store.store import Store


class KeyService:
    def __init__(self, store: Store) -> None:
        self._store = store

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
