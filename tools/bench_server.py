"""The benchmark's server figures (issue 18): the synthetic store moved onto a throw-away
PostgreSQL cluster (TLS on loopback, as the tests start it), then the same uppdrag list
and återrapport as on the local file, measured as an enhetschef logged in over TLS.

Skipped, with the reason printed, where PostgreSQL is not installed."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SERVER_USER, SERVER_PASSWORD = "bench_chef", "benchmark serverlösenord 2026"


def server_figures(
    store_path: Path, passphrase: str, runs: int, median_time: Callable[..., float]
) -> dict[str, float]:
    from tests.support import pg_cluster

    try:
        cluster = pg_cluster.start()
    except (ImportError, pg_cluster.ClusterUnavailable) as error:
        print(f"serversiffrorna hoppas över: {error}", file=sys.stderr)
        return {}
    try:
        return _measure(cluster, store_path, passphrase, runs, median_time)
    finally:
        cluster.stop()


def _measure(
    cluster: Any, store_path: Path, passphrase: str, runs: int, median_time: Callable[..., float]
) -> dict[str, float]:
    from po_desk.services import register_move, server_service
    from tools.bench_probe import uppdrag_list_filler

    admin = server_service.resolve(cluster.admin_url())
    server_service.initialise(admin)
    started = time.perf_counter()
    register_move.move_to_server(store_path, admin, passphrase=passphrase)
    figures = {"server_move_s": time.perf_counter() - started}
    server_service.add_user(admin, SERVER_USER, "enhetschef", SERVER_PASSWORD)
    profile = server_service.resolve(cluster.url(SERVER_USER, SERVER_PASSWORD))
    workspace = server_service.open_workspace(profile)
    try:
        year = date.today().year - 1
        figures["server_uppdrag_list_s"] = median_time(uppdrag_list_filler(workspace), runs)
        figures["server_aterrapport_compute_s"] = median_time(
            lambda: workspace.aterrapport.compute(year), runs
        )
    finally:
        workspace.close()
    return figures
