"""Run by the benchmark in a fresh process: time to a shown main window on a store (or a
bare QMainWindow with the argument `bare`), and the peak memory; prints both."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
STARTED = time.perf_counter()


def main(argv: list[str]) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    if argv[0] == "bare":
        window = QMainWindow()
    else:
        from po_desk.services import stores
        from po_desk.services.app_settings import AppSettings
        from po_desk.ui.main_window import MainWindow

        workspace = stores.open_store(argv[0], passphrase=argv[1])
        window = MainWindow(workspace, AppSettings(), automatic_backups=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    elapsed = time.perf_counter() - STARTED
    try:
        import resource  # POSIX only; on Windows the figure is left out (0)

        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:
        peak_mb = 0.0
    print(f"{elapsed} {peak_mb}")


if __name__ == "__main__":
    main(sys.argv[1:])
