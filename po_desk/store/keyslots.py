"""Key slots, as LUKS does it: one random data key encrypts the store; each slot holds
that key wrapped by a secret the user has (the passphrase or the recovery key).

A slot is argon2id (argon2-cffi) stretching the secret into a wrapping key, then AES-256-GCM
(`cryptography`) sealing the data key with the store id and slot kind as associated data.
The key file sits next to the store as `<store>.keys`; it holds nothing readable without
a secret.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from po_desk.domain.errors import DamagedStore, KeyFileMissing, WrongPassphrase, os_reason
from po_desk.secure_files import atomic_write
from po_desk.store.sealing import KdfParams, Malformed, WrongSecret, seal, unseal

FORMAT = "po-desk-keys/1"
DATA_KEY_BYTES = 32
PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"
RECOVERY_KEY_BYTES = 25  # 200 bits: 40 base32 characters in 8 groups of 5


DEFAULT_KDF = KdfParams()


def key_file_path(store_path: Path) -> Path:
    return Path(f"{store_path}.keys")


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_key() -> str:
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


# The key is RFC 4648 base32 (A-Z, 2-7): the digits 0, 1, 8 and 9 cannot be meant. 0 can
# only be O and 8 only B; 1 may be I or L, so both readings are tried.
_CERTAIN_MISREADINGS = str.maketrans({"0": "O", "8": "B"})
_ONE_READINGS = ("I", "L")
_MAX_AMBIGUOUS = 3  # at most 2**3 key derivations for one attempt


def normalise_recovery_key(text: str) -> str:
    """The key as stored: upper case, no spaces or dashes, certain misreadings corrected."""
    kept = "".join(ch for ch in text.upper() if ch.isalnum())
    return kept.translate(_CERTAIN_MISREADINGS)


def recovery_key_readings(text: str) -> list[str]:
    """Every key the user may have meant: each 1 read as I and as L (all alike when there are
    too many to try one by one)."""
    key = normalise_recovery_key(text)
    ones = [i for i, ch in enumerate(key) if ch == "1"]
    if not ones:
        return [key]
    if len(ones) > _MAX_AMBIGUOUS:
        return [key.replace("1", letter) for letter in _ONE_READINGS]
    readings = []
    for choice in itertools.product(_ONE_READINGS, repeat=len(ones)):
        chars = list(key)
        for position, letter in zip(ones, choice, strict=True):
            chars[position] = letter
        readings.append("".join(chars))
    return readings


MAX_KEY_FILE_BYTES = 64 * 1024


def _checksum(document: dict[str, Any]) -> str:
    """A digest of the key file's content: no secret, so it shows damage (a changed id,
    swapped slots, altered parameters) as damage instead of as a wrong passphrase."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()


def _associated_data(store_id: str, kind: str) -> bytes:
    return f"po-desk|{store_id}|{kind}".encode()


@dataclass
class KeyFile:
    store_id: str
    slots: dict[str, dict[str, Any]]
    legacy: bool = False  # read from a file without a checksum (written before it existed)

    @classmethod
    def create(cls, data_key: bytes, passphrase: str, recovery_key: str) -> KeyFile:
        key_file = cls(store_id=str(uuid.uuid4()), slots={})
        key_file.set_slot(PASSPHRASE_SLOT, passphrase, data_key)
        key_file.set_slot(RECOVERY_SLOT, normalise_recovery_key(recovery_key), data_key)
        return key_file

    def set_slot(
        self, kind: str, secret: str, data_key: bytes, params: KdfParams | None = None
    ) -> None:
        sealed = seal(
            secret, data_key, _associated_data(self.store_id, kind), params or DEFAULT_KDF
        )
        sealed["wrapped_key"] = sealed.pop("ciphertext")
        self.slots[kind] = sealed

    def unwrap(self, kind: str, secret: str) -> bytes:
        slot = self.slots.get(kind)
        if slot is None:
            raise DamagedStore(
                "Nyckelfilen saknar en nyckelplats. Återställ från en säkerhetskopia."
            )
        record = {**slot, "ciphertext": slot.get("wrapped_key")}
        try:
            return unseal(secret, record, _associated_data(self.store_id, kind))
        except Malformed:
            raise DamagedStore("Nyckelfilen är skadad. Återställ från en säkerhetskopia.") from None
        except WrongSecret:
            if kind == RECOVERY_SLOT:
                raise WrongPassphrase("Fel återställningsnyckel.") from None
            raise WrongPassphrase("Fel lösenfras.") from None

    def unlock(self, passphrase: str | None = None, recovery_key: str | None = None) -> bytes:
        if recovery_key is not None:
            readings = recovery_key_readings(recovery_key)
            for reading in readings[:-1]:
                try:
                    return self.unwrap(RECOVERY_SLOT, reading)
                except WrongPassphrase:
                    continue
            return self.unwrap(RECOVERY_SLOT, readings[-1])
        if passphrase is None:
            raise WrongPassphrase("Ange lösenfras eller återställningsnyckel.")
        return self.unwrap(PASSPHRASE_SLOT, passphrase)

    def to_bytes(self) -> bytes:
        document = {"format": FORMAT, "store_id": self.store_id, "slots": self.slots}
        document["checksum"] = _checksum(document)
        return json.dumps(document, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        try:
            if len(data) > MAX_KEY_FILE_BYTES:
                raise ValueError("key file too large")
            document = json.loads(data.decode("utf-8"))
            if document.get("format") != FORMAT:
                raise ValueError("unknown key file format")
            # Files written before the checksum existed have none; every save adds it.
            legacy = "checksum" not in document
            if not legacy and document.pop("checksum") != _checksum(document):
                raise ValueError("checksum")
            store_id, slots = document["store_id"], document["slots"]
            if not isinstance(store_id, str) or not isinstance(slots, dict):
                raise TypeError("key file fields")
            if not all(isinstance(slot, dict) for slot in slots.values()):
                raise TypeError("slot")
            return cls(store_id=store_id, slots=dict(slots), legacy=legacy)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            raise DamagedStore(
                "Nyckelfilen är skadad eller av okänt format. Återställ från en säkerhetskopia."
            ) from error

    def save(self, store_path: Path) -> None:
        atomic_write(key_file_path(store_path), self.to_bytes())

    @classmethod
    def load(cls, store_path: Path) -> KeyFile:
        path = key_file_path(store_path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise KeyFileMissing(
                f"Nyckelfilen {path.name} saknas bredvid registret. Lägg tillbaka den "
                "eller återställ från en säkerhetskopia."
            ) from None
        except OSError as error:
            raise KeyFileMissing(
                f"Nyckelfilen {path.name} kan inte läsas: {os_reason(error)}."
            ) from None
        return cls.from_bytes(data)


@dataclass(frozen=True)
class NewKeys:
    """A new store's data key, recovery key and key file with both slots: the two argon2
    derivations, which a command may start before it has loaded the rest of the program
    (issue 17: argon2 runs outside the GIL). Never written anywhere until the store is."""

    passphrase: str = field(repr=False)
    data_key: bytes = field(repr=False)
    recovery_key: str = field(repr=False)
    key_file: KeyFile = field(repr=False)

    @classmethod
    def make(cls, passphrase: str) -> NewKeys:
        data_key, recovery_key = new_data_key(), new_recovery_key()
        key_file = KeyFile.create(data_key, passphrase, recovery_key)
        return cls(passphrase, data_key, recovery_key, key_file)
