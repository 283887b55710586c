"""The shared PostgreSQL server (DESIGN §8): choosing it, setting it up, managing people.

`--server` takes a postgresql:// URL or the name of a profile saved in servers.json next
to the settings. A password comes like a passphrase: a file, the environment or a prompt;
with GSSAPI/Kerberos (gssencmode or krbsrvname in the profile) libpq needs none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.verksamhet import validate_verksamhet
from po_desk.services import secrets_input
from po_desk.services.app_settings import settings_path
from po_desk.services.workspace import Workspace
from po_desk.store import keyring_store, server_admin
from po_desk.store.server_engine import (
    ServerError,
    ServerProfile,
    check_tls_settings,
    open_server_engine,
)
from po_desk.store.server_keys import PasswordChangeRequired
from po_desk.store.server_store import ServerStore

SERVER_PASSWORD_ENV = "PO_DESK_SERVER_PASSWORD"
NEW_USER_PASSWORD_ENV = "PO_DESK_NEW_USER_PASSWORD"
GROUPS = server_admin.GROUPS

__all__ = ["GROUPS", "PasswordChangeRequired", "ServerError", "ServerProfile"]


def profiles_path() -> Path:
    return settings_path().with_name("servers.json")


def saved_profiles() -> dict[str, str]:
    """Saved server profiles: name → postgresql:// URL (never a password)."""
    try:
        raw = json.loads(profiles_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise ServerError(f"Serverprofilerna i {profiles_path()} kan inte läsas.") from None
    if not isinstance(raw, dict):
        raise ServerError(f"Serverprofilerna i {profiles_path()} kan inte läsas.")
    return {str(name): str(url) for name, url in raw.items()}


def resolve(value: str) -> ServerProfile:
    """A profile from `--server PROFILE|URL`, refused at once when TLS is weakened."""
    profile = _profile(value)
    check_tls_settings(profile)
    return profile


def _profile(value: str) -> ServerProfile:
    if "://" in value:
        return ServerProfile.from_url(value)
    profiles = saved_profiles()
    if value not in profiles:
        raise ServerError(f"Det finns ingen serverprofil som heter {value}.")
    profile = ServerProfile.from_url(profiles[value])
    if profile.password is not None:
        raise ServerError(f"Serverprofilen {value} får inte innehålla ett lösenord.")
    return profile


def _keyring_id(profile: ServerProfile) -> str:
    return f"server:{profile.describe()}"


def remember_password(profile: ServerProfile) -> bool:
    """Keeps the login password in the OS keyring; False when there is no safe keyring."""
    if not profile.password or not profile.user:
        return False
    return keyring_store.remember(_keyring_id(profile), profile.password.encode("utf-8"))


def forget_password(profile: ServerProfile) -> None:
    keyring_store.forget(_keyring_id(profile))


def with_password(profile: ServerProfile, password_file: Path | None) -> ServerProfile:
    """The profile with the login password: a file, else the OS keyring when it remembers
    it, else the environment or a prompt."""
    if profile.password is not None and password_file is None:
        return profile
    if password_file is None and profile.user:
        remembered = keyring_store.recall(_keyring_id(profile))
        if remembered:
            return profile.with_login(password=remembered.decode("utf-8"))
    if password_file is None and (profile.gssencmode == "require" or profile.krbsrvname):
        return profile  # Kerberos single sign-on: libpq logs in with the ticket.
    try:
        password = secrets_input.given_secret(
            password_file, SERVER_PASSWORD_ENV, f"Lösenord för {profile.describe()}: "
        )
    except secrets_input.NoPassphrase:
        raise secrets_input.NoPassphrase(
            f"Inget lösenord till servern: ange en fil med det, sätt {SERVER_PASSWORD_ENV} "
            "eller kör interaktivt."
        ) from None
    return profile.with_login(password=password)


@dataclass(frozen=True)
class NewVerksamhet:
    """The verksamhet a new server starts with (ignored when the server has one)."""

    namn: str
    lan: str
    kommuner: list[str]
    huvudman: str = ""
    start_ar: int | None = None


@dataclass(frozen=True)
class ServerSetup:
    """What `server init` did: the tables it covers, and on a new server the recovery key
    of the verksamhet's data key (shown once, for the safe; never stored)."""

    tables: list[str]
    recovery_key: str | None


def initialise(profile: ServerProfile, verksamhet: NewVerksamhet | None = None) -> ServerSetup:
    """`server init`: migrations, roles, grants, the audit trigger, reference data, the
    data key and, on a new server, the verksamhet."""
    if verksamhet is not None:
        problems = validate_verksamhet(verksamhet.namn, verksamhet.lan, verksamhet.kommuner)
        if problems:
            raise ValidationFailed(problems)
    engine = open_server_engine(profile)
    try:
        tables = server_admin.initialise(engine)
        store = ServerStore(profile, engine)
        if verksamhet is not None:
            store.seed_if_empty(
                verksamhet.namn.strip(),
                verksamhet.lan.strip(),
                verksamhet.huvudman.strip(),
                [k.strip() for k in verksamhet.kommuner if k.strip()],
                verksamhet.start_ar or date.today().year,
            )
        store.ensure_categories()
        return ServerSetup(tables, server_admin.ensure_data_key(engine))
    finally:
        engine.dispose()


def open_workspace(profile: ServerProfile, *, recovery_key: str | None = None) -> Workspace:
    """The shared register on the server, with the same services as a local file.
    PasswordChangeRequired at a person's first login: `change_password` first."""
    return Workspace(ServerStore.open_server(profile, recovery_key=recovery_key))


MIN_PASSWORD = 12


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ServerError(f"Lösenordet ska ha minst {MIN_PASSWORD} tecken.")


def add_user(
    profile: ServerProfile,
    name: str,
    group: str,
    password: str,
    *,
    recovery_key: str | None = None,
) -> None:
    """A new person with a first password they must change at their first login. The one
    adding opens the data key with their own password (an enhetschef) or, as the
    administrator without a slot, with the server's recovery key."""
    _check_new_password(password)
    server_admin.check_role_name(name)
    engine = open_server_engine(profile)
    try:
        server_admin.add_user(
            engine,
            name,
            group,
            password,
            login_password=profile.password,
            recovery_key=recovery_key,
        )
    finally:
        engine.dispose()


def must_change_password(profile: ServerProfile) -> bool:
    """True while the person's key slot is still wrapped by the first password."""
    store = ServerStore.open_server(profile, allow_password_change=True)
    try:
        return store.must_change_password
    finally:
        store.close()


def change_password(profile: ServerProfile, old_password: str, new_password: str) -> ServerProfile:
    """The person's own password: the login role's (as a SCRAM verifier) and their key
    slot, in one transaction; required at the first login. Returns the profile with the
    new password; a password the OS keyring remembered is replaced there too."""
    _check_new_password(new_password)
    if new_password == old_password:
        raise ServerError("Välj ett annat lösenord än det du fick.")
    login = profile.with_login(password=old_password)
    store = ServerStore.open_server(login, allow_password_change=True)
    try:
        store.change_login_password(new_password)
    finally:
        store.close()
    changed = profile.with_login(password=new_password)
    if profile.user and keyring_store.recall(_keyring_id(profile)) is not None:
        remember_password(changed)
    return changed


def remove_user(profile: ServerProfile, name: str) -> None:
    engine = open_server_engine(profile)
    try:
        server_admin.remove_user(engine, name)
    finally:
        engine.dispose()
