"""The open store: creating, unlocking, migrating and closing the encrypted database.

It is the only place that makes sessions; repositories borrow them for one call each.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy.exc
from sqlalchemy import Connection, Engine, select

from po_desk.domain import categories
from po_desk.domain.cancellation import checkpoint
from po_desk.domain.errors import DamagedStore, DiskFull, StoreExists, StoreNotFound
from po_desk.secure_files import atomic_write
from po_desk.store import audit, conflicts, models, os_keyring, swap, tables
from po_desk.store.engine import integrity_problems, open_engine, rekey_file
from po_desk.store.keyslots import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    NewKeys,
    key_file_path,
    new_data_key,
    new_recovery_key,
    normalise_recovery_key,
)
from po_desk.store.migrate import (
    create_schema,
    current_revision,
    head_revision,
    migrate,
    refuse_unknown,
)
from po_desk.store.writer_lock import WriterLock, lock_paths

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


class Store:
    def __init__(
        self,
        path: Path,
        engine: Engine,
        key_file: KeyFile,
        data_key: bytes,
        lock: WriterLock | None = None,
    ) -> None:
        self.path = Path(path)
        self._lock = lock
        self.actor = "enhetschef"
        self._engine: Engine | None = engine
        self._key_file = key_file
        self._data_key: bytes | None = data_key
        self._batch = threading.local()  # .session: this thread's batch (see batch())

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        """The ORM's sessions, made on first use: a command that only reads through Core
        (reading()) never imports the ORM or maps its classes (issue 17)."""
        from sqlalchemy.orm import sessionmaker

        models.configure()
        factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        audit.install(factory)
        return factory

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        namn: str,
        lan: str,
        kommuner: list[str],
        passphrase: str,
        huvudman: str = "",
        start_ar: int | None = None,
        keys: NewKeys | None = None,
    ) -> tuple[Store, str]:
        """A new store and its recovery key (shown to the user once, never kept). `keys`,
        when given, were made for `passphrase` beforehand (see NewKeys)."""
        path = Path(path)
        if path.exists() or key_file_path(path).exists():
            raise StoreExists(f"Det finns redan ett register eller en nyckelfil vid {path}.")
        if not path.parent.is_dir():
            raise StoreNotFound(f"Mappen {path.parent} finns inte.")
        if keys is None or keys.passphrase != passphrase:
            keys = NewKeys.make(passphrase)
        data_key, recovery_key, key_file = keys.data_key, keys.recovery_key, keys.key_file
        engine = None
        lock = WriterLock(path)
        try:
            lock.acquire()
            engine = open_engine(path, data_key, create=True)
            create_schema(engine)
            store = cls(path, engine, key_file, data_key, lock)
            with store.batch():  # one commit for the verksamhet and the categories
                store._seed(namn, lan, huvudman, kommuner, start_ar or date.today().year)
            key_file.save(path)
        except BaseException:
            if engine is not None:
                engine.dispose()
            lock.release()
            leftovers = (path, Path(f"{path}-journal"), key_file_path(path), *lock_paths(path))
            for leftover in leftovers:
                leftover.unlink(missing_ok=True)
            raise
        return store, recovery_key

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        data_key: bytes | None = None,
    ) -> Store:
        path = Path(path)
        finish_interrupted_replacement(path)
        if not path.is_file():
            raise StoreNotFound(f"Registret {path} finns inte.")
        key_file = KeyFile.load(path)
        if data_key is None:
            data_key = key_file.unlock(passphrase=passphrase, recovery_key=recovery_key)
        engine = open_engine(path, data_key)
        lock = WriterLock(path)
        try:
            with _damage_reported():
                revision = current_revision(engine)
                if revision is None:
                    # No schema version: not a store `init` made. Never build one into it.
                    raise DamagedStore(DAMAGED_MESSAGE)
                refuse_unknown(revision)  # before anything is written
                lock.acquire()
                upgraded = _migrate_with_copy(path, engine)
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        store = cls(path, engine, key_file, data_key, lock)
        if upgraded:
            store.ensure_categories()
        if key_file.legacy:
            # Adds the checksum that tells damage from a wrong secret; later if it fails.
            with contextlib.suppress(OSError):
                key_file.save(path)
                key_file.legacy = False
        return store

    @classmethod
    def open_remembered(cls, path: Path) -> Store | None:
        """The store opened with the key the OS keyring remembers, or None."""
        path = Path(path)
        finish_interrupted_replacement(path)
        if not path.is_file():
            raise StoreNotFound(f"Registret {path} finns inte.")
        key_file = KeyFile.load(path)
        data_key = os_keyring.recall(key_file.store_id)
        if data_key is None:
            return None
        return cls.open(path, data_key=data_key)

    def close(self) -> None:
        """Disposes the engine and drops the key; the object is unusable afterwards."""
        if self._engine is not None:
            self._engine.dispose()
        if self._lock is not None:
            self._lock.release()
        self._engine = None
        self._data_key = None

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("store is closed")
        return self._engine

    @property
    def data_key(self) -> bytes:
        return self._require_key()

    # -- keys ----------------------------------------------------------------------------

    @property
    def store_id(self) -> str:
        return self._key_file.store_id

    def verify_passphrase(self, passphrase: str) -> None:
        """Raises WrongPassphrase unless `passphrase` opens this store's passphrase slot."""
        self._key_file.unwrap(PASSPHRASE_SLOT, passphrase)

    def change_passphrase(self, new_passphrase: str) -> None:
        self._key_file.set_slot(PASSPHRASE_SLOT, new_passphrase, self._require_key())
        self._key_file.save(self.path)

    def new_recovery_key(self) -> str:
        recovery_key = new_recovery_key()
        self._key_file.set_slot(
            RECOVERY_SLOT, normalise_recovery_key(recovery_key), self._require_key()
        )
        self._key_file.save(self.path)
        return recovery_key

    def rekey(self, new_passphrase: str) -> str:
        """Byt nyckel: re-encrypts the whole store with a new random data key (SQLCipher's
        `PRAGMA rekey`, on a copy) and writes new slots for `new_passphrase` and a new
        recovery key, which is returned. Old key files, passphrases, recovery keys and
        remembered keys no longer open the store (backups made before still open with the
        secrets valid then). Store and key file are replaced as one step (crash-safe)."""
        old_key = self._require_key()
        new_key = new_data_key()
        recovery_key = new_recovery_key()
        key_file = KeyFile(store_id=self.store_id, slots={})
        key_file.set_slot(PASSPHRASE_SLOT, new_passphrase, new_key)
        key_file.set_slot(RECOVERY_SLOT, normalise_recovery_key(recovery_key), new_key)
        work = swap.work_path(self.path)
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("BEGIN IMMEDIATE")  # no writer changes the file meanwhile
            try:
                atomic_write(work, self.path.read_bytes())
                rekey_file(work, old_key, new_key)
                check = open_engine(work, new_key)
                try:
                    problems = integrity_problems(check)
                finally:
                    check.dispose()
                if problems:
                    raise DamagedStore(DAMAGED_MESSAGE)
            finally:
                raw.rollback()
        except BaseException:
            work.unlink(missing_ok=True)
            raise
        finally:
            raw.close()
        remembered = self.is_key_remembered()
        self.engine.dispose()
        try:
            swap.replace_store(self.path, work, key_file.to_bytes())
        except BaseException:
            work.unlink(missing_ok=True)
            raise
        engine = open_engine(self.path, new_key)
        self._engine, self._data_key, self._key_file = engine, new_key, key_file
        self._sessions.configure(bind=engine)
        if remembered:
            os_keyring.remember(self.store_id, new_key)
        log.info("store re-keyed")
        return recovery_key

    def remember_key(self) -> bool:
        return os_keyring.remember(self.store_id, self._require_key())

    def forget_key(self) -> None:
        os_keyring.forget(self.store_id)

    def is_key_remembered(self) -> bool:
        return os_keyring.recall(self.store_id) is not None

    def _require_key(self) -> bytes:
        if self._data_key is None:
            raise RuntimeError("store is closed")
        return self._data_key

    # -- sessions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Every session and transaction this thread opens within the block shares one
        session, committed once when the block ends, or rolled back as a whole (issue 17:
        the demo's ≈90 small writes each waited for their own durable commit). Other
        threads keep their own sessions and see the writes only after the commit. A store
        whose sessions work otherwise (the server's) runs the block unbatched."""
        if (
            type(self).transaction is not Store.transaction
            or type(self).session is not Store.session
            or self._batched() is not None
        ):
            yield
            return
        with self.transaction() as session:
            self._batch.session = session
            try:
                yield
            finally:
                self._batch.session = None

    def _batched(self) -> Session | None:
        session: Session | None = getattr(self._batch, "session", None)
        return session

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; nothing it changes is committed."""
        batched = self._batched()
        if batched is not None:
            yield batched
            return
        with _damage_reported(), self._sessions() as session:
            session.info[audit.ACTOR_KEY] = self.actor
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read through SQLAlchemy Core (tables.py), without the ORM: what a one-shot
        command such as an export reads goes this way. Within a batch, or on a store whose
        sessions work otherwise (the server's, a move's), it reads in that session."""
        if type(self).session is not Store.session or self._batched() is not None:
            with self.session() as session:
                yield session.connection()
            return
        with _damage_reported(), self.engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: committed as a whole when the block ends, else rolled back."""
        from sqlalchemy.orm.exc import StaleDataError

        batched = self._batched()
        if batched is not None:
            # Within a batch: written (flushed) now, committed with the batch.
            with _damage_reported():
                yield batched
                batched.flush()
                checkpoint()
            return
        try:
            with _damage_reported(), self._sessions() as session, session.begin():
                session.info[audit.ACTOR_KEY] = self.actor
                yield session
                checkpoint()  # a cancelled operation rolls back instead of committing
        except StaleDataError:
            # Another writer's UPDATE came first (models.Versioned); nothing was written.
            raise conflicts.stale() from None
        except sqlalchemy.exc.OperationalError as error:
            if _is_disk_full(error):
                raise DiskFull(DISK_FULL_MESSAGE) from None
            raise

    # -- checks --------------------------------------------------------------------------

    def check(self) -> list[str]:
        if self._engine is None:
            raise RuntimeError("store is closed")
        with _damage_reported():
            problems = integrity_problems(self._engine)
            revision = current_revision(self._engine)
        if revision != head_revision():
            problems.append(f"schemaversion {revision}, väntad {head_revision()}")
        return problems

    def schema_revision(self) -> str | None:
        assert self._engine is not None
        return current_revision(self._engine)

    # -- seeding -------------------------------------------------------------------------

    def _seed(self, namn: str, lan: str, huvudman: str, kommuner: list[str], start_ar: int) -> None:
        with self.transaction() as session:
            session.add(models.Verksamhet(namn=namn, lan=lan, huvudman=huvudman, start_ar=start_ar))
            for order, kommun in enumerate(kommuner):
                session.add(models.Kommun(namn=kommun, sort_order=order))
            # No prioriteringsordning is seeded: nothing is decided until the enhetschef
            # records a decision; the kö meanwhile uses the proposal (ko.proposal).
        self.ensure_categories()

    def ensure_categories(self) -> None:
        """Adds default categories a store lacks (one made before they existed)."""
        with self.transaction() as session:
            existing = {
                tuple(row)
                for row in session.execute(select(tables.category.c.kind, tables.category.c.code))
            }
            for kind, entries in categories.DEFAULTS.items():
                for order, entry in enumerate(entries):
                    if (kind.value, entry.code) not in existing:
                        session.add(
                            models.Category(
                                kind=kind.value, code=entry.code, namn=entry.name, sort_order=order
                            )
                        )


def finish_interrupted_replacement(path: Path) -> None:
    """Completes (or undoes) a restore or re-key a crash interrupted, under the lock."""
    if not swap.pending(path):
        return
    lock = WriterLock(path)
    lock.acquire()
    try:
        swap.finish_interrupted(path)
    finally:
        lock.release()


DAMAGED_MESSAGE = (
    "Registret är skadat och kan inte läsas. Återställ det från den senaste säkerhetskopian."
)


@contextlib.contextmanager
def _damage_reported() -> Iterator[None]:
    """A page that fails SQLCipher's check or SQLite's format shows up mid-query; the user
    gets one clear message instead of a database error."""
    try:
        yield
    except sqlalchemy.exc.DatabaseError as error:
        if isinstance(error, sqlalchemy.exc.OperationalError):
            raise
        log.info("store damaged: %s", type(error.orig).__name__)
        damaged = DamagedStore(DAMAGED_MESSAGE)
        damaged.findings = (str(error.orig),)  # detail for `check --verbose`, never shown else
        raise damaged from None


DISK_FULL_MESSAGE = "Disken är full. Frigör utrymme och försök igen; inget halvfärdigt sparades."


def _is_disk_full(error: sqlalchemy.exc.OperationalError) -> bool:
    text = str(error.orig).lower()
    return "full" in text or "no space" in text


def _migrate_with_copy(path: Path, engine: Engine) -> bool:
    """Copies the (still encrypted) file before a schema upgrade, then migrates; True when
    the schema changed."""
    revision = current_revision(engine)
    refuse_unknown(revision)
    if revision is None or revision == head_revision():
        return migrate(engine)
    copy = path.with_name(f"{path.name}.fore-{revision}.bak")
    shutil.copy2(path, copy)
    log.info("schema upgrade from %s; copy kept", revision)
    return migrate(engine)
