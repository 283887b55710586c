"""OpChanges: each write use case declares what it changes, the main window broadcasts it,
and a view refreshes only when its own data changed (issue 16, after Anki's OpChanges)."""

from __future__ import annotations

import inspect
from collections import Counter

import pytest

from po_desk.services import changes as changes_module
from po_desk.services.changes import (
    EVERYTHING,
    NOTHING,
    OpChanges,
    changes_of,
    declares_changes,
    writes,
)

# Public methods named so (or so_...) write to the store; the readers among them are named.
READERS = {"record_rules", "reopen_problems"}
WRITE_PREFIXES = (
    "save",
    "add",
    "set",
    "update",
    "close",
    "reopen",
    "offer",
    "withdraw",
    "not_relevant",
    "start",
    "move",
    "freeze",
    "unfreeze",
    "apply",
    "import",
    "run",
    "record",
    "rename",
)


def _service_classes() -> list[type]:
    from po_desk.services.aterrapport_service import AterrapportService
    from po_desk.services.audit_service import AuditService
    from po_desk.services.avvikelse_service import AvvikelseService
    from po_desk.services.gallring_service import GallringService
    from po_desk.services.ko_service import KoService
    from po_desk.services.ledningsgrupp_service import LedningsgruppService
    from po_desk.services.merge_service import MergeService
    from po_desk.services.underlag_service import UnderlagService
    from po_desk.services.uppdrag_import import UppdragImport
    from po_desk.services.uppdrag_service import UppdragService
    from po_desk.services.verksamhet_service import VerksamhetService

    return [AterrapportService, AuditService, AvvikelseService, GallringService, KoService,
            LedningsgruppService, MergeService, UnderlagService, UppdragImport, UppdragService,
            VerksamhetService]  # fmt: skip


def test_changes_combine_and_say_whether_anything_changed() -> None:
    assert not NOTHING and not NOTHING.audit
    both = OpChanges(uppdrag=True) | OpChanges(avvikelser=True)
    assert both.uppdrag and both.avvikelser and not both.ko
    assert both.audit and both.records
    assert changes_module.combine(OpChanges(ko=True), OpChanges(settings=True)).names() == [
        "ko",
        "settings",
    ]
    settings_only = OpChanges(settings=True)
    assert settings_only and not settings_only.records
    assert all(getattr(EVERYTHING, name) for name in EVERYTHING.names())
    assert len(EVERYTHING.names()) == len(OpChanges.__dataclass_fields__)


def test_a_write_must_declare_something_and_an_undeclared_method_is_refused() -> None:
    with pytest.raises(ValueError):
        writes()

    class Service:
        @writes(uppdrag=True)
        def save(self) -> int:
            return 7

        def get(self) -> int:
            return 1

    service = Service()
    assert service.save() == 7  # the method is unchanged
    assert changes_of(service.save) == OpChanges(uppdrag=True)
    assert changes_of(Service.save) == OpChanges(uppdrag=True)
    with pytest.raises(TypeError, match="declares no OpChanges"):
        changes_of(service.get)


@pytest.mark.parametrize("service", _service_classes(), ids=lambda c: c.__name__)
def test_every_write_use_case_declares_what_it_changes(service: type) -> None:
    undeclared = [
        name
        for name, member in inspect.getmembers(service, inspect.isfunction)
        if not name.startswith("_")
        and any(name == verb or name.startswith(verb + "_") for verb in WRITE_PREFIXES)
        and name not in READERS
        and not declares_changes(member)
    ]
    assert undeclared == []


def test_the_declarations_name_the_data_each_write_touches(workspace) -> None:
    assert changes_of(workspace.uppdrag.save) == OpChanges(uppdrag=True, klient=True)
    assert changes_of(workspace.avvikelser.save) == OpChanges(avvikelser=True)
    started = changes_of(workspace.ko.start)
    assert started.ko and started.uppdrag and not started.avvikelser
    meeting = changes_of(workspace.ledningsgrupp.save_meeting)
    assert meeting.ledningsgrupp and meeting.avvikelser  # lifting marks avvikelser
    assert changes_of(workspace.merge.import_file) == EVERYTHING
    assert changes_of(workspace.gallring.run) == EVERYTHING
    assert not changes_of(workspace.underlag.set_suppress_small).records


# -- the GUI: the main window broadcasts, views refresh only on their data ------------------


