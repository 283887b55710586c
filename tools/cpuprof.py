"""cProfile with the process's CPU time as its clock (`python -m tools.cpuprof OUT.txt -m
MODULE ARGS…`): on the shared machine wall-clock profiles mostly measure the other
sessions' load; CPU time (all threads: argon2's two lanes count twice) does not. Writes
the 60 largest cumulative entries as text to OUT.txt."""

from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
import runpy
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "-m":
        print("usage: python -m tools.cpuprof OUT.txt -m MODULE [ARGS…]", file=sys.stderr)
        return 2
    out, module = argv[0], argv[2]
    sys.argv = [module, *argv[3:]]
    profile = cProfile.Profile(time.process_time)
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.suppress(SystemExit):
        profile.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
    text = io.StringIO()
    text.write(
        f"# wall {time.perf_counter() - started:.3f} s, cpu {time.process_time() - cpu:.3f} s\n"
    )
    pstats.Stats(profile, stream=text).strip_dirs().sort_stats("cumulative").print_stats(60)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
