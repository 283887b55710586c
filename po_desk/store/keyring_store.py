"""Remembering a store's data key in the OS keyring ("kom ihåg på den här datorn").

Only a real OS keyring counts: Windows Credential Manager, macOS Keychain or the Secret
Service. A plaintext or "alt" backend, or none at all, means the key is not remembered
and the user is asked for the passphrase instead.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "po-desk"
_UNSAFE_BACKEND_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


def _backend_is_safe(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_UNSAFE_BACKEND_MODULES):
        return False
    if module == "keyring.backends.chainer":
        backends = getattr(backend, "backends", [])
        return bool(backends) and all(_backend_is_safe(b) for b in backends)
    try:
        return float(getattr(backend, "priority", 0)) > 0
    except Exception:
        return False


def available() -> bool:
    try:
        return _backend_is_safe(keyring.get_keyring())
    except Exception:
        return False


def remember(store_id: str, data_key: bytes) -> bool:
    """Stores the key; False when no safe keyring is there (the caller just asks next time)."""
    if not available():
        return False
    try:
        keyring.set_password(SERVICE, store_id, data_key.hex())
    except keyring.errors.KeyringError as error:
        log.warning("keyring refused to store the key: %s", type(error).__name__)
        return False
    return True


def recall(store_id: str) -> bytes | None:
    if not available():
        return None
    try:
        value = keyring.get_password(SERVICE, store_id)
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
    if not available():
        return
    try:
        keyring.delete_password(SERVICE, store_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.warning("keyring could not forget the key: %s", type(error).__name__)
