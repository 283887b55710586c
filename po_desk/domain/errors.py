"""Errors a user can act on. Each message is one Swedish sentence fit for a dialog or a
single stderr line; none ever carries client data or key material."""

from __future__ import annotations

import errno
from datetime import date, datetime


class PoDeskError(Exception):
    """Base of every error that is shown to the user as it is."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassphrase(PoDeskError):
    exit_code = 2


class StoreNotFound(PoDeskError):
    exit_code = 3


class StoreExists(PoDeskError):
    exit_code = 3


class KeyFileMissing(PoDeskError):
    exit_code = 3


class DamagedStore(PoDeskError):
    exit_code = 4
    findings: tuple[str, ...] = ()  # what the checks found, for `check --verbose` and the log


class NewerStore(PoDeskError):
    exit_code = 4


class CipherUnavailable(PoDeskError):
    exit_code = 5


class KeyringUnavailable(PoDeskError):
    exit_code = 6


class ValidationFailed(PoDeskError):
    """A form or record that breaks the rules; `problems` lists each in Swedish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class GuardBlocked(PoDeskError):
    """Free text holds something that identifies a person and may not be saved."""


class GuardNeedsConfirmation(PoDeskError):
    """Free text holds something that may identify a person; the user must confirm."""


class StoreLocked(PoDeskError):
    """Another program instance holds the store."""

    exit_code = 7


class DiskFull(PoDeskError):
    exit_code = 8


class NeedsConfirmation(ValidationFailed):
    """Warnings (`problems`) that the user must confirm before the action is done."""


class ConflictError(PoDeskError):
    """Someone else saved the row after this user loaded it (several people on a server):
    nothing was written; the form keeps what the user typed. `actor` and `at` (local
    time) come from the change log; `version` is the row's version now, so a second save
    overwrites knowingly. `outcome` replaces the advice where saving again cannot
    help (the anmälan was påbörjad by someone else)."""

    exit_code = 9
    OVERWRITE = (
        "Dina ändringar är kvar i formuläret: spara igen för att skriva över den andra "
        "ändringen, eller avbryt och öppna på nytt för att se den."
    )

    def __init__(
        self,
        what: str,
        actor: str | None,
        at: datetime | None,
        version: int | None,
        outcome: str | None = None,
    ) -> None:
        who = f"av {actor}" if actor else "av någon annan"
        when = f" kl. {at:%H:%M}" if at is not None else ""
        if at is not None and at.date() != date.today():
            when = f" {at:%Y-%m-%d} kl. {at:%H:%M}"
        super().__init__(
            f"{what} ändrades {who}{when} medan du redigerade. {outcome or self.OVERWRITE}"
        )
        self.actor = actor
        self.at = at
        self.version = version


class PartsChanged(ConflictError):
    """A ConflictError over some of a row's parts (the keys of the återrapport's manual
    fields, never their content): the others were merged as usual."""

    def __init__(
        self,
        what: str,
        actor: str | None,
        at: datetime | None,
        version: int | None,
        parts: tuple[str, ...],
    ) -> None:
        super().__init__(what, actor, at, version)
        self.parts = parts


class RowGone(PoDeskError):
    """The row was removed (or gallrad) after this user loaded it."""

    exit_code = 9


# The operating system's reasons in Swedish (its own text is in the system's language).
_OS_REASONS = {
    errno.ENOENT: "filen eller mappen finns inte",
    errno.EACCES: "åtkomst nekas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EROFS: "disken är skrivskyddad",
    errno.EEXIST: "den finns redan",
    errno.EBUSY: "den används av ett annat program",
}


def os_reason(error: OSError) -> str:
    """Why a file could not be read or written, in Swedish."""
    reason = _OS_REASONS.get(error.errno or 0)
    return reason or (error.strerror or type(error).__name__)
