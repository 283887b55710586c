"""Free text sealed in the program before it leaves for a shared server (DESIGN §8).

A column typed `SealedText("uppdrag.anteckning")` holds typed free text. On PostgreSQL
every value is AES-256-GCM-encrypted with the verksamhet's data key (sealing.encrypt, the
same code the key slots use) as it is bound, and opened as it is read, so a dump of the
database, its logs or a server administrator see `pdx1:<base64>` and never the text. The
column name is the associated data: a sealed value moved to another column does not open.
The key sits on the engine's dialect (one engine per open server store, so every thread
of that store finds it); without it nothing is written (fail closed).

On SQLite the whole file is SQLCipher-encrypted already: the type is plain Text there.
NULL stays NULL on both (the gallring rules test for it). Structured columns stay plain,
so SQL can still count them.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import Engine, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from po_desk.domain.errors import PoDeskError
from po_desk.store.sealing import Malformed, WrongSecret, decrypt, encrypt

PREFIX = "pdx1:"
_KEY_ATTRIBUTE = "po_desk_text_key"
# The only dialect whose values are sealed; anything else but SQLite is refused.
SEALED_DIALECT = "postgresql"


class TextKeyError(PoDeskError):
    """Free text on the server cannot be sealed or opened with the key at hand."""

    exit_code = 9


NO_KEY = "Verksamhetens nyckel saknas; fritext skickas aldrig okrypterad till servern."
WRONG_KEY = "En text på servern kan inte öppnas med verksamhetens nyckel (ändrad eller fel nyckel)."


def attach_key(engine: Engine, key: bytes) -> None:
    """From now on free text through `engine` is sealed and opened with `key`."""
    if len(key) != 32:
        raise ValueError("the data key is 256 bits")
    setattr(engine.dialect, _KEY_ATTRIBUTE, key)


def detach_key(engine: Engine) -> None:
    setattr(engine.dialect, _KEY_ATTRIBUTE, None)


def _key(dialect: Dialect) -> bytes:
    key = getattr(dialect, _KEY_ATTRIBUTE, None)
    if not isinstance(key, bytes):
        raise TextKeyError(NO_KEY)
    return key


def _associated(label: str) -> bytes:
    return f"po-desk-text|{label}".encode()


def seal_value(key: bytes, label: str, value: str) -> str:
    sealed = encrypt(key, value.encode("utf-8"), _associated(label))
    return PREFIX + base64.b64encode(sealed).decode("ascii")


def open_value(key: bytes, label: str, value: str) -> str:
    try:
        sealed = base64.b64decode(value[len(PREFIX) :].encode("ascii"), validate=True)
        return decrypt(key, sealed, _associated(label)).decode("utf-8")
    except (binascii.Error, ValueError, Malformed, WrongSecret):
        raise TextKeyError(WRONG_KEY) from None


class SealedText(TypeDecorator[str]):
    """Text that is sealed on the server and plain in the local (SQLCipher) file."""

    impl = Text
    cache_ok = True

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "sqlite":
            return value
        if dialect.name != SEALED_DIALECT:
            raise TextKeyError(NO_KEY)
        return seal_value(_key(dialect), self.label, str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "sqlite":
            return value
        if not isinstance(value, str) or not value.startswith(PREFIX):
            # Written past the program (SQL by an administrator, a row from before the
            # sealing): shown as it is; it was never secret on the server.
            return value
        return open_value(_key(dialect), self.label, value)

    def copy(self, **kw: Any) -> SealedText:
        return SealedText(self.label)
