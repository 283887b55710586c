"""Applying the Alembic migrations on open, inside one transaction.

A store whose schema revision this version does not know was written by a newer
po-desk: it is refused, untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

from po_desk.domain.errors import NewerStore

MIGRATIONS_FOLDER = Path(__file__).with_name("migrations")


def _config() -> Config:
    # Alembic is imported only when needed: it costs a quarter second at start-up.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


# The newest migration's revision, written here so that opening a current store never
# imports Alembic (a quarter second); tests/test_migrations.py checks it against Alembic.
HEAD_REVISION = "0008"


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> bool:
    """Brings the schema to the newest revision; True when anything was applied."""
    revision = current_revision(engine)
    refuse_unknown(revision)
    if revision == head_revision():
        return False
    from alembic.command import upgrade

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        upgrade(config, "head")
    return True


def create_schema(engine: Engine) -> None:
    """The schema of a new, empty store, made from the models and stamped with the head
    revision, in one transaction (issue 17: running every migration on a new store took a
    second with Alembic's import). tests/test_migrations.py checks that it equals the schema
    the migrations build. Existing stores are still upgraded by `migrate`."""
    from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, insert

    from po_desk.store.tables import metadata

    # Alembic's own version table, as `alembic upgrade` creates it.
    version = Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    with engine.begin() as connection:
        # Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE: without
        # this BEGIN every CREATE would be a durable commit of its own.
        connection.exec_driver_sql("BEGIN")
        if current_revision_on(connection) is not None:
            raise RuntimeError("create_schema is for a new, empty store")
        # The version table first, as Alembic makes it: its page is the one every open
        # reads (the key and the file's first pages are proven before anything else).
        version.create(connection)
        connection.execute(insert(version).values(version_num=HEAD_REVISION))
        metadata.create_all(connection)


def current_revision_on(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def refuse_unknown(revision: str | None) -> None:
    """Raises NewerStore for a revision this version has no migration for."""
    if revision is None or revision == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    try:
        known = script.get_revision(revision) is not None
    except Exception:
        known = False
    if not known:
        raise NewerStore(
            "Registret är skapat av en nyare version av po-desk. Uppdatera programmet."
        )
