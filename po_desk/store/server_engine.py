"""The PostgreSQL engine for a shared server (DESIGN §8), through psycopg 3 and SQLAlchemy.

Never a connection without TLS: a profile whose `sslmode` is not `verify-full` is refused
before anything is sent, and libpq then checks the server's certificate against the
kommun's CA and the host name. Every failure is one Swedish line; no message carries a
password.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy.exc
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from po_desk.domain.errors import PoDeskError

log = logging.getLogger(__name__)

REQUIRED_SSLMODE = "verify-full"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_SECONDS = 10
# Connection parameters a profile may carry besides host, port, database and user.
# GSSAPI/Kerberos single sign-on is libpq's own: krbsrvname passes through. GSSAPI
# *encryption* is always off (gssencmode=disable): libpq would otherwise prefer it to TLS
# whatever sslmode says, skipping the certificate check; Kerberos logs in inside TLS.
PASSED_PARAMETERS = ("sslrootcert", "hostaddr", "gssencmode", "krbsrvname")
GSSENCMODE = "disable"


class ServerError(PoDeskError):
    """The server cannot be used: refused settings, certificate, login or network."""

    exit_code = 9


@dataclass(frozen=True)
class ServerProfile:
    """Where the shared register lives and how to reach it; never a password on disk."""

    host: str
    database: str
    user: str | None = None
    port: int = DEFAULT_PORT
    sslmode: str = REQUIRED_SSLMODE
    sslrootcert: str | None = None
    hostaddr: str | None = None
    gssencmode: str | None = None
    krbsrvname: str | None = None
    password: str | None = field(default=None, repr=False, compare=False)
    # The saved profile this came from (None for a URL given as it is).
    name: str | None = field(default=None, compare=False)

    @classmethod
    def from_url(cls, url: str) -> ServerProfile:
        """`postgresql://user@host:port/db?sslmode=verify-full&sslrootcert=ca.crt`."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("postgresql", "postgres"):
            raise ServerError(
                "Serveradressen ska börja med postgresql:// "
                "(postgresql://användare@värd:port/databas?sslrootcert=ca.crt)."
            )
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise ServerError("Serveradressens port är inte ett tal.") from None
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not database:
            raise ServerError("Serveradressen saknar värd eller databas.")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = sorted(set(query) - {"sslmode", *PASSED_PARAMETERS})
        if unknown:
            raise ServerError(f"Okänd inställning i serveradressen: {', '.join(unknown)}.")
        return cls(
            host=parts.hostname,
            port=port,
            database=database,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            sslmode=query.get("sslmode", REQUIRED_SSLMODE),
            **{name: query[name] for name in PASSED_PARAMETERS if name in query},
        )

    def with_login(self, user: str | None = None, password: str | None = None) -> ServerProfile:
        return replace(self, user=user or self.user, password=password)

    def describe(self) -> str:
        """`user@host:port/database`, for messages (no password)."""
        who = f"{self.user}@" if self.user else ""
        return f"{who}{self.host}:{self.port}/{self.database}"

    def sqlalchemy_url(self) -> URL:
        query = {name: getattr(self, name) for name in PASSED_PARAMETERS if getattr(self, name)}
        query["sslmode"] = self.sslmode
        query["gssencmode"] = GSSENCMODE
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        )


def check_tls_settings(profile: ServerProfile) -> None:
    """Refuses, before connecting, anything weaker than a verified TLS connection."""
    if profile.sslmode != REQUIRED_SSLMODE:
        raise ServerError(
            f"Anslutningen vägras: sslmode={profile.sslmode} kontrollerar inte att servern är "
            "den den utger sig för att vara (certifikatet och värdnamnet); "
            f"po-desk ansluter bara med sslmode={REQUIRED_SSLMODE}."
        )
    if profile.gssencmode not in (None, GSSENCMODE):
        raise ServerError(
            f"Anslutningen vägras: gssencmode={profile.gssencmode} skulle ersätta TLS; "
            "po-desk använder alltid TLS (Kerberos-inloggning fungerar ändå, med krbsrvname)."
        )
    root = profile.sslrootcert
    if root and root != "system" and not Path(root).is_file():
        raise ServerError(
            f"Kommunens CA-certifikat {root} finns inte; anslutningen görs inte utan det."
        )


def explain(error: Exception, profile: ServerProfile) -> ServerError:
    """One Swedish line for a failed connection; the driver's text only goes to the log."""
    text = str(getattr(error, "orig", None) or error)
    log.info("server connection failed: %s", type(getattr(error, "orig", error)).__name__)
    lowered = text.lower()
    where = f"{profile.host}:{profile.port}"
    if "does not match host name" in lowered or "hostname mismatch" in lowered:
        return ServerError(
            f"Serverns certifikat gäller inte värdnamnet {profile.host}; anslutningen avbröts."
        )
    if "root certificate file" in lowered:
        return ServerError("Kommunens CA-certifikat saknas: ange sslrootcert=FIL i serveradressen.")
    if "certificate verify failed" in lowered or "certificate" in lowered:
        return ServerError(
            f"Servern {where} visar ett certifikat som inte är utfärdat av kommunens CA; "
            "anslutningen avbröts."
        )
    if "server requested" in lowered and "authentication" in lowered:
        return ServerError(
            f"Servern {where} begärde lösenordet utan SCRAM; po-desk skickar aldrig "
            "lösenordet till servern och avbröt inloggningen."
        )
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return ServerError("Inloggningen på servern misslyckades: fel användarnamn eller lösenord.")
    if "no pg_hba.conf entry" in lowered:
        return ServerError(f"Servern {where} tar inte emot den här inloggningen.")
    if "database" in lowered and "does not exist" in lowered:
        return ServerError(f"Databasen {profile.database} finns inte på servern {where}.")
    if "permission denied for database" in lowered:
        # CONNECT is granted to the register's groups only (server_admin._restrict_connect).
        return ServerError(
            f"Din användare får inte ansluta till databasen {profile.database}: den är inte "
            "med i det här po-desk-registret."
        )
    if "permission denied" in lowered:
        return ServerError("Din roll på servern får inte göra detta.")
    return ServerError(
        f"Servern {where} kan inte nås: kontrollera värdnamn och port och att datorn är "
        "ansluten till kommunens nät."
    )


def _password_only_by_scram(profile: ServerProfile) -> dict[str, str]:
    """The login password opens the person's key slot (server_keys.py), so it must never
    reach the server: libpq (16 and later) is told to accept only SCRAM, which proves the
    password without sending it, never a server that asks for it in clear or as md5."""
    if profile.password is None:
        return {}  # Kerberos single sign-on: no password to protect
    import psycopg

    if psycopg.pq.version() < 160000:
        return {}
    return {"require_auth": "scram-sha-256"}


def open_server_engine(profile: ServerProfile) -> Engine:
    """An engine on the server, proven to connect with verified TLS."""
    check_tls_settings(profile)
    try:
        engine = create_engine(
            profile.sqlalchemy_url(),
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "po-desk",
                **_password_only_by_scram(profile),
            },
        )
    except (ImportError, sqlalchemy.exc.NoSuchModuleError):
        raise ServerError(
            "Drivrutinen för PostgreSQL (psycopg) saknas. Installera om po-desk."
        ) from None
    try:
        with engine.connect() as connection:
            in_tls = connection.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            ).scalar()
    except sqlalchemy.exc.DBAPIError as error:
        engine.dispose()
        raise explain(error, profile) from None
    if not in_tls:
        # verify-full makes this impossible; checked anyway, fail closed.
        engine.dispose()
        raise ServerError("Anslutningen till servern är inte krypterad och används inte.")
    return engine
