"""A full disk: the write fails as a whole, nothing half-written, a clear Swedish message,
and the form keeps what the user typed. SQLite's max_page_count makes the disk 'full'."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import event

from po_desk.domain.errors import DiskFull
from po_desk.domain.uppdrag import Uppdrag


def fill_disk(workspace) -> None:
    engine = workspace._store._engine
    with workspace._store.session() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(
        engine, "connect", lambda conn, _r: conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    )
    engine.dispose()  # the kept connection was made before the limit


def many(workspace, count: int) -> list[Uppdrag]:
    kommun = workspace.verksamhet.get().kommuner[0]
    return [
        Uppdrag(kon="kvinna", fodelsear=1980, kommun_id=kommun.id, start=date(2025, 1, 1),
                kontaktorsaker=("ekonomi", "bostad", "myndigheter"))
        for _ in range(count)
    ]  # fmt: skip


def test_full_disk_fails_cleanly(workspace) -> None:
    fill_disk(workspace)
    with pytest.raises(DiskFull, match="Disken är full"):
        workspace.uppdrag.add_many(many(workspace, 3000))
    assert workspace.uppdrag.count() == 0
    assert workspace.session.check() == []


@pytest.mark.gui
def test_form_keeps_what_was_typed(qtbot, window, monkeypatch) -> None:
    from tests.test_gui import fill_uppdrag

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    workspace = window.workspace
    fill_disk(workspace)
    with pytest.raises(DiskFull):
        for _ in range(2000):  # use up the last free pages
            workspace.uppdrag.save(many(workspace, 1)[0])
    dialog = window.uppdrag_view._dialog(None)
    qtbot.addWidget(dialog)
    fill_uppdrag(dialog)
    dialog.save()
    assert warnings and "Disken är full" in warnings[-1]
    assert dialog.person.fodelsear.value() == 1978  # what the user typed is still there
    assert dialog.person.orsaker.selected() == ("bostad", "sjukvard")
