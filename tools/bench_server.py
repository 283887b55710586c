"""The benchmark's server figures (issue 18), on one throw-away PostgreSQL cluster (TLS,
SCRAM, loopback; tests/support/pg_cluster.py). Skipped with a note when PostgreSQL
(initdb) or psycopg is missing.

- `server_move_s`, `server_uppdrag_list_s`, `server_aterrapport_compute_s`: the synthetic
  store moved onto the server (`server import`), then the same uppdrag list and
  återrapport as on the local file, as an enhetschef logged in over TLS (free text is
  opened with the data key on the way, as in real use).
- `server_save_p95_s` (and the median, saves per second, share of conflicts): 20
  simulated ombud saving at once (tests/support/concurrency.py). The ombud are threads of
  one process saving with no pause: a stress far above 20 people at work, and the figure
  includes their contention for the one Python interpreter as well as the server's write
  lock (one writer at a time).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

USERS = 20
SECONDS = {"quick": 10.0, "full": 30.0}
SERVER_USER, SERVER_PASSWORD = "bench_chef", "benchmark serverlösenord 2026"


def server_figures(
    store_path: Path, passphrase: str, runs: int, median_time: Callable[..., float], quick: bool
) -> dict[str, float]:
    from tests.support import pg_cluster

    try:
        import psycopg  # noqa: F401

        cluster = pg_cluster.start()
    except (ImportError, pg_cluster.ClusterUnavailable) as error:
        print(f"serversiffrorna hoppas över: {error}", file=sys.stderr)
        return {}
    try:
        figures = _moved_store(cluster, store_path, passphrase, runs, median_time)
        figures.update(_concurrent_saves(cluster, quick))
        return figures
    finally:
        cluster.stop()


def _moved_store(
    cluster: Any, store_path: Path, passphrase: str, runs: int, median_time: Callable[..., float]
) -> dict[str, float]:
    from po_desk.services import register_move, server_service
    from tests.conftest import add_server_person
    from tools.bench_probe import uppdrag_list_filler

    admin = server_service.resolve(cluster.admin_url())
    setup = server_service.initialise(admin)
    started = time.perf_counter()
    register_move.move_to_server(
        store_path, admin, passphrase=passphrase, server_recovery_key=setup.recovery_key
    )
    figures = {"server_move_s": time.perf_counter() - started}
    add_server_person(
        cluster, cluster.database, SERVER_USER, "enhetschef", SERVER_PASSWORD, setup.recovery_key
    )
    workspace = server_service.open_workspace(
        server_service.resolve(cluster.url(SERVER_USER, SERVER_PASSWORD))
    )
    try:
        year = date.today().year - 1
        figures["server_uppdrag_list_s"] = median_time(uppdrag_list_filler(workspace), runs)
        figures["server_aterrapport_compute_s"] = median_time(
            lambda: workspace.aterrapport.compute(year), runs
        )
    finally:
        workspace.session.close()
    return figures


def _concurrent_saves(cluster: Any, quick: bool) -> dict[str, float]:
    """`server_save_p95_s`: the 95th percentile of a save's time, 20 ombud at once."""
    from tests.support import concurrency

    urls = concurrency.prepare_database(cluster, "podesk_bench", USERS)
    outcome = concurrency.simulate(urls, SECONDS["quick" if quick else "full"])
    if outcome.failures:
        raise RuntimeError(f"{len(outcome.failures)} ombud fick oväntade fel")
    return {
        "server_save_p95_s": outcome.p95_seconds(),
        "server_save_median_s": statistics.median(w.seconds for w in outcome.writes),
        "server_saves_per_s": len(outcome.writes) / outcome.seconds,
        "server_conflict_share": len(outcome.conflicts) / max(1, len(outcome.writes)),
    }
