"""Several ombud at once on one server database (issue 18): the simulation behind
tests/test_server_concurrency.py and the benchmark's `server_save_p95_s`.

Each simulated ombud is a thread with a workspace (engine, connections) and a PostgreSQL
login role of its own. For a bounded time they register uppdrag and anmälningar, edit
them (a form loaded, another write made meanwhile, then saved: the loaded version may be
stale) and påbörja waiting anmälningar. Every write is timed, and its outcome recorded
as the ombud saw it: saved (with the version it produced), a reported ConflictError, or
refused (påbörja of an anmälan that no longer waits). The test then checks the register
against what the ombud themselves saw, independently of the program's counting.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

USER_PASSWORD = "ett långt lösenord för ombud 7"
KONTAKTORSAKER = ("ekonomi",)
KON = ("kvinna", "man")


def prepare_database(cluster: Any, name: str, users: int) -> list[str]:
    """A new database after `server init`, with `users` ombud roles; their URLs."""
    import psycopg

    from po_desk.services import server_service
    from tests.conftest import add_server_person
    from tests.support.pg_cluster import several_registers

    with psycopg.connect(cluster.admin_url(database="postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    admin = server_service.resolve(cluster.admin_url(database=name))
    # The benchmark's cluster holds its moved store besides this database.
    with several_registers():
        setup = server_service.initialise(
            admin,
            server_service.NewVerksamhet(
                "PO Storstaden", "Stockholms län", ["Stockholm", "Solna"], start_ar=2020
            ),
        )
    urls = []
    for number in range(1, users + 1):
        role = f"{name}_o{number:02d}"
        # The role is cluster-wide: a second run reuses it.
        with contextlib.suppress(server_service.ServerError):
            add_server_person(cluster, name, role, "ombud", USER_PASSWORD, setup.recovery_key)
        urls.append(cluster.url(role, USER_PASSWORD, database=name))
    return urls


@dataclass
class Write:
    """One write as its ombud saw it."""

    kind: str  # ny_uppdrag, ny_anmalan, andra_uppdrag, andra_anmalan, paborja
    seconds: float
    outcome: str  # sparad, konflikt, nekad
    row_id: str | None = None
    kod: str | None = None
    version: int | None = None
    fodelsear: int | None = None
    kon: str | None = None
    message: str = ""
    new_id: str | None = None  # påbörja: the uppdrag it created


@dataclass
class Outcome:
    writes: list[Write] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # anything else: a failed test
    users: int = 0
    seconds: float = 0.0
    year: int = 0

    def of(self, kind: str, outcome: str | None = None) -> list[Write]:
        return [
            w for w in self.writes if w.kind == kind and (outcome is None or w.outcome == outcome)
        ]

    @property
    def conflicts(self) -> list[Write]:
        return [w for w in self.writes if w.outcome == "konflikt"]

    def p95_seconds(self) -> float:
        times = sorted(w.seconds for w in self.writes)
        if len(times) < 2:
            return times[0] if times else 0.0
        return statistics.quantiles(times, n=20, method="inclusive")[18]


class _Shared:
    """Rows every ombud may pick to edit or påbörja (ids only), under a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.uppdrag: list[str] = []
        self.anmalningar: list[str] = []

    def add(self, kind: str, row_id: str) -> None:
        with self.lock:
            getattr(self, kind).append(row_id)

    def pick(self, kind: str, rng: random.Random, hot: int = 12) -> str | None:
        """One of the newest rows: a few hot rows make concurrent edits of one row likely."""
        with self.lock:
            rows = getattr(self, kind)
            return rng.choice(rows[-hot:]) if rows else None


def simulate(urls: list[str], seconds: float, seed: int = 18) -> Outcome:
    """Runs one ombud per URL for `seconds`; the year written is last year."""
    from po_desk.services import server_service

    workspaces = [server_service.open_workspace(server_service.resolve(url)) for url in urls]
    try:
        year = date.today().year - 1
        outcome = Outcome(users=len(urls), seconds=seconds, year=year)
        shared = _Shared()
        kommuner = [k.id for k in workspaces[0].verksamhet.get().kommuner]
        lock = threading.Lock()

        def record(write: Write) -> None:
            with lock:
                outcome.writes.append(write)

        # First a burst on one row: every ombud loads it, then all save at once. One save
        # wins; every other one must be a reported conflict.
        first = _new_uppdrag(workspaces[0], random.Random(seed), kommuner, year, record)
        assert first is not None
        shared.add("uppdrag", first)
        start_line = threading.Barrier(len(workspaces))
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(
                target=_ombud,
                args=(
                    ws,
                    random.Random(seed * 100 + i),
                    kommuner,
                    year,
                    shared,
                    record,
                    deadline,
                    start_line,
                    first,
                    outcome.failures,
                ),
                name=f"ombud-{i}",
            )
            for i, ws in enumerate(workspaces)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcome
    finally:
        for workspace in workspaces:
            workspace.session.close()


