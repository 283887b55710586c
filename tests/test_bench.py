"""The benchmark itself keeps working (figures are reported, never asserted against)."""

from __future__ import annotations

import json
from pathlib import Path

from tools import bench

FIGURES = {
    "open_store_s", "open_store_passphrase_s", "uppdrag_list_s", "ko_order_s",
    "aterrapport_compute_s", "aterrapport_pdf_s", "underlag_pdf_s", "aggregate_116_s",
    "cipher_over_plain_ratio", "gui_start_s", "bare_qt_start_s", "gui_start_ratio",
    "gui_peak_rss_mb", "gui_ready_s", "bare_qt_text_menu_start_s", "gui_start_ratio_bare",
    # Issue 17's whole-process figures (bench.FULL_ONLY ones in the full run only).
    "cli_version_s", "cli_export_json_800_s", "demo_window_s",
}  # fmt: skip
SERVER_FIGURES = {
    "server_move_s", "server_uppdrag_list_s", "server_aterrapport_compute_s",
    "server_save_p95_s", "server_save_median_s", "server_saves_per_s", "server_conflict_share",
}  # fmt: skip


def _postgresql_installed() -> bool:
    from tests.support import pg_cluster

    try:
        pg_cluster.find_binaries()
    except pg_cluster.ClusterUnavailable:
        return False
    return True


def test_quick_benchmark_writes_every_figure(tmp_path: Path, capsys) -> None:
    out = tmp_path / "b.json"
    assert bench.main(["--quick", "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    expected = FIGURES | (SERVER_FIGURES if _postgresql_installed() else set())
    assert set(figures) == expected
    assert not FIGURES & set(bench.FULL_ONLY)
    assert set(bench.FULL_ONLY) <= set(bench.TARGETS)
    # A share of conflicts may be 0; every time and count is positive.
    assert all(value > 0 for name, value in figures.items() if name != "server_conflict_share")
    assert figures.get("server_conflict_share", 0) >= 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(expected)


def test_cipher_and_plain_are_timed_alternately(monkeypatch) -> None:
    """The ratio's two sides run turn about (after one warm-up each), so the shared
    machine's load falls on both alike."""
    clock = [0.0]
    calls: list[str] = []
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])

    def work(name: str, cost: float):
        def run() -> None:
            calls.append(name)
            clock[0] += cost

        return run

    ratio = bench.cipher_over_plain(work("c", 3.0), work("p", 2.0), 5)
    assert ratio == 1.5
    assert calls == ["c", "p"] * 6


def test_start_probes_run_with_bytecode_caching_after_one_unmeasured_run(monkeypatch) -> None:
    """Issue 17 (gui_start_ratio): the floor's PySide6 is installed with its bytecode, so
    the probe of our window runs with a bytecode cache too, as an installed po-desk does;
    the first run, which writes the cache, is not counted."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    seen: list[dict[str, str]] = []
    times = iter(["9 9 1", "0.2 1.0 2", "0.1 0.9 3", "0.3 1.1 4"])

    class Done:
        def __init__(self) -> None:
            self.stdout = next(times)

    def run(command, **kwargs):
        seen.append(kwargs["env"])
        return Done()

    monkeypatch.setattr(bench.subprocess, "run", run)
    assert bench.gui_start(["bare"], 3) == (0.2, 1.0, 4.0)
    assert len(seen) == 4
    assert all("PYTHONDONTWRITEBYTECODE" not in env for env in seen)
    assert all(env["PYTHONPYCACHEPREFIX"] == bench.PYCACHE for env in seen)
