"""The SQLCipher engine: keyed with the raw data key, checked before anything is trusted.

Fail closed: if the SQLCipher library is not linked the store is not opened (never a
plain SQLite file); a wrong key or damaged file is reported at open, not at first use;
a path that does not exist is never created by opening it.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool

from po_desk.domain.errors import CipherUnavailable, DamagedStore, StoreNotFound
from po_desk.secure_files import restrict_permissions

log = logging.getLogger(__name__)

PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher 4 writes 4096-byte pages; a store is always a whole number of them.
PAGE_SIZE = 4096

# Pragmas set on every connection: temp data never touches the disk; every commit is
# durable before it returns; deleted pages are overwritten; references are enforced.
CONNECTION_PRAGMAS = (
    "PRAGMA temp_store = MEMORY",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
)


@functools.cache
def cipher_version() -> str:
    """The linked SQLCipher version; raises CipherUnavailable when it is plain SQLite."""
    try:
        import sqlcipher3
    except ImportError as error:
        raise CipherUnavailable(
            "Krypteringsbiblioteket SQLCipher saknas. Installera om po-desk."
        ) from error
    connection = sqlcipher3.connect(":memory:")
    try:
        # SQLCipher logs failed key checks to stderr by default; the CLI prints its own line.
        connection.execute("PRAGMA cipher_log_level = NONE")
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    if not row or not row[0]:
        raise CipherUnavailable(
            "Databasbiblioteket saknar kryptering (SQLCipher). Registret öppnas inte."
        )
    return str(row[0])


def _url(path: Path, data_key: bytes, create: bool) -> URL:
    mode = "rwc" if create else "rw"
    return URL.create(
        "sqlite+pysqlcipher",
        password=f"x'{data_key.hex()}'",
        database=Path(path).absolute().as_uri(),
        query={"mode": mode, "uri": "true"},
    )


def _prepare_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        row = cursor.execute("PRAGMA cipher_version").fetchone()
        if not row or not row[0]:
            raise CipherUnavailable("Anslutningen saknar kryptering. Registret öppnas inte.")
        # The key is only checked when a page is read: read one now.
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in CONNECTION_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def is_plain_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == PLAIN_SQLITE_HEADER


def open_engine(path: Path, data_key: bytes, create: bool = False) -> Engine:
    """An engine on the encrypted store at `path`, proven to open with `data_key`."""
    cipher_version()
    path = Path(path)
    if create:
        if path.exists():
            raise DamagedStore(f"Filen {path.name} finns redan och skrivs inte över.")
    else:
        if not path.is_file():
            raise StoreNotFound(f"Registret {path} finns inte.")
        if is_plain_sqlite(path):
            raise DamagedStore(
                f"{path.name} är en okrypterad SQLite-fil, inte ett po-desk-register."
            )
        refuse_malformed_size(path)
    # One connection is kept between sessions (never SQLAlchemy's default for SQLCipher,
    # SingletonThreadPool): a new connection re-reads and decrypts the schema and every
    # page it touches, while a kept one keeps SQLite's page cache as long as the file has
    # not changed (issue 17: a return's computation opened a dozen connections). Further
    # concurrent sessions (GUI workers) get their own connection, closed after use.
    # dispose() (close, lock, re-key) closes the kept connection, and with it the key
    # SQLCipher holds.
    engine = create_engine(
        _url(path, data_key, create), poolclass=QueuePool, pool_size=1, max_overflow=-1
    )
    event.listen(engine, "connect", _prepare_connection)
    try:
        with engine.connect() as connection:
            tables = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        if not create and not tables:
            # A file with no schema is not a store; only `init` makes one (never migrate
            # into it: that would turn a damaged file into an empty store).
            engine.dispose()
            raise DamagedStore(_unreadable(path))
        if create:
            # SQLite creates the file with the process umask; journals copy its mode.
            restrict_permissions(path)
    except sqlalchemy.exc.DatabaseError as error:
        engine.dispose()
        log.info("store did not open: %s", type(error.orig).__name__)
        raise DamagedStore(_unreadable(path)) from None
    return engine


def _unreadable(path: Path) -> str:
    return (
        f"Registret {path.name} kan inte läsas: filen är skadad eller hör inte till "
        "nyckelfilen. Återställ från en säkerhetskopia."
    )


def refuse_malformed_size(path: Path) -> None:
    """An empty file, or one that is not a whole number of pages, is damaged (a store is
    never empty: `init` writes its schema at once)."""
    size = Path(path).stat().st_size
    if size == 0:
        raise DamagedStore(
            f"Registret {Path(path).name} är tomt (0 byte). Återställ från en säkerhetskopia."
        )
    if size % PAGE_SIZE:
        raise DamagedStore(
            f"Registret {Path(path).name} är avkortat eller skadat. "
            "Återställ från en säkerhetskopia."
        )


def integrity_problems(engine: Engine) -> list[str]:
    """The findings of SQLite's and SQLCipher's integrity checks; empty when all is well."""
    problems: list[str] = []
    with engine.connect() as connection:
        for row in connection.exec_driver_sql("PRAGMA integrity_check"):
            if row[0] != "ok":
                # SQLite may put many findings in one row, a line each.
                problems.extend(line for line in str(row[0]).splitlines() if line.strip())
        for row in connection.exec_driver_sql("PRAGMA cipher_integrity_check"):
            problems.extend(line for line in str(row[0]).splitlines() if line.strip())
    return problems


def rekey_file(path: Path, old_key: bytes, new_key: bytes) -> None:
    """Re-encrypts every page of the (closed) database at `path` with `new_key`, through
    SQLCipher's `PRAGMA rekey`; raises DamagedStore when the old key does not open it."""
    import sqlcipher3

    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = \"x'{old_key.hex()}'\"")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    except sqlcipher3.dbapi2.DatabaseError as error:
        log.info("rekey failed: %s", type(error).__name__)
        raise DamagedStore("Registret kunde inte få en ny nyckel; det är oförändrat.") from None
    finally:
        connection.close()
