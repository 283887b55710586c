"""Sealing bytes with a secret a person knows: argon2id stretches the secret, AES-256-GCM
seals the bytes with associated data that ties them to their use. Used for key slots and
merge files; nothing here is home-made cryptography, only the two libraries put together."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


@dataclass(frozen=True)
class KdfParams:
    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2


# What a file may ask of the key derivation: below the floor a secret is too cheap to
# guess, above the ceiling opening would hang or exhaust the memory (a crafted file).
KDF_LIMITS = {
    "time_cost": (1, 16),
    "memory_kib": (8 * 1024, 1024 * 1024),
    "parallelism": (1, 16),
}


def checked_params(kdf: dict[str, Any]) -> KdfParams:
    """The KDF parameters a sealed record names; Malformed when any is out of range."""
    values: dict[str, int] = {}
    for name, (low, high) in KDF_LIMITS.items():
        value = kdf[name]
        if type(value) is not int or not low <= value <= high:
            raise Malformed(f"kdf {name} out of range")
        values[name] = value
    return KdfParams(**values)


class WrongSecret(Exception):
    """The secret does not open the sealed bytes (or they were changed)."""


class Malformed(Exception):
    """The sealed record is incomplete or not ours."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _stretch(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


NONCE_BYTES = 12


def encrypt(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """AES-256-GCM under a key that is already random (the data key): a fresh nonce, then
    the ciphertext with its tag. Used for the free text on a server (store/sealed_text.py)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def decrypt(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """The inverse of `encrypt`; WrongSecret when the key or the associated data differ or
    the bytes were changed."""
    if len(sealed) < NONCE_BYTES + 16:
        raise Malformed("too short")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except InvalidTag:
        raise WrongSecret() from None


def seal(secret: str, plaintext: bytes, associated: bytes, params: KdfParams) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(NONCE_BYTES)
    key = _stretch(secret, salt, params)
    return {
        "kdf": {
            "name": "argon2id",
            "time_cost": params.time_cost,
            "memory_kib": params.memory_kib,
            "parallelism": params.parallelism,
            "salt": b64(salt),
        },
        "cipher": "aes-256-gcm",
        "nonce": b64(nonce),
        "ciphertext": b64(AESGCM(key).encrypt(nonce, plaintext, associated)),
    }


def unseal(secret: str, sealed: dict[str, Any], associated: bytes) -> bytes:
    try:
        kdf = sealed["kdf"]
        if kdf.get("name", "argon2id") != "argon2id":
            raise ValueError("unknown kdf")
        params = checked_params(kdf)
        salt = unb64(kdf["salt"])
        nonce, ciphertext = unb64(sealed["nonce"]), unb64(sealed["ciphertext"])
        if len(salt) < 8 or len(nonce) != 12:
            raise ValueError("salt or nonce length")
        key = _stretch(secret, salt, params)
    except (KeyError, TypeError, ValueError, AttributeError, HashingError) as error:
        raise Malformed(str(type(error).__name__)) from None
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated)
    except InvalidTag:
        raise WrongSecret() from None
