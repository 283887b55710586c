"""Applying the Alembic migrations on open, inside one transaction.

A store whose schema revision this version does not know was written by a newer
po-desk: it is refused, untouched.
"""

from __future__ import annotations

from pathlib import Path

from alembic.command import upgrade
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from po_desk.domain.errors import NewerStore

MIGRATIONS_FOLDER = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> bool:
    """Brings the schema to the newest revision; True when anything was applied."""
    script = ScriptDirectory.from_config(_config())
    revision = current_revision(engine)
    refuse_unknown(revision)
    if revision == script.get_current_head():
        return False
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        upgrade(config, "head")
    return True


def refuse_unknown(revision: str | None) -> None:
    """Raises NewerStore for a revision this version has no migration for."""
    if revision is None:
        return
    script = ScriptDirectory.from_config(_config())
    try:
        known = script.get_revision(revision) is not None
    except Exception:
        known = False
    if not known:
        raise NewerStore(
            "Registret är skapat av en nyare version av po-desk. Uppdatera programmet."
        )
