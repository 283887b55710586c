"""Setting up a shared PostgreSQL server (DESIGN §8): schema, group roles, grants, audit.

Run by the kommun's IT as an administrator role (`po-desk server init`). Everything here
is idempotent, so running it again after an upgrade brings new tables under the same
rules. The database itself enforces the roles, not only the program:

- `lasare` reads;
- `ombud` reads and writes the records (uppdrag, klienter, kö, avvikelser) and the
  manual fields of a return, but not the prioriteringsordning, the ledningsgrupp, the
  verksamhet's settings, fastställ, gallring or users;
- `enhetschef` is also an ombud and may do all of that.

Only this register's groups may CONNECT to its database (not PUBLIC, which holds CONNECT
on a new database). The group roles are cluster-wide, so a cluster holds one register:
`server init` refuses a database when the groups already hold privileges in another
database of the cluster (`other_register`).

An audit trigger on every table writes each insert, update and delete with the login
role into `server_audit`, which no group can change, so a write that bypasses the
program is logged as well. A second trigger NOTIFYs the table's name on each write, so
the other users' views refresh (server_listen.py).
"""

from __future__ import annotations

import re

import sqlalchemy.exc
from psycopg import sql
from sqlalchemy import Connection, Engine, inspect, text

from po_desk.store import migrate, server_keys
from po_desk.store.server_engine import ServerError
from po_desk.store.server_keys import KEYSLOT_TABLE, RECOVERY_ROW
from po_desk.store.server_listen import NOTIFY_DDL, install_notify_trigger
from po_desk.store.server_store import refused

OMBUD, ENHETSCHEF, LASARE = "ombud", "enhetschef", "lasare"
GROUPS = (OMBUD, ENHETSCHEF, LASARE)
AUDIT_TABLE = "server_audit"
# Tables the program never writes as a user: the schema version and the audit itself.
NOT_AUDITED = {"alembic_version", AUDIT_TABLE}
# Tables `server init` makes besides the Alembic schema (none of them in a local store).
SERVER_ONLY_TABLES = {AUDIT_TABLE, KEYSLOT_TABLE}

# The records an ombud keeps: full write access (rows and their link tables).
OMBUD_TABLES = (
    "klient",
    "uppdrag",
    "uppdrag_barn",
    "uppdrag_kontaktorsak",
    "uppdrag_prioritetsgrund",
    "ko_anmalan",
    "ko_anmalan_kontaktorsak",
    "ko_anmalan_prioritetsgrund",
    "avvikelse",
    "avvikelse_kategori",
    "avvikelse_atgard",
)
# The return's manual fields, but never the fastställd columns.
OMBUD_ATERRAPPORT_INSERT = ("id", "ar", "manuellt", "created_at", "updated_at")
OMBUD_ATERRAPPORT_UPDATE = ("manuellt", "updated_at")

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")

