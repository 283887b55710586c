"""Leaving the process when the program is done (issue 17, `close_s`).

After the last window has closed (the backup on close made and verified, the store closed)
or a command has finished, Python's own shutdown still took 0.2–0.35 s on the 2-core
machine: collecting every module's objects one by one (SQLAlchemy's, the ORM's, the views')
and PySide6 destroying the Qt objects, all of it work whose result the operating system
throws away with the process. `leave` does what that shutdown does that matters — it runs
the exit handlers (logging's flush and close, finalizers, PySide6's own) and flushes
standard output and error — and then ends the process with the exit code. The store is
closed before this by the code that opened it (`Workspace.session.close`, the window's
close), as it must be for any exit.

The normal way out is kept when the quick one could lose something: a Python thread that
is not a daemon is still running (Python would wait for it), or a profiler or tracer is
active (its report is written at the normal exit)."""

from __future__ import annotations

import sys
from typing import NoReturn


def leave(code: int) -> NoReturn:
    import atexit
    import contextlib
    import os
    import threading

    waiting = [
        t for t in threading.enumerate()
        if t is not threading.main_thread() and not t.daemon and t.is_alive()
    ]  # fmt: skip
    if waiting or sys.getprofile() is not None or sys.gettrace() is not None:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed or broken pipe: nothing more can be said there.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)
