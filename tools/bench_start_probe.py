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
    if argv[0] in ("bare", "bare-text-menu"):
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication([])
        window = QMainWindow()
        if argv[0] == "bare-text-menu":
            # The floor of a real window (issue 17): every one draws text and a menu bar.
            window.menuBar().addMenu("&Arkiv").addAction("&Avsluta")
            window.setCentralWidget(QLabel("<h2>Registret öppnas</h2>"))
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        shown = time.perf_counter() - STARTED
        print(f"{shown} {shown} {_peak_rss_mb()}")
        return
    if argv[0] == "demo":
        # `po-desk --demo` to a visible window, on a first launch (a fresh HOME).
        from po_desk.ui.app import prepare_application, start_demo

        app = prepare_application()
        from po_desk.services.app_settings import AppSettings

        window = start_demo(AppSettings(), __import__("pathlib").Path(argv[1]))
        assert window.isVisible() and window.workspace is None
        shown = time.perf_counter() - STARTED
        print(f"{shown} {shown} {_peak_rss_mb()}", flush=True)
        os._exit(0)  # the store is filled after the window shows: not part of this figure
    if argv[0] == "close":
        close_probe(argv[1])
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


def close_probe(store: str) -> None:
    """Opens the store in the window with automatic backups, makes a change (so the backup
    on close has work), then closes the window as a user does; prints the wall-clock time
    of the close, and the benchmark takes the time until this process has exited."""
    import json
    from datetime import date

    from po_desk.domain.ledningsgrupp import Medlem
    from po_desk.services.app_settings import AppSettings
    from po_desk.ui.app import open_into, prepare_application, show_window
    from tests.support.memory_keyring import use_memory_keyring

    app = prepare_application()
    use_memory_keyring(json.loads(sys.stdin.read()))
    window = show_window(AppSettings(), __import__("pathlib").Path(store))
    assert open_into(window)
    assert window.workspace is not None
    window.workspace.ledningsgrupp.save_member(
        Medlem("kommun", "socialchef", date.today()), warnings_confirmed=True
    )
    app.processEvents()
    from PySide6.QtCore import QTimer

    def close() -> None:
        print(time.time(), flush=True)
        window.close()

    QTimer.singleShot(0, close)
    # As the program ends (po_desk.cli.entry after po_desk.ui.app.run).
    from po_desk.process_exit import leave
    from po_desk.ui.app import finish_event_loop

    leave(finish_event_loop(app))


if __name__ == "__main__":
    main(sys.argv[1:])
