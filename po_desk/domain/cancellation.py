"""Cancelling a long operation from the GUI without leaving anything half-done.

The GUI gives the worker thread a token; the work calls `checkpoint()` at safe points
(between files, before a transaction commits, before a written file replaces the old
one). Once the user has pressed Avbryt, the next checkpoint raises `Cancelled`, and the
transaction rolls back or the temporary file is removed, as for any other error."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from po_desk.domain.errors import PoDeskError

_current = threading.local()


class Cancelled(PoDeskError):
    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Avbrutet. Inget halvfärdigt sparades.")


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@contextlib.contextmanager
def cancellable(token: CancelToken) -> Iterator[CancelToken]:
    """Makes `token` the one `checkpoint()` consults in this thread for the block."""
    previous = getattr(_current, "token", None)
    _current.token = token
    try:
        yield token
    finally:
        _current.token = previous


def checkpoint() -> None:
    """Raises Cancelled when this thread's operation has been cancelled."""
    token: CancelToken | None = getattr(_current, "token", None)
    if token is not None and token.cancelled:
        raise Cancelled()
