"""Deriving a store's data key from a passphrase while the program is still loading
(issue 17): a one-shot command spends about as long importing SQLAlchemy and the store as
argon2 spends stretching the passphrase, and argon2 runs outside the GIL, so the two
overlap. Only a passphrase that needs no prompt (a file or the environment) is used; the
KDF parameters are the key file's own, unchanged."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from po_desk.domain.errors import PoDeskError
from po_desk.services import secrets_input

if TYPE_CHECKING:
    from po_desk.store.keyslots import NewKeys


class PendingKey:
    """The data key being unwrapped from the passphrase slot in a background thread."""

    def __init__(self, path: Path, passphrase: str) -> None:
        self.path = Path(path)
        self.passphrase = passphrase
        self._key: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._derive, name="po-desk-kdf", daemon=True)
        self._thread.start()

    def _derive(self) -> None:
        try:
            from po_desk.store import swap
            from po_desk.store.keyslots import KeyFile

            # A restore or re-key a crash interrupted may change the key file when the
            # store opens: then the key is derived there, after it is finished.
            if not swap.pending(self.path):
                self._key = KeyFile.load(self.path).unlock(passphrase=self.passphrase)
        except BaseException as error:  # raised in the caller's thread by result()
            self._error = error

    def result(self) -> bytes | None:
        """The data key; None when it is to be derived on open instead. Raises what the
        derivation raised (a wrong passphrase, a missing or damaged key file)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._key


def derive_early(path: Path, passphrase_file: Path | None) -> PendingKey | None:
    """Starts the derivation when the passphrase is given without a prompt, else None."""
    if passphrase_file is None and not os.environ.get(secrets_input.PASSPHRASE_ENV):
        return None
    try:
        passphrase = secrets_input.existing_passphrase(passphrase_file)
    except PoDeskError:
        return None  # the ordinary path reports it
    return PendingKey(path, passphrase)


class PendingNewKeys:
    """A new store's keys (both argon2 derivations) being made in a background thread."""

    def __init__(self, passphrase: str) -> None:
        self.passphrase = passphrase
        self._keys: NewKeys | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._make, name="po-desk-kdf", daemon=True)
        self._thread.start()

    def _make(self) -> None:
        try:
            from po_desk.store.keyslots import NewKeys

            self._keys = NewKeys.make(self.passphrase)
        except BaseException as error:  # raised in the caller's thread by result()
            self._error = error

    def result(self) -> NewKeys:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._keys is not None
        return self._keys


def new_keys_early(passphrase: str) -> PendingNewKeys:
    """Starts making a new store's keys for `passphrase` while the program loads; the store
    is created with them only if the passphrase is accepted (it is checked as before)."""
    return PendingNewKeys(passphrase)
