"""Remembering a store's data key in the OS keyring ("kom ihåg på den här datorn").

Only an OS keyring counts, by an allow-list of keyring's own backend classes: Windows
Credential Manager, macOS Keychain, the Secret Service (GNOME Keyring, KeePassXC…) and
KWallet. Any other backend (a plaintext or "alt" one, a third-party plugin, an in-memory
one), or none at all, means the key is not remembered and the user is asked for the
passphrase instead. When keyring chains several backends, the first OS keyring of the
chain is used and the others are left alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # keyring is imported where it is used: its import costs a sixth of a second (it pulls
    # in urllib and http.client), which a command opened with a passphrase never needs.
    import keyring.backend

log = logging.getLogger(__name__)

SERVICE = "po-desk"
OS_KEYRINGS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)
# The backends accepted in this process: the OS keyrings. (Test support adds its in-memory
# keyring here for the tests' process only; nothing in the package ever does.)
ACCEPTED_BACKENDS: frozenset[str] = OS_KEYRINGS
_CHAINER = "keyring.backends.chainer.ChainerBackend"


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def accepts(backend: keyring.backend.KeyringBackend) -> bool:
    """True for an allow-listed keyring (exact class, not a subclass from elsewhere)."""
    return backend_name(backend) in ACCEPTED_BACKENDS


def _backend() -> keyring.backend.KeyringBackend | None:
    """The keyring to use: keyring's choice if allowed, or the first allowed of a chain."""
    try:
        import keyring

        chosen = keyring.get_keyring()
        if accepts(chosen):
            return chosen
        if backend_name(chosen) == _CHAINER:
            return next((b for b in getattr(chosen, "backends", []) if accepts(b)), None)
    except Exception as error:
        log.warning("keyring could not be looked up: %s", type(error).__name__)
    return None


def available() -> bool:
    return _backend() is not None


def remember(store_id: str, data_key: bytes) -> bool:
    """Stores the key; False when no safe keyring is there (the caller just asks next time)."""
    backend = _backend()
    if backend is None:
        return False
    import keyring.errors

    try:
        backend.set_password(SERVICE, store_id, data_key.hex())
    except keyring.errors.KeyringError as error:
        log.warning("keyring refused to store the key: %s", type(error).__name__)
        return False
    return True


def recall(store_id: str) -> bytes | None:
    backend = _backend()
    if backend is None:
        return None
    import keyring.errors

    try:
        value = backend.get_password(SERVICE, store_id)
    except keyring.errors.KeyringError as error:
        log.warning("keyring could not be read: %s", type(error).__name__)
        return None
    if not value:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        return None


def forget(store_id: str) -> None:
    backend = _backend()
    if backend is None:
        return
    import keyring.errors

    try:
        backend.delete_password(SERVICE, store_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.warning("keyring could not forget the key: %s", type(error).__name__)
