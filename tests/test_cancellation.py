"""Avbryt: a cancelled write rolls back, a cancelled export leaves no file, and the GUI's
progress dialog offers Avbryt and reports the cancellation instead of a result."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from po_desk.domain import cancellation
from po_desk.domain.cancellation import Cancelled, CancelToken, cancellable, checkpoint
from po_desk.domain.uppdrag import Uppdrag
from po_desk.secure_files import atomic_write
from po_desk.services.workspace import Workspace


def _uppdrag(workspace: Workspace) -> Uppdrag:
    kommun = workspace.verksamhet.get().kommuner[0].id
    from datetime import date

    return Uppdrag(kon="kvinna", fodelsear=1980, kommun_id=kommun, start=date(2025, 3, 1),
                   kontaktorsaker=("ekonomi",))  # fmt: skip


def test_checkpoint_raises_only_after_cancel_and_only_in_its_thread() -> None:
    token = CancelToken()
    with cancellable(token):
        checkpoint()
        token.cancel()
        with pytest.raises(Cancelled):
            checkpoint()
        other: list[BaseException] = []

        def elsewhere() -> None:
            try:
                checkpoint()
            except BaseException as error:  # pragma: no cover - would fail the test
                other.append(error)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        assert other == []
    checkpoint()  # outside the block nothing is cancelled
    assert Cancelled().exit_code == 130


def test_cancelled_transaction_rolls_back(workspace: Workspace) -> None:
    before = len(workspace.uppdrag.all())
    token = CancelToken()
    token.cancel()
    with cancellable(token), pytest.raises(Cancelled):
        workspace.uppdrag.save(_uppdrag(workspace))
    assert len(workspace.uppdrag.all()) == before
    workspace.uppdrag.save(_uppdrag(workspace))
    assert len(workspace.uppdrag.all()) == before + 1


def test_cancelled_file_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"gammal")
    token = CancelToken()
    token.cancel()
    with cancellable(token), pytest.raises(Cancelled):
        atomic_write(target, b"ny")
    assert target.read_bytes() == b"gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.pdf"]


@pytest.mark.gui
def test_progress_dialog_offers_avbryt_and_reports_cancellation(qtbot) -> None:
    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    from po_desk.ui import ops

    parent = QWidget()
    qtbot.addWidget(parent)
    started, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def work() -> str:
        started.set()
        release.wait(5)
        cancellation.checkpoint()
        return "klar"

    op = ops.Op(
        parent,
        "Arbetar…",
        work=work,
        on_success=lambda r: outcome.append(r),
        on_failure=lambda e: outcome.append(type(e).__name__),
        on_cancelled=lambda: outcome.append("avbrutet"),
    )
    op.run()
    assert started.wait(5)
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is not None, timeout=3000)
    dialog = parent.findChild(QProgressDialog)
    button = dialog.findChild(QPushButton)
    assert button.text() == "Avbryt"
    button.click()
    assert dialog.labelText() == "Avbryter…"
    release.set()
    qtbot.waitUntil(lambda: outcome != [], timeout=5000)
    assert outcome == ["avbrutet"]


@pytest.mark.gui
def test_op_takes_everything_after_its_label_by_keyword(qtbot) -> None:
    from po_desk.ui import ops

    with pytest.raises(TypeError):
        ops.Op(None, "Arbetar…", lambda: 1, lambda _r: None)  # positional: refused
    op = ops.Op(None, "Arbetar…", work=lambda: 1, on_success=lambda _r: None, cancel=False)
    assert op is not None