_AUDIT_DDL = (
    f"""
    CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        role_name text NOT NULL,
        table_name text NOT NULL,
        operation text NOT NULL,
        row_id text
    )
    """,
    # SECURITY DEFINER: it writes the audit table no group may touch. Inside it
    # current_user is the owner, so the writer is session_user, the role that logged in.
    f"""
    CREATE OR REPLACE FUNCTION po_desk_audit_write() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        r jsonb;
        key text;
        parts text[] := ARRAY[]::text[];
    BEGIN
        IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
        FOREACH key IN ARRAY TG_ARGV LOOP
            parts := parts || (r ->> key);
        END LOOP;
        INSERT INTO {AUDIT_TABLE} (role_name, table_name, operation, row_id)
        VALUES (session_user, TG_TABLE_NAME, TG_OP, array_to_string(parts, '/'));
        RETURN NULL;
    END
    $$
    """,
    # Gallring strips a closed record of its free text and links in one go; only an
    # enhetschef may. Raised as insufficient_privilege: permission denied.
    """
    CREATE OR REPLACE FUNCTION po_desk_gallring_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF pg_has_role(current_user, 'enhetschef', 'USAGE') THEN
            RETURN NEW;
        END IF;
        -- Nested: a condition naming another table's column fails on this one (plpgsql
        -- evaluates the whole expression), so each table's test runs on its own table.
        IF TG_TABLE_NAME = 'uppdrag' THEN
            IF OLD.slut IS NOT NULL
               AND NEW.anteckning IS NULL AND NEW.ombud_id IS NULL
               AND (OLD.anteckning IS NOT NULL OR OLD.ombud_id IS NOT NULL) THEN
                RAISE EXCEPTION 'permission denied: gallring kräver rollen enhetschef'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
        IF TG_TABLE_NAME = 'ko_anmalan' THEN
            IF OLD.orsak IS NOT NULL AND NEW.orsak IS NULL
               AND OLD.status = NEW.status
               AND OLD.status_datum IS NOT DISTINCT FROM NEW.status_datum THEN
                RAISE EXCEPTION 'permission denied: gallring kräver rollen enhetschef'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    # People are added and removed through these two functions only, so an enhetschef
    # needs no CREATEROLE; the password arrives as a SCRAM verifier, never in clear.
    """
    CREATE OR REPLACE FUNCTION po_desk_user_add(name text, grupp text, verifier text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF grupp NOT IN ('ombud', 'enhetschef', 'lasare') THEN
            RAISE EXCEPTION 'unknown group %', grupp USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
            RAISE EXCEPTION 'a SCRAM verifier is required'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', name, verifier, grupp);
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION po_desk_user_remove(name text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM pg_auth_members m
            JOIN pg_roles g ON g.oid = m.roleid
            JOIN pg_roles u ON u.oid = m.member
            WHERE u.rolname = name AND g.rolname IN ('ombud', 'enhetschef', 'lasare')
        ) OR name IN ('ombud', 'enhetschef', 'lasare') THEN
            RAISE EXCEPTION 'not a po-desk user' USING ERRCODE = 'undefined_object';
        END IF;
        DELETE FROM server_keyslot WHERE role_name = name;
        EXECUTE format('DROP ROLE %I', name);
    END
    $$
    """,
)

# The data key's slots (store/server_keys.py). Row-level security: a role reads and
# rewraps only its own row; a new person's slot and the recovery slot go through the two
# SECURITY DEFINER functions below, which only an enhetschef (and the administrator) may
# call. The table's owner, the administrator, is not bound by the policy.
_KEYSLOT_DDL = (
    f"""
    CREATE TABLE IF NOT EXISTS {KEYSLOT_TABLE} (
        role_name text PRIMARY KEY,
        slot text NOT NULL,
        must_change boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    f"ALTER TABLE {KEYSLOT_TABLE} ENABLE ROW LEVEL SECURITY",
    f"DROP POLICY IF EXISTS own_slot ON {KEYSLOT_TABLE}",
    f"""
    CREATE POLICY own_slot ON {KEYSLOT_TABLE}
    USING (role_name = current_user) WITH CHECK (role_name = current_user)
    """,
    f"""
    CREATE OR REPLACE FUNCTION po_desk_keyslot_put(name text, new_slot text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM pg_auth_members m
            JOIN pg_roles g ON g.oid = m.roleid
            JOIN pg_roles u ON u.oid = m.member
            WHERE u.rolname = name AND g.rolname IN ('ombud', 'enhetschef', 'lasare')
        ) THEN
            RAISE EXCEPTION 'not a po-desk user' USING ERRCODE = 'undefined_object';
        END IF;
        INSERT INTO {KEYSLOT_TABLE} (role_name, slot, must_change)
        VALUES (name, new_slot, true)
        ON CONFLICT (role_name)
        DO UPDATE SET slot = EXCLUDED.slot, must_change = true, updated_at = now();
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION po_desk_recovery_slot() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT slot FROM {KEYSLOT_TABLE} WHERE role_name = '{RECOVERY_ROW}'
    $$
    """,
)
# Functions only an enhetschef (besides the administrator) may run.
CHEF_FUNCTIONS = (
    "po_desk_user_add(text, text, text)",
    "po_desk_user_remove(text)",
    "po_desk_keyslot_put(text, text)",
    "po_desk_recovery_slot()",
)


def _create_groups(connection: Connection) -> None:
    for group in GROUPS:
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": group}
        ).scalar()
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
    connection.exec_driver_sql(f"GRANT {OMBUD} TO {ENHETSCHEF}")


def other_register(connection: Connection) -> str | None:
    """The other database of the cluster in which the group roles hold privileges (a
    po-desk register set up before), or None. Read from pg_shdepend, the cluster-wide
    catalog of roles' grants in every database, so it also finds a register set up by an
    older po-desk that recorded nothing."""
    return connection.execute(
        text(
            """
            SELECT d.datname FROM pg_shdepend s
            JOIN pg_roles g ON g.oid = s.refobjid
            JOIN pg_database d ON d.oid = CASE
                WHEN s.dbid = 0 AND s.classid = 'pg_database'::regclass THEN s.objid
                ELSE s.dbid END
            WHERE s.refclassid = 'pg_authid'::regclass
              AND g.rolname IN ('ombud', 'enhetschef', 'lasare')
              AND d.datname <> current_database()
            ORDER BY d.datname LIMIT 1
            """
        )
    ).scalar()


def _restrict_connect(connection: Connection) -> None:
    """CONNECT to this database for this register's groups only (and its owner)."""
    name = connection.execute(text("SELECT current_database()")).scalar_one()
    cursor = connection.connection.cursor()
    try:
        database = sql.Identifier(name)
        cursor.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(database))
        cursor.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                database, sql.SQL(", ").join(sql.Identifier(group) for group in GROUPS)
            )
        )
    finally:
        cursor.close()
    public = connection.execute(
        text("SELECT has_database_privilege('public', current_database(), 'CONNECT')")
    ).scalar()
    if public:
        # REVOKE by a role without the right only warns: refuse rather than leave it open.
        raise ServerError(
            f"Alla roller på servern får fortfarande ansluta till databasen {name}; "
            "kör po-desk server init som databasens ägare."
        )