@pytest.fixture
def counted(window):
    """Every view built, Uppdrag shown; each view's refresh (and the parts of Avvikelser)
    counted."""
    from po_desk.ui.main_window import UPPDRAG

    calls: Counter[str] = Counter()
    views = {
        "overview": window.overview,
        "uppdrag": window.uppdrag_view,
        "ko": window.ko_view,
        "register": window.avvikelser_view.register,
        "ledningsgrupp": window.avvikelser_view.ledningsgrupp,
        "aterrapport": window.rapporter_view.aterrapport,
    }
    for name, view in views.items():
        original = view.refresh

        def counting(original=original, name=name) -> None:
            calls[name] += 1
            original()

        view.refresh = counting
    window.nav.setCurrentRow(UPPDRAG)
    calls.clear()
    return calls


def _visit_all(window) -> None:
    from po_desk.ui.main_window import AVVIKELSER, KO, OVERVIEW, RAPPORTER, UPPDRAG

    for index in (OVERVIEW, KO, AVVIKELSER, RAPPORTER, UPPDRAG):
        window.nav.setCurrentRow(index)


def test_showing_a_view_again_does_not_refresh_it_when_nothing_changed(window, counted) -> None:
    _visit_all(window)
    _visit_all(window)
    assert sum(counted.values()) == 0


def test_saving_an_uppdrag_refreshes_uppdrag_and_oversikt_but_not_avvikelser(
    qtbot, window, counted
) -> None:
    from tests.test_gui import fill_uppdrag, when_modal

    def save(dialog) -> None:
        fill_uppdrag(dialog)
        dialog.save()

    when_modal(qtbot, save)
    window.uppdrag_view.new_uppdrag()
    assert window.uppdrag_view.model.rowCount() == 1
    assert counted["uppdrag"] == 1  # its own refresh; the broadcast skips it
    assert counted["overview"] == 0  # hidden: refreshed when shown
    _visit_all(window)
    # The kö counts the waits of those who started recently from the uppdrag.
    assert counted == Counter({"uppdrag": 1, "overview": 1, "ko": 1, "aterrapport": 1})
    assert "1" in window.overview.active_now.text()


def test_saving_an_avvikelse_refreshes_avvikelser_and_oversikt_but_not_uppdrag(
    qtbot, window, counted
) -> None:
    from po_desk.ui.main_window import AVVIKELSER
    from tests.test_gui import when_modal
    from tests.test_gui_avvikelser import fill

    window.nav.setCurrentRow(AVVIKELSER)

    def log(dialog) -> None:
        fill(dialog, "Handläggningen tog fyra månader.")
        dialog.save()

    when_modal(qtbot, log)
    window.avvikelser_view.register.new_button.click()
    assert window.avvikelser_view.register.model.rowCount() == 1
    # The register refreshed itself; the ledningsgrupp tab beside it counts raised ones.
    assert counted == Counter({"register": 1, "ledningsgrupp": 1})
    _visit_all(window)
    assert counted == Counter({"register": 1, "ledningsgrupp": 1, "overview": 1, "aterrapport": 1})


def test_settings_only_changes_leave_the_record_views_alone(window, counted) -> None:
    from po_desk.ui.main_window import RAPPORTER

    window.nav.setCurrentRow(RAPPORTER)
    window.rapporter_view.suppress.setChecked(not window.rapporter_view.suppress.isChecked())
    _visit_all(window)
    assert counted == Counter()


def test_an_op_with_changes_reaches_the_other_views_after_success(qtbot, window, counted) -> None:
    from po_desk.ui.main_window import KO
    from po_desk.ui.ops import Op, wait_for_all

    done: list[object] = []
    Op(
        window.uppdrag_view,
        "Arbetar…",
        work=lambda: 5,
        on_success=done.append,
        changes=OpChanges(ko=True),
        handler=window.uppdrag_view,
    ).run()
    wait_for_all()
    qtbot.waitUntil(lambda: done == [5])
    assert counted == Counter()
    window.nav.setCurrentRow(KO)
    assert counted == Counter({"ko": 1, "overview": 0})


def test_a_failed_op_reports_nothing(qtbot, window, counted) -> None:
    from po_desk.ui.main_window import OVERVIEW
    from po_desk.ui.ops import Op, wait_for_all

    failed: list[BaseException] = []

    def work() -> None:
        raise RuntimeError("nej")

    Op(
        window.uppdrag_view,
        "Arbetar…",
        work=work,
        on_success=lambda _r: None,
        on_failure=failed.append,
        changes=EVERYTHING,
    ).run()
    wait_for_all()
    qtbot.waitUntil(lambda: len(failed) == 1)
    window.nav.setCurrentRow(OVERVIEW)
    assert counted == Counter()


def test_a_merge_refreshes_every_view(window, counted) -> None:
    window.operation_did_execute.emit(changes_of(window.workspace.merge.import_file), None)
    assert counted["uppdrag"] == 1  # the shown one at once
    _visit_all(window)
    assert counted == Counter(
        {"uppdrag": 1, "overview": 1, "ko": 1, "register": 1, "ledningsgrupp": 1, "aterrapport": 1}
    )


