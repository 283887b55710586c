"""The benchmark's server figures (issue 18): a throw-away PostgreSQL cluster (TLS, SCRAM,
loopback; tests/support/pg_cluster.py) and 20 simulated ombud saving at once
(tests/support/concurrency.py). Skipped with a note when PostgreSQL (initdb) or psycopg
is missing.

The ombud are threads of one process, saving with no pause between saves: a stress far
above 20 people at work, and the figure includes their contention for the one Python
interpreter as well as the server's write lock (one writer at a time)."""

from __future__ import annotations

import statistics
import sys

USERS = 20
SECONDS = {"quick": 10.0, "full": 30.0}


def server_figures(quick: bool) -> dict[str, float]:
    """`server_save_p95_s`: the 95th percentile of a save's time, 20 ombud at once."""
    from tests.support import concurrency, pg_cluster

    try:
        import psycopg  # noqa: F401

        cluster = pg_cluster.start()
    except (ImportError, pg_cluster.ClusterUnavailable) as error:
        print(f"serversiffrorna hoppas över: {error}", file=sys.stderr)
        return {}
    try:
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
    finally:
        cluster.stop()


if __name__ == "__main__":
    for name, value in server_figures("--quick" in sys.argv).items():
        print(f"{name} {round(value, 4)}")