def _grant(connection: Connection, tables: list[str]) -> None:
    execute = connection.exec_driver_sql
    execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for group in GROUPS:
        execute(f"GRANT USAGE ON SCHEMA public TO {group}")
    for table in tables:
        execute(f"REVOKE ALL ON {table} FROM PUBLIC, {OMBUD}, {ENHETSCHEF}, {LASARE}")
        if table == AUDIT_TABLE:
            execute(f"GRANT SELECT ON {table} TO {ENHETSCHEF}")
            continue
        if table == KEYSLOT_TABLE:
            # Everyone reads and rewraps their own slot only (the row-level policy).
            execute(
                f"GRANT SELECT, UPDATE (slot, must_change, updated_at) ON {table}"
                f" TO {OMBUD}, {LASARE}"
            )
            continue
        execute(f"GRANT SELECT ON {table} TO {LASARE}, {OMBUD}")
        if table == "alembic_version":
            continue
        execute(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {ENHETSCHEF}")
        if table in OMBUD_TABLES:
            execute(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {OMBUD}")
    if "audit_log" in tables:
        # The program's own change log: an ombud adds to it, never rewrites it.
        execute(f"GRANT INSERT ON audit_log TO {OMBUD}")
    if "aterrapport" in tables:
        execute(f"GRANT INSERT ({', '.join(OMBUD_ATERRAPPORT_INSERT)}) ON aterrapport TO {OMBUD}")
        execute(f"GRANT UPDATE ({', '.join(OMBUD_ATERRAPPORT_UPDATE)}) ON aterrapport TO {OMBUD}")
    for function in CHEF_FUNCTIONS:
        execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        execute(f"GRANT EXECUTE ON FUNCTION {function} TO {ENHETSCHEF}")


def _install_triggers(connection: Connection, tables: list[str]) -> None:
    inspector = inspect(connection)
    execute = connection.exec_driver_sql
    for table in tables:
        if table in NOT_AUDITED:
            continue
        keys = inspector.get_pk_constraint(table)["constrained_columns"]
        arguments = ", ".join(f"'{key}'" for key in keys)
        execute(f"DROP TRIGGER IF EXISTS po_desk_audit ON {table}")
        execute(
            f"CREATE TRIGGER po_desk_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION po_desk_audit_write({arguments})"
        )
    for table in tables:
        if table not in NOT_AUDITED:
            # The table's name (never a row) to every program LISTENing: views refresh.
            install_notify_trigger(execute, table)
    for table in ("uppdrag", "ko_anmalan"):
        execute(f"DROP TRIGGER IF EXISTS po_desk_gallring ON {table}")
        execute(
            f"CREATE TRIGGER po_desk_gallring BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION po_desk_gallring_guard()"
        )


def initialise(engine: Engine, *, allow_shared_groups: bool = False) -> list[str]:
    """Migrations, group roles, grants and the audit trigger; returns the tables covered.

    Refused, before anything is changed, when the group roles already belong to a register
    in another database of the cluster. `allow_shared_groups` is for test support only:
    several test registers on one throw-away cluster (tests/support/pg_cluster.py)."""
    if engine.dialect.name != "postgresql":
        raise ServerError("Serverinställningen görs bara mot en PostgreSQL-server.")
    if not allow_shared_groups:
        with engine.connect() as connection:
            other = other_register(connection)
        if other is not None:
            raise ServerError(
                f"Rollerna ombud, enhetschef och lasare hör redan till po-desk-registret i "
                f"databasen {other} på den här servern; ett andra register behöver ett eget "
                "PostgreSQL-kluster (eller en egen server)."
            )
    migrate.migrate(engine)
    with engine.begin() as connection:
        # Two administrators running init at once must not interleave.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7201)")
        cursor = connection.connection.cursor()
        try:
            for statement in (*_AUDIT_DDL, *_KEYSLOT_DDL, NOTIFY_DDL):
                # Straight to the driver without parameters: the bodies hold literal %.
                cursor.execute(statement)
        finally:
            cursor.close()
        _create_groups(connection)
        _restrict_connect(connection)
        tables = sorted(inspect(connection).get_table_names())
        _grant(connection, tables)
        _install_triggers(connection, tables)
    return tables


def ensure_data_key(engine: Engine) -> str | None:
    """The verksamhet's data key, made once: the recovery key to show once, or None when
    the server has its key already."""
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7201)")
        return server_keys.create_data_key(connection)


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise ServerError(
            f"Användarnamnet {name!r} går inte: använd små bokstäver a–z, siffror, _ . -"
            " och börja med en bokstav."
        )
    if name in GROUPS or name.startswith("pg_"):
        raise ServerError(f"{name} är ett reserverat namn.")
    return name


def add_user(
    engine: Engine,
    name: str,
    group: str,
    password: str,
    *,
    login_password: str | None = None,
    recovery_key: str | None = None,
) -> None:
    """A new login role in `group`; the password leaves as a SCRAM verifier. Their key
    slot wraps the data key, which the one adding opens with their own login password
    (an enhetschef) or the server's recovery key (the administrator), by their first
    password, to be changed at their first login."""
    check_role_name(name)
    if group not in GROUPS:
        raise ServerError(f"Okänd roll {group}: välj {', '.join(GROUPS)}.")
    with engine.begin() as connection:
        try:
            if not recovery_key:
                slot = server_keys.own_slot(connection)
                if slot is None:
                    raise ServerError(
                        "Du har ingen egen nyckel till registret: ange serverns "
                        "återställningsnyckel (--recovery-key-file eller PO_DESK_RECOVERY_KEY) "
                        "för att lägga till användare."
                    )
                if slot.must_change:
                    raise server_keys.PasswordChangeRequired(server_keys.MUST_CHANGE)
            data_key = server_keys.unlock(connection, login_password, recovery_key)
        except sqlalchemy.exc.DBAPIError as error:
            raise refused(error) from None
        pgconn = connection.connection.driver_connection.pgconn  # type: ignore[union-attr]
        verifier = pgconn.encrypt_password(
            password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
        ).decode("ascii")
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).scalar()
        if exists:
            raise ServerError(f"Användaren {name} finns redan på servern.")
        try:
            connection.execute(
                text("SELECT po_desk_user_add(:name, :grupp, :verifier)"),
                {"name": name, "grupp": group, "verifier": verifier},
            )
            server_keys.put_slot(connection, name, server_keys.wrap(data_key, name, password))
        except sqlalchemy.exc.DBAPIError as error:
            raise refused(error) from None


def remove_user(engine: Engine, name: str) -> None:
    check_role_name(name)
    with engine.begin() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).scalar()
        if not exists:
            raise ServerError(f"Användaren {name} finns inte på servern.")
        try:
            connection.execute(text("SELECT po_desk_user_remove(:name)"), {"name": name})
        except sqlalchemy.exc.DBAPIError as error:
            raise refused(error) from None
