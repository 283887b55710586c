"""An in-memory keyring backend: the OS keyring's stand-in for tests and the benchmark,
which must not touch the real keyring of the machine they run on.

Test support only, never in the package: the program accepts only OS keyrings, so this
backend works only in a process that has called `accept_memory_keyring()`."""

from __future__ import annotations

from collections.abc import Iterable

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from po_desk.store import os_keyring


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise PasswordDeleteError("not found")
        del self.secrets[(service, username)]


def accept_memory_keyring() -> None:
    """Lets this process (tests, the benchmark) use the in-memory keyring as if it were the
    OS keyring."""
    os_keyring.ACCEPTED_BACKENDS = os_keyring.OS_KEYRINGS | {
        os_keyring.backend_name(MemoryKeyring())
    }


def use_memory_keyring(entries: Iterable[tuple[str, str, str]] = ()) -> MemoryKeyring:
    """Makes a fresh in-memory keyring, holding `entries`, the one keyring of this process."""
    backend = MemoryKeyring()
    for service, username, secret in entries:
        backend.set_password(service, username, secret)
    keyring.set_keyring(backend)
    accept_memory_keyring()
    return backend
