"""Run by the benchmark in a fresh process: the time to a shown main window on a store
(or to a bare QMainWindow, with the argument `bare`), the time until the store is open
and Översikt is filled, and the peak memory; prints the three.

The start follows the program's own path (`po_desk.ui.app`). The store opens with its
remembered key, as on a workstation where "kom ihåg" is set: the benchmark hands the
keyring's entries over on standard input (JSON), and they go into an in-memory keyring
so the machine's own keyring is never touched."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
STARTED = time.perf_counter()


def _peak_rss_mb() -> float:
    try:
        import resource  # POSIX only; on Windows the figure is left out (0)

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:
        return 0.0


def main(argv: list[str]) -> None:
    if argv[0] == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([])
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        shown = time.perf_counter() - STARTED
        print(f"{shown} {shown} {_peak_rss_mb()}")
        return
    from po_desk.ui.app import open_into, prepare_application, show_window

    app = prepare_application()
    from po_desk.services.app_settings import AppSettings

    window = show_window(AppSettings(), __import__("pathlib").Path(argv[0]))
    window.automatic_backups = False
    app.processEvents()
    shown = time.perf_counter() - STARTED
    import json

    from tests.support.memory_keyring import use_memory_keyring

    use_memory_keyring(json.loads(sys.stdin.read()))
    assert open_into(window), "the store did not open with the remembered key"
    app.processEvents()
    ready = time.perf_counter() - STARTED
    print(f"{shown} {ready} {_peak_rss_mb()}")
    window.close()


if __name__ == "__main__":
    main(sys.argv[1:])