def _timed(kind: str, save: Callable[[], Any]) -> tuple[Any, Write]:
    from po_desk.domain.errors import ConflictError, ValidationFailed

    started = time.perf_counter()
    try:
        result = save()
    except ConflictError as error:
        return None, Write(kind, time.perf_counter() - started, "konflikt", message=error.message)
    except ValidationFailed as error:
        return None, Write(kind, time.perf_counter() - started, "nekad", message=error.message)
    return result, Write(kind, time.perf_counter() - started, "sparad")


def _new_uppdrag(
    workspace: Any, rng: random.Random, kommuner: list[str], year: int, record: Any
) -> str | None:
    from po_desk.domain.uppdrag import Uppdrag

    item = Uppdrag(
        kon=rng.choice(KON),
        fodelsear=rng.randint(1940, 2000),
        kommun_id=rng.choice(kommuner),
        start=date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
        kontaktorsaker=KONTAKTORSAKER,
    )
    saved, write = _timed("ny_uppdrag", lambda: workspace.uppdrag.save(item))
    if saved is not None:
        write = replace(write, row_id=saved.id, kod=saved.kod, version=saved.version,
                        fodelsear=saved.fodelsear, kon=saved.kon)  # fmt: skip
    record(write)
    return saved.id if saved is not None else None


def _new_anmalan(
    workspace: Any, rng: random.Random, kommuner: list[str], year: int, record: Any
) -> str | None:
    from po_desk.domain.ko import Anmalan

    item = Anmalan(
        anmald=date(year, 1, 1) + timedelta(days=rng.randint(0, 180)),
        kon=rng.choice(KON),
        fodelsear=rng.randint(1940, 2000),
        kommun_id=rng.choice(kommuner),
        kontaktorsaker=KONTAKTORSAKER,
    )
    saved, write = _timed("ny_anmalan", lambda: workspace.ko.save(item))
    if saved is not None:
        write = replace(write, row_id=saved.id, kod=saved.kod, version=saved.version,
                        fodelsear=saved.fodelsear, kon=saved.kon)  # fmt: skip
    record(write)
    return saved.id if saved is not None else None


def _edit(service: Any, kind: str, loaded: Any, value: int, record: Any) -> None:
    changed = replace(loaded, fodelsear=value)
    saved, write = _timed(kind, lambda: service.save(changed))
    write.row_id = loaded.id
    if saved is not None:
        write = replace(write, version=saved.version, fodelsear=saved.fodelsear)
    record(write)


def _other_value(loaded: Any, rng: random.Random) -> int:
    value = rng.randint(1940, 2000)
    return value if value != loaded.fodelsear else value + 1 if value < 2000 else value - 1


def _ombud(
    workspace: Any,
    rng: random.Random,
    kommuner: list[str],
    year: int,
    shared: _Shared,
    record: Any,
    deadline: float,
    start_line: threading.Barrier,
    first: str,
    failures: list[str],
) -> None:
    try:
        burst = workspace.uppdrag.get(first)
        start_line.wait(timeout=60)
        _edit(workspace.uppdrag, "andra_uppdrag", burst, _other_value(burst, rng), record)
        while time.monotonic() < deadline:
            action = rng.random()
            if action < 0.25:
                row_id = _new_uppdrag(workspace, rng, kommuner, year, record)
                if row_id:
                    shared.add("uppdrag", row_id)
            elif action < 0.5:
                row_id = _new_anmalan(workspace, rng, kommuner, year, record)
                if row_id:
                    shared.add("anmalningar", row_id)
            elif action < 0.7:
                # A form open while the ombud registers an anmälan: the version may be stale.
                picked = shared.pick("uppdrag", rng)
                loaded = workspace.uppdrag.get(picked) if picked else None
                row_id = _new_anmalan(workspace, rng, kommuner, year, record)
                if row_id:
                    shared.add("anmalningar", row_id)
                if loaded is not None:
                    value = _other_value(loaded, rng)
                    _edit(workspace.uppdrag, "andra_uppdrag", loaded, value, record)
            elif action < 0.85:
                picked = shared.pick("anmalningar", rng)
                loaded = workspace.ko.get(picked) if picked else None
                if loaded is not None and loaded.is_waiting:
                    value = _other_value(loaded, rng)
                    _edit(workspace.ko, "andra_anmalan", loaded, value, record)
            else:
                picked = shared.pick("anmalningar", rng)
                loaded = workspace.ko.get(picked) if picked else None
                if loaded is not None and loaded.is_waiting:
                    _paborja(workspace, loaded, rng, year, shared, record)
    except Exception as error:  # reported to the test, which fails on any
        failures.append(f"{type(error).__name__}: {error}")


def _paborja(
    workspace: Any, loaded: Any, rng: random.Random, year: int, shared: _Shared, record: Any
) -> None:
    start = min(loaded.anmald + timedelta(days=rng.randint(0, 60)), date(year, 12, 31))
    uppdrag = workspace.ko.uppdrag_from(loaded, start)
    saved, write = _timed("paborja", lambda: workspace.ko.start(loaded.id, uppdrag))
    write.row_id = loaded.id
    if saved is not None:
        write = replace(write, kod=saved.kod, version=saved.version, fodelsear=saved.fodelsear,
                        kon=saved.kon, new_id=saved.id)  # fmt: skip
        shared.add("uppdrag", saved.id)
    record(write)
