"""Issue 17: the demo window is on screen before the demo store is filled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog

from po_desk.services import demo
from po_desk.services.app_settings import AppSettings
from po_desk.ui import app
from po_desk.ui.main_window import MainWindow


def test_demo_window_is_shown_before_the_demo_store_is_filled(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, object]] = []
    real_fill = demo.fill

    def visible_windows() -> int:
        return sum(
            isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
        )

    def recording_fill(workspace, *args, **kwargs):
        events.append(("fill starts", (visible_windows(), workspace.uppdrag.count())))
        progress = kwargs["progress"]

        def step(text: str, percent: int) -> None:
            dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
            events.append(("progress", (percent, any(d.isVisible() for d in dialogs))))
            progress(text, percent)

        kwargs["progress"] = step
        summary = real_fill(workspace, *args, **kwargs)
        events.append(("fill done", workspace.uppdrag.count()))
        return summary

    monkeypatch.setattr(demo, "fill", recording_fill)
    monkeypatch.setattr(app, "DEMO_UPPDRAG", 40)
    window = app.start_demo(AppSettings(), tmp_path)
    qtbot.addWidget(window)
    events.append(("start_demo returned", window.isVisible()))
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=60_000)
    events.append(("attached", window.workspace.uppdrag.count()))

    names = [name for name, _ in events]
    # The window is visible as start_demo returns, before the store is even made ...
    assert events[0] == ("start_demo returned", True)
    # ... and the filling starts on an empty store behind a shown window,
    assert events[1] == ("fill starts", (1, 0))
    # with a visible progress indication at every step, ending complete and attached.
    progress = [value for name, value in events if name == "progress"]
    assert progress and all(shown for _, shown in progress)
    assert progress[-1][0] == 100
    assert names[-2:] == ["fill done", "attached"]
    assert events[-1] == ("attached", 40)
    assert "demo" in window.windowTitle()
    window.close()


def _backups(store_path: Path) -> list[Path]:
    from po_desk.services import backup_service

    return sorted(backup_service.default_folder(store_path).glob("*.podesk-backup"))


def test_backup_on_close_is_skipped_when_nothing_changed(workspace, store_path: Path) -> None:
    from po_desk.domain.ledningsgrupp import Medlem

    first = workspace.backup.on_close()
    assert first is not None and _backups(store_path) == [first.path]
    assert workspace.backup.on_close() is None  # the same bytes: no second copy
    assert _backups(store_path) == [first.path]
    workspace.ledningsgrupp.save_member(Medlem("kommun", "socialchef", date(2026, 1, 5)))
    first.path.rename(first.path.with_name(f"{store_path.stem}-20000101-000000.podesk-backup"))
    second = workspace.backup.on_close()  # changed since: made, and verified as always
    assert second is not None and second.path in _backups(store_path)
    assert not workspace.backup.interrupted()


def test_window_is_gone_before_the_backup_on_close(
    qtbot, workspace, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_desk.services.backup_service import BackupService

    window = MainWindow(workspace, AppSettings())
    qtbot.addWidget(window)
    window.show()
    seen: list[bool] = []
    real = BackupService.on_close

    def recording(self, *args, **kwargs):
        seen.append(window.isVisible())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(BackupService, "on_close", recording)
    window.close()
    assert seen == [False]
    assert len(_backups(store_path)) == 1


def test_a_start_redoes_an_interrupted_backup_on_close(qtbot, workspace, store_path) -> None:
    folder = workspace.backup.folder()
    folder.mkdir(parents=True, exist_ok=True)
    # As a backup on close leaves it when the power goes: the marker, no finished copy.
    (folder / f".{store_path.stem}.backup-pending").write_bytes(b"")
    assert workspace.backup.interrupted()
    window = MainWindow(workspace, AppSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not workspace.backup.interrupted(), timeout=30_000)
    assert len(_backups(store_path)) == 1
    window.automatic_backups = False
    window.close()


def _items(kommun_id: str) -> list:
    from po_desk.domain.uppdrag import BarnAndring, Uppdrag

    return [
        Uppdrag(kon="kvinna", fodelsear=1970, kommun_id=kommun_id, start=date(2024, 3, 1),
                kontaktorsaker=("ekonomi", "bostad"), anteckning="Ringer på tisdagar",
                barn="ja", barn_andringar=(BarnAndring(date(2025, 1, 1), "nej"),)),
        Uppdrag(kon="man", fodelsear=1985, kommun_id=kommun_id, start=date(2025, 5, 2),
                anmald=date(2025, 4, 1), kontaktorsaker=("myndigheter",),
                prioritetsgrunder=("barn",), slut=date(2025, 9, 30),
                avslutsorsak="mal_uppnatt", hanvisad_fran="psykiatri"),
        Uppdrag(kon="annan", fodelsear=1999, kommun_id=kommun_id, start=date(2025, 6, 2),
                kontaktorsaker=(), kod="2023-900"),
    ]  # fmt: skip


def test_bulk_insert_writes_what_the_orm_writes_with_its_audit(workspace, tmp_path) -> None:
    """Issue 17: the Core executemany insert of save_many gives the rows and the audit
    entries that saving each uppdrag through the ORM gives."""
    from collections import Counter

    from po_desk.services import store_lifecycle
    from po_desk.store.audit_repo import AuditRepository
    from po_desk.store.uppdrag_repo import UppdragRepository
    from tests.conftest import PASSPHRASE

    other = store_lifecycle.create_store(
        tmp_path / "orm.podesk", namn="PO Testbygden", lan="Värmlands län",
        kommuner=["Karlstad"], passphrase=PASSPHRASE, start_ar=2020,
    ).workspace  # fmt: skip
    try:
        stores_and_kommun = [
            (workspace._store, workspace.verksamhet.get().kommuner[0].id),
            (other._store, other.verksamhet.get().kommuner[0].id),
        ]
        (bulk_store, bulk_kommun), (orm_store, orm_kommun) = stores_and_kommun
        audit_before = {
            id(s): Counter((e.table_name, e.action) for e in AuditRepository(s).entries())
            for s, _ in stores_and_kommun
        }
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        from po_desk.store import models

        through_unit_of_work: list[object] = []

        def count(session, _context, _instances) -> None:
            through_unit_of_work.extend(
                row for row in session.new if isinstance(row, models.Uppdrag)
            )

        event.listen(Session, "before_flush", count)
        try:
            assert UppdragRepository(bulk_store).save_many(_items(bulk_kommun)) == 3
        finally:
            event.remove(Session, "before_flush", count)
        assert through_unit_of_work == []  # Core executemany, not the ORM's unit of work
        for item in _items(orm_kommun):
            UppdragRepository(orm_store).save(item)

        def shape(store, kommun_id):
            rows = UppdragRepository(store).list_all()
            return sorted(
                (u.kod, u.kon, u.fodelsear, u.kommun_id == kommun_id, u.anmald, u.start, u.slut,
                 u.avslutsorsak, u.barn, u.kontaktorsaker, u.prioritetsgrunder, u.hanvisad_fran,
                 u.anteckning, u.barn_andringar, bool(u.klient_id), bool(u.updated_at))
                for u in rows
            )  # fmt: skip

        assert shape(bulk_store, bulk_kommun) == shape(orm_store, orm_kommun)
        added = {
            id(s): Counter((e.table_name, e.action) for e in AuditRepository(s).entries())
            - audit_before[id(s)]
            for s, _ in stores_and_kommun
        }
        assert added[id(bulk_store)] == added[id(orm_store)]
        assert added[id(bulk_store)][("uppdrag", "skapad")] == 3
        assert workspace.session.check() == []
    finally:
        other.session.close()


def test_generated_return_validator_is_current_and_used() -> None:
    """Issue 17: the schema is compiled ahead of time (tools/gen_validator.py); after a
    schema change, run `python -m tools.gen_validator`."""
    from po_desk.services import aterrapport_validator, return_schema
    from tools import gen_validator

    assert gen_validator.TARGET.read_text(encoding="utf-8") == gen_validator.source()
    return_schema.validator.cache_clear()
    assert return_schema.validator().__module__ == aterrapport_validator.__name__
    assert return_schema.problems({"schema": return_schema.SCHEMA_V2})  # still checks


def test_kö_and_avvikelser_bulk_inserts_keep_rows_and_audit(workspace) -> None:
    """Issue 17: add_many of the kö and of avvikelser writes with Core executemany (no
    ORM unit of work for the new rows), one "skapad" audit entry per row, same values."""
    from collections import Counter

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from po_desk.domain.avvikelse import Avvikelse
    from po_desk.domain.ko import Anmalan
    from po_desk.store import models

    kommun = workspace.verksamhet.get().kommuner[0].id
    anmalningar = [
        Anmalan(anmald=date(2026, 3, i + 1), kon="kvinna", fodelsear=1960 + i, kommun_id=kommun,
                kontaktorsaker=("ekonomi", "bostad"), prioritetsgrunder=("barn",) if i else ())
        for i in range(4)
    ]  # fmt: skip
    avvikelser = [
        Avvikelse(datum=date(2026, 2, i + 1), aktor="forsakringskassan", niva="handlaggare",
                  kategorier=("vantetider",), beskrivning=f"Beslutet dröjde {i + 2} månader.",
                  konsekvens="Skulder.", atgarder=("skrivelse",))
        for i in range(3)
    ]  # fmt: skip
    before = Counter((e.table_name, e.action) for e in workspace.audit.entries())
    through_unit_of_work: list[object] = []

    def count(session, _context, _instances) -> None:
        through_unit_of_work.extend(
            row for row in session.new if isinstance(row, models.KoAnmalan | models.Avvikelse)
        )

    event.listen(Session, "before_flush", count)
    try:
        workspace.ko.add_many(anmalningar, date(2026, 6, 1))
        workspace.avvikelser.add_many(avvikelser)
    finally:
        event.remove(Session, "before_flush", count)
    assert through_unit_of_work == []
    added = Counter((e.table_name, e.action) for e in workspace.audit.entries()) - before
    assert added == Counter({("ko_anmalan", "skapad"): 4, ("avvikelse", "skapad"): 3})
    stored = sorted(workspace.ko.all(), key=lambda a: a.anmald)
    shapes = [(a.fodelsear, set(a.kontaktorsaker), a.prioritetsgrunder) for a in stored]
    assert shapes == [(1960 + i, {"ekonomi", "bostad"}, ("barn",) if i else ()) for i in range(4)]
    assert len({a.kod for a in stored}) == 4 and all("2026" in a.kod for a in stored)
    logged = sorted(workspace.avvikelser.all(), key=lambda a: a.datum)
    assert [(a.beskrivning, a.kategorier, a.atgarder, a.status) for a in logged] == [
        (item.beskrivning, ("vantetider",), ("skrivelse",), item.status) for item in avvikelser
    ]
    assert workspace.session.check() == []


FIRST_WINDOW_PROBE = """
import enum, os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from po_desk.services.app_settings import AppSettings
from po_desk.ui.app import prepare_application, show_window
application = prepare_application()
made = []
create = enum.EnumType._create_
def counting(*args, **kwargs):
    made.append(args[1] if len(args) > 1 else kwargs.get("class_name"))
    return create(*args, **kwargs)
