"""The shared PostgreSQL server (DESIGN §8): choosing it, setting it up, managing people.

`--server` takes a postgresql:// URL or the name of a profile saved in this computer's
settings (a user-only file; `po-desk server profile add`, or the wizard). A password comes
like a passphrase: a file, the OS keyring, the environment or a prompt; with
GSSAPI/Kerberos (krbsrvname in the profile) libpq needs none.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.verksamhet import validate_verksamhet
from po_desk.services import secrets_input
from po_desk.services.app_settings import AppSettings
from po_desk.services.workspace import Workspace
from po_desk.store import os_keyring, server_admin
from po_desk.store.server_engine import (
    DEFAULT_PORT,
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


PROFILE_NAME = re.compile(r"^[\w][\w .-]{0,59}$")
# The fields of a saved profile, as ServerProfile has them (never the password).
PROFILE_FIELDS = ("host", "port", "database", "user", "sslmode", "sslrootcert", "hostaddr",
                  "gssencmode", "krbsrvname")  # fmt: skip


def _settings(settings: AppSettings | None) -> AppSettings:
    return settings if settings is not None else AppSettings.load()


def _from_saved(name: str, raw: object) -> ServerProfile:
    unreadable = ServerError(f"Serverprofilen {name} i inställningarna kan inte läsas.")
    if not isinstance(raw, dict) or not raw.get("host") or not raw.get("database"):
        raise unreadable
    values = {key: raw[key] for key in PROFILE_FIELDS if raw.get(key) not in (None, "")}
    try:
        values["port"] = int(values.get("port", DEFAULT_PORT))
    except (TypeError, ValueError):
        raise unreadable from None
    if any(not isinstance(v, str) for k, v in values.items() if k != "port"):
        raise unreadable
    return ServerProfile(name=name, **values)


def _to_saved(profile: ServerProfile) -> dict[str, object]:
    return {key: getattr(profile, key) for key in PROFILE_FIELDS if getattr(profile, key)}


def saved_profiles(settings: AppSettings | None = None) -> dict[str, ServerProfile]:
    """Saved server profiles by name, from this computer's settings (never a password)."""
    profiles = _settings(settings).server_profiles
    return {name: _from_saved(name, raw) for name, raw in sorted(profiles.items())}


def named_profile(name: str, profile: ServerProfile) -> ServerProfile:
    """`profile` under `name`, checked as a profile is saved: a usable name, verified TLS,
    the CA file there (kept as a full path); refused when it holds a password."""
    name = name.strip()
    if not PROFILE_NAME.match(name) or "://" in name:
        raise ServerError(
            "Ge serverprofilen ett namn med bokstäver, siffror, mellanslag, _ . eller - "
            "(högst 60 tecken)."
        )
    if profile.sslrootcert and profile.sslrootcert != "system":
        root = str(Path(profile.sslrootcert).expanduser().resolve())
        profile = replace(profile, sslrootcert=root)
    check_tls_settings(profile)
    if not profile.sslrootcert:
        raise ServerError("Ange kommunens CA-certifikat (en fil) för serverprofilen.")
    return replace(profile, name=name)


def save_profile(
    name: str, profile: ServerProfile, settings: AppSettings | None = None
) -> ServerProfile:
    """Saves (or replaces) a profile under `name` in this computer's settings, never with
    a password (see named_profile for what is refused); returns it with its name."""
    if profile.password is not None:
        raise ServerError("En serverprofil sparas utan lösenord; ange det när du ansluter.")
    named = named_profile(name, profile)
    chosen = _settings(settings)
    chosen.server_profiles[named.name or name] = _to_saved(named)
    chosen.save()
    return named


def remove_profile(name: str, settings: AppSettings | None = None) -> None:
    """Removes a saved profile and forgets any password the keyring holds for it."""
    chosen = _settings(settings)
    if name not in chosen.server_profiles:
        raise ServerError(f"Det finns ingen serverprofil som heter {name}.")
    # An unreadable profile has no password under a key that can be named.
    with contextlib.suppress(ServerError):
        forget_password(_from_saved(name, chosen.server_profiles[name]))
    del chosen.server_profiles[name]
    chosen.save()


def resolve(value: str, settings: AppSettings | None = None) -> ServerProfile:
    """A profile from `--server PROFILE|URL`, refused at once when TLS is weakened."""
    profile = _profile(value, settings)
    check_tls_settings(profile)
    return profile


def _profile(value: str, settings: AppSettings | None) -> ServerProfile:
    if "://" in value:
        return ServerProfile.from_url(value)
    profiles = _settings(settings).server_profiles
    if value not in profiles:
        raise ServerError(f"Det finns ingen serverprofil som heter {value}.")
    return _from_saved(value, profiles[value])


def _keyring_id(profile: ServerProfile) -> str:
    """One keyring entry per profile and user (per `user@host:port/db` for a bare URL)."""
    if profile.name:
        return f"server-profile:{profile.name}:{profile.user or ''}"
    return f"server:{profile.describe()}"


def remember_password(profile: ServerProfile) -> bool:
    """Keeps the login password in the OS keyring; False when there is no safe keyring."""
    if not profile.password or not profile.user:
        return False
    return os_keyring.remember(_keyring_id(profile), profile.password.encode("utf-8"))


def forget_password(profile: ServerProfile) -> None:
    os_keyring.forget(_keyring_id(profile))


def uses_single_sign_on(profile: ServerProfile) -> bool:
    """GSSAPI/Kerberos: libpq logs in with the Windows/AD ticket, no password asked."""
    return bool(profile.krbsrvname)


def with_remembered_password(profile: ServerProfile) -> ServerProfile | None:
    """The profile ready to log in without asking (a password the OS keyring remembers,
    or single sign-on); None when the person must type the password (the GUI)."""
    if profile.password is not None or uses_single_sign_on(profile):
        return profile
    if not profile.user:
        return None
    remembered = os_keyring.recall(_keyring_id(profile))
    return profile.with_login(password=remembered.decode("utf-8")) if remembered else None


def with_password(profile: ServerProfile, password_file: Path | None) -> ServerProfile:
    """The profile with the login password: a file, else the OS keyring when it remembers
    it, else the environment or a prompt."""
    if profile.password is not None and password_file is None:
        return profile
    if password_file is None and profile.user:
        remembered = os_keyring.recall(_keyring_id(profile))
        if remembered:
            return profile.with_login(password=remembered.decode("utf-8"))
    if password_file is None and uses_single_sign_on(profile):
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


def try_connection(profile: ServerProfile) -> str:
    """Logs in, checks the register, and returns the role's label ("ombud", ...); every
    failure is a ServerError with one Swedish line (certificate, host name, password,
    network, a database without `server init`)."""
    workspace = open_workspace(profile)
    try:
        return workspace.access.capabilities.role_label
    finally:
        workspace.session.close()


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
    if profile.user and os_keyring.recall(_keyring_id(profile)) is not None:
        remember_password(changed)
    return changed


def remove_user(profile: ServerProfile, name: str) -> None:
    engine = open_server_engine(profile)
    try:
        server_admin.remove_user(engine, name)
    finally:
        engine.dispose()
