"""What the person at the keyboard may do, by their role on a shared server (DESIGN §8).

The database enforces the roles (store/server_admin.py's GRANTs and triggers); this value
only lets the GUI hide or disable what would be refused anyway. A local store is full
rights: whoever holds its passphrase holds everything.
"""

from __future__ import annotations

from dataclasses import dataclass

LOCAL = "lokal"
ENHETSCHEF = "enhetschef"
OMBUD = "ombud"
LASARE = "lasare"
ADMINISTRATOR = "administratör"
UNKNOWN = "okänd"

# For an ombud or a läsare asking for a copy of the whole register (issue 18).
COPY_REFUSED = "Bara enhetschefen eller IT kan kopiera hela registret från servern."

ROLE_LABELS = {
    LOCAL: "lokalt register",
    ENHETSCHEF: "enhetschef",
    OMBUD: "ombud",
    LASARE: "läsare",
    ADMINISTRATOR: "administratör",
    UNKNOWN: "ingen po-desk-roll",
}


@dataclass(frozen=True)
class Capabilities:
    role: str
    can_edit_records: bool = False
    can_edit_prioritering: bool = False
    can_edit_ledningsgrupp: bool = False
    can_edit_verksamhet: bool = False
    can_faststall: bool = False
    can_gallra: bool = False
    can_manage_users: bool = False
    # Copying the whole register out (server export, backup --server): the enhetschef's,
    # or IT's with the server's recovery key (issue 18).
    can_copy_register: bool = False
    can_read_reports: bool = True

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def reports_only(self) -> bool:
        """A läsare: nothing but the reports (and the overview's figures)."""
        return not self.can_edit_records

    def refusal(self, what: str) -> str:
        """The tooltip on a disabled action: why it cannot be done (Swedish)."""
        return f"Din roll på servern ({self.role_label}) får inte {what}."


def _full(role: str) -> Capabilities:
    return Capabilities(
        role=role,
        can_edit_records=True,
        can_edit_prioritering=True,
        can_edit_ledningsgrupp=True,
        can_edit_verksamhet=True,
        can_faststall=True,
        can_gallra=True,
        can_manage_users=True,
        can_copy_register=True,
    )


FULL = _full(LOCAL)


def for_role(role: str | None) -> Capabilities:
    """The capabilities of a role; an unknown role (no po-desk group) may read only."""
    if role in (LOCAL, ENHETSCHEF, ADMINISTRATOR):
        return _full(role)
    if role == OMBUD:
        return Capabilities(role=OMBUD, can_edit_records=True)
    return Capabilities(role=LASARE if role == LASARE else UNKNOWN)