enum.EnumType._create_ = counting
window = show_window(AppSettings(), Path(sys.argv[1]))
application.processEvents()
shown, before_open = window.isVisible(), len(made)
from PySide6.QtWidgets import QDialog
dialog = QDialog(window)
dialog.resize(20000, 20000)
dialog.show()
application.processEvents()
print(shown, before_open, dialog.property("po_desk_fitted"), dialog.width() < 20000)
"""


def test_the_first_window_shows_before_pyside_loads_every_qt_class(tmp_path: Path) -> None:
    """Issue 17 (gui_start_ratio): every object an application-wide Python event filter
    sees is wrapped, and the first of a class PySide6 does not know (a rich text label's
    text control, a scroll area's gesture manager) made it create every lazily loaded Qt
    class, ≈ 180 enum classes, before the first window was on the screen. The window is
    made and shown without the filters; they are back for the next window (the dialog
    is fitted to the screen)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    output = subprocess.run(
        [sys.executable, "-c", FIRST_WINDOW_PROBE, str(tmp_path / "store.podesk")],
        cwd=root,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    shown, enums, fitted, shrunk = output
    assert shown == "True"
    assert int(enums) < 40, enums  # was 145: every class of QtCore, QtGui and QtWidgets
    assert fitted == "True" and shrunk == "True"


def test_the_first_window_is_fitted_and_watches_for_idleness_once_attached(
    qtbot, workspace, tmp_path: Path
) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtWidgets import QScrollArea

    from po_desk.ui import screen_fit

    fitter = screen_fit.install(QApplication.instance())
    try:
        window = screen_fit.show_first(
            lambda: MainWindow(
                None, AppSettings(), automatic_backups=False, store_path=tmp_path / "s.podesk"
            )
        )
        qtbot.addWidget(window)
        # fitted as it showed, with the fitter lifted: its content scrolls from the start
        assert window.property("po_desk_fitted")
        assert isinstance(window.centralWidget(), QScrollArea)
        assert window._nav is None  # the section list comes with the store
        window.attach(workspace)
        assert window.pages.currentWidget() is window.nav.parentWidget()
        assert window.nav.isEnabled() and window.nav.currentRow() == 0
        seen: list[object] = []
        real = window.idle.eventFilter
        window.idle.eventFilter = lambda watched, event: (
            seen.append(event.type()) or real(watched, event)
        )
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        assert QEvent.Type.KeyPress in seen  # the idle watcher is on the application
    finally:
        QApplication.instance().removeEventFilter(fitter)
        fitter.deleteLater()
