"""The verksamhet's data key on a shared server, held in per-user key slots (DESIGN §8).

`server init` makes a random 256-bit data key and a recovery key shown once; the data key
is never stored in the clear. Each person has one row in `server_keyslot`: the data key
wrapped (argon2id + AES-256-GCM, the same sealing as the local key slots) by their login
password, with the role name as associated data. Row-level security lets a role read and
rewrap only its own row; new slots and the recovery slot go through SECURITY DEFINER
functions an enhetschef may call (server_admin.py). A new person's slot is wrapped by the
first password the enhetschef gave and marked must-change until they choose their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from po_desk.store import keyslots
from po_desk.store.keyslots import normalise_recovery_key, recovery_key_readings
from po_desk.store.sealing import Malformed, WrongSecret, seal, unseal
from po_desk.store.server_engine import ServerError

KEYSLOT_TABLE = "server_keyslot"
# The recovery slot's row: no role can be called this (server_admin.ROLE_NAME).
RECOVERY_ROW = "#recovery"

NO_SLOT = (
    "Du har ingen nyckel till registret på servern; be enhetschefen ta bort och lägga till "
    "dig igen."
)
WRONG_PASSWORD = "Lösenordet öppnar inte din nyckel till registret på servern."
WRONG_RECOVERY_KEY = "Fel återställningsnyckel för servern."
DAMAGED_SLOT = "Din nyckelplats på servern är skadad; be enhetschefen lägga till dig igen."


class PasswordChangeRequired(ServerError):
    """The first login: the person must choose their own password before anything else."""


MUST_CHANGE = (
    "Du loggar in för första gången: byt lösenord först (po-desk server password "
    "--server …, eller i fönstret som visas)."
)


@dataclass(frozen=True)
class Slot:
    role_name: str
    sealed: dict[str, Any]
    must_change: bool


def _associated(role_name: str) -> bytes:
    return f"po-desk-server|keyslot|{role_name}".encode()


def wrap(data_key: bytes, role_name: str, secret: str) -> str:
    """The slot text for `role_name`: the data key sealed by `secret`."""
    sealed = seal(secret, data_key, _associated(role_name), keyslots.DEFAULT_KDF)
    return json.dumps(sealed, sort_keys=True)


def unwrap(slot: Slot, secret: str, wrong: str = WRONG_PASSWORD) -> bytes:
    try:
        return unseal(secret, slot.sealed, _associated(slot.role_name))
    except Malformed:
        raise ServerError(DAMAGED_SLOT) from None
    except WrongSecret:
        raise ServerError(wrong) from None


def _slot(role_name: str, raw: str, must_change: bool) -> Slot:
    try:
        sealed = json.loads(raw)
        if not isinstance(sealed, dict):
            raise ValueError("slot")
    except ValueError:
        raise ServerError(DAMAGED_SLOT) from None
    return Slot(role_name, sealed, bool(must_change))


def own_slot(connection: Connection) -> Slot | None:
    """The slot of the role that logged in (row-level security shows no other)."""
    row = connection.execute(
        text(
            f"SELECT role_name, slot, must_change FROM {KEYSLOT_TABLE}"
            " WHERE role_name = current_user"
        )
    ).first()
    return None if row is None else _slot(row[0], row[1], row[2])


def recovery_slot(connection: Connection) -> Slot | None:
    raw = connection.execute(text("SELECT po_desk_recovery_slot()")).scalar()
    return None if raw is None else _slot(RECOVERY_ROW, raw, False)


def create_data_key(connection: Connection) -> str | None:
    """A new data key and its recovery slot on a server without slots; the recovery key
    (to show once) or None. Never a second key where slots exist: text sealed with the
    first would no longer open."""
    if connection.execute(text(f"SELECT count(*) FROM {KEYSLOT_TABLE}")).scalar():
        return None
    data_key = keyslots.new_data_key()
    recovery_key = keyslots.new_recovery_key()
    connection.execute(
        text(
            f"INSERT INTO {KEYSLOT_TABLE} (role_name, slot, must_change)"
            " VALUES (:name, :slot, false)"
        ),
        {
            "name": RECOVERY_ROW,
            "slot": wrap(data_key, RECOVERY_ROW, normalise_recovery_key(recovery_key)),
        },
    )
    return recovery_key


def unlock(connection: Connection, password: str | None, recovery_key: str | None) -> bytes:
    """The data key: with the recovery key when given, else the login password opens the
    person's own slot."""
    if recovery_key:
        slot = recovery_slot(connection)
        if slot is None:
            raise ServerError("Servern har ingen nyckel ännu; IT kör po-desk server init.")
        for reading in recovery_key_readings(recovery_key):
            try:
                return unwrap(slot, reading, WRONG_RECOVERY_KEY)
            except ServerError:
                continue
        raise ServerError(WRONG_RECOVERY_KEY)
    own = own_slot(connection)
    if own is None:
        raise ServerError(NO_SLOT)
    if not password:
        raise ServerError(WRONG_PASSWORD)
    return unwrap(own, password)


def put_slot(connection: Connection, role_name: str, slot: str) -> None:
    """A new person's slot, to be changed at their first login."""
    connection.execute(
        text("SELECT po_desk_keyslot_put(:name, :slot)"), {"name": role_name, "slot": slot}
    )


def rewrap_own(connection: Connection, role_name: str, slot: str) -> None:
    """The person's own slot under their new password; no longer must-change."""
    changed = connection.execute(
        text(
            f"UPDATE {KEYSLOT_TABLE} SET slot = :slot, must_change = false,"
            " updated_at = now() WHERE role_name = current_user AND role_name = :name"
        ),
        {"slot": slot, "name": role_name},
    ).rowcount
    if changed != 1:
        raise ServerError(NO_SLOT)
