"""Running slow work off the GUI thread, with a progress dialog and Avbryt.

The background function never touches widgets; its result or error comes back to the
GUI thread through a signal and is handed to the success or failure callback. Avbryt
asks the work to stop at its next safe point (`po_desk.domain.cancellation`): a write
then rolls back, so the operation either completes or leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from po_desk import diagnostics
from po_desk.domain.cancellation import Cancelled, CancelToken, cancellable
from po_desk.services.changes import OpChanges
from po_desk.ui.op_changes import report

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 400
_running: set[Op] = set()


class _Signals(QObject):
    finished = Signal(object, object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals, token: CancelToken) -> None:
        super().__init__()
        self._work = work
        self._signals = signals
        self._token = token

    def run(self) -> None:
        try:
            with cancellable(self._token):
                result = self._work()
        except BaseException as error:  # handed to the GUI thread, shown or logged there
            log.debug("background operation ended with %s", diagnostics.summary(error))
            self._signals.finished.emit(None, error)
        else:
            self._signals.finished.emit(result, None)


class Op:
    """One background operation: `Op(parent, "Öppnar…", work=..., on_success=...).run()`;
    everything after the label by keyword.

    A write passes `changes=` (what the service method declares it changes, see
    `po_desk.services.changes.changes_of`): after success they go to the main window,
    which hands them to every view but `handler` (the one that asked, and refreshes itself).
    """

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        *,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
        cancel: bool = True,
        on_cancelled: Callable[[], None] | None = None,
        changes: OpChanges | None = None,
        handler: object | None = None,
    ) -> None:
        """`cancel=False` for work with no safe point to stop at (it then runs to its end)."""
        self._can_cancel = cancel
        self._on_cancelled = on_cancelled
        self.token = CancelToken()
        self._parent = parent
        self._label = label
        self._work = work
        self._on_success = on_success
        self._on_failure = on_failure
        self.changes = changes
        self._handler = handler
        self._signals = _Signals()
        self._signals.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._progress: QProgressDialog | None = None
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)

    def run(self) -> None:
        _running.add(self)
        self._timer.start(PROGRESS_DELAY_MS)
        QThreadPool.globalInstance().start(_Task(self._work, self._signals, self.token))

    def _show_progress(self) -> None:
        self._progress = QProgressDialog(self._label, "Avbryt", 0, 0, self._parent)
        if self._can_cancel:
            self._progress.canceled.disconnect()  # the dialog stays until the work stops
            self._progress.canceled.connect(self.cancel)
        else:
            self._progress.setCancelButton(None)
        self._progress.setAccessibleName(self._label)
        self._progress.setWindowTitle("po-desk")
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._progress.show()

    def cancel(self) -> None:
        """Asks the work to stop at its next safe point."""
        self.token.cancel()
        if self._progress is not None:
            self._progress.setLabelText("Avbryter…")
            button = self._progress.findChild(QPushButton)
            if button is not None:
                button.setEnabled(False)

    def _finish(self, result: Any, error: BaseException | None) -> None:
        self._timer.stop()
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        _running.discard(self)
        if isinstance(error, Cancelled):
            if self._on_cancelled is not None:
                self._on_cancelled()
        elif error is None:
            try:
                self._on_success(result)
            finally:
                if self.changes:
                    report(self._parent, self.changes, self._handler)
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            log.error("background operation failed: %s", diagnostics.summary(error))


def wait_for_all(timeout_ms: int = 10000) -> bool:
    """Used by tests and on shutdown: waits for background work to finish."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
