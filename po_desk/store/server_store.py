"""The store on a shared PostgreSQL server: the same sessions and repositories as the
local file, over the server engine (DESIGN §8).

Opening unwraps the verksamhet's data key from the person's key slot on the server
(server_keys.py) and hands it to the engine, so free text is sealed before it leaves the
program (sealed_text.py). What the server still lacks (a passphrase, a recovery key, a
remembered key of its own) raises a Swedish ServerError instead of half-working.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy.exc
from sqlalchemy import Engine, select, text

from po_desk.domain import capabilities
from po_desk.domain.cancellation import checkpoint
from po_desk.domain.errors import PoDeskError
from po_desk.store import audit, conflicts, sealed_text, server_keys, tables
from po_desk.store.migrate import current_revision, head_revision, refuse_unknown
from po_desk.store.server_engine import ServerError, ServerProfile, open_server_engine
from po_desk.store.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

NOT_YET = "Det finns ännu inte för ett register på en delad server."
# Every write transaction on the server takes this transaction-level advisory lock first,
# so writes from many people run one after the other, as on a local file (its writer
# lock): a new code is computed after the previous writer committed, never twice. Under
# READ COMMITTED each statement after the lock sees everything committed before it.
WRITE_LOCK_KEY = 0x70_6F_64_6B  # "podk"
WRITE_LOCK_WAIT_SECONDS = 30


def refused(error: sqlalchemy.exc.DBAPIError) -> ServerError:
    """One Swedish line for a statement the server refused."""
    code = getattr(error.orig, "sqlstate", None)
    log.info("server refused a statement: %s", code)
    if code == "42501":
        return ServerError("Din roll på servern får inte göra detta.")
    if code == "42704":
        return ServerError("Det är ingen po-desk-användare.")
    if code in ("40001", "40P01"):
        return ServerError("Någon annan ändrade samtidigt; försök igen.")
    if code == "55P03":
        return ServerError("Registret på servern är upptaget av en annan ändring; försök igen.")
    return ServerError("Servern vägrade ändringen.")


@contextlib.contextmanager
def _refusals_reported() -> Iterator[None]:
    try:
        yield
    except sqlalchemy.exc.IntegrityError:
        raise  # the services turn a broken uniqueness into their own message
    except sqlalchemy.exc.DBAPIError as error:
        if isinstance(error, sqlalchemy.exc.OperationalError) and not getattr(
            error.orig, "sqlstate", None
        ):
            raise ServerError(
                "Förbindelsen med servern bröts; inget halvfärdigt sparades."
            ) from None
        raise refused(error) from None
    except sqlalchemy.exc.StatementError as error:
        # A value the program refused to bind (free text without the data key).
        if isinstance(error.orig, PoDeskError):
            raise error.orig from None
        raise


class ServerStore(Store):
    def __init__(self, profile: ServerProfile, engine: Engine) -> None:
        self.profile = profile
        # No key file: the data key for the free text sits on the engine (open_server).
        super().__init__(Path(profile.describe()), engine, None, None)  # type: ignore[arg-type]
        self.actor = profile.user or "server"
        self.must_change_password = False

    @classmethod
    def open_server(
        cls,
        profile: ServerProfile,
        *,
        recovery_key: str | None = None,
        allow_password_change: bool = False,
        require_verksamhet: bool = True,
    ) -> ServerStore:
        """The register on the server; refused unless `server init` has set it up (and,
        unless a move is to bring it, given it a verksamhet). The data key for the free
        text comes from the person's key slot (their login password) or the recovery key;
        a slot still wrapped by the first password refuses with PasswordChangeRequired
        unless `allow_password_change` (to change it)."""
        engine = open_server_engine(profile)
        try:
            with _refusals_reported():
                revision = current_revision(engine)
            if revision is None:
                raise ServerError(
                    "Servern är inte inställd för po-desk; IT kör först po-desk server init."
                )
            refuse_unknown(revision)
            if revision != head_revision():
                raise ServerError(
                    "Serverns register har en äldre schemaversion; IT kör po-desk server init "
                    "med den här versionen av po-desk."
                )
            store = cls(profile, engine)
            if require_verksamhet:
                with store.session() as session:
                    if session.scalar(select(tables.verksamhet.c.id).limit(1)) is None:
                        raise ServerError(
                            "Servern har ingen verksamhet ännu; IT anger den vid po-desk "
                            "server init."
                        )
            with _refusals_reported(), engine.connect() as connection:
                slot = None if recovery_key else server_keys.own_slot(connection)
                if slot is not None and slot.must_change and not allow_password_change:
                    raise server_keys.PasswordChangeRequired(server_keys.MUST_CHANGE)
                data_key = server_keys.unlock(connection, profile.password, recovery_key)
            sealed_text.attach_key(engine, data_key)
            store.must_change_password = slot is not None and slot.must_change
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Drops the data key with the engine."""
        if self.is_open:
            sealed_text.detach_key(self.engine)
        super().close()

    def change_login_password(self, new_password: str) -> None:
        """The login password and the key slot it wraps, in one transaction: ALTER ROLE
        with a SCRAM verifier made here (the password itself never leaves the program)
        and the slot rewrapped. The engine keeps working on its open connections only:
        the caller opens the store again with the new password."""
        with _refusals_reported(), self.engine.begin() as connection:
            role = connection.execute(text("SELECT current_user")).scalar_one()
            data_key = server_keys.unlock(connection, self.profile.password, None)
            pgconn = connection.connection.driver_connection.pgconn  # type: ignore[union-attr]
            verifier = pgconn.encrypt_password(
                new_password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256"
            ).decode("ascii")
            server_keys.rewrap_own(connection, role, server_keys.wrap(data_key, role, new_password))
            # ALTER ROLE takes no parameters: the verifier goes in as a quoted literal.
            from psycopg import sql

            driver = connection.connection.driver_connection
            driver.execute(  # type: ignore[union-attr]
                sql.SQL("ALTER ROLE CURRENT_USER PASSWORD {}").format(sql.Literal(verifier))
            )
        self.must_change_password = False

    # -- what the server does not have yet -----------------------------------------------

    @property
    def store_id(self) -> str:
        return f"server:{self.profile.host}:{self.profile.port}/{self.profile.database}"

    def _require_key(self) -> bytes:
        raise ServerError(NOT_YET)

    def verify_passphrase(self, passphrase: str) -> None:
        raise ServerError(NOT_YET)

    def change_passphrase(self, new_passphrase: str) -> None:
        raise ServerError(NOT_YET)

    def new_recovery_key(self) -> str:
        raise ServerError(NOT_YET)

    def remember_key(self) -> bool:
        raise ServerError(NOT_YET)

    def forget_key(self) -> None:
        return None

    def is_key_remembered(self) -> bool:
        return False

    # -- sessions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with _refusals_reported(), self._sessions() as session:
            session.info[audit.ACTOR_KEY] = self.actor
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        from sqlalchemy.orm.exc import StaleDataError

        try:
            with _refusals_reported(), self._sessions() as session, session.begin():
                # Never wait for ever (a writer that hangs holds the lock): give up after a
                # while.
                session.execute(text(f"SET LOCAL lock_timeout = '{WRITE_LOCK_WAIT_SECONDS}s'"))
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                session.info[audit.ACTOR_KEY] = self.actor
                yield session
                checkpoint()
        except StaleDataError:
            raise conflicts.stale() from None

    def role(self) -> str:
        """The login's po-desk group (DESIGN §8), the strongest it holds: enhetschef, ombud
        or lasare; "administratör" for the database's owner or a superuser outside the
        groups; "okänd" otherwise. The database still checks every statement."""
        with self.session() as session:
            row = session.execute(
                text(
                    "SELECT r.rolsuper, d.datdba = r.oid,"
                    " pg_has_role(current_user, 'enhetschef', 'MEMBER'),"
                    " pg_has_role(current_user, 'ombud', 'MEMBER'),"
                    " pg_has_role(current_user, 'lasare', 'MEMBER')"
                    " FROM pg_roles r, pg_database d"
                    " WHERE r.rolname = current_user AND d.datname = current_database()"
                )
            ).one()
        superuser, owner, chef, ombud, lasare = row
        if superuser or (owner and not (chef or ombud or lasare)):
            return capabilities.ADMINISTRATOR
        if chef:
            return capabilities.ENHETSCHEF
        if ombud:
            return capabilities.OMBUD
        if lasare:
            return capabilities.LASARE
        return capabilities.UNKNOWN

    def check(self) -> list[str]:
        revision = current_revision(self.engine)
        if revision != head_revision():
            return [f"schemaversion {revision}, väntad {head_revision()}"]
        return []

    def seed_if_empty(
        self, namn: str, lan: str, huvudman: str, kommuner: list[str], start_ar: int
    ) -> bool:
        """The verksamhet and its kommuner on a new server; True when written."""
        with self.session() as session:
            if session.scalar(select(tables.verksamhet.c.id).limit(1)) is not None:
                return False
        self._seed(namn, lan, huvudman, kommuner, start_ar)
        return True
