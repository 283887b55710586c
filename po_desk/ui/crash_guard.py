"""Unexpected errors in the GUI: a Swedish message and a log line naming only the type and
the innermost frame of our code.

Python's default hook would print the traceback with local values to stderr, where client
data could end up in a terminal or a crash log.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from po_desk import diagnostics
from po_desk.domain.errors import PoDeskError
from po_desk.ui.messages import error_text

log = logging.getLogger(__name__)


def _hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if issubclass(kind, PoDeskError) and QApplication.instance() is not None:
        # One of ours that a view did not catch (a write the server refused for the
        # role): its Swedish message says what happened, it is not unexpected.
        log.warning("uncaught %s at %s", kind.__name__, diagnostics.innermost_own_frame(trace))
        QMessageBox.warning(None, "Det gick inte", error_text(error))
        return
    log.error("unexpected %s at %s", kind.__name__, diagnostics.innermost_own_frame(trace))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            "Oväntat fel",
            f"Ett oväntat fel inträffade ({kind.__name__}). Det som redan sparats finns kvar; "
            "det senaste steget kan ha avbrutits. Försök igen eller starta om programmet.",
        )


def install() -> None:
    sys.excepthook = _hook
