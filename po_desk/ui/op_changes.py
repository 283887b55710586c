"""Telling the main window what a write changed, so that every view refreshes only when its
data changed (Anki's `operation_did_execute`).

The view that made the change refreshes itself (it also selects the saved row) and passes
itself as `handler`; the main window skips it and hands the changes to the other views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from po_desk.services.changes import OpChanges, changes_of


def report(source: QObject | None, changes: OpChanges, handler: object | None = None) -> bool:
    """Broadcasts `changes` through the window `source` is in; False when it is in none
    (a view or dialog shown on its own, as in a test)."""
    node = source
    while node is not None:
        signal = getattr(node, "operation_did_execute", None)
        if signal is not None and hasattr(signal, "emit"):
            signal.emit(changes, handler)
            return True
        node = node.parent()
    return False


def did_write(view: QObject, *methods: Callable[..., Any]) -> None:
    """After `view` made a write through `methods` (and refreshed itself): tells the
    other views what the methods declare they change."""
    report(view, changes_of(*methods), view)
