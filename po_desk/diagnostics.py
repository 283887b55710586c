"""What an unexpected error may leave behind: its type and the innermost frame of our own
code (file, line, function), never its message or any value, which may hold client data.
Used by the CLI's catch-all and the GUI's error paths; stdlib only, so every layer may use it."""

from __future__ import annotations

import traceback
from pathlib import Path
from types import TracebackType

PACKAGE = Path(__file__).resolve().parent


def innermost_own_frame(trace: TracebackType | None) -> str:
    """`po_desk/x/y.py:12 in f` for the deepest frame inside po_desk; "?" when none is."""
    found = "?"
    for frame in traceback.extract_tb(trace):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PACKAGE):
            relative = path.relative_to(PACKAGE.parent).as_posix()
            found = f"{relative}:{frame.lineno} in {frame.name}"
    return found


def summary(error: BaseException) -> str:
    """`ValueError at po_desk/x.py:12 in f`: the type and where, without the message."""
    return f"{type(error).__name__} at {innermost_own_frame(error.__traceback__)}"
