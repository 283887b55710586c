"""Flame graphs of the whole-process figures (issue 17): `python -m tools.flames [OUT]`
(from the repository root, with pyinstrument installed: `pip install ".[profile]"`).

Runs each command the benchmark times as a child process (the same environment: the
passphrase from PO_DESK_PASSPHRASE, bytecode cached, the keyring not used) under
pyinstrument's sampling profiler and writes two files per command into OUT (default
tools/profiles/flames): `NAME.speedscope.json`, a flame graph to open in speedscope
(https://www.speedscope.app, or `npx speedscope FILE` offline), and `NAME.txt`, the same
call tree as text. Wall-clock samples, every 1 ms; one run each, so read them for where
the time goes, not for the figure itself (the benchmark takes medians)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tools.bench import QUICK, ROOT, build_store, child_env, fresh_import_target, import_fixture


def _commands(folder: Path, store_800: Path, rows: Path) -> dict[str, list[str]]:
    year = str(date.today().year - 1)
    return {
        "version": ["--version"],
        "export_json_800": ["export", "aterrapport", "--db", str(store_800), "--year", year,
                            "--format", "json", "--out", str(folder / "r.json")],
        "backup_800": ["backup", "--db", str(store_800), "--out", str(folder / "b.podesk-backup")],
        "demo_800": ["demo", "--db", str(folder / "demo800.podesk"), "--uppdrag", "800",
                     "--recovery-key-out", str(folder / "demo800.key")],
        "import_10561": ["import", "uppdrag", str(rows), "--db", str(folder / "imp.podesk")],
    }  # fmt: skip


def profile(name: str, args: list[str], out: Path, reset: Callable[[], None]) -> None:
    for renderer, suffix in (("speedscope", ".speedscope.json"), ("text", ".txt")):
        reset()
        subprocess.run(
            [sys.executable, "-m", "pyinstrument", "-i", "0.001", "-r", renderer,
             "-o", str(out / f"{name}{suffix}"), "-m", "po_desk", *args],
            cwd=ROOT, env=child_env(), check=True, capture_output=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.flames")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "tools/profiles/flames")
    args = parser.parse_args(argv)
    if shutil.which("pyinstrument") is None and not _has_pyinstrument():
        print('pyinstrument saknas: pip install ".[profile]"', file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="po-desk-flames-"))
    try:
        from tests.support.memory_keyring import use_memory_keyring

        use_memory_keyring()
        store_800 = build_store(folder, QUICK)
        rows = import_fixture(folder)
        # One unmeasured run writes the bytecode cache, as an installed program has it.
        subprocess.run([sys.executable, "-m", "po_desk", "check", "--db", str(store_800)],
                       cwd=ROOT, env=child_env(), check=True, capture_output=True)  # fmt: skip

        def reset() -> None:
            """Before every run: no demo store yet, an empty store to import into."""
            for stale in folder.glob("demo800*"):
                stale.unlink()
            fresh_import_target(folder)

        for name, command in _commands(folder, store_800, rows).items():
            profile(name, command, args.out, reset)
            print(f"{name}: {args.out / name}.speedscope.json")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _has_pyinstrument() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyinstrument") is not None


if __name__ == "__main__":
    raise SystemExit(main())
