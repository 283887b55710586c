"""Where a passphrase comes from when no window can ask: a file, the environment, a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from po_desk.domain.errors import PoDeskError, ValidationFailed, os_reason

PASSPHRASE_ENV = "PO_DESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "PO_DESK_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "PO_DESK_RECOVERY_KEY"
MERGE_PASSPHRASE_ENV = "PO_DESK_MERGE_PASSPHRASE"
# The first line of the file `--recovery-key-out` writes; the key is on the next line.
RECOVERY_KEY_HEADER = "po-desk återställningsnyckel"


class NoPassphrase(PoDeskError):
    exit_code = 2


def read_secret_file(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PoDeskError(f"Filen {path} kan inte läsas: {os_reason(error)}.") from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def given_secret(secret_file: Path | None, env_name: str, prompt: str) -> str:
    """A secret from a file, else the environment variable, else a prompt."""
    if secret_file is not None:
        return read_secret_file(secret_file)
    if os.environ.get(env_name):
        return os.environ[env_name]
    if _interactive():
        return getpass.getpass(prompt)
    raise NoPassphrase(
        f"Ingen lösenfras: ange en fil med den, sätt {env_name} eller kör interaktivt."
    )


def existing_passphrase(passphrase_file: Path | None, prompt: str = "Lösenfras: ") -> str:
    return given_secret(passphrase_file, PASSPHRASE_ENV, prompt)


def new_passphrase(passphrase_file: Path | None, env_name: str) -> str:
    if passphrase_file is not None:
        return read_secret_file(passphrase_file)
    if os.environ.get(env_name):
        return os.environ[env_name]
    if _interactive():
        first = getpass.getpass("Ny lösenfras: ")
        if getpass.getpass("Upprepa lösenfrasen: ") != first:
            raise ValidationFailed(["Lösenfraserna är inte lika."])
        return first
    raise NoPassphrase(f"Ingen ny lösenfras: ange en fil med lösenfrasen eller sätt {env_name}.")


def new_password(password_file: Path | None, env_name: str) -> str:
    """A new login password for the server: a file, the environment or asked twice."""
    if password_file is not None:
        return read_secret_file(password_file)
    if os.environ.get(env_name):
        return os.environ[env_name]
    if _interactive():
        first = getpass.getpass("Nytt lösenord: ")
        if getpass.getpass("Upprepa det nya lösenordet: ") != first:
            raise ValidationFailed(["Lösenorden är inte lika."])
        return first
    raise NoPassphrase(
        f"Inget nytt lösenord: ange en fil med det (--new-password-file) eller sätt {env_name}."
    )


def recovery_key(recovery_key_file: Path | None) -> str | None:
    """A recovery key from a file (as `--recovery-key-out` writes it, with its heading
    line, or the key alone), else the environment."""
    if recovery_key_file is not None:
        try:
            text = Path(recovery_key_file).read_text(encoding="utf-8")
        except OSError as error:
            raise PoDeskError(
                f"Filen {recovery_key_file} kan inte läsas: {os_reason(error)}."
            ) from None
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        keys = [line for line in lines if line.casefold() != RECOVERY_KEY_HEADER.casefold()]
        return keys[0] if keys else ""
    return os.environ.get(RECOVERY_KEY_ENV) or None