def test_a_ko_write_from_elsewhere_is_seen_when_the_ko_view_is_shown(window, workspace) -> None:
    """Without the refresh on every showing, the kö view still sees an anmälan added while
    it was hidden: the broadcast tells it when it is next shown."""
    from po_desk.ui.main_window import KO, UPPDRAG
    from po_desk.ui.op_changes import did_write
    from tests.test_gui_ko import add

    window.nav.setCurrentRow(KO)
    before = window.ko_view.model.rowCount()
    window.nav.setCurrentRow(UPPDRAG)
    add(workspace, 3)
    did_write(window.uppdrag_view, workspace.ko.save)
    window.nav.setCurrentRow(KO)
    assert window.ko_view.model.rowCount() == before + 1


def test_lifting_at_a_meeting_updates_the_register_beside_it_without_a_tab_refresh(
    qtbot, window, counted
) -> None:
    """The two tabs of Avvikelser are kept current by the changes, not by refreshing both
    on every switch of tab."""
    from po_desk.domain.avvikelse import AvvikelseStatus
    from po_desk.ui.main_window import AVVIKELSER
    from tests.test_gui import when_modal
    from tests.test_gui_avvikelser import fill

    window.nav.setCurrentRow(AVVIKELSER)
    view = window.avvikelser_view

    def log(dialog) -> None:
        fill(dialog, "Handläggningen tog fyra månader.")
        dialog.save()

    when_modal(qtbot, log)
    view.register.new_button.click()
    counted.clear()
    view.tabs.setCurrentIndex(1)
    view.tabs.setCurrentIndex(0)
    view.tabs.setCurrentIndex(1)
    assert counted == Counter()
    when_modal(qtbot, lambda dialog: dialog.save())
    view.ledningsgrupp.new_meeting()
    assert counted == Counter({"ledningsgrupp": 1, "register": 1})
    assert view.register.model.row_at(0).status == AvvikelseStatus.LYFT


def test_an_import_through_its_op_tells_the_other_views(qtbot, window, counted, tmp_path) -> None:
    """The import dialog's Op carries what the import declares it changes; the uppdrag view
    that opened it is the handler and refreshes itself when the dialog closes."""
    from po_desk.ui.import_dialog import ImportDialog
    from po_desk.ui.main_window import AVVIKELSER, KO, OVERVIEW
    from tests.test_gui_import_merge import HEADER, load

    path = tmp_path / "u.csv"
    path.write_text(HEADER + "2025-010;kvinna;1980;Karlstad;2025-02-01;nej;ekonomi\n")
    dialog = ImportDialog(window.workspace, window.uppdrag_view)
    qtbot.addWidget(dialog)
    dialog.show()
    load(qtbot, dialog, path)
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.imported, timeout=10000)
    assert counted == Counter()  # the uppdrag view is the handler; the others are hidden
    window.nav.setCurrentRow(KO)
    window.nav.setCurrentRow(OVERVIEW)
    window.nav.setCurrentRow(AVVIKELSER)
    assert counted == Counter({"overview": 1, "ko": 1})
    assert "1" in window.overview.active_now.text()


def test_a_ground_added_in_a_dialog_that_is_then_cancelled_still_reaches_the_views(
    window, counted, monkeypatch
) -> None:
    from po_desk.ui import prioritering_dialog
    from po_desk.ui.main_window import KO, UPPDRAG
    from po_desk.ui.prioritering_dialog import PrioriteringDialog

    window.nav.setCurrentRow(KO)
    monkeypatch.setattr(
        prioritering_dialog.QInputDialog, "getText", lambda *_a, **_k: ("Akut behov", True)
    )
    dialog = PrioriteringDialog(window.workspace.ko, window.ko_view)
    dialog._add_own()
    dialog.reject()
    assert counted == Counter({"ko": 1})  # the shown kö view, at once
    window.nav.setCurrentRow(UPPDRAG)
    assert counted == Counter({"ko": 1, "uppdrag": 1})  # its grounds' names


def test_after_midnight_every_view_refreshes_once_when_shown(window, counted, monkeypatch) -> None:
    """Without writes, a new day still changes what is counted from today."""
    from datetime import timedelta

    from po_desk.ui import main_window

    _visit_all(window)
    assert counted == Counter()
    tomorrow = main_window.today() + timedelta(days=1)
    monkeypatch.setattr(main_window, "today", lambda: tomorrow)
    _visit_all(window)
    _visit_all(window)
    assert counted == Counter(
        {"uppdrag": 1, "overview": 1, "ko": 1, "register": 1, "ledningsgrupp": 1, "aterrapport": 1}
    )
